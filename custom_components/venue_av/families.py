"""The device families of the integration, by the ``kind`` their entries store."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .const import CONF_KIND
from .family import Family
from .imm import IMM_FAMILY
from .telecomx import TELECOMX_FAMILY
from .trio import TRIO_FAMILY

FAMILIES: dict[str, Family] = {
    family.kind: family for family in (IMM_FAMILY, TRIO_FAMILY, TELECOMX_FAMILY)
}


def family_of(entry: ConfigEntry[Any]) -> Family:
    """The family of a config entry."""
    return FAMILIES[entry.data[CONF_KIND]]


async def async_setup_platform(
    platform: Platform,
    hass: HomeAssistant,
    entry: ConfigEntry[Any],
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the entry's entities of ``platform``: its family decides which."""
    await family_of(entry).platforms[platform](hass, entry, async_add_entities)
