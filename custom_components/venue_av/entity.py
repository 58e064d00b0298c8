"""Base entity of every IMM client entity."""

from __future__ import annotations

from collections.abc import Iterator

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import ImmCoordinator
from .protocol.imm import Partition, PartitionType, Program

MANUFACTURER = "Advantech"


class ImmEntity(CoordinatorEntity[ImmCoordinator]):
    """An entity of one IMM client; ``key`` makes its unique id."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: ImmCoordinator, key: str) -> None:
        """Attach the entity to the client's device."""
        super().__init__(coordinator)
        info = coordinator.data.info
        self._attr_unique_id = f"{info.client_id}_{key}"
        coordinator.entity_unique_ids.add(self._attr_unique_id)
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, info.client_id)},
            manufacturer=MANUFACTURER,
            model=info.model or None,
            name=info.name or coordinator.device_name,
            serial_number=info.client_id,
            sw_version=info.firmware or None,
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
