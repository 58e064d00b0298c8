"""What every family's coordinator shares: the one path from a user's action to a device.

Protocol errors become translated ``HomeAssistantError`` s here and nowhere else:
a rejected credential starts re-authentication, a device's refusal names its code and
message in the family's words, anything else says the device could not be reached.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import Any, ClassVar

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .const import DOMAIN
from .protocol.errors import (
    DeviceActionOutcomeUnknownError,
    DeviceAuthenticationError,
    DeviceCommandError,
    VenueAVError,
)


def command_error(
    hass: HomeAssistant,
    entry: ConfigEntry[Any],
    err: VenueAVError,
    *,
    family: str,
    device_name: str,
    auth_translation_key: str = "invalid_auth",
    validation_kinds: Collection[str] = (),
    placeholders: Mapping[str, str] | None = None,
) -> HomeAssistantError:
    """The translated error a user sees for ``err``; starts reauth on a credential error.

    A device's refusal is translated by its kind, prefixed with the family
    (``imm_last_playback_not_finished``); the code and the device's own message are
    placeholders, so an unknown code still reads clearly. Refusals of kinds in
    ``validation_kinds`` are the user's to fix (wrong state, unknown name, busy):
    they are ``ServiceValidationError`` s, which Home Assistant reports in one log
    line instead of a traceback. A family adds the ``placeholders`` its texts use
    beyond name, code and message (the parameter a cloud rejected, say).
    """
    placeholders = {"name": device_name, **(placeholders or {})}
    if isinstance(err, DeviceAuthenticationError):
        entry.async_start_reauth(hass)
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=auth_translation_key,
            translation_placeholders=placeholders,
        )
    if isinstance(err, DeviceCommandError):
        error_class = (
            ServiceValidationError
            if err.kind in validation_kinds
            else HomeAssistantError
        )
        return error_class(
            translation_domain=DOMAIN,
            translation_key=f"{family}_{err.kind}",
            translation_placeholders={
                "code": str(err.code),
                "message": err.message,
                **placeholders,
            },
        )
    if isinstance(err, DeviceActionOutcomeUnknownError):
        # Sent, then the connection broke: never retried, and the user must know the
        # device may have acted.
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="action_outcome_unknown",
            translation_placeholders=placeholders,
        )
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="cannot_connect",
        translation_placeholders={**placeholders, "error": str(err)},
    )


class VenueAVCoordinator[DataT, ClientT](DataUpdateCoordinator[DataT]):
    """A coordinator of one device (or account) of any family, and its client."""

    # Prefix of the family's translation keys for device error kinds.
    family: ClassVar[str]
    auth_translation_key: ClassVar[str] = "invalid_auth"
    # Device error kinds that refuse the user's input or timing, not a fault.
    validation_error_kinds: ClassVar[frozenset[str]] = frozenset()

    config_entry: ConfigEntry[Any]
    client: ClientT

    @property
    def device_name(self) -> str:
        """The device's name for messages."""
        return self.config_entry.title

    async def async_command[ResultT](
        self, command: Callable[[ClientT], Awaitable[ResultT]]
    ) -> ResultT:
        """Run a command on the client, map its errors, then refresh the state.

        The one path every entity and action takes to the device. The refresh comes
        straight away, not debounced: a second command within a cooldown would
        otherwise leave the UI showing the state from before it.
        """
        try:
            result = await command(self.client)
        except VenueAVError as err:
            raise command_error(
                self.hass,
                self.config_entry,
                err,
                family=self.family,
                device_name=self.device_name,
                auth_translation_key=self.auth_translation_key,
                validation_kinds=self.validation_error_kinds,
            ) from err
        await self.async_refresh()
        return result
