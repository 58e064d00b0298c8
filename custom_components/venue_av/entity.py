"""The base entity of every family, and the device description they share."""

from __future__ import annotations

from typing import Any

from homeassistant.helpers.device_registry import (
    CONNECTION_NETWORK_MAC,
    DeviceInfo,
    format_mac,
)
from homeassistant.helpers.update_coordinator import (
    CoordinatorEntity,
    DataUpdateCoordinator,
)

from .const import DOMAIN, MAX_STATE_LENGTH


def state_text(text: str | None) -> str | None:
    """Device text cut to what a Home Assistant state holds (255 characters).

    Every state that comes from device text (names, pushed values, messages) passes
    here: a longer one would make the state invalid and log an error on every update.
    Entities that need the whole text keep it in an attribute.
    """
    return None if text is None else text[:MAX_STATE_LENGTH]


def device_info(
    identifier: str,
    *,
    name: str,
    manufacturer: str,
    model: str | None = None,
    serial_number: str | None = None,
    sw_version: str | None = None,
    mac: str | None = None,
    via_identifier: str | None = None,
    configuration_url: str | None = None,
) -> DeviceInfo:
    """A device of this integration, identified by ``(venue_av, identifier)``.

    Empty strings from a device count as unknown: the device page shows nothing
    rather than an empty model or version.
    """
    info = DeviceInfo(
        identifiers={(DOMAIN, identifier)},
        name=name,
        manufacturer=manufacturer,
        model=model or None,
        serial_number=serial_number or None,
        sw_version=sw_version or None,
    )
    if mac:
        info["connections"] = {(CONNECTION_NETWORK_MAC, format_mac(mac))}
    if via_identifier:
        info["via_device"] = (DOMAIN, via_identifier)
    if configuration_url:
        info["configuration_url"] = configuration_url
    return info


class VenueAVEntity[CoordinatorT: DataUpdateCoordinator[Any]](
    CoordinatorEntity[CoordinatorT]
):
    """An entity of any family: named by translation, attached to its device."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: CoordinatorT, unique_id: str, device: DeviceInfo
    ) -> None:
        """Attach the entity to ``device``."""
        super().__init__(coordinator)
        self._attr_unique_id = unique_id
        self._attr_device_info = device
