"""The blueprints drive several families: their simulators' fixtures, shared here."""

from __future__ import annotations

from collections.abc import AsyncIterator

from homeassistant.core import HomeAssistant
import pytest

from ..imm.conftest import imm_sim, mock_config_entry
from ..telecomx.conftest import make_entry, sim_options, tx_sim

__all__ = ["imm_sim", "make_entry", "mock_config_entry", "sim_options", "tx_sim"]


@pytest.fixture(autouse=True)
async def automations_off(hass: HomeAssistant) -> AsyncIterator[None]:
    """Stop the blueprints' automations (and their time triggers) after each test."""
    yield
    if hass.services.has_service("automation", "turn_off"):
        await hass.services.async_call(
            "automation", "turn_off", {"entity_id": "all"}, blocking=True
        )
