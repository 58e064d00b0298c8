"""The call event entity of a Poly Trio: incoming, answered, ended, missed, outgoing."""

from __future__ import annotations

from typing import Any

from homeassistant.components.event import EventEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .const import CALL_EVENT_TYPES
from .coordinator import TrioConfigEntry, TrioCoordinator
from .entity import TrioEntity


class TrioCallEvent(TrioEntity[TrioCoordinator], EventEntity):
    """Every call event of the phone, with the same data as the bus event."""

    _attr_translation_key = "trio_call"

    def __init__(
        self, coordinator: TrioCoordinator, entry: TrioConfigEntry, key: str
    ) -> None:
        """The phone's call events."""
        super().__init__(coordinator, entry, key)
        self._attr_event_types = list(CALL_EVENT_TYPES)

    async def async_added_to_hass(self) -> None:
        """Listen to the coordinator's call events."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_event_listener(self._async_call_event)
        )

    @callback
    def _async_call_event(self, event_type: str, data: dict[str, Any]) -> None:
        self._trigger_event(event_type, data)
        self.async_write_ha_state()


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TrioConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the call event entity."""
    async_add_entities([TrioCallEvent(entry.runtime_data.calls, entry, "call")])
