"""The "Follow schedule" switch of an IMM client."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from ..const import DOMAIN
from ..protocol.imm import ImmClient
from .coordinator import ImmConfigEntry, ImmCoordinator
from .entity import ImmEntity


async def async_setup_entry(
    hass: HomeAssistant, entry: ImmConfigEntry, async_add_entities: AddEntitiesCallback
) -> None:
    """Set up the schedule switch of an IMM client."""
    async_add_entities([ImmFollowSchedule(entry.runtime_data)])


class ImmFollowSchedule(ImmEntity, SwitchEntity):
    """On while the client plays its schedule; off while a program override plays.

    The client marks an override (start_program) with ``is_breaking="true"`` on the
    program it plays.
    """

    _attr_translation_key = "follow_schedule"

    def __init__(self, coordinator: ImmCoordinator) -> None:
        """Create the switch."""
        super().__init__(coordinator, "follow_schedule")

    @property
    def is_on(self) -> bool:
        """Whether the scheduled program plays."""
        data = self.coordinator.data
        return (
            data.playing and data.program is not None and not data.program.is_breaking
        )

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Return to the schedule (and start playing in standby)."""
        await self.coordinator.async_command(ImmClient.start_schedule)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Hold the program playing now as an override."""
        program_id = self.coordinator.data.program_id
        if program_id is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="not_playing",
                translation_placeholders={"name": self.coordinator.device_name},
            )
        await self.coordinator.async_command(
            lambda client: client.start_program(program_id)
        )
