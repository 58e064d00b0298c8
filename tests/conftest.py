"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import AsyncMock, patch

import pytest
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion


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
