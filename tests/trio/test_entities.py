"""Entities, device, diagnostics, events, triggers and logbook of a simulated phone."""

from __future__ import annotations

from typing import Any

from homeassistant.components import automation
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import Event, HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automations,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.venue_av.const import DOMAIN
from custom_components.venue_av.logbook import async_describe_events
from custom_components.venue_av.trio.const import EVENT_TRIO, TRIGGER_TYPES
from simulators.trio import TrioSimulator

from ..helpers import device_id_of, entities_of
from .conftest import PASSWORD, ROOM, ROOM_MAC, WEBHOOK_ID
from .test_actions import act, poll

# Values that move by themselves (uptime, load): their presence is what is checked.
VOLATILE = {
    "sensor.room_phone_last_boot",
    "sensor.room_phone_cpu_load",
    "sensor.room_phone_memory_used",
}


def steady(entities: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    for entity_id in VOLATILE:
        assert entities[entity_id]["state"] not in (None, "unknown", "unavailable")
        entities[entity_id]["state"] = "<moves>"
    event = entities["event.room_phone_call"]
    if event["state"] != "unknown":
        event["state"] = "<when it fired>"
    return entities


async def test_entities(
    hass: HomeAssistant, room: MockConfigEntry, snapshot: SnapshotAssertion
) -> None:
    assert steady(entities_of(hass, room.entry_id)) == snapshot


async def test_entities_in_a_call(
    hass: HomeAssistant,
    room: MockConfigEntry,
    trio_sim: TrioSimulator,
    snapshot: SnapshotAssertion,
) -> None:
    trio_sim.inject_incoming(ROOM, "5551234", "Front Desk")
    await act(hass, room, "trio_answer_call")
    entities = steady(entities_of(hass, room.entry_id))
    assert entities["sensor.room_phone_call_start"]["state"] not in ("unknown", None)
    entities["sensor.room_phone_call_start"]["state"] = "<started>"
    assert entities == snapshot


async def test_device(hass: HomeAssistant, room: MockConfigEntry) -> None:
    device = dr.async_get(hass).async_get(device_id_of(hass, room.entry_id))
    assert device is not None
    assert (device.manufacturer, device.model, device.sw_version) == (
        "Polycom",
        "Trio 8800",
        "5.9.2.3446",
    )
    assert device.connections == {(dr.CONNECTION_NETWORK_MAC, "00:04:f2:89:00:01")}
    assert device.identifiers == {(DOMAIN, ROOM_MAC)}
    assert device.configuration_url == f"https://{ROOM}:18443"


async def test_diagnostics(
    hass: HomeAssistant,
    room: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
) -> None:
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, room)
    text = repr(diagnostics)
    assert PASSWORD not in text
    assert WEBHOOK_ID not in text
    statistics = diagnostics["statistics"]
    for key in ("device", "network"):
        statistics[key] = sorted(statistics[key])
    statistics["booted_at"] = "<moves>"
    statistics["info"]["uptime"] = "<moves>"
    statistics["info"]["uptime_text"] = "<moves>"
    diagnostics["entry"]["data"]["certificate_fingerprint"] = "<per run>"
    assert diagnostics == snapshot


async def test_device_triggers_fire_automations(
    hass: HomeAssistant, room: MockConfigEntry, trio_sim: TrioSimulator
) -> None:
    device_id = device_id_of(hass, room.entry_id)
    triggers = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, device_id
    )
    ours = [trigger["type"] for trigger in triggers if trigger["domain"] == DOMAIN]
    assert sorted(ours) == sorted(TRIGGER_TYPES)

    calls: list[ServiceCall] = []
    hass.services.async_register("test", "automation", calls.append)
    assert await async_setup_component(
        hass,
        automation.DOMAIN,
        {
            automation.DOMAIN: [
                {
                    "trigger": {
                        "platform": "device",
                        "domain": DOMAIN,
                        "device_id": device_id,
                        "type": kind,
                    },
                    "action": {
                        "service": "test.automation",
                        "data_template": {
                            "what": kind,
                            "who": "{{ trigger.event.data.remote_number }}",
                        },
                    },
                }
                for kind in ("incoming_call", "missed_call")
            ]
        },
    )
    trio_sim.inject_incoming(ROOM, "5550009")
    await poll(hass, room)
    trio_sim.remote_hangup(ROOM)
    await poll(hass, room)
    # Templates render numbers as numbers.
    assert [(call.data["what"], str(call.data["who"])) for call in calls] == [
        ("incoming_call", "5550009"),
        ("missed_call", "5550009"),
    ]
    state = hass.states.get("event.room_phone_call")
    assert state is not None
    assert state.attributes["event_type"] == "missed_call"
    assert state.attributes["remote_number"] == "5550009"


async def test_logbook(hass: HomeAssistant, room: MockConfigEntry) -> None:
    described: dict[str, Any] = {}

    def describe(domain: str, event_type: str, func: Any) -> None:
        described[event_type] = func

    async_describe_events(hass, describe)
    describe_fn = described[EVENT_TRIO]
    texts = [
        describe_fn(Event(EVENT_TRIO, {"type": kind, "name": "Room Phone", **extra}))[
            "message"
        ]
        for kind, extra in (
            ("incoming_call", {"remote_name": "Front Desk"}),
            ("outgoing_call", {"remote_number": "1002"}),
            ("call_answered", {"remote_name": "Front Desk"}),
            ("call_ended", {}),
            ("missed_call", {"remote_number": "5550001"}),
            ("something_new", {}),
        )
    ]
    assert texts == [
        "rang: incoming call from Front Desk",
        "called 1002",
        "call with Front Desk answered",
        "call with unknown ended",
        "missed a call from 5550001",
        "reported something_new",
    ]
