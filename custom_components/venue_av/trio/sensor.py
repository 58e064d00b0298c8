"""Sensors of a Poly Trio: the call (state, remote party, start, line), diagnostics."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfInformation
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from ..entity import state_text
from ..protocol.trio import Call, CallState
from .coordinator import (
    TrioConfigEntry,
    TrioCoordinator,
    TrioStats,
    TrioStatsCoordinator,
)
from .entity import TrioEntity

CALL_STATE_IDLE = "idle"
CALL_STATE_DIALING = "dialing"
CALL_STATE_RINGING = "ringing"
CALL_STATE_CONNECTED = "connected"
CALL_STATE_ON_HOLD = "on_hold"
CALL_STATE_OTHER = "other"
CALL_STATES = [
    CALL_STATE_IDLE,
    CALL_STATE_DIALING,
    CALL_STATE_RINGING,
    CALL_STATE_CONNECTED,
    CALL_STATE_ON_HOLD,
    CALL_STATE_OTHER,
]
_DIALING = frozenset(
    {
        CallState.DIALTONE,
        CallState.DIALING,
        CallState.SETUP,
        CallState.PROCEEDING,
        CallState.RINGBACK,
    }
)
_CONNECTED = frozenset(
    {CallState.CONNECTED, CallState.CONFERENCE, CallState.CALL_REMOTE_ACTIVE}
)


def call_state_of(call: Call | None) -> str:
    """The few states a dashboard shows for the phone's current call."""
    if call is None:
        return CALL_STATE_IDLE
    if call.state.ringing_in:
        return CALL_STATE_RINGING
    if call.state in _DIALING:
        return CALL_STATE_DIALING
    if call.state in _CONNECTED:
        return CALL_STATE_CONNECTED
    if call.state.on_hold:
        return CALL_STATE_ON_HOLD
    return CALL_STATE_OTHER


class TrioCallStateSensor(TrioEntity[TrioCoordinator], SensorEntity):
    """The state of the phone's current call (idle without one)."""

    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = CALL_STATES
    _attr_translation_key = "trio_call_state"

    @property
    def native_value(self) -> str:
        """The current call's state."""
        return call_state_of(self.coordinator.data.current_call)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The phone's own words for the state, and the number of calls."""
        call = self.coordinator.data.current_call
        return {
            "phone_state": state_text(call.state_text) if call else None,
            "direction": call.direction.value if call else None,
            "calls": len(self.coordinator.data.calls),
        }


class TrioRemotePartySensor(TrioEntity[TrioCoordinator], SensorEntity):
    """Who the current call is with: name, else number."""

    _attr_translation_key = "trio_remote_party"

    @property
    def native_value(self) -> str | None:
        """The remote party's name or number."""
        call = self.coordinator.data.current_call
        if call is None:
            return None
        return state_text(call.remote_name or call.remote_number or None)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Name and number separately."""
        call = self.coordinator.data.current_call
        return {
            "remote_name": call.remote_name if call else None,
            "remote_number": call.remote_number if call else None,
        }


class TrioCallStartSensor(TrioEntity[TrioCoordinator], SensorEntity):
    """When the current call started (a timestamp; the UI counts up from it)."""

    _attr_device_class = SensorDeviceClass.TIMESTAMP
    _attr_translation_key = "trio_call_start"

    @property
    def native_value(self) -> datetime | None:
        """The start of the current call."""
        call = self.coordinator.data.current_call
        return None if call is None else self.coordinator.call_started(call)


class TrioActiveLineSensor(TrioEntity[TrioCoordinator], SensorEntity):
    """The line of the current call."""

    _attr_translation_key = "trio_active_line"

    @property
    def native_value(self) -> int | None:
        """The line number."""
        call = self.coordinator.data.current_call
        return None if call is None else call.line


@dataclass(frozen=True, kw_only=True)
class TrioStatsSensorDescription(SensorEntityDescription):
    """A diagnostic sensor read from the slow statistics."""

    value_fn: Callable[[TrioStats], Any]


STATS_SENSORS: tuple[TrioStatsSensorDescription, ...] = (
    TrioStatsSensorDescription(
        key="firmware",
        translation_key="trio_firmware",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda stats: state_text(stats.info.firmware or None),
    ),
    TrioStatsSensorDescription(
        key="last_boot",
        translation_key="trio_last_boot",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda stats: stats.booted_at,
    ),
    TrioStatsSensorDescription(
        key="cpu",
        translation_key="trio_cpu",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda stats: stats.device.cpu_average if stats.device else None,
    ),
    TrioStatsSensorDescription(
        key="memory_used",
        translation_key="trio_memory_used",
        device_class=SensorDeviceClass.DATA_SIZE,
        native_unit_of_measurement=UnitOfInformation.BYTES,
        suggested_unit_of_measurement=UnitOfInformation.MEBIBYTES,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda stats: stats.device.memory_used if stats.device else None,
    ),
    TrioStatsSensorDescription(
        key="memory_free",
        translation_key="trio_memory_free",
        device_class=SensorDeviceClass.DATA_SIZE,
        native_unit_of_measurement=UnitOfInformation.BYTES,
        suggested_unit_of_measurement=UnitOfInformation.MEBIBYTES,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda stats: stats.device.memory_free if stats.device else None,
    ),
    # Packet counters change on every poll: noisy, so off until someone wants them.
    TrioStatsSensorDescription(
        key="rx_packets",
        translation_key="trio_rx_packets",
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda stats: stats.network.rx_packets if stats.network else None,
    ),
    TrioStatsSensorDescription(
        key="tx_packets",
        translation_key="trio_tx_packets",
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda stats: stats.network.tx_packets if stats.network else None,
    ),
)


class TrioStatsSensor(TrioEntity[TrioStatsCoordinator], SensorEntity):
    """A diagnostic sensor of the phone."""

    entity_description: TrioStatsSensorDescription

    def __init__(
        self,
        coordinator: TrioStatsCoordinator,
        entry: TrioConfigEntry,
        description: TrioStatsSensorDescription,
    ) -> None:
        """Describe the sensor."""
        super().__init__(coordinator, entry, description.key)
        self.entity_description = description

    @property
    def native_value(self) -> Any:
        """The statistic's value."""
        return self.entity_description.value_fn(self.coordinator.data)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TrioConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the phone's sensors."""
    runtime = entry.runtime_data
    calls = runtime.calls
    async_add_entities(
        [
            TrioCallStateSensor(calls, entry, "call_state"),
            TrioRemotePartySensor(calls, entry, "remote_party"),
            TrioCallStartSensor(calls, entry, "call_start"),
            TrioActiveLineSensor(calls, entry, "active_line"),
            *(
                TrioStatsSensor(runtime.stats, entry, description)
                for description in STATS_SENSORS
            ),
        ]
    )
