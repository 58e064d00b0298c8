"""Connectivity of IMM clients."""

from __future__ import annotations

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .coordinator import ImmConfigEntry, ImmCoordinator
from .entity import ImmEntity


async def async_setup_entry(
    hass: HomeAssistant, entry: ImmConfigEntry, async_add_entities: AddEntitiesCallback
) -> None:
    """Set up the connectivity sensor of an IMM client."""
    async_add_entities([ImmConnectivity(entry.runtime_data)])


class ImmConnectivity(ImmEntity, BinarySensorEntity):
    """Whether the last poll of the client succeeded; never unavailable itself."""

    _attr_device_class = BinarySensorDeviceClass.CONNECTIVITY
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, coordinator: ImmCoordinator) -> None:
        """Create the connectivity sensor."""
        super().__init__(coordinator, "connectivity")

    @property
    def available(self) -> bool:
        """Always available: it reports the link to the client."""
        return True

    @property
    def is_on(self) -> bool:
        """Whether the client answers."""
        return self.coordinator.last_update_success
