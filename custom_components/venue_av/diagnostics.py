"""Diagnostics of an entry of any family, with every secret redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from .families import family_of
from .protocol.http import SECRET_NAMES

# The names the protocol layer treats as secrets: keys, passwords, tokens.
TO_REDACT = SECRET_NAMES


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: ConfigEntry[Any]
) -> dict[str, Any]:
    """What the entry's family reports, redacted."""
    data = await family_of(entry).diagnostics(hass, entry)
    redacted: dict[str, Any] = async_redact_data(data, TO_REDACT)
    return redacted
