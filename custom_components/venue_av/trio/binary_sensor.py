"""Binary sensors of a Poly Trio: ringing, in a call, each line's registration."""

from __future__ import annotations

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from ..protocol.trio import Line
from .coordinator import TrioConfigEntry, TrioCoordinator
from .entity import TrioEntity


class TrioRingingSensor(TrioEntity[TrioCoordinator], BinarySensorEntity):
    """On while an incoming call waits to be answered."""

    _attr_translation_key = "trio_ringing"

    @property
    def is_on(self) -> bool:
        """Whether a call rings."""
        return self.coordinator.data.ringing_call is not None


class TrioInCallSensor(TrioEntity[TrioCoordinator], BinarySensorEntity):
    """On while a call is dialling, connected or held."""

    _attr_translation_key = "trio_in_call"

    @property
    def is_on(self) -> bool:
        """Whether the phone is in a call."""
        return self.coordinator.data.in_call


class _TrioLineSensor(TrioEntity[TrioCoordinator], BinarySensorEntity):
    """A fact of one line."""

    _key: str

    def __init__(
        self, coordinator: TrioCoordinator, entry: TrioConfigEntry, number: int
    ) -> None:
        """One line's sensor."""
        super().__init__(coordinator, entry, f"line_{number}_{self._key}")
        self._number = number
        self._attr_translation_placeholders = {"line": str(number)}

    def _line(self) -> Line | None:
        return next(
            (
                line
                for line in self.coordinator.data.lines
                if line.line_number == self._number
            ),
            None,
        )

    @property
    def available(self) -> bool:
        """Available while the phone reports the line."""
        return super().available and self._line() is not None


class TrioLineRegistrationSensor(_TrioLineSensor):
    """Whether one line is registered with its call server."""

    _key = "registration"
    _attr_device_class = BinarySensorDeviceClass.CONNECTIVITY
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_translation_key = "trio_line_registration"

    @property
    def is_on(self) -> bool | None:
        """Whether the line is registered."""
        line = self._line()
        return None if line is None else line.registered

    @property
    def extra_state_attributes(self) -> dict[str, str | None]:
        """The line's label and address."""
        line = self._line()
        return {
            "label": line.label if line else None,
            "sip_address": line.sip_address if line else None,
        }


class TrioDoNotDisturbSensor(_TrioLineSensor):
    """Whether do-not-disturb is on for a line (where lineInfo v2 reports it)."""

    _key = "do_not_disturb"
    _attr_translation_key = "trio_do_not_disturb"

    @property
    def is_on(self) -> bool | None:
        """Whether DND is on."""
        line = self._line()
        return None if line is None else line.do_not_disturb


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TrioConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the phone's binary sensors (one registration sensor per line)."""
    calls = entry.runtime_data.calls
    lines = [line for line in calls.data.lines if line.line_number is not None]
    async_add_entities(
        [
            TrioRingingSensor(calls, entry, "ringing"),
            TrioInCallSensor(calls, entry, "in_call"),
            *(
                TrioLineRegistrationSensor(calls, entry, line.line_number)
                for line in lines
                if line.line_number is not None
            ),
            *(
                TrioDoNotDisturbSensor(calls, entry, line.line_number)
                for line in lines
                if line.line_number is not None and line.do_not_disturb is not None
            ),
        ]
    )
