"""Base entity of every IMM client entity."""

from __future__ import annotations

from collections.abc import Iterator

from ..entity import VenueAVEntity, device_info
from ..protocol.imm import Partition, PartitionType, Program
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
    """An entity of one partition of one program (a label, a playlist choice)."""

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
            "program": program.name,
            "partition": partition.name,
        }
