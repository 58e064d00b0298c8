"""Polling: paging, dynamic devices, faults and recovery, an expired token."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.venue_av.const import DOMAIN
from custom_components.venue_av.telecomx.const import CONF_UNGROUPED_BOXES
from simulators.telecomx import Box, FaultMode, TelecomXSimulator
from simulators.telecomx.state import oid

from ..conftest import SetUpEntry
from .conftest import MANAGER, MakeEntry

LIST_PATH = "/iptv/device"


async def _next_poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(timedelta(seconds=61))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def _box_devices(hass: HomeAssistant, entry_id: str) -> set[str]:
    return {
        device.name or ""
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry_id)
        if device.connections
    }


@pytest.mark.parametrize("sim_options", [{"extra_boxes": 1200}])
async def test_paging_of_a_large_account(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """1,210 boxes: three pages of 500 per poll, one request per page."""
    entry = await setup_entry(
        await make_entry(
            MANAGER, groups={"Lobby": "Lobby"}, options={CONF_UNGROUPED_BOXES: False}
        )
    )
    assert len(entry.runtime_data.data.boxes) == 1210
    assert len(tx_sim.requests(LIST_PATH)) == 3
    assert _box_devices(hass, entry.entry_id) == {
        "Lobby left",
        "Lobby right",
        "Restaurant",
    }
    await _next_poll(hass, freezer)
    assert len(tx_sim.requests(LIST_PATH)) == 6
    assert all(r.params["limit"] == "500" for r in tx_sim.requests(LIST_PATH))


async def test_boxes_appear_and_disappear(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A box added in the cloud gets a device, a removed one loses it: no reload."""
    entry = await setup_entry(await make_entry(MANAGER))
    world = tx_sim.state.world
    aurora = oid("customer", 2)
    new_id = oid("device", 999)
    world.boxes[new_id] = Box(
        device_id=new_id,
        mac="00:1A:79:00:09:99",
        name="Room 301",
        customer_id=aurora,
        groups=[],
    )
    gone = tx_sim.state.box_by_name("Room 104")
    del world.boxes[gone.device_id]
    await _next_poll(hass, freezer)
    assert entry.state is ConfigEntryState.LOADED
    names = _box_devices(hass, entry.entry_id)
    assert "Room 301" in names
    assert "Room 104" not in names
    assert hass.states.get("media_player.room_301") is not None
    registry = er.async_get(hass)
    assert registry.async_get("media_player.room_104") is None
    assert hass.states.get("media_player.room_104") is None


async def test_faults_make_entities_unavailable_then_recover(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """5xx, malformed JSON and a dead cloud: unavailable, logged once, then back."""
    entry = await setup_entry(await make_entry(MANAGER))
    entity = "sensor.room_101_last_communication"
    assert hass.states.get(entity).state != STATE_UNAVAILABLE
    for mode in (FaultMode.HTTP_500, FaultMode.MALFORMED, FaultMode.DOWN):
        caplog.clear()
        tx_sim.set_fault(mode)
        await _next_poll(hass, freezer)
        assert hass.states.get(entity).state == STATE_UNAVAILABLE
        await _next_poll(hass, freezer)
        errors = [
            record
            for record in caplog.records
            if record.levelname == "ERROR" and "Hotel Aurora" in record.getMessage()
        ]
        assert len(errors) == 1
        tx_sim.set_fault(FaultMode.NONE)
        await _next_poll(hass, freezer)
        assert hass.states.get(entity).state != STATE_UNAVAILABLE
    assert entry.data["token"] not in caplog.text


async def test_expired_token_on_poll_starts_reauth(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An invalidated token: one reauth flow, no login attempt of our own."""
    entry = await setup_entry(await make_entry(MANAGER))
    logins = len(tx_sim.requests("/auth/login"))
    for record in tx_sim.state.tokens.values():
        record.valid = False
    await _next_poll(hass, freezer)
    await _next_poll(hass, freezer)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert flows[0]["context"]["entry_id"] == entry.entry_id
    assert len(tx_sim.requests("/auth/login")) == logins


async def test_setup_retries_when_cloud_is_down(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
) -> None:
    """The first poll failing: setup is retried later."""
    entry = await make_entry(MANAGER)
    tx_sim.set_fault(FaultMode.HTTP_500)
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_channel_list_failure_keeps_boxes(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    """No channel list: the boxes still load; the player has no sources."""
    tx_sim.state.world.channels.clear()
    entry = await setup_entry(await make_entry(MANAGER))
    assert entry.runtime_data.data.channels == ()
    assert hass.states.get("media_player.room_101").attributes.get("source_list") in (
        None,
        [],
    )


async def test_remove_devices(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    """Devices still in use cannot be removed by hand; stale ones can."""
    from custom_components.venue_av import async_remove_config_entry_device

    entry = await setup_entry(await make_entry(MANAGER))
    registry = dr.async_get(hass)
    devices = dr.async_entries_for_config_entry(registry, entry.entry_id)
    removable = [
        device.name
        for device in devices
        if await async_remove_config_entry_device(hass, entry, device)
    ]
    assert removable == []
    stale = registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, entry.runtime_data.box_identifier("gone"))},
    )
    assert await async_remove_config_entry_device(hass, entry, stale)
