"""Actions of Venue AV, registered once in ``async_setup``.

Every action targets devices, entities or areas, so one call drives a whole fleet of
players; each player's command goes through ``ImmCoordinator.async_command``, which owns
error translation and the refresh after the command.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from functools import partial
import inspect
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv, service
import voluptuous as vol

from .const import CONF_CLIENT_ID, CONF_KIND, DOMAIN, KIND_IMM
from .coordinator import ImmCoordinator, ImmData
from .protocol.imm import (
    ActionResult,
    Behavior,
    Collision,
    ImmClient,
    Media,
    Partition,
    PartitionType,
    Playlist,
    Program,
    SensorPushResult,
)

ATTR_PROGRAM = "program"
ATTR_PARTITION = "partition"
ATTR_PLAYLIST = "playlist"
ATTR_MEDIA = "media"
ATTR_URL = "url"
ATTR_TEXT = "text"
ATTR_BEHAVIOR = "behavior"
ATTR_COLLISION = "collision"
ATTR_QUEUE_TIMEOUT = "queue_timeout"
ATTR_DURATION = "duration"
ATTR_SENSOR = "sensor"
ATTR_OUTPUT = "output"
ATTR_VALUE = "value"
ATTR_CLIENT_ID = "client_id"
ATTR_SERVER_IP = "server_ip"
ATTR_SERVER_PORT = "server_port"

SERVICE_START_PROGRAM = "start_program"
SERVICE_START_SCHEDULE = "start_schedule"
SERVICE_START_PARTITION = "start_partition"
SERVICE_STOP_PARTITION = "stop_partition"
SERVICE_SET_LABEL = "set_label"
SERVICE_PLAY_MEDIA = "play_media"
SERVICE_PLAY_WEB = "play_web"
SERVICE_PLAY_STREAM = "play_stream"
SERVICE_PLAY_YOUTUBE = "play_youtube"
SERVICE_PUSH_SENSOR = "push_sensor"
SERVICE_GET_EVENT_SCRIPT = "get_event_script"
SERVICE_SET_CONFIGURATION = "set_configuration"

# A program, partition, playlist or media is named by its id or its name.
_REFERENCE = vol.Any(vol.Coerce(int), cv.string)
_SECONDS = vol.All(vol.Coerce(int), vol.Range(min=0, max=86400))

_COLLISION_FIELDS: dict[vol.Marker, Any] = {
    vol.Optional(ATTR_COLLISION): vol.Coerce(Collision),
    vol.Optional(ATTR_QUEUE_TIMEOUT): _SECONDS,
}
_PLAYBACK_FIELDS: dict[vol.Marker, Any] = {
    vol.Optional(ATTR_BEHAVIOR): vol.Coerce(Behavior),
    **_COLLISION_FIELDS,
}
_WHERE_FIELDS: dict[vol.Marker, Any] = {
    vol.Optional(ATTR_PROGRAM): _REFERENCE,
    vol.Optional(ATTR_PARTITION): _REFERENCE,
}


def _schema(fields: dict[vol.Marker, Any]) -> vol.Schema:
    return vol.Schema(cv.make_entity_service_schema(fields))


SCHEMAS: dict[str, vol.Schema] = {
    SERVICE_START_PROGRAM: _schema(
        {
            vol.Required(ATTR_PROGRAM): _REFERENCE,
            vol.Optional(ATTR_DURATION): _SECONDS,
            **_PLAYBACK_FIELDS,
        }
    ),
    SERVICE_START_SCHEDULE: _schema({}),
    SERVICE_START_PARTITION: _schema(
        {**_WHERE_FIELDS, vol.Required(ATTR_PLAYLIST): _REFERENCE, **_PLAYBACK_FIELDS}
    ),
    SERVICE_STOP_PARTITION: _schema({**_WHERE_FIELDS, **_COLLISION_FIELDS}),
    SERVICE_SET_LABEL: _schema({**_WHERE_FIELDS, vol.Required(ATTR_TEXT): cv.string}),
    SERVICE_PLAY_MEDIA: _schema(
        {
            **_WHERE_FIELDS,
            vol.Required(ATTR_MEDIA): _REFERENCE,
            vol.Optional(ATTR_DURATION): _SECONDS,
            **_PLAYBACK_FIELDS,
        }
    ),
    SERVICE_PLAY_WEB: _schema(
        {
            **_WHERE_FIELDS,
            vol.Required(ATTR_URL): cv.url,
            vol.Optional(ATTR_DURATION): _SECONDS,
            **_PLAYBACK_FIELDS,
        }
    ),
    SERVICE_PLAY_STREAM: _schema(
        {
            **_WHERE_FIELDS,
            vol.Required(ATTR_URL): cv.string,
            vol.Optional(ATTR_DURATION): _SECONDS,
            **_PLAYBACK_FIELDS,
        }
    ),
    SERVICE_PLAY_YOUTUBE: _schema(
        {**_WHERE_FIELDS, vol.Required(ATTR_URL): cv.url, **_PLAYBACK_FIELDS}
    ),
    SERVICE_PUSH_SENSOR: _schema(
        {
            vol.Required(ATTR_SENSOR): cv.string,
            vol.Required(ATTR_OUTPUT): cv.string,
            # An empty value removes the output from the client's memory.
            vol.Optional(ATTR_VALUE, default=""): vol.Any(cv.string, vol.Coerce(str)),
        }
    ),
    SERVICE_GET_EVENT_SCRIPT: _schema({}),
    SERVICE_SET_CONFIGURATION: _schema(
        {
            vol.Optional(ATTR_CLIENT_ID): cv.string,
            vol.Optional(ATTR_SERVER_IP): cv.string,
            vol.Optional(ATTR_SERVER_PORT): cv.port,
        }
    ),
}


# -- resolving names and ids against a client's schedule --------------------------


def _matches(reference: int | str, item_id: int | None, name: str) -> bool:
    if isinstance(reference, int):
        return item_id == reference
    return name.casefold() == reference.strip().casefold() or (
        reference.strip().isdigit() and item_id == int(reference)
    )


def _not_found(
    coordinator: ImmCoordinator, what: str, reference: object
) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=f"unknown_{what}",
        translation_placeholders={
            "name": coordinator.device_name,
            what: str(reference),
        },
    )


def resolve_program(
    coordinator: ImmCoordinator, data: ImmData, reference: int | str | None
) -> Program:
    """The schedule's program by id or name; the playing program when not given."""
    if reference is None:
        if (program := data.scheduled_program(data.program_id) or data.program) is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="not_playing",
                translation_placeholders={"name": coordinator.device_name},
            )
        return program
    for program in data.schedule.programs:
        if _matches(reference, program.program_id, program.name):
            return program
    raise _not_found(coordinator, "program", reference)


def resolve_partition(
    coordinator: ImmCoordinator,
    program: Program,
    reference: int | str | None,
    kind: PartitionType,
) -> Partition:
    """A partition by id or name; the program's main partition of ``kind`` when not given."""
    candidates = [item for item in program.partitions if item.type is kind]
    if reference is None:
        # The "major" interaction partition is the program's main play area.
        candidates.sort(key=lambda item: not item.major)
        if candidates:
            return candidates[0]
        raise _not_found(coordinator, "partition", kind.value)
    for partition in program.partitions:
        if _matches(reference, partition.partition_id, partition.name):
            return partition
    raise _not_found(coordinator, "partition", reference)


def resolve_playlist(
    coordinator: ImmCoordinator, partition: Partition, reference: int | str
) -> Playlist:
    """A playlist of ``partition`` by id or name."""
    for playlist in partition.playlists:
        if _matches(reference, playlist.playlist_id, playlist.name):
            return playlist
    raise _not_found(coordinator, "playlist", reference)


def resolve_media(
    coordinator: ImmCoordinator, partition: Partition, reference: int | str
) -> Media:
    """A media of any playlist of ``partition`` by id, name or (web items) URL."""
    for playlist in partition.playlists:
        for media in playlist.media:
            if _matches(reference, media.media_id, media.name) or (
                media.media_id is None and media.content == str(reference).strip()
            ):
                return media
    raise _not_found(coordinator, "media", reference)


def _ids(program: Program, partition: Partition) -> tuple[int, int]:
    assert program.program_id is not None
    assert partition.partition_id is not None
    return program.program_id, partition.partition_id


def _playback_options(call: ServiceCall) -> dict[str, Any]:
    return {
        key: call.data[key]
        for key in (ATTR_BEHAVIOR, ATTR_COLLISION, ATTR_QUEUE_TIMEOUT)
        if key in call.data
    }


# -- building one client's command from a call ------------------------------------

type Command = Callable[[ImmClient], Awaitable[ActionResult]]


def _command(call: ServiceCall, coordinator: ImmCoordinator) -> Command:
    """Translate ``call`` into the command for one client (names resolved per client)."""
    data = coordinator.data
    name = call.service
    options = _playback_options(call)
    if name == SERVICE_START_SCHEDULE:
        return lambda client: client.start_schedule()
    if name == SERVICE_START_PROGRAM:
        program = resolve_program(coordinator, data, call.data[ATTR_PROGRAM])
        assert program.program_id is not None
        program_id = program.program_id
        if ATTR_DURATION in call.data:
            options[ATTR_DURATION] = call.data[ATTR_DURATION]
        return lambda client: client.start_program(program_id, **options)

    program = resolve_program(coordinator, data, call.data.get(ATTR_PROGRAM))
    kind = (
        PartitionType.LABEL if name == SERVICE_SET_LABEL else PartitionType.INTERACTION
    )
    partition = resolve_partition(
        coordinator, program, call.data.get(ATTR_PARTITION), kind
    )
    program_id, partition_id = _ids(program, partition)

    if name == SERVICE_SET_LABEL:
        text = call.data[ATTR_TEXT]
        return lambda client: client.set_label(program_id, partition_id, text)
    if name == SERVICE_STOP_PARTITION:
        options.pop(ATTR_BEHAVIOR, None)
        return lambda client: client.stop_partition(program_id, partition_id, **options)
    if name == SERVICE_START_PARTITION:
        playlist = resolve_playlist(coordinator, partition, call.data[ATTR_PLAYLIST])
        assert playlist.playlist_id is not None
        playlist_id = playlist.playlist_id
        return lambda client: client.start_partition(
            program_id, partition_id, playlist_id, **options
        )
    if ATTR_DURATION in call.data and name != SERVICE_PLAY_YOUTUBE:
        options[ATTR_DURATION] = call.data[ATTR_DURATION]
    if name == SERVICE_PLAY_MEDIA:
        media = resolve_media(coordinator, partition, call.data[ATTR_MEDIA])
        if media.media_id is None:
            # Web items of a playlist have no id: play them by their URL.
            url = media.content
            return lambda client: client.play_web(
                program_id, partition_id, url, **options
            )
        media_id = media.media_id
        return lambda client: client.play_media(
            program_id, partition_id, media_id, **options
        )
    url = call.data[ATTR_URL]
    if name == SERVICE_PLAY_WEB:
        return lambda client: client.play_web(program_id, partition_id, url, **options)
    if name == SERVICE_PLAY_STREAM:
        return lambda client: client.play_stream(
            program_id, partition_id, url, **options
        )
    return lambda client: client.play_youtube(program_id, partition_id, url, **options)


# -- fan-out over targets ---------------------------------------------------------


async def _async_target_entry_ids(call: ServiceCall) -> set[str]:
    """Config entry ids of the devices, entities and areas a call targets.

    Home Assistant 2025.4 takes ``(hass, call)``; later releases take ``(call)``
    (the call carries ``hass``). Both are supported releases of this integration.
    """
    extract: Callable[..., Awaitable[set[str]]] = service.async_extract_config_entry_ids
    if "hass" in inspect.signature(extract).parameters:
        return await extract(call.hass, call)
    return await extract(call)


async def async_target_coordinators(
    hass: HomeAssistant, call: ServiceCall
) -> list[ImmCoordinator]:
    """The loaded IMM clients a call targets (devices, entities or areas)."""
    entry_ids = await _async_target_entry_ids(call)
    coordinators = [
        entry.runtime_data
        for entry_id in entry_ids
        if (entry := hass.config_entries.async_get_entry(entry_id)) is not None
        and entry.domain == DOMAIN
        and entry.data.get(CONF_KIND) == KIND_IMM
        and entry.state is ConfigEntryState.LOADED
    ]
    if not coordinators:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_target"
        )
    return sorted(coordinators, key=lambda item: item.device_name)


async def _fan_out[T](
    coordinators: list[ImmCoordinator],
    run: Callable[[ImmCoordinator], Awaitable[T]],
) -> list[T]:
    """Run ``run`` for every client at once; report every client that failed."""
    outcomes = await asyncio.gather(
        *(run(item) for item in coordinators), return_exceptions=True
    )
    failures = [
        (coordinator, outcome)
        for coordinator, outcome in zip(coordinators, outcomes, strict=True)
        if isinstance(outcome, BaseException)
    ]
    for _, outcome in failures:
        if not isinstance(outcome, Exception):
            raise outcome
    if len(failures) == 1 and len(coordinators) == 1:
        raise failures[0][1]
    if failures:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="fleet_failed",
            translation_placeholders={
                "failed": str(len(failures)),
                "total": str(len(coordinators)),
                "errors": "; ".join(
                    f"{item.device_name}: {error}" for item, error in failures
                ),
            },
        )
    return [outcome for outcome in outcomes if not isinstance(outcome, BaseException)]


def _client_entry(coordinator: ImmCoordinator) -> dict[str, Any]:
    return {"device_id": coordinator.device_id, "name": coordinator.device_name}


async def _async_handle_command(
    hass: HomeAssistant, call: ServiceCall
) -> ServiceResponse:
    coordinators = await async_target_coordinators(hass, call)
    # Resolve names first for every client, so a typo fails before anything is sent.
    commands = {id(item): _command(call, item) for item in coordinators}

    async def run(coordinator: ImmCoordinator) -> dict[str, Any]:
        result = await coordinator.async_command(commands[id(coordinator)])
        return {
            **_client_entry(coordinator),
            "result": "queued" if result.queued else "done",
            "message": result.message,
        }

    results: list[Any] = await _fan_out(coordinators, run)
    return {"results": results} if call.return_response else None


async def _async_handle_push_sensor(
    hass: HomeAssistant, call: ServiceCall
) -> ServiceResponse:
    coordinators = await async_target_coordinators(hass, call)
    sensor, output, value = (
        call.data[ATTR_SENSOR],
        call.data[ATTR_OUTPUT],
        call.data[ATTR_VALUE],
    )

    async def run(coordinator: ImmCoordinator) -> dict[str, Any]:
        result: SensorPushResult = await coordinator.async_command(
            lambda client: client.push_sensor(sensor, output, value)
        )
        coordinator.fire_push_result(result)
        return {
            **_client_entry(coordinator),
            "triggered": [
                {
                    "mapping_id": item.mapping_id,
                    "result": item.name,
                    "code": item.code,
                    "message": item.message,
                    "queued": item.queued,
                }
                for item in result.triggered
            ],
        }

    results: list[Any] = await _fan_out(coordinators, run)
    return {"results": results} if call.return_response else None


async def _async_handle_get_event_script(
    hass: HomeAssistant, call: ServiceCall
) -> ServiceResponse:
    coordinators = await async_target_coordinators(hass, call)

    async def run(coordinator: ImmCoordinator) -> dict[str, Any]:
        script = await coordinator.async_command(lambda client: client.event_script())
        return {**_client_entry(coordinator), "event_script": asdict(script)}

    return {"results": await _fan_out(coordinators, run)}


async def _async_handle_set_configuration(
    hass: HomeAssistant, call: ServiceCall
) -> None:
    coordinators = await async_target_coordinators(hass, call)
    changes = {
        "client_id": call.data.get(ATTR_CLIENT_ID),
        "server_ip": call.data.get(ATTR_SERVER_IP),
        "server_port": call.data.get(ATTR_SERVER_PORT),
    }
    if not any(value is not None for value in changes.values()):
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="nothing_to_set"
        )
    if changes["client_id"] is not None and len(coordinators) > 1:
        # Two players with one id would be one device to the server and to us.
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="client_id_needs_one_target"
        )

    async def run(coordinator: ImmCoordinator) -> None:
        info = await coordinator.async_command(
            lambda client: client.set_configuration(**changes)
        )
        entry = coordinator.config_entry
        if info.client_id and info.client_id != entry.unique_id:
            # The id is the entry's identity: follow the change, then rebuild the device.
            hass.config_entries.async_update_entry(
                entry,
                unique_id=info.client_id,
                data={**entry.data, CONF_CLIENT_ID: info.client_id},
            )
            hass.config_entries.async_schedule_reload(entry.entry_id)

    await _fan_out(coordinators, run)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register every action of the integration."""
    for name in (
        SERVICE_START_PROGRAM,
        SERVICE_START_SCHEDULE,
        SERVICE_START_PARTITION,
        SERVICE_STOP_PARTITION,
        SERVICE_SET_LABEL,
        SERVICE_PLAY_MEDIA,
        SERVICE_PLAY_WEB,
        SERVICE_PLAY_STREAM,
        SERVICE_PLAY_YOUTUBE,
    ):
        hass.services.async_register(
            DOMAIN,
            name,
            partial(_async_handle_command, hass),
            schema=SCHEMAS[name],
            supports_response=SupportsResponse.OPTIONAL,
        )
    hass.services.async_register(
        DOMAIN,
        SERVICE_PUSH_SENSOR,
        partial(_async_handle_push_sensor, hass),
        schema=SCHEMAS[SERVICE_PUSH_SENSOR],
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_EVENT_SCRIPT,
        partial(_async_handle_get_event_script, hass),
        schema=SCHEMAS[SERVICE_GET_EVENT_SCRIPT],
        supports_response=SupportsResponse.ONLY,
    )
    service.async_register_admin_service(
        hass,
        DOMAIN,
        SERVICE_SET_CONFIGURATION,
        partial(_async_handle_set_configuration, hass),
        schema=SCHEMAS[SERVICE_SET_CONFIGURATION],
    )
