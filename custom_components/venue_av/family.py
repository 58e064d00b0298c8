"""What a device family is to the rest of the integration, and which family an entry is.

Each family package (``imm/``, later ``trio/`` and ``telecomx/``) exports one
:class:`Family`. The root modules — Home Assistant's entry points — look the entry's
family up by the ``kind`` stored in its data and delegate to it; they hold nothing
family-specific themselves.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from homeassistant.config_entries import ConfigEntry, OptionsFlow
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.helpers.typing import ConfigType
import voluptuous as vol

from .services import ActionSpec

type PlatformSetup = Callable[
    [HomeAssistant, ConfigEntry[Any], AddEntitiesCallback], Awaitable[None]
]


def _always_removable(
    hass: HomeAssistant, entry: ConfigEntry[Any], device: dr.DeviceEntry
) -> bool:
    return True


@dataclass(frozen=True, kw_only=True)
class FamilyEvents:
    """A family's events on the bus: device triggers and logbook sentences."""

    # The bus event (``venue_av_imm_event``); its ``type`` field is the trigger type.
    event_type: str
    trigger_types: tuple[str, ...]
    # The logbook's sentence for an event's data, and the name used without one.
    describe: Callable[[Mapping[str, Any]], str]
    default_name: str


@dataclass(frozen=True, kw_only=True)
class Family:
    """One device family: how its entries are set up and what it adds to Home Assistant."""

    kind: str
    # The family's entities of each platform it uses.
    platforms: Mapping[Platform, PlatformSetup]
    async_setup_entry: Callable[[HomeAssistant, ConfigEntry[Any]], Awaitable[bool]]
    async_unload_entry: Callable[[HomeAssistant, ConfigEntry[Any]], Awaitable[bool]]
    # Everything the last update knew; the root redacts secrets from it.
    diagnostics: Callable[[HomeAssistant, ConfigEntry[Any]], Awaitable[dict[str, Any]]]
    options_flow: Callable[[], OptionsFlow] | None = None
    async_remove_device: Callable[
        [HomeAssistant, ConfigEntry[Any], dr.DeviceEntry], bool
    ] = _always_removable
    actions: tuple[ActionSpec, ...] = ()
    events: FamilyEvents | None = None
    # Keys of the optional ``venue_av:`` YAML block this family reads.
    yaml_schema: Mapping[vol.Marker, Any] = field(default_factory=dict)
    # Integration-wide set-up once per start (background discovery, say).
    async_setup: Callable[[HomeAssistant, ConfigType], Awaitable[None]] | None = None
    # Clean-up on the device when its entry is deleted (a phone's push URL, say).
    async_remove_entry: (
        Callable[[HomeAssistant, ConfigEntry[Any]], Awaitable[None]] | None
    ) = None
