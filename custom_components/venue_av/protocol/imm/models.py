"""Typed, frozen models of IMM responses and the parsers that build them.

Every parser takes an lxml element, tolerates missing optional attributes, padded text
and numbers given as text, and raises only ``ImmResponseError`` for documents that are
not IMM responses at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
import re

from lxml import etree

from ..enums import FallbackEnum
from ..xml import attr, int_attr, text_of, to_bool, to_int
from .errors import (
    CODE_ACTION_QUEUED,
    CODE_MULTIPLE_RESPONSES,
    CODE_NOTHING_HAPPENED,
    CODE_SUCCESS,
    ImmResponseError,
    code_name,
    error_for_code,
)


class ClientStatus(FallbackEnum):
    """Playback status of a client."""

    STANDBY = "standby"
    PLAYING = "playing"
    UNKNOWN = "unknown"


class ServerStatus(FallbackEnum):
    """Connection of the client to its SignageCMS server."""

    DISCONNECTED = "disconnected"
    READY = "ready"
    UNRECOGNIZED_CLIENT = "unrecognizedclient"
    UNAUTHORIZED = "unauthorized"
    UNKNOWN = "unknown"


class MqttStatus(FallbackEnum):
    """Connection of the client to the server's MQTT broker."""

    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    UNKNOWN = "unknown"


class MediaType(FallbackEnum):
    """Kinds of media in a playlist."""

    IMAGE = "image"
    VIDEO = "video"
    WEB = "web"
    HTML = "html"
    FLASH = "flash"
    UNKNOWN = "unknown"


class PartitionType(FallbackEnum):
    """Kinds of partition (play area) of a program."""

    INTERACTION = "interaction"
    LABEL = "label"
    UNKNOWN = "unknown"


class Behavior(StrEnum):
    """What a playback started by a command does while and after it plays."""

    REPEAT = "repeat"
    AT_MOST_ONCE = "at_most_once"
    EXACTLY_ONCE = "exactly_once"
    AT_LEAST_ONCE = "at_least_once"


class Collision(StrEnum):
    """What a command does when a blocking playback is still running."""

    IGNORE = "ignore"
    FORCE = "force"
    QUEUE = "queue"


@dataclass(frozen=True, slots=True, kw_only=True)
class Position:
    """A rectangle on screen, from ``position="x,y,width,height"``."""

    x: int
    y: int
    width: int
    height: int

    @classmethod
    def parse(cls, value: str | None) -> Position | None:
        """Parse "x,y,w,h"; None when absent or not four numbers."""
        if not value:
            return None
        numbers = [to_int(part) for part in value.split(",")]
        if len(numbers) != 4 or any(number is None for number in numbers):
            return None
        x, y, width, height = (number or 0 for number in numbers)
        return cls(x=x, y=y, width=width, height=height)


_SIZE = re.compile(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*([A-Za-z]*)\s*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class DataSize:
    """A size as the client reports it ("1.17 TB"): value and unit kept apart."""

    value: float
    unit: str

    @classmethod
    def parse(cls, text: str) -> DataSize | None:
        """Parse "94.38 GB"; None when the text is not a number with a unit."""
        match = _SIZE.match(text)
        if match is None:
            return None
        return cls(
            value=float(match.group(1).replace(",", ".")),
            unit=match.group(2).upper() or "B",
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientInfo:
    """The ``imm_client`` block: probe reply, configuration and set-configuration answer."""

    client_id: str
    name: str
    version: str
    status: ClientStatus
    schedule: str
    program: str
    free_space: DataSize | None
    free_space_text: str
    server_ip: str
    server_port: int | None
    server_status: ServerStatus
    mqtt_status: MqttStatus

    @classmethod
    def from_element(cls, element: etree._Element) -> ClientInfo:
        """Build from an ``imm_client`` element."""
        free_space_text = text_of(element.find("free_space"))
        return cls(
            client_id=text_of(element.find("id")),
            name=text_of(element.find("name")),
            version=text_of(element.find("version")),
            status=ClientStatus.parse(text_of(element.find("status"))),
            schedule=text_of(element.find("schedule")),
            program=text_of(element.find("program")),
            free_space=DataSize.parse(free_space_text),
            free_space_text=free_space_text,
            server_ip=text_of(element.find("server_ip")),
            server_port=to_int(text_of(element.find("server_port"))),
            server_status=ServerStatus.parse(text_of(element.find("server_status"))),
            mqtt_status=MqttStatus.parse(text_of(element.find("mqtt_status"))),
        )

    @property
    def model(self) -> str:
        """The product name from the version string ("WISE-PaaS/SignageCMS Client")."""
        product, _, _ = self.version.rpartition(" ")
        return product or self.version

    @property
    def firmware(self) -> str:
        """The version number from the version string ("1.8.2")."""
        _, _, number = self.version.rpartition(" ")
        return number


@dataclass(frozen=True, slots=True, kw_only=True)
class DiscoveredClient:
    """A client that answered a UDP probe, at the address its reply came from."""

    host: str
    info: ClientInfo

    @property
    def client_id(self) -> str:
        """The client's id (its unique identity; the host may change)."""
        return self.info.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class Media:
    """One media item of a playlist."""

    media_id: int | None
    name: str
    type: MediaType
    content: str

    @classmethod
    def from_element(cls, element: etree._Element) -> Media:
        """Build from a ``media`` element (web media have an empty id)."""
        return cls(
            media_id=int_attr(element, "id"),
            name=attr(element, "name"),
            type=MediaType.parse(element.get("type")),
            content=attr(element, "content"),
        )

    @property
    def has_preview(self) -> bool:
        """Only video and image media have a preview."""
        return self.media_id is not None and self.type in (
            MediaType.VIDEO,
            MediaType.IMAGE,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Playlist:
    """A playlist of an interaction partition."""

    playlist_id: int | None
    name: str
    media: tuple[Media, ...] = ()

    @classmethod
    def from_element(cls, element: etree._Element) -> Playlist:
        """Build from a ``playlist`` element."""
        return cls(
            playlist_id=int_attr(element, "id"),
            name=attr(element, "name"),
            media=tuple(Media.from_element(item) for item in element.iterfind("media")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Partition:
    """A play area of a program: an interaction partition or a text label."""

    partition_id: int | None
    name: str
    type: PartitionType
    major: bool = False
    position: Position | None = None
    default_playlist_id: int | None = None
    # Only in program.xml: the playlist playing now.
    current_playlist_id: int | None = None
    # Label partitions: the text shown.
    text: str | None = None
    playlists: tuple[Playlist, ...] = ()

    @classmethod
    def from_element(cls, element: etree._Element) -> Partition:
        """Build from a ``partition`` element of schedule.xml or program.xml."""
        return cls(
            partition_id=int_attr(element, "id"),
            name=attr(element, "name"),
            type=PartitionType.parse(element.get("type")),
            major=to_bool(element.get("major")),
            position=Position.parse(element.get("position")),
            default_playlist_id=int_attr(element, "default_playlist_id"),
            current_playlist_id=int_attr(element, "current_playlist_id"),
            text=element.get("text"),
            playlists=tuple(
                Playlist.from_element(item) for item in element.iterfind("playlist")
            ),
        )

    def playlist(self, playlist_id: int) -> Playlist | None:
        """Return the playlist with ``playlist_id``."""
        return next(
            (item for item in self.playlists if item.playlist_id == playlist_id), None
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Program:
    """A program of the schedule, or the program playing now (program.xml)."""

    program_id: int | None
    name: str
    position: Position | None = None
    # Only in program.xml: whether the program interrupts (breaks into) the schedule.
    is_breaking: bool | None = None
    partitions: tuple[Partition, ...] = ()

    @classmethod
    def from_element(cls, element: etree._Element) -> Program:
        """Build from a ``program`` element."""
        breaking = element.get("is_breaking")
        return cls(
            program_id=int_attr(element, "id"),
            name=attr(element, "name"),
            position=Position.parse(element.get("position")),
            is_breaking=None if breaking is None else to_bool(breaking),
            partitions=tuple(
                Partition.from_element(item) for item in element.iterfind("partition")
            ),
        )

    def partitions_of(self, kind: PartitionType) -> list[Partition]:
        """Partitions of ``kind``, the major one (the main play area) first."""
        return sorted(
            (item for item in self.partitions if item.type is kind),
            key=lambda item: not item.major,
        )

    def partition(self, partition_id: int) -> Partition | None:
        """Return the partition with ``partition_id``."""
        return next(
            (item for item in self.partitions if item.partition_id == partition_id),
            None,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule:
    """The schedule: every program the client may play, with partitions and media."""

    name: str
    activation_time: str = ""
    creation_time: str = ""
    programs: tuple[Program, ...] = ()

    @classmethod
    def from_element(cls, element: etree._Element) -> Schedule:
        """Build from a ``schedule`` element."""
        return cls(
            name=attr(element, "name"),
            activation_time=attr(element, "activation_time"),
            creation_time=attr(element, "creation_time"),
            programs=tuple(
                Program.from_element(item) for item in element.iterfind("program")
            ),
        )

    def program(self, program_id: int) -> Program | None:
        """Return the program with ``program_id``."""
        return next(
            (item for item in self.programs if item.program_id == program_id), None
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SensorCondition:
    """One comparison of an event: sensor output ``op`` value."""

    sensor: str
    output: str
    op: str
    value: str

    @classmethod
    def from_element(cls, element: etree._Element) -> SensorCondition:
        """Build from a ``sensor`` element of an event."""
        return cls(
            sensor=attr(element, "name"),
            output=attr(element, "output"),
            op=attr(element, "op").lower(),
            value=element.get("value") or "",
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class EventMapping:
    """An event of the event script and the playback it starts."""

    mapping_id: int | None
    priority: int | None
    event_name: str
    logic_concat: str
    conditions: tuple[SensorCondition, ...]
    program_id: int | None
    partition_id: int | None = None
    playlist_id: int | None = None
    behavior: str = ""
    collision: str = ""
    queue_timeout: int | None = None

    @classmethod
    def from_element(cls, element: etree._Element) -> EventMapping:
        """Build from an ``eventmapping`` element."""
        event = element.find("event")
        conditions: tuple[SensorCondition, ...] = ()
        event_name = ""
        logic = "and"
        if event is not None:
            event_name = attr(event, "name")
            logic = attr(event, "logic_concat", "and").lower() or "and"
            conditions = tuple(
                SensorCondition.from_element(item) for item in event.iterfind("sensor")
            )
        return cls(
            mapping_id=int_attr(element, "id"),
            priority=int_attr(element, "priority"),
            event_name=event_name,
            logic_concat=logic,
            conditions=conditions,
            program_id=int_attr(element, "program_id"),
            partition_id=int_attr(element, "partition_id"),
            playlist_id=int_attr(element, "playlist_id"),
            behavior=attr(element, "behavior"),
            collision=attr(element, "collision"),
            queue_timeout=int_attr(element, "queue_timeout"),
        )

    @property
    def starts_partition(self) -> bool:
        """Whether the mapping switches a playlist rather than the whole program."""
        return self.partition_id is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class EventScript:
    """The client's event script (root element ``eventscrip`` on real devices)."""

    name: str
    mappings: tuple[EventMapping, ...] = ()

    @classmethod
    def from_element(cls, element: etree._Element) -> EventScript:
        """Build from the root element."""
        return cls(
            name=attr(element, "name"),
            mappings=tuple(
                EventMapping.from_element(item)
                for item in element.iterfind("eventmapping")
            ),
        )

    def mapping(self, mapping_id: int) -> EventMapping | None:
        """Return the mapping with ``mapping_id``."""
        return next(
            (item for item in self.mappings if item.mapping_id == mapping_id), None
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SensorValue:
    """A sensor output value held in the client's memory."""

    sensor: str
    output: str
    value: str

    @classmethod
    def from_element(cls, element: etree._Element) -> SensorValue:
        """Build from a ``sensor`` element of sensor.xml."""
        return cls(
            sensor=attr(element, "name"),
            output=attr(element, "output"),
            value=element.get("value") or "",
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionResult:
    """A command that succeeded: carried out now (0) or queued behind a playback (7)."""

    code: int
    message: str

    @property
    def queued(self) -> bool:
        """Whether the client queued the command instead of running it now."""
        return self.code == CODE_ACTION_QUEUED


@dataclass(frozen=True, slots=True, kw_only=True)
class EventMappingResult:
    """What one event mapping triggered by a pushed sensor value did."""

    mapping_id: int | None
    code: int
    message: str

    @property
    def name(self) -> str:
        """The spec's symbolic name of the code ("Success", "LastPlaybackNotFinished")."""
        return code_name(self.code)

    @property
    def succeeded(self) -> bool:
        """Whether the mapping's playback started or was queued."""
        return self.code in (CODE_SUCCESS, CODE_ACTION_QUEUED)

    @property
    def queued(self) -> bool:
        """Whether the mapping's playback was queued."""
        return self.code == CODE_ACTION_QUEUED


@dataclass(frozen=True, slots=True, kw_only=True)
class SensorPushResult:
    """The answer to a pushed sensor value: the event mappings it triggered."""

    triggered: tuple[EventMappingResult, ...] = field(default_factory=tuple)

    @property
    def nothing_happened(self) -> bool:
        """Whether no event mapping fired (code 8)."""
        return not self.triggered


def response_code(root: etree._Element, *, what: str) -> tuple[int, str]:
    """Return (code, message) of a ``<response>`` root; a missing code is malformed."""
    if root.tag != "response":
        raise ImmResponseError(f"{what}: unexpected root element")
    code = to_int(root.get("code"))
    if code is None:
        raise ImmResponseError(f"{what}: response without a numeric code")
    return code, (root.get("message") or "").strip()


def check_response(root: etree._Element, *, what: str) -> tuple[int, str]:
    """Raise the error for a failed ``<response>``; return (code, message) otherwise.

    Success-like codes (0, 7, 8, 9) pass; every other code raises its exception class.
    """
    code, message = response_code(root, what=what)
    if code in (
        CODE_SUCCESS,
        CODE_ACTION_QUEUED,
        CODE_NOTHING_HAPPENED,
        CODE_MULTIPLE_RESPONSES,
    ):
        return code, message
    raise error_for_code(code, message)


def parse_push_result(root: etree._Element) -> SensorPushResult:
    """Interpret the answer to a pushed sensor value.

    One fired mapping answers like start_program/start_partition with an
    ``eventmapping_id`` attribute, several answer code 9 with one nested ``response``
    each, none answers code 8. A per-mapping failure (e.g. 6, last playback not finished)
    is a result of that mapping, not an error of the push; an error without
    ``eventmapping_id`` (wrong key, interaction disabled) is an error of the push.
    """
    code, message = response_code(root, what="sensor push")
    if code == CODE_NOTHING_HAPPENED:
        return SensorPushResult()
    if code == CODE_MULTIPLE_RESPONSES:
        results = []
        for child in root.iterfind("response"):
            child_code = to_int(child.get("code"))
            if child_code is None:
                raise ImmResponseError(
                    "sensor push: nested response without a numeric code"
                )
            results.append(
                EventMappingResult(
                    mapping_id=int_attr(child, "eventmapping_id"),
                    code=child_code,
                    message=(child.get("message") or "").strip(),
                )
            )
        return SensorPushResult(triggered=tuple(results))
    if root.get("eventmapping_id") is not None:
        return SensorPushResult(
            triggered=(
                EventMappingResult(
                    mapping_id=int_attr(root, "eventmapping_id"),
                    code=code,
                    message=message,
                ),
            )
        )
    if code == CODE_SUCCESS:
        # Stored, but the device named no mapping: treat as nothing triggered.
        return SensorPushResult()
    raise error_for_code(code, message)
