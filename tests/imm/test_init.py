"""Setup, unload, unavailability and recovery of IMM players."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.venue_av.const import DOMAIN
from simulators.imm import FaultMode, ImmSimulator

from ..helpers import async_next_poll
from .conftest import LOBBY_HOST

PLAYER = "media_player.lobby"


async def test_setup_and_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The player loads with its entities and unloads cleanly."""
    assert init_integration.state is ConfigEntryState.LOADED
    state = hass.states.get(PLAYER)
    assert state is not None
    assert state.state == "playing"
    assert state.attributes["source"] == "Program"

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.NOT_LOADED


async def test_not_ready_while_down(
    hass: HomeAssistant, imm_sim: ImmSimulator, mock_config_entry: MockConfigEntry
) -> None:
    """An unreachable player is retried later, not failed."""
    imm_sim.set_fault(FaultMode.DOWN)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_unavailable_and_recovery(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    imm_sim: ImmSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Faults make entities unavailable; the player recovers by itself."""
    for fault in (
        FaultMode.DOWN,
        FaultMode.HTTP_500,
        FaultMode.MALFORMED,
        FaultMode.OVERSIZED,
    ):
        imm_sim.set_fault(fault, host=LOBBY_HOST)
        await async_next_poll(hass, freezer)
        assert hass.states.get(PLAYER).state == STATE_UNAVAILABLE, fault
        assert hass.states.get("binary_sensor.lobby_connectivity").state == "off"

        imm_sim.set_fault(FaultMode.NONE)
        await async_next_poll(hass, freezer)
        assert hass.states.get(PLAYER).state == "playing", fault
        assert hass.states.get("binary_sensor.lobby_connectivity").state == "on"


async def test_wrong_key_starts_reauth(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    imm_sim: ImmSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A key changed on the player starts the reauth flow."""
    imm_sim.client(LOBBY_HOST).key = "4321"
    await async_next_poll(hass, freezer)

    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    assert flows[0]["context"]["entry_id"] == init_integration.entry_id


async def test_interaction_disabled_raises_repair(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    imm_sim: ImmSimulator,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Interaction switched off on the player: a repair issue, gone once it is back."""
    imm_sim.client(LOBBY_HOST).interaction_enabled = False
    await async_next_poll(hass, freezer)
    issue_id = f"interaction_disabled_{init_integration.entry_id}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    assert hass.states.get(PLAYER).state == STATE_UNAVAILABLE

    imm_sim.client(LOBBY_HOST).interaction_enabled = True
    await async_next_poll(hass, freezer)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert hass.states.get(PLAYER).state == "playing"


async def test_polls_are_spread(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The first poll comes late by a per-entry share of the interval, then regular."""
    coordinator = init_integration.runtime_data
    first = coordinator.update_interval
    assert coordinator.poll_interval < first < 2 * coordinator.poll_interval
    await async_next_poll(hass, freezer)
    assert coordinator.update_interval == coordinator.poll_interval


async def test_repair_goes_with_the_entry(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    imm_sim: ImmSimulator,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A repair about a player does not outlive the player's entry."""
    imm_sim.client(LOBBY_HOST).interaction_enabled = False
    await async_next_poll(hass, freezer)
    issue_id = f"interaction_disabled_{init_integration.entry_id}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
