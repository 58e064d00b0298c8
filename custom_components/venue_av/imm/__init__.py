"""The IMM signage player family on the Home Assistant side.

Where things happen: ``protocol/imm`` turns bytes into typed models; ``coordinator.py``
polls them into :class:`ImmData` and fires events; the platform modules here turn that
data into entities; ``services.py`` (and each entity's command) turns a user's action
into a request through ``async_command``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

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

from ..const import DOMAIN, KIND_IMM
from ..family import Family
from ..protocol.imm import PROBE_PORT, Schedule
from . import (
    binary_sensor,
    image,
    media_player,
    select,
    sensor,
    switch,
    text,
)
from .config_flow import ImmOptionsFlow
from .const import (
    CONF_BROADCAST_DISCOVERY,
    CONF_DISCOVERY_TARGETS,
    CONF_PROBE_PORT,
    DISCOVERY_INTERVAL,
)
from .coordinator import ImmConfigEntry, ImmCoordinator, interaction_disabled_issue_id
from .diagnostics import async_get_diagnostics
from .discovery import (
    DATA_DISCOVERY_SETTINGS,
    DiscoverySettings,
    async_discover_clients,
    async_migrate_entry_targets,
    async_trigger_discovery,
    ipv4_target,
)
from .events import IMM_EVENTS
from .services import IMM_ACTIONS

PLATFORMS = {
    Platform.BINARY_SENSOR: binary_sensor.async_setup_entry,
    Platform.IMAGE: image.async_setup_entry,
    Platform.MEDIA_PLAYER: media_player.async_setup_entry,
    Platform.SELECT: select.async_setup_entry,
    Platform.SENSOR: sensor.async_setup_entry,
    Platform.SWITCH: switch.async_setup_entry,
    Platform.TEXT: text.async_setup_entry,
}

# Optional YAML: where discovery probes go. The product default (broadcast on every
# interface Home Assistant uses) needs no configuration; tests and demos switch
# broadcasting off and name loopback targets.
YAML_SCHEMA: dict[vol.Marker, Any] = {
    vol.Optional(CONF_BROADCAST_DISCOVERY, default=True): cv.boolean,
    vol.Optional(CONF_DISCOVERY_TARGETS, default=[]): vol.All(
        cv.ensure_list, [ipv4_target]
    ),
    vol.Optional(CONF_PROBE_PORT, default=PROBE_PORT): cv.port,
}


async def async_setup(hass: HomeAssistant, config: ConfigType) -> None:
    """Read the discovery settings and start background discovery."""
    await async_migrate_entry_targets(hass)
    if (yaml := config.get(DOMAIN)) is not None:
        hass.data[DATA_DISCOVERY_SETTINGS] = DiscoverySettings(
            broadcast=yaml[CONF_BROADCAST_DISCOVERY],
            targets=tuple(yaml[CONF_DISCOVERY_TARGETS]),
            probe_port=yaml[CONF_PROBE_PORT],
        )

    async def _async_discover(_: datetime | None = None) -> None:
        async_trigger_discovery(hass, await async_discover_clients(hass))

    @callback
    def _async_start_discovery(hass: HomeAssistant) -> None:
        hass.async_create_background_task(_async_discover(), "venue_av discovery")
        async_track_time_interval(
            hass, _async_discover, DISCOVERY_INTERVAL, cancel_on_shutdown=True
        )

    async_at_started(hass, _async_start_discovery)


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
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)

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


def async_remove_device(
    hass: HomeAssistant, entry: ImmConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Allow removing a device the entry no longer uses (an earlier client id)."""
    return (DOMAIN, entry.unique_id or "") not in device.identifiers


async def async_unload_entry(hass: HomeAssistant, entry: ImmConfigEntry) -> bool:
    """Unload one IMM client."""
    ir.async_delete_issue(hass, DOMAIN, interaction_disabled_issue_id(entry))
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


IMM_FAMILY = Family(
    kind=KIND_IMM,
    platforms=PLATFORMS,
    async_setup_entry=async_setup_entry,
    async_unload_entry=async_unload_entry,
    async_remove_device=async_remove_device,
    diagnostics=async_get_diagnostics,
    options_flow=ImmOptionsFlow,
    actions=IMM_ACTIONS,
    events=IMM_EVENTS,
    yaml_schema=YAML_SCHEMA,
    async_setup=async_setup,
)
