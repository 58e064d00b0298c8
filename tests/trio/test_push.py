"""Instant call events: the simulated phone posts its real event bodies to the webhook."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from unittest.mock import patch

from aiohttp.test_utils import TestClient
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.venue_av.const import CONF_POLL_INTERVAL, DOMAIN
from custom_components.venue_av.trio.const import CONF_PUSH, EVENT_TRIO
from custom_components.venue_av.trio.push import async_configure_push, webhook_url
from simulators.trio import TrioSimulator

from ..conftest import SetUpEntry
from .conftest import LOCAL, LOCAL_MAC, PORT, ROOM, WEBHOOK_ID, phone, trio_entry
from .test_actions import act

URL_PARAM = "apps.telNotification.URL"
# Polls so rare that only a push can explain a state change within a test.
NO_POLLING = {CONF_POLL_INTERVAL: 300, CONF_PUSH: True}


@pytest.fixture
async def local_sim(socket_enabled: None) -> AsyncIterator[TrioSimulator]:
    """A phone on 127.0.0.1, where the simulator's posts come from."""
    simulator = TrioSimulator([phone(LOCAL, LOCAL_MAC, name="Desk Phone")], port=PORT)
    async with simulator:
        yield simulator


@pytest.fixture
async def http(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> TestClient:
    """Home Assistant's HTTP server on loopback, its address the local URL."""
    # Everything that registers HTTP views first: the test server freezes its router.
    assert await async_setup_component(hass, DOMAIN, {})
    client = await hass_client_no_auth()
    hass.config.internal_url = f"http://127.0.0.1:{client.port}"
    return client


def webhook_path(entry: MockConfigEntry) -> str:
    return f"/api/webhook/{entry.data['webhook_id']}"


async def wait_for(events: list[Event], count: int) -> list[str]:
    async with asyncio.timeout(10):
        while len(events) < count:
            await asyncio.sleep(0.01)
    return [event.data["type"] for event in events]


async def test_push_sets_state_and_fires_events_at_once(
    hass: HomeAssistant,
    http: TestClient,
    local_sim: TrioSimulator,
    setup_entry: SetUpEntry,
) -> None:
    entry = await setup_entry(
        trio_entry(local_sim, LOCAL, LOCAL_MAC, title="Desk Phone", options=NO_POLLING)
    )
    state = local_sim.phone(LOCAL)
    url = state.config[URL_PARAM][0]
    assert url == f"http://127.0.0.1:{http.port}{webhook_path(entry)}"
    assert all(
        value == "1"
        for name, (value, _source) in state.config.items()
        if name.startswith("apps.telNotification.") and name != URL_PARAM
    )
    assert entry.runtime_data.push_url == url

    events: list[Event] = []
    hass.bus.async_listen(EVENT_TRIO, events.append)
    local_sim.inject_incoming(LOCAL, "5551234", "Front Desk")
    assert await wait_for(events, 1) == ["incoming_call"]
    assert events[0].data["remote_number"] == "5551234"
    assert hass.states.get("sensor.desk_phone_call_state").state == "ringing"
    assert hass.states.get("binary_sensor.desk_phone_ringing").state == "on"

    local_sim.remote_hangup(LOCAL)
    assert await wait_for(events, 2) == ["incoming_call", "missed_call"]
    assert hass.states.get("sensor.desk_phone_call_state").state == "idle"

    # A pushed event and the poll confirming it fire once, not twice.
    await entry.runtime_data.calls.async_refresh()
    await hass.async_block_till_done()
    assert len(events) == 2
    assert entry.runtime_data.calls.pushed_events >= 3


async def test_push_of_an_answered_and_held_call(
    hass: HomeAssistant,
    http: TestClient,
    local_sim: TrioSimulator,
    setup_entry: SetUpEntry,
) -> None:
    entry = await setup_entry(
        trio_entry(local_sim, LOCAL, LOCAL_MAC, title="Desk Phone", options=NO_POLLING)
    )
    events: list[Event] = []
    hass.bus.async_listen(EVENT_TRIO, events.append)
    local_sim.inject_incoming(LOCAL, "5550001")
    await wait_for(events, 1)
    await act(hass, entry, "trio_answer_call")
    await act(hass, entry, "trio_hold_call")
    assert hass.states.get("sensor.desk_phone_call_state").state == "on_hold"
    await act(hass, entry, "trio_resume_call")
    await act(hass, entry, "trio_end_call")
    assert await wait_for(events, 3) == [
        "incoming_call",
        "call_answered",
        "call_ended",
    ]
    # Line registration events (a restart unregisters) update the line sensor.
    local_sim.phone(LOCAL).registered = False
    async with asyncio.timeout(10):
        while (
            hass.states.get("binary_sensor.desk_phone_line_1_registration").state
            != "off"
        ):
            await asyncio.sleep(0.01)


async def test_webhook_refuses_strangers_and_junk(
    hass: HomeAssistant,
    http: TestClient,
    local_sim: TrioSimulator,
    trio_sim: TrioSimulator,
    setup_entry: SetUpEntry,
) -> None:
    room = await setup_entry(trio_entry(trio_sim, options=NO_POLLING))
    desk = await setup_entry(
        trio_entry(local_sim, LOCAL, LOCAL_MAC, title="Desk Phone", options=NO_POLLING)
    )
    body = (
        b"<PolycomIPPhone><CallStateChangeEvent CallReference='00000041' "
        b"CallState='Offering'><LineNumber>1</LineNumber></CallStateChangeEvent>"
        b"</PolycomIPPhone>"
    )
    # Room Phone lives on 127.0.89.1: a post from 127.0.0.1 is not from it.
    response = await http.post(webhook_path(room), data=body)
    assert response.status == 403
    assert hass.states.get("sensor.room_phone_call_state").state == "idle"

    response = await http.post(webhook_path(desk), data=b"<not xml")
    assert response.status == 400
    response = await http.post(webhook_path(desk), data=b"<a>" + b"x" * 70_000)
    assert response.status == 413
    response = await http.post(
        webhook_path(desk), data=b"<!DOCTYPE x [<!ENTITY e 'boom'>]><x>&e;</x>"
    )
    assert response.status == 400
    assert hass.states.get("sensor.desk_phone_call_state").state == "idle"
    response = await http.post(webhook_path(desk), data=body)
    assert response.status == 200
    assert hass.states.get("sensor.desk_phone_call_state").state == "ringing"


async def test_polling_alone_when_push_is_off(
    hass: HomeAssistant,
    http: TestClient,
    local_sim: TrioSimulator,
    setup_entry: SetUpEntry,
) -> None:
    entry = await setup_entry(
        trio_entry(
            local_sim,
            LOCAL,
            LOCAL_MAC,
            title="Desk Phone",
            options={CONF_POLL_INTERVAL: 2, CONF_PUSH: False},
        )
    )
    state = local_sim.phone(LOCAL)
    assert state.config[URL_PARAM][0] == ""
    assert entry.runtime_data.push_url is None
    events: list[Event] = []
    hass.bus.async_listen(EVENT_TRIO, events.append)
    local_sim.inject_incoming(LOCAL, "5550002")
    await asyncio.sleep(0.2)
    assert events == []  # nothing pushed
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=3))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert [event.data["type"] for event in events] == ["incoming_call"]
    assert entry.runtime_data.calls.update_interval.total_seconds() == 1


async def test_push_switched_off_by_option_and_on_removal(
    hass: HomeAssistant,
    http: TestClient,
    local_sim: TrioSimulator,
    setup_entry: SetUpEntry,
) -> None:
    entry = await setup_entry(
        trio_entry(local_sim, LOCAL, LOCAL_MAC, title="Desk Phone", options=NO_POLLING)
    )
    state = local_sim.phone(LOCAL)
    assert (
        WEBHOOK_ID in state.config[URL_PARAM][0]
        or entry.data["webhook_id"] in (state.config[URL_PARAM][0])
    )
    hass.config_entries.async_update_entry(
        entry, options={CONF_POLL_INTERVAL: 300, CONF_PUSH: False}
    )
    await hass.async_block_till_done()
    assert state.config[URL_PARAM][0] == ""

    hass.config_entries.async_update_entry(entry, options=NO_POLLING)
    await hass.async_block_till_done()
    assert state.config[URL_PARAM][0] != ""
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert state.config[URL_PARAM][0] == ""


async def test_no_local_url_means_polling(
    hass: HomeAssistant, local_sim: TrioSimulator, setup_entry: SetUpEntry
) -> None:
    entry = await setup_entry(
        trio_entry(
            local_sim,
            LOCAL,
            LOCAL_MAC,
            title="Desk Phone",
            options=NO_POLLING,
        )
    )
    with patch(
        "homeassistant.components.webhook.get_url", side_effect=NoURLAvailableError
    ):
        assert webhook_url(hass, "x") is None
        await async_configure_push(hass, entry)
    assert entry.runtime_data.push_url is None


async def test_phone_without_notifications(
    hass: HomeAssistant,
    http: TestClient,
    socket_enabled: None,
    setup_entry: SetUpEntry,
) -> None:
    simulator = TrioSimulator(
        [phone(LOCAL, LOCAL_MAC, knows_notification_params=False)], port=PORT
    )
    async with simulator:
        entry = await setup_entry(trio_entry(simulator, LOCAL, LOCAL_MAC))
        assert entry.runtime_data.push_url is None
        assert ROOM not in entry.data.values()
