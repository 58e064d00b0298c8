"""Base entity of every IMM client entity."""

from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import ImmCoordinator

MANUFACTURER = "Advantech"


class ImmEntity(CoordinatorEntity[ImmCoordinator]):
    """An entity of one IMM client; ``key`` makes its unique id."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: ImmCoordinator, key: str) -> None:
        """Attach the entity to the client's device."""
        super().__init__(coordinator)
        info = coordinator.data.info
        self._attr_unique_id = f"{info.client_id}_{key}"
        coordinator.entity_unique_ids.add(self._attr_unique_id)
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, info.client_id)},
            manufacturer=MANUFACTURER,
            model=info.model or None,
            name=info.name or coordinator.device_name,
            serial_number=info.client_id,
            sw_version=info.firmware or None,
        )
