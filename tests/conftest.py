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


def allow_loopback(*hosts: str) -> None:
    """Let a test reach these loopback addresses besides 127.0.0.1.

    The test plugin allows 127.0.0.1 only; each simulated device of a family lives on
    its own 127.x address (no CIDR: every address is listed).
    """
    pytest_socket.socket_allow_hosts(["127.0.0.1", *hosts])


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
