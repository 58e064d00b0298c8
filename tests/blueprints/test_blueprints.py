"""The example blueprints, loaded by Home Assistant and driven by their triggers.

Each blueprint under ``blueprints/automation/venue_av/`` becomes an automation in the
test Home Assistant (the blueprint folder pointed at the repository's), its trigger
fires, and the simulators show that the actions reached the devices.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
import contextlib
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.components.blueprint import models
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar, device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulators.imm import ImmSimulator
from simulators.telecomx import TelecomXSimulator

from ..conftest import SetUpEntry
from ..helpers import device_id_of
from ..telecomx.conftest import HOTEL_GROUPS, MakeEntry

BLUEPRINTS = Path(__file__).resolve().parents[2] / "blueprints"


@contextlib.contextmanager
def repository_blueprints() -> Iterator[None]:
    """Home Assistant reads blueprints from the repository's folder."""
    with patch.object(
        models.DomainBlueprints,
        "blueprint_folder",
        property(lambda self: BLUEPRINTS / self.domain),
    ):
        yield


async def _automation(hass: HomeAssistant, path: str, inputs: dict[str, Any]) -> None:
    with repository_blueprints():
        assert await async_setup_component(
            hass,
            "automation",
            {
                "automation": {
                    "id": path,
                    "use_blueprint": {"path": f"venue_av/{path}", "input": inputs},
                }
            },
        )
        await hass.async_block_till_done()
    assert hass.states.async_entity_ids("automation"), "the blueprint did not load"


def _imm_actions(sim: ImmSimulator, action: str) -> list[dict[str, str]]:
    return [
        record.params
        for record in sim.request_log
        if record.path == "/interaction/action" and record.params.get("type") == action
    ]


def _tx_actions(sim: TelecomXSimulator) -> list[str]:
    return [
        record.path for record in sim.request_log if record.path.endswith("/action")
    ]


async def _until(predicate: Callable[[], object]) -> None:
    """Let the automation run until ``predicate`` holds.

    ``async_block_till_done`` would wait for the automation's whole run, which waits
    for the call to end.
    """
    for _ in range(500):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the automation did not get there")


def _into_area(hass: HomeAssistant, device_id: str, area_id: str) -> None:
    dr.async_get(hass).async_update_device(device_id, area_id=area_id)


async def test_sensor_value_to_signage(
    hass: HomeAssistant,
    imm_sim: ImmSimulator,
    mock_config_entry: MockConfigEntry,
    setup_entry: SetUpEntry,
) -> None:
    entry = await setup_entry(mock_config_entry)
    await _automation(
        hass,
        "sensor_to_signage.yaml",
        {
            "source": "sensor.free_tables",
            "players": {"device_id": device_id_of(hass, entry.entry_id)},
            "sensor_name": "face",
            "output_name": "age",
        },
    )
    imm_sim.request_log.clear()

    hass.states.async_set("sensor.free_tables", "35")
    await hass.async_block_till_done()
    hass.states.async_set("sensor.free_tables", "unavailable")
    await hass.async_block_till_done()

    pushes = _imm_actions(imm_sim, "sensor")
    assert [(p["name"], p["output"], p["value"]) for p in pushes] == [
        ("face", "age", "35")
    ]


async def _hotel(
    hass: HomeAssistant,
    setup_entry: SetUpEntry,
    mock_config_entry: MockConfigEntry,
    make_entry: MakeEntry,
) -> str:
    """The Lobby player and the Lobby TV group in the area "Lobby"; its id."""
    player = await setup_entry(mock_config_entry)
    account = await setup_entry(await make_entry(groups=HOTEL_GROUPS))
    area = ar.async_get(hass).async_get_or_create("Lobby")
    _into_area(hass, device_id_of(hass, player.entry_id), area.id)
    lobby_tvs = next(
        device
        for device in dr.async_entries_for_config_entry(
            dr.async_get(hass), account.entry_id
        )
        if device.name == "Lobby"
    )
    _into_area(hass, lobby_tvs.id, area.id)
    return area.id


async def test_incoming_call_pauses_signage_and_tells_the_tvs(
    hass: HomeAssistant,
    imm_sim: ImmSimulator,
    tx_sim: TelecomXSimulator,
    mock_config_entry: MockConfigEntry,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    area_id = await _hotel(hass, setup_entry, mock_config_entry, make_entry)
    phone = "front-desk-phone"  # the device id the phone's events carry
    await _automation(
        hass,
        "call_pauses_signage.yaml",
        {"phone": phone, "area": area_id, "message": "Call at the desk"},
    )
    imm_sim.request_log.clear()
    tx_sim.request_log.clear()

    hass.bus.async_fire(
        "venue_av_trio_event", {"device_id": phone, "type": "incoming_call"}
    )
    await _until(lambda: _tx_actions(tx_sim))

    assert _imm_actions(imm_sim, "stop")
    assert _tx_actions(tx_sim) == ["/iptv/device/action"]  # one group action
    assert not _imm_actions(imm_sim, "start_schedule")

    def call_ended() -> bool:
        # Fired until the run has got to waiting for it (the TV message may still
        # be on its way when the first one fires).
        hass.bus.async_fire(
            "venue_av_trio_event", {"device_id": phone, "type": "call_ended"}
        )
        return bool(_imm_actions(imm_sim, "start_schedule"))

    await _until(call_ended)
    await hass.async_block_till_done()


async def test_message_on_every_screen_of_an_area(
    hass: HomeAssistant,
    imm_sim: ImmSimulator,
    tx_sim: TelecomXSimulator,
    mock_config_entry: MockConfigEntry,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    area_id = await _hotel(hass, setup_entry, mock_config_entry, make_entry)
    await _automation(
        hass,
        "scheduled_message.yaml",
        {"at": "12:00:00", "area": area_id, "message": "Lunch is served"},
    )
    imm_sim.request_log.clear()
    tx_sim.request_log.clear()

    (automation,) = hass.states.async_entity_ids("automation")
    # The time trigger's moment, reached at once.
    await hass.services.async_call(
        "automation", "trigger", {"entity_id": automation}, blocking=True
    )
    await hass.async_block_till_done()

    assert _tx_actions(tx_sim) == ["/iptv/device/action"]
    labels = _imm_actions(imm_sim, "set_label")
    assert [label.get("text") for label in labels] == ["Lunch is served"]
