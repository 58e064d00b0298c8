"""Event entities of every family: the entry's family decides which."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .families import async_setup_platform

# Read-only: coordinators do all the polling.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry[Any],
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the entry's entities of this platform."""
    await async_setup_platform(Platform.EVENT, hass, entry, async_add_entities)
