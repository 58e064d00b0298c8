"""Diagnostics of an IMM client (the root redacts the interaction key)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.core import HomeAssistant

from .coordinator import ImmConfigEntry


async def async_get_diagnostics(
    hass: HomeAssistant, entry: ImmConfigEntry
) -> dict[str, Any]:
    """Entry, options and everything the last poll returned."""
    coordinator = entry.runtime_data
    return {
        "entry": {"data": dict(entry.data), "options": dict(entry.options)},
        "last_update_success": coordinator.last_update_success,
        "data": asdict(coordinator.data) if coordinator.data else None,
    }
