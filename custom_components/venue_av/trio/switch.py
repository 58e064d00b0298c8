"""The mute switch of a Poly Trio."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .coordinator import TrioConfigEntry, TrioCoordinator
from .entity import TrioEntity


class TrioMuteSwitch(TrioEntity[TrioCoordinator], SwitchEntity):
    """The phone's microphone mute (the phone accepts it during a call only)."""

    _attr_translation_key = "trio_mute"

    @property
    def is_on(self) -> bool | None:
        """Whether the phone is muted."""
        return self.coordinator.data.muted

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Mute."""
        await self.coordinator.async_command(lambda client: client.mute(True))

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Unmute."""
        await self.coordinator.async_command(lambda client: client.mute(False))


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TrioConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the mute switch."""
    async_add_entities([TrioMuteSwitch(entry.runtime_data.calls, entry, "mute")])
