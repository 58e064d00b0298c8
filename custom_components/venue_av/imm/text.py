"""Text labels of an IMM client's programs."""

from __future__ import annotations

from homeassistant.components.text import TextEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from ..entity import state_text
from ..protocol.imm import Partition, PartitionType, Program
from .const import CLEARED_LABEL, MAX_LABEL_LENGTH
from .coordinator import ImmConfigEntry, ImmCoordinator
from .entity import ImmPartitionEntity, schedule_partitions


async def async_setup_entry(
    hass: HomeAssistant, entry: ImmConfigEntry, async_add_entities: AddEntitiesCallback
) -> None:
    """One text entity per label partition of each program of the schedule."""
    coordinator = entry.runtime_data
    async_add_entities(
        ImmLabel(coordinator, program, partition)
        for program, partition in schedule_partitions(coordinator, PartitionType.LABEL)
    )


class ImmLabel(ImmPartitionEntity, TextEntity):
    """A label partition's text; available while its program plays (set_label)."""

    _attr_translation_key = "label"
    _attr_native_max = MAX_LABEL_LENGTH

    def __init__(
        self, coordinator: ImmCoordinator, program: Program, partition: Partition
    ) -> None:
        """Create the text entity of ``partition`` of ``program``."""
        super().__init__(coordinator, "label", program, partition)

    @property
    def native_value(self) -> str | None:
        """The text shown now (program.xml), else the schedule's text."""
        text = self._text()
        if text is not None and not text.strip():
            return ""  # cleared (sent as CLEARED_LABEL): the field shows it empty
        # A state holds 255 characters; a longer label set elsewhere is shown cut.
        return state_text(text)

    def _text(self) -> str | None:
        data = self.coordinator.data
        if data.program is not None and data.program_id == self._program_id:
            partition = data.program.partition(self._partition_id)
            if partition is not None and partition.text is not None:
                return partition.text
        program = data.schedule.program(self._program_id)
        partition = program.partition(self._partition_id) if program else None
        return partition.text if partition else None

    async def async_set_value(self, value: str) -> None:
        """Show ``value`` in the label; an empty value clears it."""
        text = value or CLEARED_LABEL
        await self._async_send(
            lambda client: client.set_label(self._program_id, self._partition_id, text)
        )
