"""The base entity of a Poly Trio: one device per phone, MAC as its connection."""

from __future__ import annotations

from typing import Any

from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from ..entity import VenueAVEntity, device_info
from ..protocol.trio import DEFAULT_PORT
from .const import MANUFACTURER
from .coordinator import TrioConfigEntry


def trio_device_info(entry: TrioConfigEntry) -> DeviceInfo:
    """The phone's device: model and firmware from its device info."""
    stats = entry.runtime_data.stats.data
    info = stats.info if stats is not None else None
    host = entry.data[CONF_HOST]
    port = entry.data.get(CONF_PORT, DEFAULT_PORT)
    return device_info(
        entry.unique_id or entry.entry_id,
        name=entry.title,
        manufacturer=(info.vendor if info else "") or MANUFACTURER,
        model=info.model if info else None,
        sw_version=info.firmware if info else None,
        serial_number=entry.unique_id,
        mac=entry.unique_id,
        configuration_url=f"https://{host}" + ("" if port == 443 else f":{port}"),
    )


class TrioEntity[CoordinatorT: DataUpdateCoordinator[Any]](VenueAVEntity[CoordinatorT]):
    """An entity of a phone, named by translation key."""

    def __init__(
        self, coordinator: CoordinatorT, entry: TrioConfigEntry, key: str
    ) -> None:
        """Attach to the entry's phone; ``key`` makes the unique id."""
        super().__init__(
            coordinator, f"{entry.unique_id}_{key}", trio_device_info(entry)
        )
