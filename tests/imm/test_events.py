"""Bus events, device triggers, logbook texts and diagnostics of a player."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import automation
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import Event, HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
import pytest
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
from custom_components.venue_av.imm.const import EVENT_IMM, IMM_EVENT_TYPES
from custom_components.venue_av.logbook import async_describe_events
from simulators.imm import ImmSimulator

from ..helpers import async_next_poll, device_id_of
from .conftest import LOBBY_HOST

pytestmark = pytest.mark.usefixtures("init_integration")


def _device_id(hass: HomeAssistant) -> str:
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    return device_id_of(hass, entry.entry_id)


async def test_change_events(
    hass: HomeAssistant, imm_sim: ImmSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """Program changes and playback start/stop seen by polling become events."""
    events: list[Event] = []
    hass.bus.async_listen(EVENT_IMM, events.append)
    client = imm_sim.client(LOBBY_HOST)

    client.status = "standby"
    await async_next_poll(hass, freezer)
    client.status = "playing"
    await async_next_poll(hass, freezer)
    await hass.services.async_call(
        DOMAIN,
        "start_program",
        {"device_id": _device_id(hass), "program": "Events"},
        blocking=True,
    )
    await hass.async_block_till_done()

    assert [event.data["type"] for event in events] == [
        "playback_stopped",
        "playback_started",
        "program_changed",
    ]
    changed = events[-1].data
    assert changed["program"] == "Events"
    assert changed["program_id"] == 54
    assert changed["previous_program_id"] == 35
    assert changed["device_id"] == _device_id(hass)
    assert changed["name"] == "Lobby"


async def test_device_triggers(hass: HomeAssistant) -> None:
    """Every player offers the four triggers, and they fire automations."""
    device_id = _device_id(hass)
    triggers = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, device_id
    )
    ours = [trigger["type"] for trigger in triggers if trigger["domain"] == DOMAIN]
    assert sorted(ours) == sorted(IMM_EVENT_TYPES)

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
                        "type": "event_mapping_triggered",
                    },
                    "action": {
                        "service": "test.automation",
                        "data_template": {
                            "mapping": "{{ trigger.event.data.mapping_id }}"
                        },
                    },
                }
            ]
        },
    )
    await hass.services.async_call(
        DOMAIN,
        "push_sensor",
        {"device_id": device_id, "sensor": "rfid", "output": "id", "value": "001"},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert [call.data["mapping"] for call in calls] == [13]


async def test_logbook(hass: HomeAssistant) -> None:
    """Each event type reads as a sentence in the logbook."""
    described: dict = {}

    def describe(domain: str, event_type: str, func) -> None:
        described[event_type] = func

    async_describe_events(hass, describe)
    describe_fn = described[EVENT_IMM]
    texts = [
        describe_fn(Event(EVENT_IMM, {"type": kind, "name": "Lobby", **extra}))[
            "message"
        ]
        for kind, extra in (
            ("program_changed", {"program": "Events"}),
            ("playback_started", {}),
            ("playback_stopped", {}),
            ("event_mapping_triggered", {"event": "Young Man", "result": "Success"}),
            ("something_new", {}),
        )
    ]
    assert texts == [
        "switched to program Events",
        "started playing",
        "stopped playing",
        "triggered Young Man (Success)",
        "reported something_new",
    ]


async def test_diagnostics(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
) -> None:
    """Diagnostics carry everything the poll saw, and no key."""
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )
    assert diagnostics["entry"]["data"]["interaction_key"] == "**REDACTED**"
    assert "0000" not in str(diagnostics["entry"])
    assert diagnostics == snapshot
