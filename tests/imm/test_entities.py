"""Snapshots of every entity of a player, and their behaviour."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from simulators.imm import ImmSimulator

from ..helpers import entities_of


@pytest.mark.freeze_time("2026-11-23 12:00:00+00:00")
@pytest.mark.parametrize(
    "platform",
    [
        Platform.BINARY_SENSOR,
        Platform.IMAGE,
        Platform.MEDIA_PLAYER,
        Platform.SELECT,
        Platform.SENSOR,
        Platform.SWITCH,
        Platform.TEXT,
    ],
)
async def test_entities(
    hass: HomeAssistant,
    imm_sim: ImmSimulator,
    mock_config_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """Every entity of each platform, with its registry entry and state."""
    # Image and media player pictures carry random access tokens: make them stable.
    with (
        patch("custom_components.venue_av.imm.PLATFORMS", [platform]),
        patch("secrets.token_hex", return_value="0123456789abcdef"),
        patch("homeassistant.components.image._RND.getrandbits", return_value=0xABCDEF),
    ):
        mock_config_entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
    assert entities_of(hass, mock_config_entry.entry_id) == snapshot
