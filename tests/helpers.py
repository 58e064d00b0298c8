"""Helpers shared by the Home Assistant tests."""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import async_fire_time_changed


def _plain(value: Any) -> Any:
    """JSON-plain form: enums become their values, sets sorted lists."""
    return json.loads(
        json.dumps(
            value,
            sort_keys=True,
            default=lambda item: sorted(item) if isinstance(item, set) else str(item),
        )
    )


def entities_of(hass: HomeAssistant, entry_id: str) -> dict[str, dict[str, Any]]:
    """Registry facts and state of every entity of a config entry.

    The suite runs on two Home Assistant versions whose registry-entry serialisations
    differ; this keeps only what the integration decides, so one snapshot fits both.
    """
    registry = er.async_get(hass)
    result: dict[str, dict[str, Any]] = {}
    for entry in sorted(
        er.async_entries_for_config_entry(registry, entry_id),
        key=lambda item: item.entity_id,
    ):
        state = hass.states.get(entry.entity_id)
        result[entry.entity_id] = _plain(
            {
                "unique_id": entry.unique_id,
                "translation_key": entry.translation_key,
                "original_name": entry.original_name,
                "device_class": entry.original_device_class,
                "entity_category": entry.entity_category,
                "unit_of_measurement": entry.unit_of_measurement,
                "capabilities": entry.capabilities,
                "disabled_by": entry.disabled_by,
                "state": state.state if state else None,
                "attributes": dict(state.attributes) if state else None,
            }
        )
    return result


def device_id_of(hass: HomeAssistant, entry_id: str) -> str:
    """The device of a config entry (one per entry; same call on every release)."""
    (device,) = dr.async_entries_for_config_entry(dr.async_get(hass), entry_id)
    return device.id


async def async_next_poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let time pass until every player has polled once more.

    21 s: the default 10 s interval plus the first poll's spreading offset (< 10 s).
    """
    freezer.tick(timedelta(seconds=21))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
