"""Diagnostics of a Poly Trio: entry, last data and push state (secrets redacted)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.core import HomeAssistant

from ..protocol.http import REDACTED
from .const import CONF_WEBHOOK_ID
from .coordinator import TrioConfigEntry


async def async_get_diagnostics(
    hass: HomeAssistant, entry: TrioConfigEntry
) -> dict[str, Any]:
    """Entry data and options, calls, lines and statistics (the root redacts secrets)."""
    runtime = entry.runtime_data
    calls = runtime.calls.data
    stats = runtime.stats.data
    # The webhook id is the push URL's only secret; the password is redacted by name.
    data = {
        **entry.data,
        CONF_WEBHOOK_ID: REDACTED,
    }
    return {
        "entry": {"data": data, "options": dict(entry.options)},
        "push": {
            "enabled": runtime.push_url is not None,
            "events_received": runtime.calls.pushed_events,
        },
        "calls": None if calls is None else asdict(calls),
        "statistics": None if stats is None else asdict(stats),
    }
