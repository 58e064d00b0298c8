"""Config flow of Venue AV: a menu of device families, then the family's own steps.

Each family contributes a mixin of steps (``imm/config_flow.py``); this class combines
them, shows the menu and routes reauth, reconfigure and options to the entry's family.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult, OptionsFlow
from homeassistant.core import callback

from .const import CONF_KIND, DOMAIN, KIND_IMM, KIND_TELECOMX, KIND_TRIO
from .families import family_of
from .imm.config_flow import ImmFlowSteps
from .telecomx.config_flow import TelecomXFlowSteps
from .trio.config_flow import TrioFlowSteps


class VenueAVConfigFlow(ImmFlowSteps, TrioFlowSteps, TelecomXFlowSteps, domain=DOMAIN):
    """Add a device of any family."""

    VERSION = 1

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry[Any]) -> OptionsFlow:
        """The options of the entry's family."""
        factory = family_of(config_entry).options_flow
        assert factory is not None  # only offered where async_supports_options says
        return factory()

    @classmethod
    @callback
    def async_supports_options(cls, config_entry: ConfigEntry[Any]) -> bool:
        """Whether the entry's family has options."""
        return family_of(config_entry).options_flow is not None

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask which kind of device to add."""
        return self.async_show_menu(
            step_id="user", menu_options=[KIND_IMM, KIND_TRIO, KIND_TELECOMX]
        )

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Re-authenticate with the family's steps."""
        steps = {
            KIND_IMM: self.async_step_imm_reauth,
            KIND_TRIO: self.async_step_trio_reauth,
            KIND_TELECOMX: self.async_step_telecomx_reauth,
        }
        return await steps[entry_data[CONF_KIND]](entry_data)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Reconfigure with the family's steps."""
        steps = {
            KIND_IMM: self.async_step_imm_reconfigure,
            KIND_TRIO: self.async_step_trio_reconfigure,
            KIND_TELECOMX: self.async_step_telecomx_reconfigure,
        }
        return await steps[self._get_reconfigure_entry().data[CONF_KIND]](user_input)
