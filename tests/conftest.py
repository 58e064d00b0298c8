"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from unittest.mock import AsyncMock, patch

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
import pytest_socket
from syrupy.assertion import SnapshotAssertion

# Addresses allowed in the running test, besides 127.0.0.1: several families'
# simulators in one test (the blueprints) each add theirs.
_ALLOWED_HOSTS: set[str] = set()


@pytest.fixture(autouse=True)
def _forget_allowed_hosts() -> Iterator[None]:
    _ALLOWED_HOSTS.clear()
    yield
    _ALLOWED_HOSTS.clear()


def allow_loopback(*hosts: str) -> None:
    """Let a test reach these loopback addresses besides 127.0.0.1.

    The test plugin allows 127.0.0.1 only; each simulated device of a family lives on
    its own 127.x address (no CIDR: every address is listed). Calls add up within a
    test.
    """
    _ALLOWED_HOSTS.update(hosts)
    pytest_socket.socket_allow_hosts(["127.0.0.1", *sorted(_ALLOWED_HOSTS)])


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(request: pytest.FixtureRequest) -> None:
    """Load custom_components/venue_av in every test that runs a Home Assistant."""
    if "hass" in request.fixturenames:
        request.getfixturevalue("enable_custom_integrations")


type SetUpEntry = Callable[[MockConfigEntry], Awaitable[MockConfigEntry]]


@pytest.fixture
def setup_entry(hass: HomeAssistant) -> SetUpEntry:
    """Add a config entry of any family to the test Home Assistant and set it up."""

    async def _setup(entry: MockConfigEntry) -> MockConfigEntry:
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        return entry

    return _setup


@pytest.fixture(autouse=True)
def no_broadcast_discovery() -> Iterator[AsyncMock]:
    """Discovery never probes this machine's real networks in tests.

    Home Assistant's broadcast addresses are replaced by none; tests that exercise
    discovery name loopback targets explicitly.
    """
    with patch(
        "homeassistant.components.network.async_get_ipv4_broadcast_addresses",
        AsyncMock(return_value=set()),
    ) as mock:
        yield mock


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with Home Assistant's serializer (registry entries, states, ids)."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)
