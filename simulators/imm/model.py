"""Schedule and event-script model of a simulated IMM / SignageCMS client.

The default content mirrors the examples of the IMM Client API specification
(``/interaction/schedule.xml`` and ``/interaction/eventscript.xml``), extended
with a third program so that the event-script example has a real target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

MediaType = Literal["image", "video", "web", "html", "flash"]
PartitionType = Literal["interaction", "label"]

#: Media types that have a preview (``/interaction/media/<id>.jpg``).
PREVIEW_MEDIA_TYPES: frozenset[str] = frozenset({"video", "image"})


@dataclass(slots=True)
class Media:
    """One media item of a playlist; web media has no id."""

    id: int | None
    name: str
    type: MediaType
    content: str


@dataclass(slots=True)
class Playlist:
    """A playlist of an interaction partition."""

    id: int
    name: str
    media: list[Media] = field(default_factory=list)


@dataclass(slots=True)
class Partition:
    """A play area of a program: an interaction partition or a text label."""

    id: int
    name: str
    type: PartitionType
    position: str
    major: bool = False
    default_playlist_id: int | None = None
    text: str = ""
    playlists: list[Playlist] = field(default_factory=list)

    def playlist(self, playlist_id: int) -> Playlist | None:
        """Return the playlist with this id, if any."""
        return next((p for p in self.playlists if p.id == playlist_id), None)


@dataclass(slots=True)
class Program:
    """A program (layout) of the schedule."""

    id: int
    name: str
    position: str
    partitions: list[Partition] = field(default_factory=list)

    def partition(self, partition_id: int) -> Partition | None:
        """Return the partition with this id, if any."""
        return next((p for p in self.partitions if p.id == partition_id), None)

    @property
    def has_interaction_partition(self) -> bool:
        """Whether the program has at least one interaction partition."""
        return any(p.type == "interaction" for p in self.partitions)


@dataclass(slots=True)
class Schedule:
    """The schedule published by the client."""

    name: str
    activation_time: str
    creation_time: str
    programs: list[Program] = field(default_factory=list)

    def program(self, program_id: int) -> Program | None:
        """Return the program with this id, if any."""
        return next((p for p in self.programs if p.id == program_id), None)

    def media(self, media_id: int) -> Media | None:
        """Return the media item with this id anywhere in the schedule."""
        for program in self.programs:
            for partition in program.partitions:
                for playlist in partition.playlists:
                    for media in playlist.media:
                        if media.id == media_id:
                            return media
        return None


@dataclass(slots=True)
class SensorCondition:
    """One ``<sensor name output op value/>`` condition of an event."""

    name: str
    output: str
    op: str
    value: str


@dataclass(slots=True)
class Event:
    """The condition set of an event mapping."""

    name: str
    sensors: list[SensorCondition] = field(default_factory=list)
    logic_concat: str | None = None  # None: attribute omitted, meaning "and"


@dataclass(slots=True)
class EventMapping:
    """Maps an event to a start_program / start_partition action."""

    id: str
    priority: int
    program_id: int
    event: Event
    partition_id: int | None = None
    playlist_id: int | None = None
    behavior: str = "repeat"
    collision: str = "ignore"
    queue_timeout: float = 5.0
    duration: float | None = None


@dataclass(slots=True)
class EventScript:
    """The event script published by the client."""

    name: str
    mappings: list[EventMapping] = field(default_factory=list)


#: Program played by the schedule (what ``start_schedule`` returns to).
DEFAULT_SCHEDULED_PROGRAM_ID = 35


def default_schedule() -> Schedule:
    """Return a fresh copy of the default schedule."""
    return Schedule(
        name="Venue Day",
        activation_time="2024-05-01 08:00",
        creation_time="2024-04-30 17:12:45",
        programs=[
            Program(id=13, name="PDF", position="0,0,1920,1080"),
            Program(
                id=35,
                name="Program",
                position="0,0,1920,1080",
                partitions=[
                    Partition(
                        id=1,
                        name="interaction_1",
                        type="interaction",
                        major=True,
                        default_playlist_id=2,
                        position="0,0,500,600",
                        playlists=[
                            Playlist(
                                id=1,
                                name="Playlist_1",
                                media=[
                                    Media(403, "CF0.mp4", "video", "00000403.mp4"),
                                    Media(442, "IM0.jpg", "image", "00000442.jpg"),
                                    Media(422, "SWF0.swf", "flash", "00000422.swf"),
                                    Media(None, "", "web", "http://www.google.com/"),
                                ],
                            ),
                            Playlist(
                                id=2,
                                name="Playlist_2",
                                media=[
                                    Media(225, "CF1.mp4", "video", "00000225.mp4"),
                                    Media(452, "IM1.jpg", "image", "00000452.jpg"),
                                    Media(423, "SWF1.swf", "flash", "00000423.swf"),
                                    Media(None, "", "web", "http://www.mobile01.com/"),
                                ],
                            ),
                        ],
                    ),
                    Partition(
                        id=2,
                        name="TEX BLOCK",
                        type="label",
                        text="TEXT",
                        position="0,800,60,200",
                    ),
                ],
            ),
            Program(
                id=54,
                name="Events",
                position="0,0,1920,1080",
                partitions=[
                    Partition(
                        id=1,
                        name="interaction_1",
                        type="interaction",
                        major=True,
                        default_playlist_id=1,
                        position="0,0,1920,880",
                        playlists=[
                            Playlist(
                                id=1,
                                name="Idle",
                                media=[
                                    Media(501, "Idle.mp4", "video", "00000501.mp4"),
                                    Media(502, "Welcome.jpg", "image", "00000502.jpg"),
                                ],
                            ),
                            Playlist(
                                id=2,
                                name="RFID_001",
                                media=[
                                    Media(503, "Card001.mp4", "video", "00000503.mp4"),
                                    Media(504, "Card001.jpg", "image", "00000504.jpg"),
                                ],
                            ),
                            Playlist(
                                id=3,
                                name="RFID_002",
                                media=[
                                    Media(505, "Card002.mp4", "video", "00000505.mp4"),
                                    Media(506, "Promo.swf", "flash", "00000506.swf"),
                                    Media(None, "", "web", "http://www.example.com/"),
                                ],
                            ),
                        ],
                    ),
                    Partition(
                        id=2,
                        name="Ticker",
                        type="label",
                        text="Welcome",
                        position="0,880,1920,200",
                    ),
                    Partition(
                        id=3,
                        name="interaction_2",
                        type="interaction",
                        major=False,
                        default_playlist_id=4,
                        position="1420,0,500,880",
                        playlists=[
                            Playlist(
                                id=4,
                                name="Side",
                                media=[
                                    Media(507, "Side.jpg", "image", "00000507.jpg"),
                                    Media(508, "Side.mp4", "video", "00000508.mp4"),
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    )


def default_event_script() -> EventScript:
    """Return a fresh copy of the default event script.

    Same shape as the specification example, but pointing at programs that
    exist in :func:`default_schedule`.
    """

    def cond(name: str, output: str, op: str, value: str) -> SensorCondition:
        return SensorCondition(name=name, output=output, op=op, value=value)

    return EventScript(
        name="MyEventScript",
        mappings=[
            EventMapping(
                id="11",
                priority=3,
                program_id=13,
                behavior="repeat",
                collision="queue",
                queue_timeout=10,
                event=Event(
                    name="Young Man",
                    logic_concat="and",
                    sensors=[
                        cond("face", "gender", "eq", "male"),
                        cond("face", "age", "lt", "30"),
                    ],
                ),
            ),
            EventMapping(
                id="12",
                priority=1,
                program_id=35,
                behavior="exactly_once",
                collision="queue",
                queue_timeout=10,
                event=Event(
                    name="Young Woman",
                    logic_concat="and",
                    sensors=[
                        cond("face", "gender", "eq", "female"),
                        cond("face", "age", "lt", "30"),
                    ],
                ),
            ),
            EventMapping(
                id="13",
                priority=2,
                program_id=54,
                partition_id=1,
                playlist_id=2,
                behavior="exactly_once",
                collision="queue",
                queue_timeout=10,
                event=Event(
                    name="EVENT NAME 1", sensors=[cond("rfid", "id", "eq", "001")]
                ),
            ),
            EventMapping(
                id="14",
                priority=4,
                program_id=54,
                partition_id=1,
                playlist_id=3,
                behavior="exactly_once",
                collision="queue",
                queue_timeout=10,
                event=Event(
                    name="EVENT NAME 2", sensors=[cond("rfid", "id", "eq", "002")]
                ),
            ),
            EventMapping(
                id="15",
                priority=5,
                program_id=54,
                behavior="at_most_once",
                collision="force",
                queue_timeout=5,
                event=Event(
                    name="Crowd",
                    logic_concat="or",
                    sensors=[
                        cond("counter", "people", "ge", "10"),
                        cond("door", "state", "eq", "open"),
                    ],
                ),
            ),
        ],
    )
