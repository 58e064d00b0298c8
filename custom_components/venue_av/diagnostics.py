"""Diagnostics of an IMM client (the interaction key redacted)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .const import CONF_INTERACTION_KEY
from .coordinator import ImmConfigEntry

TO_REDACT = {CONF_INTERACTION_KEY}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: ImmConfigEntry
) -> dict[str, Any]:
    """Entry, options and everything the last poll returned."""
    coordinator = entry.runtime_data
    return {
        "entry": {
            "data": async_redact_data(dict(entry.data), TO_REDACT),
            "options": dict(entry.options),
        },
        "last_update_success": coordinator.last_update_success,
        "data": asdict(coordinator.data) if coordinator.data else None,
    }
