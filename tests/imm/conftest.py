"""Fixtures of the IMM Home Assistant tests: simulated players on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator

from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.venue_av.const import CONF_KIND, DOMAIN, KIND_IMM
from custom_components.venue_av.imm.const import CONF_CLIENT_ID, CONF_INTERACTION_KEY
from custom_components.venue_av.imm.discovery import (
    DATA_DISCOVERY_SETTINGS,
    DiscoverySettings,
)
from simulators.imm import ClientSpec, ImmSimulator

from ..conftest import SetUpEntry, allow_loopback

LOBBY_HOST = "127.0.77.1"
BAR_HOST = "127.0.77.2"
LOBBY_ID = "0011AABB0001"
BAR_ID = "0011AABB0002"
HTTP_PORT = 8085
PROBE_PORT = 8083


# Where the spec is silent, real players may behave either way; every test that uses
# the simulated players runs under both readings: a running playback blocks the whole
# player or only its partition, and a sensor mapping fires on a changed value or on
# every matching push.
SPEC_SILENT_READINGS = {
    "player_blocks_on_change": {"blocking_scope": "client", "sensor_trigger": "change"},
    "partition_blocks_every_push": {
        "blocking_scope": "partition",
        "sensor_trigger": "every_push",
    },
}


@pytest.fixture(params=list(SPEC_SILENT_READINGS))
async def imm_sim(
    request: pytest.FixtureRequest, socket_enabled: None
) -> AsyncIterator[ImmSimulator]:
    """Two simulated players, "Lobby" and "Bar", on their own loopback addresses."""
    allow_loopback(LOBBY_HOST, BAR_HOST)
    simulator = ImmSimulator(
        [
            ClientSpec(host=LOBBY_HOST, client_id=LOBBY_ID, name="Lobby"),
            ClientSpec(host=BAR_HOST, client_id=BAR_ID, name="Bar"),
        ],
        http_port=HTTP_PORT,
        udp_port=PROBE_PORT,
        time_scale=0.02,
        **SPEC_SILENT_READINGS[request.param],
    )
    async with simulator:
        yield simulator


@pytest.fixture
def loopback_discovery(hass: HomeAssistant) -> None:
    """Point discovery at the simulated players (as scripts/develop's YAML does)."""
    hass.data[DATA_DISCOVERY_SETTINGS] = DiscoverySettings(
        broadcast=False, targets=(LOBBY_HOST, BAR_HOST), probe_port=PROBE_PORT
    )


def imm_entry(
    host: str = LOBBY_HOST, client_id: str = LOBBY_ID, title: str = "Lobby"
) -> MockConfigEntry:
    """A config entry of a simulated player."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=client_id,
        data={
            CONF_KIND: KIND_IMM,
            CONF_HOST: host,
            CONF_PORT: HTTP_PORT,
            CONF_INTERACTION_KEY: "0000",
            CONF_CLIENT_ID: client_id,
        },
    )


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """The Lobby player's config entry."""
    return imm_entry()


@pytest.fixture
async def init_integration(
    imm_sim: ImmSimulator, mock_config_entry: MockConfigEntry, setup_entry: SetUpEntry
) -> MockConfigEntry:
    """The Lobby player set up in Home Assistant."""
    return await setup_entry(mock_config_entry)
