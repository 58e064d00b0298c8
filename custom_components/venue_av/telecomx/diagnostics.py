"""Diagnostics of a TelecomX account: what the last poll knew (the root redacts secrets)."""

from __future__ import annotations

from typing import Any

from homeassistant.const import CONF_EMAIL
from homeassistant.core import HomeAssistant

from ..protocol.http import REDACTED
from .coordinator import TelecomXConfigEntry


async def async_get_diagnostics(
    hass: HomeAssistant, entry: TelecomXConfigEntry
) -> dict[str, Any]:
    """Entry, access, options and the box list (the e-mail is personal: redacted too)."""
    coordinator = entry.runtime_data
    data = coordinator.data
    return {
        "entry": {
            "data": {
                **entry.data,
                CONF_EMAIL: REDACTED,
            },
            "options": dict(entry.options),
        },
        "access": {
            "level": coordinator.access_level.wire,
            "features": sorted(coordinator.features)
            if coordinator.features is not None
            else None,
            "allowed_actions": sorted(kind.value for kind in coordinator.allowed),
        },
        "last_update_success": coordinator.last_update_success,
        "client": repr(coordinator.client),
        "channels": len(data.channels),
        "boxes": [
            {
                "id": box.device_id,
                "name": box.name,
                "mac": box.mac,
                "model": box.model,
                "enabled": box.enabled,
                "groups": list(box.groups),
                "last_comm": box.last_comm.isoformat() if box.last_comm else None,
                "has_device": coordinator.box_has_device(box),
            }
            for box in data.boxes.values()
        ],
    }
