"""The Venue AV integration: IMM signage players, IPTV boxes and Poly Trio phones.

Home Assistant's entry points only: each config entry belongs to a device family
(``families.py``) which sets it up; actions and background tasks of every family are
registered here once.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.typing import ConfigType
import voluptuous as vol

from .const import DOMAIN
from .families import FAMILIES, family_of
from .services import async_register_actions

# The optional ``venue_av:`` YAML block: each family contributes its keys.
CONFIG_SCHEMA = vol.Schema(
    {
        vol.Optional(DOMAIN): vol.Schema(
            {
                key: value
                for family in FAMILIES.values()
                for key, value in family.yaml_schema.items()
            }
        )
    },
    extra=vol.ALLOW_EXTRA,
)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register every family's actions and start their background tasks."""
    async_register_actions(
        hass, (action for family in FAMILIES.values() for action in family.actions)
    )
    for family in FAMILIES.values():
        if family.async_setup is not None:
            await family.async_setup(hass, config)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry[Any]) -> bool:
    """Set up an entry through its family."""
    return await family_of(entry).async_setup_entry(hass, entry)


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry[Any]) -> bool:
    """Unload an entry through its family."""
    return await family_of(entry).async_unload_entry(hass, entry)


async def async_remove_entry(hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
    """Clean up after a deleted entry through its family, if it needs to."""
    if (remove := family_of(entry).async_remove_entry) is not None:
        await remove(hass, entry)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: ConfigEntry[Any], device: dr.DeviceEntry
) -> bool:
    """Whether a device may be removed: its family decides."""
    return family_of(entry).async_remove_device(hass, entry, device)
