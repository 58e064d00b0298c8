"""Config, reauth, reconfigure and options flows of IMM players, against the simulator."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import (
    SOURCE_IGNORE,
    SOURCE_INTEGRATION_DISCOVERY,
    SOURCE_USER,
    ConfigEntryState,
)
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import pytest_socket

from custom_components.venue_av.const import (
    CONF_KIND,
    CONF_POLL_INTERVAL,
    DOMAIN,
    KIND_IMM,
)
from custom_components.venue_av.imm.const import (
    CONF_CLIENT_ID,
    CONF_DISCOVERY_TARGETS,
    CONF_INTERACTION_KEY,
)
from custom_components.venue_av.imm.discovery import (
    DATA_DISCOVERY_SETTINGS,
    DiscoverySettings,
    async_discover_clients,
    async_discovery_targets,
    async_shared_targets,
    async_trigger_discovery,
)
from simulators.imm import FaultMode, ImmSimulator

from .conftest import (
    BAR_HOST,
    BAR_ID,
    HTTP_PORT,
    LOBBY_HOST,
    LOBBY_ID,
    PROBE_PORT,
    imm_entry,
)

# A loopback address where no player listens: connections are refused at once.
UNUSED_HOST = "127.0.77.9"
NEW_KEY = "4321"


@pytest.fixture
def unused_host(imm_sim: ImmSimulator) -> str:
    """Let the tests connect to ``UNUSED_HOST`` too (refused: nothing listens there)."""
    pytest_socket.socket_allow_hosts(["127.0.0.1", LOBBY_HOST, BAR_HOST, UNUSED_HOST])
    return UNUSED_HOST


def _schema_field(result: dict[str, Any], name: str) -> tuple[Any, Any]:
    """The marker and validator of one field of a form's schema."""
    for marker, validator in result["data_schema"].schema.items():
        if marker == name:
            return marker, validator
    raise AssertionError(f"no field {name} in {result['step_id']}")


def _suggested(result: dict[str, Any], name: str) -> Any:
    marker, _ = _schema_field(result, name)
    return (marker.description or {}).get("suggested_value")


async def _start_imm(hass: HomeAssistant) -> dict[str, Any]:
    """Open the user flow and choose the IMM kind in its menu."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    assert KIND_IMM in result["menu_options"]
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": KIND_IMM}
    )


def _imm_data(host: str, client_id: str, key: str = "0000") -> dict[str, Any]:
    return {
        CONF_KIND: KIND_IMM,
        CONF_HOST: host,
        CONF_PORT: HTTP_PORT,
        CONF_INTERACTION_KEY: key,
        CONF_CLIENT_ID: client_id,
    }


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


# -- user flow: discovery list --------------------------------------------------------


async def test_pick_discovered_player(
    hass: HomeAssistant, imm_sim: ImmSimulator, loopback_discovery: None
) -> None:
    """Both players are offered; the picked one asks its key and becomes an entry.

    A second flow, open at the same time (the probe is heard once for both), still lists
    the player added meanwhile: picking it there aborts.
    """
    result, other = await asyncio.gather(_start_imm(hass), _start_imm(hass))
    assert other["step_id"] == "imm"
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "imm"
    _, selector = _schema_field(result, "client")
    assert selector.config["options"] == [
        {"value": BAR_ID, "label": f"Bar ({BAR_HOST}, {BAR_ID})"},
        {"value": LOBBY_ID, "label": f"Lobby ({LOBBY_HOST}, {LOBBY_ID})"},
        {"value": "all", "label": "all"},
        {"value": "manual", "label": "manual"},
    ]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client": LOBBY_ID}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "imm_key"
    assert result["description_placeholders"] == {"name": "Lobby", "host": LOBBY_HOST}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_INTERACTION_KEY: NEW_KEY}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_INTERACTION_KEY: "invalid_key"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_INTERACTION_KEY: "0000"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Lobby"
    assert result["data"] == _imm_data(LOBBY_HOST, LOBBY_ID)
    assert result["result"].unique_id == LOBBY_ID
    await hass.async_block_till_done()
    assert result["result"].state is ConfigEntryState.LOADED

    other = await hass.config_entries.flow.async_configure(
        other["flow_id"], {"client": LOBBY_ID}
    )
    assert other["type"] is FlowResultType.ABORT
    assert other["reason"] == "already_configured"
    assert result["result"].data == _imm_data(LOBBY_HOST, LOBBY_ID)


async def test_discovery_list_excludes_configured_then_manual(
    hass: HomeAssistant, imm_sim: ImmSimulator, loopback_discovery: None
) -> None:
    """A configured player is not offered; "manual" leads to the address form."""
    imm_entry(BAR_HOST, BAR_ID, "Bar").add_to_hass(hass)
    result = await _start_imm(hass)
    assert result["step_id"] == "imm"
    _, selector = _schema_field(result, "client")
    assert [option["value"] for option in selector.config["options"]] == [
        LOBBY_ID,
        "manual",
    ]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client": "manual"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "imm_manual"
    assert result["errors"] == {}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: f" {LOBBY_HOST} ", CONF_INTERACTION_KEY: "0000"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == _imm_data(LOBBY_HOST, LOBBY_ID)
    await hass.async_block_till_done()


async def test_no_player_found_says_so(
    hass: HomeAssistant, imm_sim: ImmSimulator
) -> None:
    """Nothing answers the probe (no target at all here): the address form says so."""
    result = await _start_imm(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "imm_none_found"
    assert result["description_placeholders"] == {"targets": "—"}
    assert _suggested(result, CONF_HOST) is None
    key_marker, _ = _schema_field(result, CONF_INTERACTION_KEY)
    assert key_marker.default() == "0000"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: LOBBY_HOST, CONF_INTERACTION_KEY: "0000"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def test_all_players_configured_says_so(
    hass: HomeAssistant, imm_sim: ImmSimulator, loopback_discovery: None
) -> None:
    """Both players answer but are configured: the form names the probed targets."""
    imm_entry(BAR_HOST, BAR_ID, "Bar").add_to_hass(hass)
    imm_entry().add_to_hass(hass)
    result = await _start_imm(hass)
    assert result["step_id"] == "imm_none_found"
    assert result["description_placeholders"] == {
        "targets": f"{LOBBY_HOST}, {BAR_HOST}"
    }


# -- user flow: manual entry errors ---------------------------------------------------


def _down(sim: ImmSimulator) -> Callable[[], None]:
    sim.set_fault(FaultMode.DOWN, host=LOBBY_HOST)
    return lambda: sim.set_fault(FaultMode.NONE, host=LOBBY_HOST)


def _new_key(sim: ImmSimulator) -> Callable[[], None]:
    sim.client(LOBBY_HOST).key = NEW_KEY
    return lambda: setattr(sim.client(LOBBY_HOST), "key", "0000")


def _interaction_off(sim: ImmSimulator) -> Callable[[], None]:
    sim.client(LOBBY_HOST).interaction_enabled = False
    return lambda: setattr(sim.client(LOBBY_HOST), "interaction_enabled", True)


def _crash(sim: ImmSimulator) -> Callable[[], None]:
    patcher = patch(
        "custom_components.venue_av.imm.config_flow.ImmClient.configuration",
        side_effect=RuntimeError("boom"),
    )
    patcher.start()
    return patcher.stop


@pytest.mark.parametrize(
    ("breaker", "errors"),
    [
        (_down, {"base": "cannot_connect"}),
        (_new_key, {CONF_INTERACTION_KEY: "invalid_key"}),
        (_interaction_off, {"base": "interaction_disabled"}),
        (_crash, {"base": "unknown"}),
    ],
    ids=["cannot_connect", "invalid_key", "interaction_disabled", "unknown"],
)
async def test_manual_error_then_retry(
    hass: HomeAssistant,
    imm_sim: ImmSimulator,
    breaker: Callable[[ImmSimulator], Callable[[], None]],
    errors: dict[str, str],
) -> None:
    """Each validation error is shown on the form; the same flow then succeeds."""
    result = await _start_imm(hass)
    assert result["step_id"] == "imm_none_found"

    repair = breaker(imm_sim)
    user_input = {CONF_HOST: LOBBY_HOST, CONF_INTERACTION_KEY: "0000"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "imm_none_found"
    assert result["errors"] == errors
    assert _suggested(result, CONF_HOST) == LOBBY_HOST
    repair()

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Lobby"
    assert result["data"] == _imm_data(LOBBY_HOST, LOBBY_ID)
    assert result["result"].unique_id == LOBBY_ID
    await hass.async_block_till_done()


async def test_manual_already_configured(
    hass: HomeAssistant, imm_sim: ImmSimulator
) -> None:
    """The same player at the same address again: aborted, entry untouched."""
    entry = imm_entry()
    entry.add_to_hass(hass)
    result = await _start_imm(hass)
    assert result["step_id"] == "imm_none_found"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: LOBBY_HOST, CONF_INTERACTION_KEY: "0000"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data == _imm_data(LOBBY_HOST, LOBBY_ID)


async def test_manual_updates_address_of_known_player(
    hass: HomeAssistant, imm_sim: ImmSimulator, unused_host: str
) -> None:
    """A known player entered at its new address: the entry moves there and loads."""
    entry = imm_entry(host=unused_host)
    await _setup(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY

    result = await _start_imm(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: LOBBY_HOST, CONF_INTERACTION_KEY: "0000"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == LOBBY_HOST
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


# -- integration discovery ------------------------------------------------------------


async def test_integration_discovery(
    hass: HomeAssistant, imm_sim: ImmSimulator
) -> None:
    """A probed player is offered; confirming it with its key creates the entry."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_INTEGRATION_DISCOVERY},
        data={CONF_HOST: BAR_HOST, CONF_CLIENT_ID: BAR_ID, CONF_NAME: "Bar"},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "imm_key"
    assert result["description_placeholders"] == {"name": "Bar", "host": BAR_HOST}
    (flow,) = hass.config_entries.flow.async_progress()
    assert flow["context"]["title_placeholders"] == {"name": "Bar"}
    assert flow["context"]["unique_id"] == BAR_ID

    imm_sim.client(BAR_HOST).interaction_enabled = False
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_INTERACTION_KEY: "0000"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "interaction_disabled"}
    imm_sim.client(BAR_HOST).interaction_enabled = True

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_INTERACTION_KEY: "0000"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Bar"
    assert result["data"] == _imm_data(BAR_HOST, BAR_ID)
    assert result["result"].unique_id == BAR_ID
    await hass.async_block_till_done()


async def test_integration_discovery_of_moved_player(
    hass: HomeAssistant, imm_sim: ImmSimulator, unused_host: str
) -> None:
    """A known player answering at a new address: address stored, entry reloaded."""
    entry = imm_entry(host=unused_host)
    await _setup(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY

    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_INTEGRATION_DISCOVERY},
        data={CONF_HOST: LOBBY_HOST, CONF_CLIENT_ID: LOBBY_ID, CONF_NAME: "Lobby"},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == LOBBY_HOST
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_trigger_discovery(
    hass: HomeAssistant, imm_sim: ImmSimulator, loopback_discovery: None
) -> None:
    """Flows start for new and moved players, not for known ones where they were."""
    found = await async_discover_clients(hass, timeout=0.5)
    assert {(client.host, client.client_id) for client in found} == {
        (LOBBY_HOST, LOBBY_ID),
        (BAR_HOST, BAR_ID),
    }
    entry = imm_entry()
    entry.add_to_hass(hass)

    async_trigger_discovery(hass, found)
    await hass.async_block_till_done(wait_background_tasks=True)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [
        (flow["context"]["source"], flow["context"]["unique_id"]) for flow in flows
    ] == [(SOURCE_INTEGRATION_DISCOVERY, BAR_ID)]

    # The Lobby entry still points at an old address: its flow stores the new one.
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_HOST: UNUSED_HOST}
    )
    async_trigger_discovery(hass, found)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.data[CONF_HOST] == LOBBY_HOST
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["unique_id"] for flow in flows] == [BAR_ID]


async def test_trigger_discovery_skips_ignored_players(
    hass: HomeAssistant, imm_sim: ImmSimulator, loopback_discovery: None
) -> None:
    """An ignored player costs one flow (which stores its address), not one per round."""
    MockConfigEntry(
        domain=DOMAIN, data={CONF_KIND: "trio"}, unique_id="other"
    ).add_to_hass(hass)
    ignored = MockConfigEntry(
        domain=DOMAIN, source=SOURCE_IGNORE, unique_id=BAR_ID, data={}
    )
    ignored.add_to_hass(hass)
    imm_entry().add_to_hass(hass)
    found = await async_discover_clients(hass, timeout=0.5)
    assert len(found) == 2

    async_trigger_discovery(hass, found)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert ignored.data == {CONF_HOST: BAR_HOST}
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []

    flow_manager = hass.config_entries.flow
    with patch.object(
        flow_manager, "async_init", wraps=flow_manager.async_init
    ) as init:
        async_trigger_discovery(hass, found)
        await hass.async_block_till_done(wait_background_tasks=True)
    init.assert_not_called()


# -- reauth ---------------------------------------------------------------------------


async def test_reauth(
    hass: HomeAssistant, init_integration: MockConfigEntry, imm_sim: ImmSimulator
) -> None:
    """A key changed on the player: a wrong key is refused, the right one stored."""
    imm_sim.client(LOBBY_HOST).key = NEW_KEY
    result = await init_integration.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"] == {"name": "Lobby"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_INTERACTION_KEY: "0000"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_INTERACTION_KEY: "invalid_key"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_INTERACTION_KEY: NEW_KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert init_integration.data[CONF_INTERACTION_KEY] == NEW_KEY
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED


async def test_reauth_wrong_device(hass: HomeAssistant, imm_sim: ImmSimulator) -> None:
    """The stored address now answers as another player: nothing is changed."""
    entry = imm_entry(host=BAR_HOST)
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_INTERACTION_KEY: NEW_KEY}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_INTERACTION_KEY: "invalid_key"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_INTERACTION_KEY: "0000"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"
    assert entry.data == _imm_data(BAR_HOST, LOBBY_ID)


# -- reconfigure ----------------------------------------------------------------------


async def test_reconfigure(
    hass: HomeAssistant, imm_sim: ImmSimulator, unused_host: str
) -> None:
    """A player moved and got a new key: errors first, then both are stored."""
    entry = imm_entry(host=unused_host)
    await _setup(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    imm_sim.client(LOBBY_HOST).key = NEW_KEY

    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["description_placeholders"] == {"name": "Lobby"}
    assert _suggested(result, CONF_HOST) == unused_host

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: unused_host, CONF_INTERACTION_KEY: NEW_KEY}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: f"{LOBBY_HOST} ", CONF_INTERACTION_KEY: "0000"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_INTERACTION_KEY: "invalid_key"}
    assert _suggested(result, CONF_HOST) == f"{LOBBY_HOST} "

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: f"{LOBBY_HOST} ", CONF_INTERACTION_KEY: NEW_KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == _imm_data(LOBBY_HOST, LOBBY_ID, NEW_KEY)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_reconfigure_wrong_device(
    hass: HomeAssistant, init_integration: MockConfigEntry, imm_sim: ImmSimulator
) -> None:
    """The other player's address is refused; the entry keeps its own."""
    result = await init_integration.start_reconfigure_flow(hass)
    assert _suggested(result, CONF_HOST) == LOBBY_HOST
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: BAR_HOST, CONF_INTERACTION_KEY: "0000"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"
    assert init_integration.data == _imm_data(LOBBY_HOST, LOBBY_ID)
    assert init_integration.state is ConfigEntryState.LOADED


# -- options --------------------------------------------------------------------------


async def test_options_flow(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The poll interval is the entry's (reloaded); discovery targets are shared.

    The dialog is titled with the player's name.
    """
    coordinator = init_integration.runtime_data
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert result["description_placeholders"] == {"name": "Lobby"}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_POLL_INTERVAL: 30.0,
            CONF_DISCOVERY_TARGETS: [" 192.168.20.255 ", "", "  "],
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {CONF_POLL_INTERVAL: 30}
    assert (await async_shared_targets(hass)).targets == ["192.168.20.255"]
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.runtime_data is not coordinator
    assert init_integration.runtime_data.poll_interval.total_seconds() == 30
    assert "192.168.20.255" in await async_discovery_targets(hass)

    # Shown again with the stored values; targets may be left out entirely.
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert _suggested(result, CONF_POLL_INTERVAL) == 30
    assert _suggested(result, CONF_DISCOVERY_TARGETS) == ["192.168.20.255"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_POLL_INTERVAL: 60}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {CONF_POLL_INTERVAL: 60}
    assert (await async_shared_targets(hass)).targets == []
    await hass.async_block_till_done()


async def test_discovery_targets_are_shared(
    hass: HomeAssistant, imm_sim: ImmSimulator, hass_storage: dict[str, Any]
) -> None:
    """Targets set in one player's options show in another's; old per-entry ones move.

    Before, each entry stored its own list: an entry with one is migrated into the
    shared list at setup, and the entry's options keep only the poll interval.
    """
    lobby = imm_entry()
    lobby.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        lobby,
        options={CONF_POLL_INTERVAL: 20, CONF_DISCOVERY_TARGETS: ["192.168.30.255"]},
    )
    bar = imm_entry(BAR_HOST, BAR_ID, "Bar")
    await _setup(hass, bar)
    await hass.async_block_till_done()
    assert lobby.options == {CONF_POLL_INTERVAL: 20}
    assert (await async_shared_targets(hass)).targets == ["192.168.30.255"]
    assert hass_storage["venue_av.imm_discovery"]["data"] == {
        CONF_DISCOVERY_TARGETS: ["192.168.30.255"]
    }

    result = await hass.config_entries.options.async_init(bar.entry_id)
    assert result["description_placeholders"] == {"name": "Bar"}
    assert _suggested(result, CONF_DISCOVERY_TARGETS) == ["192.168.30.255"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_POLL_INTERVAL: 10, CONF_DISCOVERY_TARGETS: ["192.168.40.255"]},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert "192.168.40.255" in await async_discovery_targets(hass)
    assert "192.168.30.255" not in await async_discovery_targets(hass)


# -- YAML discovery settings ----------------------------------------------------------


async def test_yaml_discovery_settings(
    hass: HomeAssistant, imm_sim: ImmSimulator
) -> None:
    """The ``venue_av:`` YAML block points discovery at loopback; both players found."""
    assert await async_setup_component(
        hass,
        DOMAIN,
        {
            DOMAIN: {
                "broadcast_discovery": False,
                "discovery_targets": [LOBBY_HOST, BAR_HOST],
            }
        },
    )
    assert hass.data[DATA_DISCOVERY_SETTINGS] == DiscoverySettings(
        broadcast=False, targets=(LOBBY_HOST, BAR_HOST), probe_port=PROBE_PORT
    )
    assert await async_discovery_targets(hass) == [LOBBY_HOST, BAR_HOST]

    # Discovery starts with Home Assistant: one flow per player found.
    await hass.async_block_till_done(wait_background_tasks=True)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert sorted(
        (flow["context"]["source"], flow["context"]["unique_id"]) for flow in flows
    ) == [
        (SOURCE_INTEGRATION_DISCOVERY, LOBBY_ID),
        (SOURCE_INTEGRATION_DISCOVERY, BAR_ID),
    ]


# -- input that is not an address --------------------------------------------------


@pytest.mark.parametrize("host", ["http://127.0.77.1", "127.0.77.1:8085", "player one"])
async def test_manual_invalid_host(
    hass: HomeAssistant, imm_sim: ImmSimulator, host: str
) -> None:
    """A URL, a port or spaces are refused on the host field, then a host works."""
    result = await _start_imm(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: host, CONF_INTERACTION_KEY: "0000"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOST: "invalid_host"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: LOBBY_HOST, CONF_INTERACTION_KEY: "0000"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_reconfigure_keeps_key_when_left_empty(
    hass: HomeAssistant, imm_sim: ImmSimulator
) -> None:
    """Changing only the address keeps a custom key."""
    imm_sim.client(LOBBY_HOST).key = NEW_KEY
    entry = imm_entry()
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_INTERACTION_KEY: NEW_KEY}
    )
    await _setup(hass, entry)
    assert entry.state is ConfigEntryState.LOADED

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: LOBBY_HOST}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_INTERACTION_KEY] == NEW_KEY
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_options_refuse_names_as_targets(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Discovery targets are IPv4 addresses (a name would block the event loop)."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_POLL_INTERVAL: 10, CONF_DISCOVERY_TARGETS: ["players.example"]},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_DISCOVERY_TARGETS: "invalid_target"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_POLL_INTERVAL: 10, CONF_DISCOVERY_TARGETS: [" 192.168.20.255 "]},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert (await async_shared_targets(hass)).targets == ["192.168.20.255"]
