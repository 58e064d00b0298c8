"""Mutable state and playback logic of one simulated IMM client.

Everything here is synchronous and deterministic; the only asynchronous part
is the end of a playback, scheduled with ``loop.call_later`` (durations are
multiplied by ``time_scale``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
import time
from typing import Literal

from .codes import ResultCode
from .model import (
    DEFAULT_SCHEDULED_PROGRAM_ID,
    EventMapping,
    EventScript,
    Schedule,
    SensorCondition,
    default_event_script,
    default_schedule,
)

BEHAVIORS: frozenset[str] = frozenset(
    {"repeat", "at_most_once", "exactly_once", "at_least_once"}
)
COLLISIONS: frozenset[str] = frozenset({"ignore", "force", "queue"})
#: Behaviors that block the next partition/program command while playing.
BLOCKING_BEHAVIORS: frozenset[str] = frozenset({"exactly_once", "at_least_once"})
#: Behaviors that switch back (default playlist / scheduled program) at the end.
REVERTING_BEHAVIORS: frozenset[str] = frozenset({"at_most_once", "exactly_once"})

PLAYBACK_KINDS: frozenset[str] = frozenset(
    {
        "start_program",
        "start_partition",
        "stop_partition",
        "play_media",
        "play_web",
        "play_stream",
        "play_youtube",
    }
)
URL_KINDS: frozenset[str] = frozenset({"play_web", "play_stream", "play_youtube"})

DEFAULT_QUEUE_TIMEOUT = 5.0
DEFAULT_DURATION = 10.0

ClientStatus = Literal["playing", "standby"]
Executed = tuple[str | int | float | None, ...]


@dataclass(slots=True)
class ClientSpec:
    """Static description of a simulated client (what ``reset`` returns to)."""

    host: str
    client_id: str
    name: str
    key: str = "0000"
    interaction_enabled: bool = True
    version: str = "WISE-PaaS/SignageCMS Client 1.8.4"
    free_space: str = "94.38 GB"
    server_ip: str = "127.0.0.1"
    server_port: int = 80
    server_status: str = "ready"
    mqtt_status: str = "connected"
    # Where the spec is silent, switchable (see the package docstring):
    # BLOCKING_CLIENT or BLOCKING_PARTITION, TRIGGER_CHANGE or TRIGGER_EVERY_PUSH.
    blocking_scope: str = "client"
    sensor_trigger: str = "change"


#: A blocking playback blocks every playback command of the client (default).
BLOCKING_CLIENT = "client"
#: A blocking playback blocks only commands for its own partition (and a blocking
#: program, or a start_program command, still blocks / is blocked by everything).
BLOCKING_PARTITION = "partition"
BLOCKING_SCOPES = frozenset({BLOCKING_CLIENT, BLOCKING_PARTITION})
#: An event mapping fires on the push that makes its event match (default).
TRIGGER_CHANGE = "change"
#: An event mapping fires on every push of one of its sensors while it matches.
TRIGGER_EVERY_PUSH = "every_push"
SENSOR_TRIGGERS = frozenset({TRIGGER_CHANGE, TRIGGER_EVERY_PUSH})
#: Playing time of a video started by play_media, in seconds (before time_scale):
#: the spec says ``duration`` does not apply to video.
VIDEO_SECONDS = 30.0


@dataclass(slots=True, frozen=True)
class Command:
    """A playback command (start_program, start_partition, play_*, ...).

    ``None`` fields are parameters that were not given.
    """

    kind: str
    program_id: int | None = None
    partition_id: int | None = None
    playlist_id: int | None = None
    media_id: int | None = None
    url: str | None = None
    behavior: str = "repeat"
    collision: str = "ignore"
    queue_timeout: float = DEFAULT_QUEUE_TIMEOUT
    duration: float = DEFAULT_DURATION

    def describe(self) -> Executed:
        """Tuple recorded in :attr:`SimulatedClient.executed`."""
        match self.kind:
            case "start_program":
                return ("start_program", self.program_id)
            case "start_partition":
                return (
                    "start_partition",
                    self.program_id,
                    self.partition_id,
                    self.playlist_id,
                )
            case "stop_partition":
                return ("stop_partition", self.program_id, self.partition_id)
            case "play_media":
                return ("play_media", self.program_id, self.partition_id, self.media_id)
            case _:
                return (self.kind, self.program_id, self.partition_id, self.url)


@dataclass(slots=True)
class Playback:
    """A running timed playback started by a command."""

    target: str  # "program" or "partition:<id>"
    command: Command
    handle: asyncio.TimerHandle | None = None

    @property
    def blocking(self) -> bool:
        """Whether this playback blocks the next playback command."""
        return self.command.behavior in BLOCKING_BEHAVIORS


@dataclass(slots=True)
class QueuedCommand:
    """The single queue slot."""

    command: Command
    queued_at: float


@dataclass(slots=True)
class SimulatedClient:
    """State of one simulated client; tests may read and change it directly."""

    spec: ClientSpec
    time_scale: float = 1.0
    # --- identity / configuration -------------------------------------------
    host: str = ""
    client_id: str = ""
    name: str = ""
    key: str = ""
    interaction_enabled: bool = True
    version: str = ""
    free_space: str = ""
    server_ip: str = ""
    server_port: int = 0
    server_status: str = ""
    mqtt_status: str = ""
    blocking_scope: str = BLOCKING_CLIENT
    sensor_trigger: str = TRIGGER_CHANGE
    # --- playback -----------------------------------------------------------
    status: ClientStatus = "playing"
    schedule: Schedule | None = None
    event_script: EventScript | None = None
    scheduled_program_id: int = DEFAULT_SCHEDULED_PROGRAM_ID
    current_program_id: int = DEFAULT_SCHEDULED_PROGRAM_ID
    #: current playlist per interaction partition of the current program;
    #: ``None`` = partition stopped or showing ad-hoc content.
    partition_playlists: dict[int, int | None] = field(default_factory=dict)
    #: ad-hoc content per partition, e.g. ``("media", "422")``, ``("web", url)``.
    partition_content: dict[int, tuple[str, str]] = field(default_factory=dict)
    #: label text per (program_id, partition_id).
    labels: dict[tuple[int, int], str] = field(default_factory=dict)
    #: pushed sensor outputs per (sensor name, output name).
    sensor_values: dict[tuple[str, str], str] = field(default_factory=dict)
    playbacks: dict[str, Playback] = field(default_factory=dict)
    queued: QueuedCommand | None = None
    #: what actually ran, in order (see module ``README`` in ``__init__``).
    executed: list[Executed] = field(default_factory=list)
    #: event mappings whose condition currently holds (edge detection).
    matched_mappings: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.reset()

    # ------------------------------------------------------------------ setup
    def reset(self) -> None:
        """Put every field back to the initial state from :attr:`spec`."""
        self._cancel_playbacks()
        spec = self.spec
        self.host = spec.host
        self.client_id = spec.client_id
        self.name = spec.name
        self.key = spec.key
        self.interaction_enabled = spec.interaction_enabled
        self.version = spec.version
        self.free_space = spec.free_space
        self.server_ip = spec.server_ip
        self.server_port = spec.server_port
        self.server_status = spec.server_status
        self.mqtt_status = spec.mqtt_status
        self.blocking_scope = spec.blocking_scope
        self.sensor_trigger = spec.sensor_trigger
        self.status = "playing"
        self.schedule = default_schedule()
        self.event_script = default_event_script()
        self.scheduled_program_id = DEFAULT_SCHEDULED_PROGRAM_ID
        self.current_program_id = DEFAULT_SCHEDULED_PROGRAM_ID
        self.labels = {
            (program.id, partition.id): partition.text
            for program in self.schedule.programs
            for partition in program.partitions
            if partition.type == "label"
        }
        self.sensor_values = {}
        self.queued = None
        self.executed = []
        self.matched_mappings = set()
        self._reset_partitions()

    def close(self) -> None:
        """Cancel pending timers (simulator shutdown)."""
        self._cancel_playbacks()
        self.queued = None

    # -------------------------------------------------------------- queries
    @property
    def schedule_name(self) -> str:
        """Name of the schedule, empty when there is none."""
        return self.schedule.name if self.schedule is not None else ""

    @property
    def current_program_name(self) -> str:
        """Name of the playing program, empty in standby."""
        if self.status != "playing" or self.schedule is None:
            return ""
        program = self.schedule.program(self.current_program_id)
        return program.name if program is not None else ""

    @property
    def is_breaking(self) -> bool:
        """True while a program other than the scheduled one is shown."""
        return self.current_program_id != self.scheduled_program_id

    @property
    def blocked(self) -> bool:
        """Whether a blocking playback is running."""
        return any(p.blocking for p in self.playbacks.values())

    def blocks(self, cmd: Command) -> bool:
        """Whether a running blocking playback blocks ``cmd`` (see ``blocking_scope``)."""
        if self.blocking_scope != BLOCKING_PARTITION:
            return self.blocked
        target = _target(cmd)
        return any(
            playback.blocking and (target == "program" or where in ("program", target))
            for where, playback in self.playbacks.items()
        )

    def check_access(self, key: str | None) -> ResultCode | None:
        """I-Key check: interaction disabled (5) first, then the key (2)."""
        if not self.interaction_enabled:
            return ResultCode.INTERACTION_DISABLED
        if key != self.key:
            return ResultCode.AUTHENTICATION_ERROR
        return None

    # ------------------------------------------------------ simple actions
    def play(self) -> ResultCode:
        """``type=play``: success also when already playing."""
        if self.status == "playing":
            return ResultCode.SUCCESS
        self.status = "playing"
        self._switch_program(self.scheduled_program_id)
        self.executed.append(("play",))
        return ResultCode.SUCCESS

    def stop(self) -> ResultCode:
        """``type=stop``: standby; drops running playbacks and the queue."""
        if self.status != "playing":
            return ResultCode.CLIENT_NOT_PLAY_STATE
        self._cancel_playbacks()
        self._drop_queue()
        self.status = "standby"
        self.executed.append(("stop",))
        return ResultCode.SUCCESS

    def start_schedule(self) -> ResultCode:
        """``type=start_schedule``: back to the scheduled program, playing."""
        if (
            self.status == "playing"
            and self.current_program_id == self.scheduled_program_id
            and not self.playbacks
        ):
            return ResultCode.SUCCESS
        self._cancel_playbacks()
        self._drop_queue()
        self.status = "playing"
        self._switch_program(self.scheduled_program_id)
        self.executed.append(("start_schedule",))
        return ResultCode.SUCCESS

    def set_label(
        self, program_id: int | None, partition_id: int | None, text: str | None
    ) -> ResultCode:
        """``type=set_label``."""
        code = self._check_target(program_id, partition_id, "label", playing=True)
        if code is not None:
            return code
        if not text:  # the spec's error table: ParameterNoText (3006)
            return ResultCode.PARAMETER_NO_TEXT
        assert program_id is not None
        assert partition_id is not None
        self.labels[(program_id, partition_id)] = text
        self.executed.append(("set_label", program_id, partition_id, text))
        return ResultCode.SUCCESS

    def configure(
        self, client_id: str | None, server_ip: str | None, server_port: int | None
    ) -> ResultCode:
        """``type=config``: changes what is given, keeps playing."""
        if client_id:
            self.client_id = client_id
        if server_ip:
            self.server_ip = server_ip
        if server_port is not None:
            self.server_port = server_port
        self.executed.append(
            ("config", self.client_id, self.server_ip, self.server_port)
        )
        return ResultCode.SUCCESS

    # ---------------------------------------------------- playback commands
    def validate(self, cmd: Command) -> ResultCode | None:
        """Semantic checks of a playback command, in the spec's order."""
        if cmd.kind == "start_program":
            if cmd.program_id is None:
                return ResultCode.PARAMETER_NO_PROGRAM_ID
            if self.schedule is None or self.schedule.program(cmd.program_id) is None:
                return ResultCode.PROGRAM_NOT_FOUND
        else:
            code = self._check_target(
                cmd.program_id, cmd.partition_id, "interaction", playing=True
            )
            if code is not None:
                return code
            assert self.schedule is not None
            assert cmd.program_id is not None
            program = self.schedule.program(cmd.program_id)
            assert program is not None
            assert cmd.partition_id is not None
            partition = program.partition(cmd.partition_id)
            assert partition is not None
            if cmd.kind == "start_partition":
                if cmd.playlist_id is None:
                    return ResultCode.PARAMETER_NO_PLAYLIST_ID
                if partition.playlist(cmd.playlist_id) is None:
                    return ResultCode.PLAYLIST_NOT_FOUND
            elif cmd.kind == "play_media":
                if cmd.media_id is None:
                    return ResultCode.PARAMETER_NO_MEDIA_ID
                if self.schedule.media(cmd.media_id) is None:
                    return ResultCode.MEDIA_NOT_FOUND
            elif cmd.kind in URL_KINDS and not cmd.url:
                return ResultCode.PARAMETER_NO_URL
        if cmd.behavior not in BEHAVIORS or cmd.collision not in COLLISIONS:
            return ResultCode.PARAMETER_ERR_BEHAVIOR
        return None

    def submit(self, cmd: Command) -> ResultCode:
        """Validate and run, queue or refuse a playback command."""
        code = self.validate(cmd)
        if code is not None:
            return code
        if self.blocks(cmd):
            if cmd.collision == "ignore":
                return ResultCode.LAST_PLAYBACK_NOT_FINISHED
            if cmd.collision == "queue":
                if self.queued is not None:
                    self.executed.append(
                        ("queue_replaced", *self.queued.command.describe())
                    )
                self.queued = QueuedCommand(cmd, time.monotonic())
                return ResultCode.ACTION_QUEUED
            # collision == "force": run now, superseding the blocking playback
        self._run(cmd)
        return ResultCode.SUCCESS

    # --------------------------------------------------------------- sensors
    def push_sensor(
        self, name: str, output: str, value: str
    ) -> list[tuple[str, ResultCode]]:
        """Store a sensor output and run the event mappings it newly matches.

        Returns ``(eventmapping_id, code)`` per fired mapping, in priority order
        (lower ``priority`` number first, then by id).
        """
        if value == "":
            self.sensor_values.pop((name, output), None)
        else:
            self.sensor_values[(name, output)] = value
        if self.event_script is None:
            return []
        mappings = sorted(
            self.event_script.mappings, key=lambda m: (m.priority, _id_key(m.id))
        )
        now_matched = {m.id for m in mappings if self._event_matches(m)}
        if self.sensor_trigger == TRIGGER_EVERY_PUSH:
            fired = [
                m
                for m in mappings
                if m.id in now_matched
                and any((c.name, c.output) == (name, output) for c in m.event.sensors)
            ]
        else:
            fired = [m for m in mappings if m.id in now_matched - self.matched_mappings]
        self.matched_mappings = now_matched
        results: list[tuple[str, ResultCode]] = []
        for mapping in fired:
            self.executed.append(("event", mapping.id))
            results.append((mapping.id, self.submit(_mapping_command(mapping))))
        return results

    def _event_matches(self, mapping: EventMapping) -> bool:
        checks = [self._condition_holds(c) for c in mapping.event.sensors]
        if not checks:
            return False
        if (mapping.event.logic_concat or "and").lower() == "or":
            return any(checks)
        return all(checks)

    def _condition_holds(self, cond: SensorCondition) -> bool:
        current = self.sensor_values.get((cond.name, cond.output))
        if current is None:
            return False
        left: float | str
        right: float | str
        try:
            left, right = float(current), float(cond.value)
        except ValueError:
            left, right = current, cond.value
        match cond.op:
            case "eq":
                return left == right
            case "ne":
                return left != right
            case "lt":
                return left < right  # type: ignore[operator]
            case "le":
                return left <= right  # type: ignore[operator]
            case "gt":
                return left > right  # type: ignore[operator]
            case "ge":
                return left >= right  # type: ignore[operator]
        return False

    # -------------------------------------------------------------- internals
    def _check_target(
        self,
        program_id: int | None,
        partition_id: int | None,
        partition_type: str,
        *,
        playing: bool,
    ) -> ResultCode | None:
        if playing and self.status != "playing":
            return ResultCode.CLIENT_NOT_PLAY_STATE
        if program_id is None:
            return ResultCode.PARAMETER_NO_PROGRAM_ID
        program = self.schedule.program(program_id) if self.schedule else None
        if program is None:
            return ResultCode.PROGRAM_NOT_FOUND
        if program_id != self.current_program_id:
            return ResultCode.PROGRAM_NOT_MATCHED
        if partition_id is None:
            return ResultCode.PARAMETER_NO_PARTITION_ID
        partition = program.partition(partition_id)
        if partition is None:
            return ResultCode.PARTITION_NOT_FOUND
        if partition.type != partition_type:
            return ResultCode.FAILURE
        return None

    def _run(self, cmd: Command) -> None:
        """Execute a validated command now."""
        assert cmd.program_id is not None
        if cmd.kind == "start_program":
            self._cancel_playbacks()
            self.status = "playing"
            self._switch_program(cmd.program_id)
            self._start_playback("program", cmd)
        else:
            assert cmd.partition_id is not None
            target = f"partition:{cmd.partition_id}"
            self._cancel_playback(target)
            # a forced command also supersedes the playback that blocked it
            if cmd.collision == "force":
                self._cancel_blocking(cmd)
            self.partition_content.pop(cmd.partition_id, None)
            match cmd.kind:
                case "start_partition":
                    self.partition_playlists[cmd.partition_id] = cmd.playlist_id
                case "stop_partition":
                    self.partition_playlists[cmd.partition_id] = None
                case "play_media":
                    self.partition_playlists[cmd.partition_id] = None
                    self.partition_content[cmd.partition_id] = (
                        "media",
                        str(cmd.media_id),
                    )
                case _:
                    self.partition_playlists[cmd.partition_id] = None
                    self.partition_content[cmd.partition_id] = (
                        cmd.kind.removeprefix("play_"),
                        cmd.url or "",
                    )
            if cmd.kind != "stop_partition":
                self._start_playback(target, cmd)
        self.executed.append(cmd.describe())
        self._service_queue()

    def _start_playback(self, target: str, cmd: Command) -> None:
        playback = Playback(target=target, command=cmd)
        self.playbacks[target] = playback
        seconds = cmd.duration
        if cmd.kind == "play_media" and cmd.media_id is not None:
            media = self.schedule.media(cmd.media_id) if self.schedule else None
            if media is not None and media.type == "video":
                seconds = VIDEO_SECONDS  # "Playing time, not application to video."
        delay = max(seconds, 0.0) * self.time_scale
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # used outside a loop (plain unit test): no timer
            return
        playback.handle = loop.call_later(delay, self._playback_ended, playback)

    def _playback_ended(self, playback: Playback) -> None:
        if self.playbacks.get(playback.target) is not playback:
            return
        del self.playbacks[playback.target]
        cmd = playback.command
        if cmd.behavior in REVERTING_BEHAVIORS:
            if playback.target == "program":
                self._switch_program(self.scheduled_program_id)
                self.executed.append(("revert_program", self.scheduled_program_id))
            else:
                assert cmd.partition_id is not None
                default = self._default_playlist(cmd.partition_id)
                self.partition_content.pop(cmd.partition_id, None)
                self.partition_playlists[cmd.partition_id] = default
                self.executed.append(
                    ("revert_partition", cmd.program_id, cmd.partition_id, default)
                )
        self._service_queue()

    def _service_queue(self) -> None:
        """Run the queued command once nothing blocks it any more."""
        if self.queued is None or self.blocks(self.queued.command):
            return
        queued, self.queued = self.queued, None
        cmd = queued.command
        waited = time.monotonic() - queued.queued_at
        if waited >= cmd.queue_timeout * self.time_scale:
            self.executed.append(("queue_timeout", *cmd.describe()))
            return
        code = self.validate(cmd)
        if code is not None:
            self.executed.append(("queue_failed", *cmd.describe(), int(code)))
            return
        self._run(cmd)

    def _drop_queue(self) -> None:
        if self.queued is not None:
            self.executed.append(("queue_dropped", *self.queued.command.describe()))
            self.queued = None

    def _cancel_playback(self, target: str) -> None:
        playback = self.playbacks.pop(target, None)
        if playback is not None and playback.handle is not None:
            playback.handle.cancel()

    def _cancel_blocking(self, cmd: Command) -> None:
        partition_only = self.blocking_scope == BLOCKING_PARTITION
        for target in [t for t, p in self.playbacks.items() if p.blocking]:
            if partition_only and target not in ("program", _target(cmd)):
                continue
            self._cancel_playback(target)

    def _cancel_playbacks(self) -> None:
        for target in list(self.playbacks):
            self._cancel_playback(target)

    def _switch_program(self, program_id: int) -> None:
        """Show a program with its partitions on their default playlists."""
        for target in [t for t in self.playbacks if t != "program"]:
            self._cancel_playback(target)
        self.current_program_id = program_id
        self._reset_partitions()

    def _reset_partitions(self) -> None:
        self.partition_playlists = {}
        self.partition_content = {}
        program = (
            self.schedule.program(self.current_program_id) if self.schedule else None
        )
        if program is None:
            return
        for partition in program.partitions:
            if partition.type == "interaction":
                self.partition_playlists[partition.id] = partition.default_playlist_id

    def _default_playlist(self, partition_id: int) -> int | None:
        program = (
            self.schedule.program(self.current_program_id) if self.schedule else None
        )
        partition = program.partition(partition_id) if program else None
        return partition.default_playlist_id if partition else None


def _target(cmd: Command) -> str:
    """The playback slot a command plays in: "program" or "partition:<id>"."""
    if cmd.kind == "start_program":
        return "program"
    return f"partition:{cmd.partition_id}"


def _id_key(mapping_id: str) -> tuple[int, str]:
    return (int(mapping_id), "") if mapping_id.isdigit() else (1 << 62, mapping_id)


def _mapping_command(mapping: EventMapping) -> Command:
    kind = "start_program" if mapping.partition_id is None else "start_partition"
    return Command(
        kind=kind,
        program_id=mapping.program_id,
        partition_id=mapping.partition_id,
        playlist_id=mapping.playlist_id,
        behavior=mapping.behavior,
        collision=mapping.collision,
        queue_timeout=mapping.queue_timeout,
        duration=mapping.duration if mapping.duration is not None else DEFAULT_DURATION,
    )
