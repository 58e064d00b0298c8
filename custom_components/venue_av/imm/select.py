"""Playlist choice of each interaction partition of an IMM client's programs."""

from __future__ import annotations

from homeassistant.components.select import SelectEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from ..const import MAX_STATE_LENGTH
from ..entity import state_text
from ..protocol.imm import Partition, PartitionType, Playlist, Program
from .coordinator import ImmConfigEntry, ImmCoordinator
from .entity import ImmPartitionEntity, schedule_partitions


async def async_setup_entry(
    hass: HomeAssistant, entry: ImmConfigEntry, async_add_entities: AddEntitiesCallback
) -> None:
    """One select per interaction partition of each program of the schedule."""
    coordinator = entry.runtime_data
    async_add_entities(
        ImmPlaylistSelect(coordinator, program, partition)
        for program, partition in schedule_partitions(
            coordinator, PartitionType.INTERACTION
        )
        if partition.playlists
    )


def _option(playlist: Playlist, playlists: tuple[Playlist, ...]) -> str:
    """The option of a playlist: its name, with its id where names repeat.

    An option becomes the state, so it fits a state's 255 characters.
    """
    if sum(1 for item in playlists if item.name == playlist.name) > 1:
        suffix = f" ({playlist.playlist_id})"
        return f"{playlist.name[: MAX_STATE_LENGTH - len(suffix)]}{suffix}"
    return state_text(playlist.name) or ""


class ImmPlaylistSelect(ImmPartitionEntity, SelectEntity):
    """The playlist of one partition; choosing one starts it (start_partition)."""

    def __init__(
        self, coordinator: ImmCoordinator, program: Program, partition: Partition
    ) -> None:
        """Create the select of ``partition`` of ``program``."""
        super().__init__(coordinator, "playlist", program, partition)
        # The main play area is named by its role; other areas by their names.
        main = program.partitions_of(PartitionType.INTERACTION)[0]
        self._attr_translation_key = (
            "playlist"
            if main.partition_id == partition.partition_id
            else "area_playlist"
        )
        self._playlists = {
            _option(item, partition.playlists): item for item in partition.playlists
        }
        self._default = partition.default_playlist_id
        self._attr_options = list(self._playlists)

    @property
    def current_option(self) -> str | None:
        """The playlist playing (the default one until the player names one)."""
        data = self.coordinator.data
        playlist_id = self._default
        if (
            data.playing
            and data.program_id == self._program_id
            and data.program is not None
        ):
            partition = data.program.partition(self._partition_id)
            if partition is not None and partition.current_playlist_id is not None:
                playlist_id = partition.current_playlist_id
        return next(
            (
                name
                for name, item in self._playlists.items()
                if item.playlist_id == playlist_id
            ),
            None,
        )

    async def async_select_option(self, option: str) -> None:
        """Start the chosen playlist."""
        playlist_id = self._playlists[option].playlist_id
        assert playlist_id is not None
        await self._async_send(
            lambda client: client.start_partition(
                self._program_id, self._partition_id, playlist_id
            )
        )
