"""Bulk onboarding: "Add all N players found" with one interaction key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from homeassistant.config_entries import (
    SOURCE_IGNORE,
    SOURCE_REAUTH,
    SOURCE_USER,
    ConfigEntryState,
)
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.venue_av.const import CONF_KIND, DOMAIN, KIND_IMM
from custom_components.venue_av.imm.config_flow import SOURCE_IMM_BULK_ADD
from custom_components.venue_av.imm.const import CONF_CLIENT_ID, CONF_INTERACTION_KEY
from custom_components.venue_av.imm.discovery import (
    DATA_DISCOVERY_SETTINGS,
    DiscoverySettings,
)
from simulators.imm import FaultMode, ImmSimulator

from ..conftest import allow_loopback
from .conftest import HTTP_PORT, PROBE_PORT, imm_entry

FIRST_HOST = "127.0.78.1"
KEY = "0000"
OTHER_KEY = "4321"


def _discover(hass: HomeAssistant, sim: ImmSimulator) -> None:
    """Point discovery at every simulated player."""
    hass.data[DATA_DISCOVERY_SETTINGS] = DiscoverySettings(
        broadcast=False, targets=tuple(sim.hosts), probe_port=PROBE_PORT
    )


async def _sim(count: int, first_host: str = FIRST_HOST) -> ImmSimulator:
    sim = ImmSimulator.many(
        count,
        first_host=first_host,
        http_port=HTTP_PORT,
        udp_port=PROBE_PORT,
        time_scale=0.02,
    )
    allow_loopback(*sim.hosts)
    return sim


@pytest.fixture
async def five(
    hass: HomeAssistant, socket_enabled: None
) -> AsyncIterator[ImmSimulator]:
    """Five simulated players ("IMM Client 1".."5") that discovery finds."""
    sim = await _sim(5)
    _discover(hass, sim)
    async with sim:
        yield sim


async def _discovery_step(hass: HomeAssistant) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": KIND_IMM}
    )
    assert result["step_id"] == "imm"
    return result


async def _add_all(hass: HomeAssistant) -> dict[str, Any]:
    """Open the discovery step and choose "Add all"; returns the key form."""
    result = await _discovery_step(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client": "all"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "imm_bulk"
    return result


def _label(sim: ImmSimulator, index: int) -> str:
    """The summary's label of player ``index`` (1-based)."""
    return f"IMM Client {index} ({sim.hosts[index - 1]})"


def _entries(hass: HomeAssistant) -> dict[str, Any]:
    return {
        entry.unique_id: entry for entry in hass.config_entries.async_entries(DOMAIN)
    }


async def test_add_all_players(hass: HomeAssistant, five: ImmSimulator) -> None:
    """One key adds every player; each is its own entry and device, set up.

    Player 2 has another key (added, then Home Assistant asks its key), player 4 stops
    answering after the probe, player 5 has interaction disabled (both not added).
    """
    result = await _discovery_step(hass)
    assert result["description_placeholders"] == {"count": "5"}
    options = [
        option["value"]
        for option in result["data_schema"].schema["client"].config["options"]
    ]
    assert options == [
        *(f"0011AABB{index:04X}" for index in range(1, 6)),
        "all",
        "manual",
    ]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client": "all"}
    )
    assert result["step_id"] == "imm_bulk"
    assert result["description_placeholders"] == {"count": "5"}
    five.client(five.hosts[1]).key = OTHER_KEY
    five.set_fault(FaultMode.DOWN, host=five.hosts[3])
    five.client(five.hosts[4]).interaction_enabled = False

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_INTERACTION_KEY: KEY}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "imm_bulk_done"
    assert result["description_placeholders"] == {
        "total": "5",
        "added_count": "2",
        "added": f"{_label(five, 1)}, {_label(five, 3)}",
        "key_rejected_count": "1",
        "key_rejected": _label(five, 2),
        "unreachable_count": "1",
        "unreachable": _label(five, 4),
        "interaction_disabled_count": "1",
        "interaction_disabled": _label(five, 5),
        "already_configured_count": "0",
        "already_configured": "—",
    }

    entries = _entries(hass)
    assert sorted(entries) == ["0011AABB0001", "0011AABB0002", "0011AABB0003"]
    for index in (1, 2, 3):
        entry = entries[f"0011AABB{index:04X}"]
        # Exactly what a single add stores.
        assert entry.title == f"IMM Client {index}"
        assert entry.source == SOURCE_IMM_BULK_ADD
        assert dict(entry.data) == {
            CONF_KIND: KIND_IMM,
            CONF_HOST: five.hosts[index - 1],
            CONF_PORT: HTTP_PORT,
            CONF_INTERACTION_KEY: KEY,
            CONF_CLIENT_ID: f"0011AABB{index:04X}",
        }
    added = [entries["0011AABB0001"], entries["0011AABB0003"]]
    assert [entry.state for entry in added] == [ConfigEntryState.LOADED] * 2
    devices = dr.async_get(hass)
    for entry in added:
        assert len(dr.async_entries_for_config_entry(devices, entry.entry_id)) == 1

    # The player with its own key waits for it in a reauthentication flow.
    rejected = entries["0011AABB0002"]
    assert rejected.state is ConfigEntryState.SETUP_ERROR
    [flow] = rejected.async_get_active_flows(hass, {SOURCE_REAUTH})
    assert flow["step_id"] == "reauth_confirm"
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_INTERACTION_KEY: OTHER_KEY}
    )
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert rejected.state is ConfigEntryState.LOADED
    assert rejected.data[CONF_INTERACTION_KEY] == OTHER_KEY


async def test_key_nobody_accepts_adds_nothing(
    hass: HomeAssistant, five: ImmSimulator
) -> None:
    """A key every player rejects is taken for a typo: the form asks again."""
    result = await _add_all(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_INTERACTION_KEY: OTHER_KEY}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "imm_bulk"
    assert result["errors"] == {CONF_INTERACTION_KEY: "imm_bulk_key_rejected_by_all"}
    assert _entries(hass) == {}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_INTERACTION_KEY: KEY}
    )
    await hass.async_block_till_done()
    assert result["reason"] == "imm_bulk_done"
    assert result["description_placeholders"]["added_count"] == "5"
    assert result["description_placeholders"]["key_rejected"] == "—"
    assert len(_entries(hass)) == 5


async def test_player_configured_meanwhile_is_left_alone(
    hass: HomeAssistant, five: ImmSimulator
) -> None:
    """A player added by another flow while the form was open keeps its entry."""
    result = await _add_all(hass)
    meanwhile = imm_entry(five.hosts[2], "0011AABB0003", "Kept")
    meanwhile.add_to_hass(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_INTERACTION_KEY: KEY}
    )
    await hass.async_block_till_done()
    assert result["description_placeholders"]["added_count"] == "4"
    assert result["description_placeholders"]["already_configured"] == _label(five, 3)
    assert _entries(hass)["0011AABB0003"] is meanwhile
    assert meanwhile.title == "Kept"
    assert len(_entries(hass)) == 5


async def test_ignored_player_is_left_out(
    hass: HomeAssistant, five: ImmSimulator
) -> None:
    """An ignored player is still listed, but "Add all" does not add it."""
    ignored = MockConfigEntry(
        domain=DOMAIN, source=SOURCE_IGNORE, unique_id="0011AABB0005", data={}
    )
    ignored.add_to_hass(hass)
    result = await _discovery_step(hass)
    assert result["description_placeholders"] == {"count": "5"}
    options = result["data_schema"].schema["client"].config["options"]
    assert "0011AABB0005" in [option["value"] for option in options]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client": "all"}
    )
    assert result["description_placeholders"] == {"count": "4"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_INTERACTION_KEY: KEY}
    )
    await hass.async_block_till_done()
    assert result["description_placeholders"]["total"] == "4"
    assert result["description_placeholders"]["added_count"] == "4"
    assert _entries(hass)["0011AABB0005"] is ignored
    assert ignored.source == SOURCE_IGNORE
    assert len(_entries(hass)) == 5


async def test_single_player_found_offers_no_bulk_add(
    hass: HomeAssistant, socket_enabled: None
) -> None:
    """With one player found there is nothing to add in bulk; picking it still works."""
    sim = await _sim(1)
    _discover(hass, sim)
    async with sim:
        result = await _discovery_step(hass)
        options = result["data_schema"].schema["client"].config["options"]
        assert [option["value"] for option in options] == ["0011AABB0001", "manual"]
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"client": "0011AABB0001"}
        )
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_INTERACTION_KEY: KEY}
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        assert result["result"].source == SOURCE_USER
        await hass.async_block_till_done()


async def test_two_hundred_players_in_one_pass(
    hass: HomeAssistant, socket_enabled: None
) -> None:
    """200 players (127.0.80.1 onwards): one submit, 200 entries set up."""
    sim = await _sim(200, first_host="127.0.80.1")
    _discover(hass, sim)
    async with sim:
        result = await _add_all(hass)
        assert result["description_placeholders"] == {"count": "200"}
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_INTERACTION_KEY: KEY}
        )
        await hass.async_block_till_done()
        assert result["reason"] == "imm_bulk_done"
        assert result["description_placeholders"]["added_count"] == "200"
        entries = hass.config_entries.async_entries(DOMAIN)
        assert len(entries) == 200
        assert {entry.state for entry in entries} == {ConfigEntryState.LOADED}
        assert len(dr.async_get(hass).devices) == 200
        for entry in entries:
            await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
