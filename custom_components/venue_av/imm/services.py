"""Actions of IMM signage players: where a user's action becomes a request.

Every action targets devices, entities or areas, so one call drives a whole fleet of
players; names are resolved against each player's schedule first, then each player's
command goes through ``async_command``, which owns error translation and the refresh
after the command.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict
from typing import Any

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
)
import voluptuous as vol

from ..const import DOMAIN, KIND_IMM, MAX_STATE_LENGTH
from ..protocol.imm import (
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
from ..services import ActionSpec, async_fan_out, async_target_entries
from .const import CLEARED_LABEL, CONF_CLIENT_ID, MAX_LABEL_LENGTH
from .coordinator import ImmConfigEntry, ImmCoordinator, ImmData

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

# A program, partition, playlist or media is named by its name or its id (names first:
# venues name programs "101" after rooms).
_REFERENCE = cv.string
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
    SERVICE_SET_LABEL: _schema(
        {
            **_WHERE_FIELDS,
            # Length checked in the handler, with a translated message.
            vol.Required(ATTR_TEXT): cv.string,
        }
    ),
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


def _find[T](
    items: Iterable[T], reference: str, key: Callable[[T], tuple[int | None, str]]
) -> T | None:
    """The item named ``reference``, else the item whose id it is."""
    wanted = reference.strip().casefold()
    candidates = list(items)
    for item in candidates:
        if key(item)[1].casefold() == wanted:
            return item
    if wanted.isdigit():
        for item in candidates:
            if key(item)[0] == int(wanted):
                return item
    return None


# An error message lists what a player has; a schedule with hundreds of media is cut.
_MAX_LISTED = 30


def available_names(items: Iterable[tuple[int | None, str]]) -> str:
    """What a player has, for an error message: "Program (35), Events (54)"."""
    listed = [
        f"{name} ({item_id})" if item_id is not None else name
        for item_id, name in items
    ]
    if len(listed) > _MAX_LISTED:
        listed[_MAX_LISTED:] = [f"… (+{len(listed) - _MAX_LISTED})"]
    return ", ".join(listed) if listed else "—"


def _not_found(
    coordinator: ImmCoordinator,
    what: str,
    reference: object,
    **placeholders: str,
) -> ServiceValidationError:
    """The name the user gave is unknown; ``placeholders`` list what there is."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=f"unknown_{what}",
        translation_placeholders={
            "name": coordinator.device_name,
            what: str(reference),
            **placeholders,
        },
    )


def resolve_program(
    coordinator: ImmCoordinator, data: ImmData, reference: str | None
) -> Program:
    """The schedule's program by name or id; the playing program when not given."""
    if reference is None:
        if (program := data.scheduled_program(data.program_id) or data.program) is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="not_playing",
                translation_placeholders={"name": coordinator.device_name},
            )
        return program
    found = _find(
        data.schedule.programs, reference, lambda item: (item.program_id, item.name)
    )
    if found is None:
        raise _not_found(
            coordinator,
            "program",
            reference,
            programs=available_names(
                (item.program_id, item.name) for item in data.schedule.programs
            ),
        )
    return found


def resolve_partition(
    coordinator: ImmCoordinator,
    program: Program,
    reference: str | None,
    kind: PartitionType,
) -> Partition:
    """A partition by name or id; the program's main partition of ``kind`` if not given."""
    partitions = available_names(
        (item.partition_id, item.name) for item in program.partitions
    )
    if reference is None:
        if candidates := program.partitions_of(kind):
            return candidates[0]
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=f"imm_no_{kind.value}_partition",
            translation_placeholders={
                "name": coordinator.device_name,
                "program": program.name,
                "partitions": partitions,
            },
        )
    found = _find(
        program.partitions, reference, lambda item: (item.partition_id, item.name)
    )
    if found is None:
        raise _not_found(
            coordinator,
            "partition",
            reference,
            program=program.name,
            partitions=partitions,
        )
    return found


def resolve_playlist(
    coordinator: ImmCoordinator, partition: Partition, reference: str
) -> Playlist:
    """A playlist of ``partition`` by name or id."""
    found = _find(
        partition.playlists, reference, lambda item: (item.playlist_id, item.name)
    )
    if found is None:
        raise _not_found(
            coordinator,
            "playlist",
            reference,
            partition=partition.name,
            playlists=available_names(
                (item.playlist_id, item.name) for item in partition.playlists
            ),
        )
    return found


def resolve_media(
    coordinator: ImmCoordinator, partition: Partition, reference: str
) -> Media:
    """A media of any playlist of ``partition`` by name, id or (web items) URL."""
    media = [item for playlist in partition.playlists for item in playlist.media]
    found = _find(media, reference, lambda item: (item.media_id, item.name)) or next(
        (
            item
            for item in media
            if item.media_id is None and item.content == reference.strip()
        ),
        None,
    )
    if found is None:
        raise _not_found(
            coordinator,
            "media",
            reference,
            partition=partition.name,
            choices=available_names(
                (item.media_id, item.name or item.content) for item in media
            ),
        )
    return found


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


def check_length(field: str, text: str, limit: int) -> None:
    """Refuse a text that could not be shown as a state (255 characters)."""
    if len(text) > limit:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="imm_text_too_long",
            translation_placeholders={
                "field": field,
                "length": str(len(text)),
                "max": str(limit),
            },
        )


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
        # The spec answers ParameterNoText to an empty text: a space clears the label.
        text = call.data[ATTR_TEXT] or CLEARED_LABEL
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


async def async_target_coordinators(
    hass: HomeAssistant, call: ServiceCall
) -> list[ImmCoordinator]:
    """The loaded IMM clients a call targets (devices, entities or areas)."""
    entries: list[ImmConfigEntry] = await async_target_entries(hass, call, KIND_IMM)
    return sorted(
        (entry.runtime_data for entry in entries), key=lambda item: item.device_name
    )


def _client_entry(coordinator: ImmCoordinator) -> dict[str, Any]:
    return {"device_id": coordinator.device_id, "name": coordinator.device_name}


async def _async_handle_command(
    hass: HomeAssistant, call: ServiceCall
) -> ServiceResponse:
    if ATTR_TEXT in call.data:
        # Longer texts could not be shown as the label entity's state.
        check_length(ATTR_TEXT, call.data[ATTR_TEXT], MAX_LABEL_LENGTH)
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

    results: list[Any] = await async_fan_out(coordinators, run)
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
    # The value becomes the state of the output's sensor.
    check_length(ATTR_VALUE, value, MAX_STATE_LENGTH)

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

    results: list[Any] = await async_fan_out(coordinators, run)
    return {"results": results} if call.return_response else None


async def _async_handle_get_event_script(
    hass: HomeAssistant, call: ServiceCall
) -> ServiceResponse:
    coordinators = await async_target_coordinators(hass, call)

    async def run(coordinator: ImmCoordinator) -> dict[str, Any]:
        script = await coordinator.async_command(lambda client: client.event_script())
        return {**_client_entry(coordinator), "event_script": asdict(script)}

    return {"results": await async_fan_out(coordinators, run)}


async def _async_handle_set_configuration(
    hass: HomeAssistant, call: ServiceCall
) -> ServiceResponse:
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
    if (new_id := changes["client_id"]) is not None and (
        hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, new_id) is not None
    ):
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="client_id_in_use",
            translation_placeholders={"client_id": new_id},
        )

    async def run(coordinator: ImmCoordinator) -> None:
        info = await coordinator.async_command(
            lambda client: client.set_configuration(**changes)
        )
        if info.client_id and info.client_id != coordinator.config_entry.unique_id:
            _async_move_to_client_id(hass, coordinator.config_entry, info.client_id)

    await async_fan_out(coordinators, run)
    return None


@callback
def _async_move_to_client_id(
    hass: HomeAssistant, entry: ImmConfigEntry, new_id: str
) -> None:
    """Follow a changed client id: entry, device and entities keep their history.

    The id is the entry's identity and the root of every unique id; the update
    listener reloads the entry afterwards.
    """
    old_id = entry.unique_id or ""
    for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id):
        if (DOMAIN, old_id) in device.identifiers:
            dr.async_get(hass).async_update_device(
                device.id, new_identifiers={(DOMAIN, new_id)}, serial_number=new_id
            )
    registry = er.async_get(hass)
    for registered in er.async_entries_for_config_entry(registry, entry.entry_id):
        if registered.unique_id.startswith(f"{old_id}_"):
            registry.async_update_entity(
                registered.entity_id,
                new_unique_id=new_id + registered.unique_id.removeprefix(old_id),
            )
    hass.config_entries.async_update_entry(
        entry, unique_id=new_id, data={**entry.data, CONF_CLIENT_ID: new_id}
    )


_COMMANDS = (
    SERVICE_START_PROGRAM,
    SERVICE_START_SCHEDULE,
    SERVICE_START_PARTITION,
    SERVICE_STOP_PARTITION,
    SERVICE_SET_LABEL,
    SERVICE_PLAY_MEDIA,
    SERVICE_PLAY_WEB,
    SERVICE_PLAY_STREAM,
    SERVICE_PLAY_YOUTUBE,
)

IMM_ACTIONS: tuple[ActionSpec, ...] = (
    *(
        ActionSpec(
            name=name,
            schema=SCHEMAS[name],
            handler=_async_handle_command,
            supports_response=SupportsResponse.OPTIONAL,
        )
        for name in _COMMANDS
    ),
    ActionSpec(
        name=SERVICE_PUSH_SENSOR,
        schema=SCHEMAS[SERVICE_PUSH_SENSOR],
        handler=_async_handle_push_sensor,
        supports_response=SupportsResponse.OPTIONAL,
    ),
    ActionSpec(
        name=SERVICE_GET_EVENT_SCRIPT,
        schema=SCHEMAS[SERVICE_GET_EVENT_SCRIPT],
        handler=_async_handle_get_event_script,
        supports_response=SupportsResponse.ONLY,
    ),
    # Changes the player's server and restarts it: administrators only.
    ActionSpec(
        name=SERVICE_SET_CONFIGURATION,
        schema=SCHEMAS[SERVICE_SET_CONFIGURATION],
        handler=_async_handle_set_configuration,
        admin_only=True,
    ),
)
