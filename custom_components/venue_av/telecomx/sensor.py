"""Per box: last communication, and health samples (disabled by default)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from ..protocol.telecomx import HealthSample
from .coordinator import HealthCoordinator, TelecomXConfigEntry, TelecomXCoordinator
from .entity import Scope, TelecomXEntity, async_setup_scoped


class TelecomXLastCommunication(TelecomXEntity, SensorEntity):
    """When the box last talked to the cloud (where the cloud says)."""

    _attr_translation_key = "telecomx_last_communication"
    _attr_device_class = SensorDeviceClass.TIMESTAMP
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, coordinator: TelecomXCoordinator, scope: Scope) -> None:
        """The sensor of a box."""
        super().__init__(coordinator, scope, "last_communication")

    @property
    def native_value(self) -> datetime | None:
        """The box's ``lastComm``."""
        box = self.box
        return None if box is None else box.last_comm


@dataclass(frozen=True, kw_only=True)
class TelecomXHealthDescription(SensorEntityDescription):
    """A value of the box's latest health sample."""

    value_fn: Callable[[HealthSample], float | None]


HEALTH_SENSORS: tuple[TelecomXHealthDescription, ...] = (
    TelecomXHealthDescription(
        key="rtt",
        translation_key="telecomx_rtt",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MILLISECONDS,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda sample: sample.local_rtt,
    ),
    TelecomXHealthDescription(
        key="packet_loss",
        translation_key="telecomx_packet_loss",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda sample: sample.local_packet_loss,
    ),
    TelecomXHealthDescription(
        key="cpu_usage",
        translation_key="telecomx_cpu_usage",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda sample: sample.cpu_usage,
    ),
    TelecomXHealthDescription(
        key="free_memory",
        translation_key="telecomx_free_memory",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda sample: sample.free_memory,
    ),
)


class TelecomXHealthSensor(TelecomXEntity, SensorEntity):
    """One health value of a box: its requests are made only while it is enabled."""

    entity_description: TelecomXHealthDescription
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_entity_registry_enabled_default = False

    def __init__(
        self,
        coordinator: TelecomXCoordinator,
        scope: Scope,
        description: TelecomXHealthDescription,
    ) -> None:
        """A health sensor of a box."""
        super().__init__(coordinator, scope, f"health_{description.key}")
        self.entity_description = description
        self._health: HealthCoordinator | None = None

    async def async_added_to_hass(self) -> None:
        """Start polling the box's health (shared by its health sensors)."""
        await super().async_added_to_hass()
        assert self.scope.target_id is not None
        self._health = self.coordinator.health_of(self.scope.target_id)
        self.async_on_remove(
            self._health.async_add_listener(self._handle_coordinator_update)
        )
        if self._health.data is None:
            await self._health.async_request_refresh()

    @callback
    def _handle_coordinator_update(self) -> None:
        self.async_write_ha_state()

    @property
    def available(self) -> bool:
        """Available while the box list and its health samples are read."""
        return (
            super().available
            and self._health is not None
            and self._health.last_update_success
            and self._health.data is not None
        )

    @property
    def native_value(self) -> float | None:
        """The value of the latest sample."""
        if self._health is None or self._health.data is None:
            return None
        return self.entity_description.value_fn(self._health.data)


def _entities(coordinator: TelecomXCoordinator, scope: Scope) -> list[Entity]:
    if scope.kind != "box":
        return []
    box = coordinator.data.boxes.get(scope.target_id or "")
    entities: list[Entity] = []
    if box is not None and box.last_comm is not None:
        entities.append(TelecomXLastCommunication(coordinator, scope))
    entities.extend(
        TelecomXHealthSensor(coordinator, scope, description)
        for description in HEALTH_SENSORS
    )
    return entities


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TelecomXConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the box sensors."""
    async_setup_scoped(entry, async_add_entities, _entities)
