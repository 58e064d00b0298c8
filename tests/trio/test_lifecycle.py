"""Faults, recovery, repairs, reauth, unload and many actions at once on one phone."""

from __future__ import annotations

import asyncio

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.venue_av.const import DOMAIN
from custom_components.venue_av.trio.const import CONF_FINGERPRINT
from simulators.trio import FaultMode, TrioSimulator

from ..conftest import SetUpEntry
from ..helpers import device_id_of
from .conftest import PASSWORD, ROOM, trio_entry
from .test_actions import poll

CALL_STATE = "sensor.room_phone_call_state"


def issue(
    hass: HomeAssistant, entry: MockConfigEntry, name: str
) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"trio_{name}_{entry.entry_id}")


@pytest.mark.parametrize(
    "fault", [FaultMode.DOWN, FaultMode.HTTP_500, FaultMode.MALFORMED]
)
async def test_fault_unavailable_logged_once_then_recovers(
    hass: HomeAssistant,
    room: MockConfigEntry,
    trio_sim: TrioSimulator,
    fault: FaultMode,
    caplog: pytest.LogCaptureFixture,
) -> None:
    trio_sim.set_fault(fault, ROOM)
    await poll(hass, room)
    await poll(hass, room)
    assert hass.states.get(CALL_STATE).state == "unavailable"
    assert caplog.text.count("Error fetching") == 1
    assert PASSWORD not in caplog.text
    trio_sim.set_fault(FaultMode.NONE, ROOM)
    await poll(hass, room)
    assert hass.states.get(CALL_STATE).state == "idle"
    assert (
        caplog.text.count("Fetching venue_av trio 127.0.89.1 calls data recovered") == 1
    )


async def test_changed_certificate_raises_a_repair_until_reconfigured(
    hass: HomeAssistant, room: MockConfigEntry, trio_sim: TrioSimulator
) -> None:
    new = await trio_sim.new_certificate(ROOM)
    await poll(hass, room)
    assert hass.states.get(CALL_STATE).state == "unavailable"
    found = issue(hass, room, "certificate_changed")
    assert found is not None
    assert found.translation_key == "trio_certificate_changed"
    assert found.translation_placeholders == {"name": "Room Phone", "host": ROOM}
    # Reconfigure trusts the new certificate; the reloaded entry is fine again.
    hass.config_entries.async_update_entry(
        room, data={**room.data, CONF_FINGERPRINT: new}
    )
    await hass.async_block_till_done()
    assert room.state is ConfigEntryState.LOADED
    assert hass.states.get(CALL_STATE).state == "idle"
    assert issue(hass, room, "certificate_changed") is None


@pytest.mark.parametrize(
    ("setting", "name"),
    [("rest_enabled", "rest_api_disabled"), ("default_password", "default_password")],
)
async def test_repairs_for_a_phone_that_refuses(
    hass: HomeAssistant,
    room: MockConfigEntry,
    trio_sim: TrioSimulator,
    setting: str,
    name: str,
) -> None:
    state = trio_sim.phone(ROOM)
    original = getattr(state, setting)
    setattr(state, setting, not original)
    await poll(hass, room)
    assert hass.states.get(CALL_STATE).state == "unavailable"
    assert issue(hass, room, name) is not None
    setattr(state, setting, original)
    await poll(hass, room)
    assert hass.states.get(CALL_STATE).state == "idle"
    assert issue(hass, room, name) is None


async def test_repair_at_setup_and_removed_on_unload(
    hass: HomeAssistant, trio_sim: TrioSimulator, setup_entry: SetUpEntry
) -> None:
    trio_sim.phone(ROOM).rest_enabled = False
    entry = trio_entry(trio_sim)
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert issue(hass, entry, "rest_api_disabled") is not None
    trio_sim.phone(ROOM).rest_enabled = True
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert issue(hass, entry, "rest_api_disabled") is None
    trio_sim.phone(ROOM).default_password = True
    await poll(hass, entry)
    assert issue(hass, entry, "default_password") is not None
    await hass.config_entries.async_unload(entry.entry_id)
    assert issue(hass, entry, "default_password") is None


async def test_rejected_password_starts_reauth(
    hass: HomeAssistant, room: MockConfigEntry, trio_sim: TrioSimulator
) -> None:
    trio_sim.phone(ROOM).spec.password = "Changed-Elsewhere-3"
    await poll(hass, room)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    assert flows[0]["step_id"] == "trio_reauth_confirm"


async def test_hundred_actions_at_once(
    hass: HomeAssistant, room: MockConfigEntry, trio_sim: TrioSimulator
) -> None:
    """The phone answers 403 to overlapping requests; the client's lock avoids any."""
    device_id = device_id_of(hass, room.entry_id)
    results = await asyncio.gather(
        *(
            hass.services.async_call(
                DOMAIN,
                "trio_simulate_key",
                {ATTR_DEVICE_ID: device_id, "key": f"Dialpad{n % 10}"},
                blocking=True,
            )
            for n in range(100)
        ),
        poll(hass, room),
        return_exceptions=True,
    )
    assert [result for result in results if isinstance(result, BaseException)] == []
    keys = [
        data["KeyName"]
        for name, data in trio_sim.phone(ROOM).actions
        if name == "simulateKeyEvent"
    ]
    assert len(keys) == 100
    assert sorted(keys) == sorted(f"Dialpad{n % 10}" for n in range(100))
    assert [r for r in trio_sim.requests(ROOM) if r.status == 403] == []
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(CALL_STATE).state == "idle"


async def test_polls_skip_rather_than_queue(
    hass: HomeAssistant, room: MockConfigEntry, trio_sim: TrioSimulator
) -> None:
    """Polls meeting a running poll skip it and catch up once afterwards."""
    calls = room.runtime_data.calls
    before = len(trio_sim.requests(ROOM))
    await asyncio.gather(*(calls.async_refresh() for _ in range(10)))
    await hass.async_block_till_done(wait_background_tasks=True)
    polled = [
        record.path
        for record in trio_sim.requests(ROOM)[before:]
        if "callStatus" in record.path
    ]
    assert len(polled) == 2  # the first poll and one catch-up


async def test_restart_button_phone_comes_back(
    hass: HomeAssistant, room: MockConfigEntry, trio_sim: TrioSimulator
) -> None:
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.room_phone_restart"}, blocking=True
    )
    async with asyncio.timeout(10):
        while trio_sim.phone(ROOM).restarts == 0:
            await asyncio.sleep(0.05)
    await poll(hass, room)
    assert hass.states.get(CALL_STATE).state == "idle"
