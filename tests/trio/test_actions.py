"""Every Poly Trio action against the simulated phone's state, and its errors."""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.venue_av.const import DOMAIN
from simulators.trio import TrioSimulator

from ..helpers import device_id_of
from .conftest import PASSWORD, ROOM

CALL_STATE = "sensor.room_phone_call_state"


async def poll(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """One call-state poll, as the interval would run it."""
    await entry.runtime_data.calls.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)


async def act(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    action: str,
    data: dict[str, Any] | None = None,
    *,
    response: bool = False,
) -> Any:
    result = await hass.services.async_call(
        DOMAIN,
        action,
        {ATTR_DEVICE_ID: device_id_of(hass, entry.entry_id), **(data or {})},
        blocking=True,
        return_response=response,
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    return result


def events_of(hass: HomeAssistant) -> list[Event]:
    events: list[Event] = []
    hass.bus.async_listen("venue_av_trio_event", events.append)
    return events


async def test_incoming_call_answered_held_resumed_ended(
    hass: HomeAssistant, room: MockConfigEntry, trio_sim: TrioSimulator
) -> None:
    events = events_of(hass)
    state = trio_sim.phone(ROOM)
    handle = trio_sim.inject_incoming(ROOM, "5551234", "Front Desk")
    await poll(hass, room)
    assert hass.states.get(CALL_STATE).state == "ringing"
    assert hass.states.get("binary_sensor.room_phone_ringing").state == "on"
    assert hass.states.get("sensor.room_phone_remote_party").state == "Front Desk"
    assert hass.states.get("sensor.room_phone_active_line").state == "1"

    await act(hass, room, "trio_answer_call")
    assert [call.state for call in state.calls.values()] == ["Connected"]
    assert hass.states.get(CALL_STATE).state == "connected"
    assert hass.states.get("binary_sensor.room_phone_in_call").state == "on"
    assert hass.states.get("sensor.room_phone_call_start").state != "unknown"

    await act(hass, room, "trio_hold_call")
    assert [call.state for call in state.calls.values()] == ["OnHold"]
    assert hass.states.get(CALL_STATE).state == "on_hold"
    await act(hass, room, "trio_resume_call", {"call_reference": handle})
    assert [call.state for call in state.calls.values()] == ["Connected"]

    await act(hass, room, "trio_send_dtmf", {"digits": "12*#"})
    assert next(iter(state.calls.values())).dtmf == ["12*#"]
    await act(hass, room, "trio_set_mute", {"muted": True})
    assert state.muted is True
    assert hass.states.get("switch.room_phone_mute").state == "on"

    await act(hass, room, "trio_end_call")
    assert state.calls == {}
    assert hass.states.get(CALL_STATE).state == "idle"
    assert [event.data["type"] for event in events] == [
        "incoming_call",
        "call_answered",
        "call_ended",
    ]
    assert events[0].data["remote_number"] == "5551234"
    assert events[0].data["device_id"] == device_id_of(hass, room.entry_id)


async def test_missed_rejected_ignored(
    hass: HomeAssistant, room: MockConfigEntry, trio_sim: TrioSimulator
) -> None:
    events = events_of(hass)
    trio_sim.inject_incoming(ROOM, "5550001")
    await poll(hass, room)
    trio_sim.remote_hangup(ROOM)
    await poll(hass, room)
    trio_sim.inject_incoming(ROOM, "5550002")
    await poll(hass, room)
    await act(hass, room, "trio_ignore_call")
    assert next(iter(trio_sim.phone(ROOM).calls.values())).ringing is False
    await act(hass, room, "trio_reject_call")
    assert trio_sim.phone(ROOM).calls == {}
    assert [(event.data["type"], event.data["remote_number"]) for event in events] == [
        ("incoming_call", "5550001"),
        ("missed_call", "5550001"),
        ("incoming_call", "5550002"),
        ("missed_call", "5550002"),
    ]
    assert len(trio_sim.phone(ROOM).logs["Missed"]) == 2


async def test_dial_and_transfer(
    hass: HomeAssistant, room: MockConfigEntry, trio_sim: TrioSimulator
) -> None:
    events = events_of(hass)
    await act(hass, room, "trio_dial", {"destination": "1002", "line": 1})
    (call,) = trio_sim.phone(ROOM).calls.values()
    assert (call.direction, call.remote_number) == ("Outgoing", "1002")
    await asyncio.sleep(0.1)  # the simulated far end picks up
    await poll(hass, room)
    await act(hass, room, "trio_transfer_call", {"destination": "1003"})
    assert trio_sim.phone(ROOM).actions[-1][0] == "transfer"
    assert trio_sim.phone(ROOM).calls == {}
    assert [event.data["type"] for event in events] == [
        "outgoing_call",
        "call_answered",
        "call_ended",
    ]


@pytest.mark.parametrize(
    "action",
    [
        "trio_answer_call",
        "trio_ignore_call",
        "trio_reject_call",
        "trio_end_call",
        "trio_hold_call",
        "trio_resume_call",
    ],
)
async def test_call_actions_without_a_call(
    hass: HomeAssistant, room: MockConfigEntry, action: str
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await act(hass, room, action)
    assert err.value.translation_key == "trio_no_current_call"
    assert err.value.translation_placeholders == {"name": "Room Phone"}


async def test_transfer_without_a_call(
    hass: HomeAssistant, room: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await act(hass, room, "trio_transfer_call", {"destination": "1003"})
    assert err.value.translation_key == "trio_no_current_call"


async def test_device_refusal_is_translated(
    hass: HomeAssistant, room: MockConfigEntry
) -> None:
    with pytest.raises(HomeAssistantError) as err:
        await act(hass, room, "trio_end_call", {"call_reference": "0xdeadbeef"})
    assert err.value.translation_key == "trio_call_not_found"
    assert err.value.translation_placeholders["code"] == "4007"
    assert PASSWORD not in str(err.value)


@pytest.mark.parametrize(
    ("action", "data", "key"),
    [
        ("trio_send_dtmf", {"digits": "12a"}, "trio_invalid_digits"),
        ("trio_send_dtmf", {"digits": " "}, "trio_invalid_digits"),
        ("trio_dial", {"destination": " "}, "trio_no_destination"),
        ("trio_transfer_call", {"destination": " "}, "trio_no_destination"),
        ("trio_simulate_touch", {"x": 1, "y": 2, "to_x": 3}, "trio_swipe_needs_both"),
        ("trio_set_config", {"values": {}}, "trio_no_values"),
        ("trio_get_config", {"names": []}, "trio_no_names"),
    ],
)
async def test_bad_input(
    hass: HomeAssistant,
    room: MockConfigEntry,
    action: str,
    data: dict[str, Any],
    key: str,
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await act(hass, room, action, data, response=action == "trio_get_config")
    assert err.value.translation_key == key


async def test_simulations(
    hass: HomeAssistant, room: MockConfigEntry, trio_sim: TrioSimulator
) -> None:
    await act(hass, room, "trio_simulate_key", {"key": "Home"})
    await act(hass, room, "trio_simulate_text", {"text": "Hello", "replace": True})
    await act(hass, room, "trio_simulate_touch", {"x": 10, "y": 20})
    await act(
        hass,
        room,
        "trio_simulate_touch",
        {"x": 10, "y": 20, "to_x": 300, "to_y": 20, "duration": 250},
    )
    assert trio_sim.phone(ROOM).actions == [
        ("simulateKeyEvent", {"Type": "Tap", "KeyName": "Home"}),
        ("simulateTextInput", {"Value": "Hello", "ReplaceText": "true"}),
        ("simulateTouch", {"Type": "Tap", "Positions": [{"X": "10", "Y": "20"}]}),
        (
            "simulateTouch",
            {
                "Type": "Swipe",
                "Positions": [{"X": "10", "Y": "20"}, {"X": "300", "Y": "20"}],
                "Duration": "250",
            },
        ),
    ]


async def test_getters_answer_data(
    hass: HomeAssistant, room: MockConfigEntry, trio_sim: TrioSimulator
) -> None:
    config = await act(
        hass,
        room,
        "trio_get_config",
        {"names": ["device.local.deviceName", "no.such.name"]},
        response=True,
    )
    (result,) = config["results"]
    assert result["name"] == "Room Phone"
    assert result["values"] == {"device.local.deviceName": "Room Phone"}
    assert result["invalid"] == ["no.such.name"]

    trio_sim.inject_incoming(ROOM, "5550003", "Lobby")
    trio_sim.remote_hangup(ROOM)
    logs = await act(hass, room, "trio_get_call_logs", response=True)
    (missed,) = logs["results"][0]["missed"]
    assert (missed["remote_number"], missed["kind"]) == ("5550003", "missed")

    lines = await act(hass, room, "trio_get_line_info", response=True)
    (line,) = lines["results"][0]["lines"]
    assert line["registration"] == "registered"
    assert line["label"] == "Room Phone"
    # Without a response asked for, the getters answer nothing.
    assert await act(hass, room, "trio_get_line_info") is None


async def test_admin_actions(
    hass: HomeAssistant, room: MockConfigEntry, trio_sim: TrioSimulator
) -> None:
    state = trio_sim.phone(ROOM)
    await act(hass, room, "trio_set_config", {"values": {"video.callRate": 1024}})
    assert state.config["video.callRate"][0] == "1024"
    await act(hass, room, "trio_upload_background_capture")
    await act(
        hass,
        room,
        "trio_skype_sign_in",
        {"address": "a@example.com", "user": "a", "password": "skype-secret"},
    )
    await act(hass, room, "trio_skype_sign_out")
    await act(hass, room, "trio_config_reset", {"target": "web"})
    await act(hass, room, "trio_config_reset")
    names = [name for name, _data in state.actions]
    assert names == [
        "uploadBgCapture",
        "skypeSignIn",
        "skypeSignOut",
        "configReset/web",
        "configReset",
    ]
    assert "skype-secret" not in repr(state.actions)
    await act(hass, room, "trio_factory_reset")
    assert state.actions[-1][0] == "factoryReset"


async def test_entity_targets_and_buttons(
    hass: HomeAssistant, room: MockConfigEntry, trio_sim: TrioSimulator
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "trio_simulate_key",
        {ATTR_ENTITY_ID: CALL_STATE, "key": "VolUp"},
        blocking=True,
    )
    assert trio_sim.phone(ROOM).actions[-1][1]["KeyName"] == "VolUp"
    await hass.services.async_call(
        "button",
        "press",
        {ATTR_ENTITY_ID: "button.room_phone_update_configuration"},
        blocking=True,
    )
    assert trio_sim.phone(ROOM).actions[-1][0] == "updateConfiguration"


async def test_no_target(hass: HomeAssistant, room: MockConfigEntry) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "trio_simulate_key",
            {ATTR_ENTITY_ID: "sensor.nothing", "key": "Home"},
            blocking=True,
        )
    assert err.value.translation_key == "no_target"


async def test_mute_switch(
    hass: HomeAssistant, room: MockConfigEntry, trio_sim: TrioSimulator
) -> None:
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "switch",
            "turn_on",
            {ATTR_ENTITY_ID: "switch.room_phone_mute"},
            blocking=True,
        )
    assert err.value.translation_key == "trio_call_not_found"
    trio_sim.inject_incoming(ROOM, "5550004")
    await act(hass, room, "trio_answer_call")
    await hass.services.async_call(
        "switch", "turn_on", {ATTR_ENTITY_ID: "switch.room_phone_mute"}, blocking=True
    )
    assert trio_sim.phone(ROOM).muted is True
    await hass.services.async_call(
        "switch", "turn_off", {ATTR_ENTITY_ID: "switch.room_phone_mute"}, blocking=True
    )
    assert trio_sim.phone(ROOM).muted is False
