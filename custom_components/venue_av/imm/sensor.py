"""Sensors of IMM clients: status, schedule, program, storage, server links, sensor outputs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfInformation
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.util import slugify

from ..const import DOMAIN
from ..entity import state_text
from ..protocol.imm import ClientStatus, MqttStatus, ServerStatus
from .coordinator import ImmConfigEntry, ImmCoordinator, ImmData
from .entity import ImmEntity

_UNITS = {
    "B": UnitOfInformation.BYTES,
    "KB": UnitOfInformation.KILOBYTES,
    "MB": UnitOfInformation.MEGABYTES,
    "GB": UnitOfInformation.GIGABYTES,
    "TB": UnitOfInformation.TERABYTES,
}


@dataclass(frozen=True, kw_only=True)
class ImmSensorEntityDescription(SensorEntityDescription):
    """Describes an IMM sensor."""

    value_fn: Callable[[ImmData], str | float | None]
    unit_fn: Callable[[ImmData], str | None] | None = None


def _enum_options(
    enum: type[ClientStatus] | type[ServerStatus] | type[MqttStatus],
) -> list[str]:
    return [member.value for member in enum]


SENSORS: tuple[ImmSensorEntityDescription, ...] = (
    ImmSensorEntityDescription(
        key="status",
        translation_key="status",
        device_class=SensorDeviceClass.ENUM,
        options=_enum_options(ClientStatus),
        value_fn=lambda data: data.info.status.value,
    ),
    ImmSensorEntityDescription(
        key="schedule",
        translation_key="schedule",
        value_fn=lambda data: state_text(data.info.schedule) or None,
    ),
    ImmSensorEntityDescription(
        key="program",
        translation_key="program",
        value_fn=lambda data: (
            state_text(data.program.name if data.program else data.info.program) or None
        ),
    ),
    ImmSensorEntityDescription(
        key="free_space",
        translation_key="free_space",
        device_class=SensorDeviceClass.DATA_SIZE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        suggested_display_precision=2,
        value_fn=lambda data: (
            data.info.free_space.value if data.info.free_space else None
        ),
        unit_fn=lambda data: (
            _UNITS.get(data.info.free_space.unit) if data.info.free_space else None
        ),
    ),
    ImmSensorEntityDescription(
        key="server_status",
        translation_key="server_status",
        device_class=SensorDeviceClass.ENUM,
        options=_enum_options(ServerStatus),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.info.server_status.value,
    ),
    ImmSensorEntityDescription(
        key="mqtt_status",
        translation_key="mqtt_status",
        # Of interest to whoever runs the SignageCMS server, not to the venue.
        entity_registry_enabled_default=False,
        device_class=SensorDeviceClass.ENUM,
        options=_enum_options(MqttStatus),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.info.mqtt_status.value,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant, entry: ImmConfigEntry, async_add_entities: AddEntitiesCallback
) -> None:
    """Set up the sensors of an IMM client, and follow its pushed sensor outputs."""
    coordinator = entry.runtime_data
    async_add_entities(ImmSensor(coordinator, description) for description in SENSORS)

    # One sensor per pushed sensor output; they come and go with the outputs.
    known: set[tuple[str, str]] = set()

    @callback
    def _async_sync_outputs() -> None:
        # After a failed poll the coordinator keeps the last data: outputs stay put.
        # Keyed like the unique ids: "Face Age" and "face_age" are one entity.
        current = {
            (slugify(item.sensor), slugify(item.output)): (item.sensor, item.output)
            for item in coordinator.data.sensors
        }
        if new := current.keys() - known:
            known.update(new)
            async_add_entities(
                ImmSensorOutput(coordinator, *current[key]) for key in sorted(new)
            )
        if gone := known - current.keys():
            registry = er.async_get(hass)
            for key in gone:
                known.discard(key)
                unique_id = ImmSensorOutput.unique_id_for(coordinator, *key)
                if entity_id := registry.async_get_entity_id(
                    "sensor", DOMAIN, unique_id
                ):
                    registry.async_remove(entity_id)

    _async_sync_outputs()
    entry.async_on_unload(coordinator.async_add_listener(_async_sync_outputs))


class ImmSensor(ImmEntity, SensorEntity):
    """A sensor of an IMM client's status."""

    entity_description: ImmSensorEntityDescription

    def __init__(
        self, coordinator: ImmCoordinator, description: ImmSensorEntityDescription
    ) -> None:
        """Create the sensor for ``description``."""
        super().__init__(coordinator, description.key)
        self.entity_description = description

    @property
    def native_value(self) -> str | float | None:
        """The sensor's value."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def native_unit_of_measurement(self) -> str | None:
        """The unit the client reports the value in (free space: "GB", "TB"...)."""
        if self.entity_description.unit_fn is not None:
            return self.entity_description.unit_fn(self.coordinator.data)
        return super().native_unit_of_measurement


class ImmSensorOutput(ImmEntity, SensorEntity):
    """A sensor output value pushed to the client (e.g. face / age)."""

    _attr_translation_key = "sensor_output"

    def __init__(self, coordinator: ImmCoordinator, sensor: str, output: str) -> None:
        """Create the entity of output ``output`` of sensor ``sensor``."""
        super().__init__(coordinator, self.key_for(sensor, output))
        self._key = (slugify(sensor), slugify(output))
        self._attr_translation_placeholders = {"sensor": sensor, "output": output}

    @staticmethod
    def key_for(sensor: str, output: str) -> str:
        """Unique id suffix of one output's entity."""
        return f"sensor_{slugify(sensor)}_{slugify(output)}"

    @classmethod
    def unique_id_for(
        cls, coordinator: ImmCoordinator, sensor: str, output: str
    ) -> str:
        """Unique id of the entity of one output (to remove it when it disappears)."""
        return f"{coordinator.data.info.client_id}_{cls.key_for(sensor, output)}"

    @property
    def native_value(self) -> str | None:
        """The value last pushed."""
        for item in self.coordinator.data.sensors:
            if (slugify(item.sensor), slugify(item.output)) == self._key:
                return state_text(item.value)
        return None
