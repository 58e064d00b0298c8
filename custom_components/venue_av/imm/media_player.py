"""The media player of an IMM client: programs as sources, the schedule as media library."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from homeassistant.components import media_source
from homeassistant.components.media_player import (
    BrowseError,
    BrowseMedia,
    MediaClass,
    MediaPlayerEntity,
    MediaPlayerEntityFeature,
    MediaPlayerState,
    MediaType,
    async_process_play_media_url,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from ..const import DOMAIN
from ..protocol.imm import (
    ImmClient,
    ImmError,
    Media,
    MediaType as ImmMediaType,
    Partition,
    PartitionType,
    Playlist,
    Program,
)
from .coordinator import ImmConfigEntry, ImmCoordinator
from .entity import ImmEntity
from .services import available_names

CONTENT_ROOT = "imm"
CONTENT_PROGRAM = "program"
CONTENT_PARTITION = "partition"
CONTENT_PLAYLIST = "playlist"
CONTENT_MEDIA = "media"
CONTENT_WEB = "web"

_YOUTUBE_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com")
_STREAM_SCHEMES = ("rtsp", "rtsps", "rtmp", "rtmps", "udp", "rtp", "mms", "srt", "hls")
_MEDIA_CLASS = {
    ImmMediaType.VIDEO: MediaClass.VIDEO,
    ImmMediaType.IMAGE: MediaClass.IMAGE,
    ImmMediaType.WEB: MediaClass.URL,
    ImmMediaType.HTML: MediaClass.URL,
    ImmMediaType.FLASH: MediaClass.APP,
}


async def async_setup_entry(
    hass: HomeAssistant, entry: ImmConfigEntry, async_add_entities: AddEntitiesCallback
) -> None:
    """Set up the media player of an IMM client."""
    async_add_entities([ImmMediaPlayer(entry.runtime_data)])


def _content_id(*parts: object) -> str:
    return "/".join([CONTENT_ROOT, *(str(part) for part in parts)])


def _is_youtube(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == name or host.endswith(f".{name}") for name in _YOUTUBE_HOSTS)


class ImmMediaPlayer(ImmEntity, MediaPlayerEntity):
    """An IMM signage player."""

    _attr_name = None
    _attr_translation_key = "player"
    _attr_media_image_remotely_accessible = False
    _attr_supported_features = (
        MediaPlayerEntityFeature.PLAY
        | MediaPlayerEntityFeature.STOP
        | MediaPlayerEntityFeature.SELECT_SOURCE
        | MediaPlayerEntityFeature.PLAY_MEDIA
        | MediaPlayerEntityFeature.BROWSE_MEDIA
    )

    def __init__(self, coordinator: ImmCoordinator) -> None:
        """Create the player of ``coordinator``'s client."""
        super().__init__(coordinator, "player")

    # -- state ------------------------------------------------------------------

    @property
    def state(self) -> MediaPlayerState:
        """Playing, or idle in standby."""
        return (
            MediaPlayerState.PLAYING
            if self.coordinator.data.playing
            else MediaPlayerState.IDLE
        )

    @property
    def _program(self) -> Program | None:
        data = self.coordinator.data
        return data.program if data.playing else None

    @property
    def source_list(self) -> list[str]:
        """The programs of the schedule."""
        return [
            self._source_name(program)
            for program in self.coordinator.data.schedule.programs
        ]

    @property
    def source(self) -> str | None:
        """The program playing."""
        if (program := self._program) is None:
            return None
        scheduled = self.coordinator.data.scheduled_program(program.program_id)
        return self._source_name(scheduled or program)

    def _source_name(self, program: Program) -> str:
        # Two programs may share a name; their ids tell them apart.
        programs = self.coordinator.data.schedule.programs
        if sum(1 for item in programs if item.name == program.name) > 1:
            return f"{program.name} ({program.program_id})"
        return program.name

    @property
    def media_title(self) -> str | None:
        """The program playing."""
        return self._program.name if self._program else None

    @property
    def media_content_id(self) -> str | None:
        """Content id of the program playing (browsable)."""
        program = self._program
        return _content_id(program.program_id) if program else None

    @property
    def media_content_type(self) -> str | None:
        """Programs are the player's content."""
        return CONTENT_PROGRAM if self._program else None

    @property
    def media_image_hash(self) -> str | None:
        """Changes with the program, so browsers fetch the new preview."""
        program = self._program
        return (
            f"{program.program_id}"
            if program and program.program_id is not None
            else None
        )

    async def async_get_media_image(self) -> tuple[bytes | None, str | None]:
        """The program preview, fetched through Home Assistant (no device URL exposed)."""
        program = self._program
        if program is None or program.program_id is None:
            return None, None
        try:
            return await self.coordinator.client.program_preview(
                program.program_id
            ), "image/jpeg"
        except ImmError:
            return None, None

    # -- commands ---------------------------------------------------------------

    async def async_media_play(self) -> None:
        """Start playing."""
        await self.coordinator.async_command(ImmClient.play)

    async def async_media_stop(self) -> None:
        """Stop playing."""
        await self.coordinator.async_command(ImmClient.stop)

    async def async_select_source(self, source: str) -> None:
        """Start the program named ``source``."""
        program_id = next(
            (
                program.program_id
                for program in self.coordinator.data.schedule.programs
                if self._source_name(program) == source
            ),
            None,
        )
        if program_id is not None:
            await self.coordinator.async_command(
                lambda client: client.start_program(program_id)
            )
            return
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_program",
            translation_placeholders={
                "name": self.coordinator.device_name,
                "program": source,
                "programs": available_names(
                    (program.program_id, program.name)
                    for program in self.coordinator.data.schedule.programs
                ),
            },
        )

    async def async_play_media(
        self, media_type: MediaType | str, media_id: str, **kwargs: Any
    ) -> None:
        """Play a program, playlist or media of the schedule, or a URL."""
        if media_source.is_media_source_id(media_id):
            item = await media_source.async_resolve_media(
                self.hass, media_id, self.entity_id
            )
            await self._play_url(
                async_process_play_media_url(self.hass, item.url), stream=True
            )
            return
        if media_id.startswith(f"{CONTENT_ROOT}/"):
            await self._play_content(media_id)
            return
        stream = media_type in (MediaType.VIDEO, MediaType.MUSIC, MediaType.CHANNEL)
        await self._play_url(media_id, stream=stream)

    async def _play_url(self, url: str, *, stream: bool) -> None:
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https", *_STREAM_SCHEMES):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unsupported_media",
                translation_placeholders={"media": url},
            )
        program_id, partition_id = self._main_partition()
        if _is_youtube(url):
            await self.coordinator.async_command(
                lambda client: client.play_youtube(program_id, partition_id, url)
            )
        elif stream or scheme in _STREAM_SCHEMES:
            await self.coordinator.async_command(
                lambda client: client.play_stream(program_id, partition_id, url)
            )
        else:
            await self.coordinator.async_command(
                lambda client: client.play_web(program_id, partition_id, url)
            )

    def _main_partition(self) -> tuple[int, int]:
        """The playing program's major interaction partition: where URLs play."""
        data = self.coordinator.data
        program = data.scheduled_program(data.program_id) if data.playing else None
        partitions = (
            [] if program is None else program.partitions_of(PartitionType.INTERACTION)
        )
        if program is None or program.program_id is None or not partitions:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="no_interaction_partition",
                translation_placeholders={"name": self.coordinator.device_name},
            )
        assert partitions[0].partition_id is not None
        return program.program_id, partitions[0].partition_id

    async def _play_content(self, content_id: str) -> None:
        # imm/<program>[/<partition>/<kind>/<value>]; a web value is a URL with slashes.
        parts = content_id.split("/", 4)
        try:
            program_id = int(parts[1])
            if len(parts) == 2:
                await self.coordinator.async_command(
                    lambda client: client.start_program(program_id)
                )
                return
            partition_id = int(parts[2])
            kind, value = parts[3], parts[4]
            if kind == CONTENT_PLAYLIST:
                playlist_id = int(value)
                await self.coordinator.async_command(
                    lambda client: client.start_partition(
                        program_id, partition_id, playlist_id
                    )
                )
                return
            if kind == CONTENT_MEDIA:
                media_id = int(value)
                await self.coordinator.async_command(
                    lambda client: client.play_media(program_id, partition_id, media_id)
                )
                return
            if kind == CONTENT_WEB:
                await self.coordinator.async_command(
                    lambda client: client.play_web(program_id, partition_id, value)
                )
                return
        except (IndexError, ValueError):
            pass
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unsupported_media",
            translation_placeholders={"media": content_id},
        )

    # -- browsing ---------------------------------------------------------------

    async def async_browse_media(
        self,
        media_content_type: MediaType | str | None = None,
        media_content_id: str | None = None,
    ) -> BrowseMedia:
        """Browse programs → partitions → playlists → media of the schedule."""
        schedule = self.coordinator.data.schedule
        if media_content_id in (None, CONTENT_ROOT):
            return BrowseMedia(
                media_class=MediaClass.DIRECTORY,
                media_content_id=CONTENT_ROOT,
                media_content_type=CONTENT_ROOT,
                title=schedule.name or self.coordinator.device_name,
                can_play=False,
                can_expand=True,
                children=[self._program_node(program) for program in schedule.programs],
                children_media_class=MediaClass.VIDEO,
            )
        parts = media_content_id.split("/")
        try:
            program = schedule.program(int(parts[1]))
            if program is not None and len(parts) == 2:
                return self._program_node(program, with_children=True)
            partition = (
                program.partition(int(parts[2])) if program is not None else None
            )
            if program is not None and partition is not None and len(parts) == 3:
                return self._partition_node(program, partition, with_children=True)
            if (
                program is not None
                and partition is not None
                and parts[3] == CONTENT_PLAYLIST
            ):
                playlist = partition.playlist(int(parts[4]))
                if playlist is not None:
                    return self._playlist_node(
                        program, partition, playlist, with_children=True
                    )
        except (IndexError, ValueError):
            pass
        raise BrowseError(
            translation_domain=DOMAIN,
            translation_key="unknown_browse_media",
            translation_placeholders={"media": media_content_id},
        )

    def _program_node(
        self, program: Program, *, with_children: bool = False
    ) -> BrowseMedia:
        partitions = program.partitions_of(PartitionType.INTERACTION)
        return BrowseMedia(
            media_class=MediaClass.VIDEO,
            media_content_id=_content_id(program.program_id),
            media_content_type=CONTENT_PROGRAM,
            title=program.name,
            can_play=True,
            can_expand=bool(partitions),
            thumbnail=self.get_browse_image_url(
                CONTENT_PROGRAM, str(program.program_id)
            ),
            children=[self._partition_node(program, item) for item in partitions]
            if with_children
            else None,
        )

    def _partition_node(
        self, program: Program, partition: Partition, *, with_children: bool = False
    ) -> BrowseMedia:
        return BrowseMedia(
            media_class=MediaClass.DIRECTORY,
            media_content_id=_content_id(program.program_id, partition.partition_id),
            media_content_type=CONTENT_PARTITION,
            title=partition.name,
            can_play=False,
            can_expand=True,
            children=[
                self._playlist_node(program, partition, playlist)
                for playlist in partition.playlists
            ]
            if with_children
            else None,
        )

    def _playlist_node(
        self,
        program: Program,
        partition: Partition,
        playlist: Playlist,
        *,
        with_children: bool = False,
    ) -> BrowseMedia:
        return BrowseMedia(
            media_class=MediaClass.PLAYLIST,
            media_content_id=_content_id(
                program.program_id,
                partition.partition_id,
                CONTENT_PLAYLIST,
                playlist.playlist_id,
            ),
            media_content_type=CONTENT_PLAYLIST,
            title=playlist.name,
            can_play=True,
            can_expand=True,
            children=[
                self._media_node(program, partition, media) for media in playlist.media
            ]
            if with_children
            else None,
        )

    def _media_node(
        self, program: Program, partition: Partition, media: Media
    ) -> BrowseMedia:
        if media.media_id is None:
            content_id = _content_id(
                program.program_id, partition.partition_id, CONTENT_WEB, media.content
            )
        else:
            content_id = _content_id(
                program.program_id,
                partition.partition_id,
                CONTENT_MEDIA,
                media.media_id,
            )
        return BrowseMedia(
            media_class=_MEDIA_CLASS.get(media.type, MediaClass.VIDEO),
            media_content_id=content_id,
            media_content_type=CONTENT_MEDIA,
            title=media.name or media.content,
            can_play=True,
            can_expand=False,
            thumbnail=self.get_browse_image_url(
                CONTENT_MEDIA, content_id, str(media.media_id)
            )
            if media.has_preview
            else None,
        )

    async def async_get_browse_image(
        self,
        media_content_type: MediaType | str,
        media_content_id: str,
        media_image_id: str | None = None,
    ) -> tuple[bytes | None, str | None]:
        """Previews of programs and media, proxied so the browser never sees the device."""
        client = self.coordinator.client
        try:
            if media_content_type == CONTENT_PROGRAM:
                return await client.program_preview(int(media_content_id)), "image/jpeg"
            if media_content_type == CONTENT_MEDIA and media_image_id:
                return await client.media_preview(int(media_image_id)), "image/jpeg"
        except (ImmError, ValueError):
            pass
        return None, None
