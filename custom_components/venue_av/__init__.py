"""The Venue AV integration: IMM signage players, IPTV boxes and Poly Trio phones."""

from __future__ import annotations

from datetime import datetime

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.typing import ConfigType
import voluptuous as vol

from .const import (
    CONF_BROADCAST_DISCOVERY,
    CONF_DISCOVERY_TARGETS,
    DISCOVERY_INTERVAL,
    DOMAIN,
)
from .coordinator import (
    ImmConfigEntry,
    ImmCoordinator,
    interaction_disabled_issue_id,
)
from .discovery import (
    DATA_DISCOVERY_SETTINGS,
    DiscoverySettings,
    async_discover_clients,
    async_trigger_discovery,
    ipv4_target,
)
from .protocol.imm import PROBE_PORT, Schedule
from .services import async_setup_services

IMM_PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.IMAGE,
    Platform.MEDIA_PLAYER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.TEXT,
]

CONF_PROBE_PORT = "probe_port"

# Optional YAML: where discovery probes go. The product default (broadcast on every
# interface Home Assistant uses) needs no configuration; tests and demos switch
# broadcasting off and name loopback targets.
CONFIG_SCHEMA = vol.Schema(
    {
        vol.Optional(DOMAIN): vol.Schema(
            {
                vol.Optional(CONF_BROADCAST_DISCOVERY, default=True): cv.boolean,
                vol.Optional(CONF_DISCOVERY_TARGETS, default=[]): vol.All(
                    cv.ensure_list, [ipv4_target]
                ),
                vol.Optional(CONF_PROBE_PORT, default=PROBE_PORT): cv.port,
            }
        )
    },
    extra=vol.ALLOW_EXTRA,
)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions and start background discovery."""
    if (yaml := config.get(DOMAIN)) is not None:
        hass.data[DATA_DISCOVERY_SETTINGS] = DiscoverySettings(
            broadcast=yaml[CONF_BROADCAST_DISCOVERY],
            targets=tuple(yaml[CONF_DISCOVERY_TARGETS]),
            probe_port=yaml[CONF_PROBE_PORT],
        )
    async_setup_services(hass)

    async def _async_discover(_: datetime | None = None) -> None:
        async_trigger_discovery(hass, await async_discover_clients(hass))

    @callback
    def _async_start_discovery(hass: HomeAssistant) -> None:
        hass.async_create_background_task(_async_discover(), "venue_av discovery")
        async_track_time_interval(
            hass, _async_discover, DISCOVERY_INTERVAL, cancel_on_shutdown=True
        )

    async_at_started(hass, _async_start_discovery)
    return True


def _schedule_shape(schedule: Schedule) -> tuple[object, ...]:
    """What entities are made of: programs, partitions and their playlists."""
    return tuple(
        (
            program.program_id,
            tuple(
                (
                    partition.partition_id,
                    partition.type,
                    tuple(p.playlist_id for p in partition.playlists),
                )
                for partition in program.partitions
            ),
        )
        for program in schedule.programs
    )


async def async_setup_entry(hass: HomeAssistant, entry: ImmConfigEntry) -> bool:
    """Set up one IMM client."""
    coordinator = ImmCoordinator(hass, entry)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    await hass.config_entries.async_forward_entry_setups(entry, IMM_PLATFORMS)

    shape = _schedule_shape(coordinator.data.schedule)

    @callback
    def _async_reload_on_new_schedule() -> None:
        # Entities are built from the schedule's programs and partitions: a published
        # schedule with another structure needs them rebuilt.
        if _schedule_shape(coordinator.data.schedule) != shape:
            hass.config_entries.async_schedule_reload(entry.entry_id)

    entry.async_on_unload(coordinator.async_add_listener(_async_reload_on_new_schedule))
    _async_remove_stale_entities(hass, entry)

    setup_state = (dict(entry.data), dict(entry.options))

    async def _async_entry_updated(hass: HomeAssistant, entry: ImmConfigEntry) -> None:
        # Options, reauth, reconfigure and a discovered new address all change the
        # entry; a reload applies them (the flows themselves do not reload).
        if (dict(entry.data), dict(entry.options)) != setup_state:
            hass.config_entries.async_schedule_reload(entry.entry_id)

    entry.async_on_unload(entry.add_update_listener(_async_entry_updated))
    return True


@callback
def _async_remove_stale_entities(hass: HomeAssistant, entry: ImmConfigEntry) -> None:
    """Remove registry entries this setup no longer provides.

    Labels and playlists are entities of the schedule's programs and partitions; a
    schedule published with other ones would otherwise leave dead entities behind.
    """
    provided = entry.runtime_data.entity_unique_ids
    registry = er.async_get(hass)
    for registered in er.async_entries_for_config_entry(registry, entry.entry_id):
        if registered.unique_id not in provided:
            registry.async_remove(registered.entity_id)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: ImmConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Allow removing a device the entry no longer uses (an earlier client id)."""
    return (DOMAIN, entry.unique_id or "") not in device.identifiers


async def async_unload_entry(hass: HomeAssistant, entry: ImmConfigEntry) -> bool:
    """Unload one IMM client."""
    ir.async_delete_issue(hass, DOMAIN, interaction_disabled_issue_id(entry))
    return await hass.config_entries.async_unload_platforms(entry, IMM_PLATFORMS)
