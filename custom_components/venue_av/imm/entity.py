"""Base entity of every IMM client entity."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator

from homeassistant.exceptions import HomeAssistantError

from ..entity import VenueAVEntity, device_info
from ..protocol.imm import ImmClient, Partition, PartitionType, Program
from .coordinator import ImmCoordinator

MANUFACTURER = "Advantech"


class ImmEntity(VenueAVEntity[ImmCoordinator]):
    """An entity of one IMM client; ``key`` makes its unique id."""

    def __init__(self, coordinator: ImmCoordinator, key: str) -> None:
        """Attach the entity to the client's device."""
        info = coordinator.data.info
        unique_id = f"{info.client_id}_{key}"
        coordinator.entity_unique_ids.add(unique_id)
        super().__init__(
            coordinator,
            unique_id,
            device_info(
                info.client_id,
                name=info.name or coordinator.device_name,
                manufacturer=MANUFACTURER,
                model=info.model,
                serial_number=info.client_id,
                sw_version=info.firmware,
            ),
        )


def schedule_partitions(
    coordinator: ImmCoordinator, kind: PartitionType
) -> Iterator[tuple[Program, Partition]]:
    """Every partition of ``kind`` of every program of the schedule (with ids)."""
    for program in coordinator.data.schedule.programs:
        for partition in program.partitions:
            if (
                partition.type is kind
                and program.program_id is not None
                and partition.partition_id is not None
            ):
                yield program, partition


class ImmPartitionEntity(ImmEntity):
    """An entity of one partition of one program (a label, a playlist choice).

    The player only accepts changes in the program it plays, so the entity is
    available only while its program plays; its name says which program that is
    ("Label “Ticker” of program “Events”"), which is the reason it is unavailable
    otherwise.
    """

    def __init__(
        self,
        coordinator: ImmCoordinator,
        key: str,
        program: Program,
        partition: Partition,
    ) -> None:
        """Attach the entity to ``partition`` of ``program``; named after both."""
        assert program.program_id is not None
        assert partition.partition_id is not None
        super().__init__(
            coordinator, f"{key}_{program.program_id}_{partition.partition_id}"
        )
        self._program_id = program.program_id
        self._partition_id = partition.partition_id
        self._attr_translation_placeholders = {
            "program": program.name or str(program.program_id),
            "partition": partition.name or str(partition.partition_id),
        }

    @property
    def available(self) -> bool:
        """Only the program playing takes changes: the others' controls could only fail."""
        data = self.coordinator.data
        return (
            super().available and data.playing and data.program_id == self._program_id
        )

    async def _async_send(
        self, command: Callable[[ImmClient], Awaitable[object]]
    ) -> None:
        """Send a change; on refusal show the player's value again, then report it.

        The frontend keeps what the user typed or picked until a new state arrives: a
        forced write sends the unchanged state, so the field falls back to the value
        the player really shows.
        """
        try:
            await self.coordinator.async_command(command)
        except HomeAssistantError:
            self._attr_force_update = True
            try:
                self.async_write_ha_state()
            finally:
                self._attr_force_update = False
            raise
