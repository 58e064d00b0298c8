"""Fixtures of the TelecomX Home Assistant tests: the simulated cloud on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
from homeassistant.const import CONF_EMAIL
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.venue_av.const import CONF_KIND, DOMAIN, KIND_TELECOMX
from custom_components.venue_av.protocol.telecomx import TelecomXClient
from custom_components.venue_av.telecomx.config_flow import account_unique_id
from custom_components.venue_av.telecomx.const import (
    CONF_ACCESS_LEVEL,
    CONF_API_URL,
    CONF_CUSTOMER_ID,
    CONF_EMPLOYEE_ID,
    CONF_FEATURES,
    CONF_GROUPS,
    CONF_TOKEN,
)
from simulators.telecomx import PASSWORDS, TelecomXSimulator

from ..conftest import allow_loopback

SIM_HOST = "127.0.66.1"
# 1-60 s action delays become 2-120 ms.
TIME_SCALE = 0.002

MANAGER = "manager@aurora.example"
MANAGER_NO_FEATURE = "manager@borealis.example"
OWNER = "owner@aurora.example"
VIEWER = "viewer@aurora.example"
RESELLER = "reseller@nordic.example"
ADMIN = "admin@telecomx.example"
SECURE = "secure@aurora.example"

type MakeEntry = Callable[..., Awaitable[MockConfigEntry]]


@pytest.fixture
def sim_options() -> dict[str, object]:
    """Extra keyword arguments for the simulator (override per test module)."""
    return {}


@pytest.fixture
async def tx_sim(
    socket_enabled: None, sim_options: dict[str, object]
) -> AsyncIterator[TelecomXSimulator]:
    """The simulated TelecomX cloud with compressed time."""
    allow_loopback(SIM_HOST)
    options: dict[str, Any] = {"time_scale": TIME_SCALE, **sim_options}
    simulator = TelecomXSimulator(SIM_HOST, 0, **options)
    await simulator.start()
    yield simulator
    simulator.state.close()
    await simulator.stop()


def group_id(sim: TelecomXSimulator, name: str) -> str:
    """The id of a simulated group by its name."""
    return sim.state.group_id(name)


@pytest.fixture
def make_entry(hass: HomeAssistant, tx_sim: TelecomXSimulator) -> MakeEntry:
    """A config entry of a simulated account, logged in as the flow would."""

    async def _make(
        email: str = MANAGER,
        *,
        groups: dict[str, str] | None = None,
        options: dict[str, Any] | None = None,
        **login: Any,
    ) -> MockConfigEntry:
        async with aiohttp.ClientSession() as session:
            client = TelecomXClient(session, base_url=tx_sim.base_url, timeout=5)
            result = await client.login(email, PASSWORDS[email], persist=True, **login)
        entry_options = dict(options or {})
        if groups is not None:
            entry_options[CONF_GROUPS] = {
                group_id(tx_sim, name): label for name, label in groups.items()
            }
        return MockConfigEntry(
            domain=DOMAIN,
            title=result.customer_name or email,
            unique_id=account_unique_id(result, email),
            data={
                CONF_KIND: KIND_TELECOMX,
                CONF_API_URL: tx_sim.base_url,
                CONF_EMAIL: email,
                CONF_TOKEN: result.token,
                CONF_CUSTOMER_ID: result.customer_id,
                CONF_EMPLOYEE_ID: result.employee_id,
                CONF_ACCESS_LEVEL: result.access_level.wire,
                CONF_FEATURES: None
                if result.features is None
                else sorted(result.features),
            },
            options=entry_options,
        )

    return _make


HOTEL_GROUPS = {"Lobby": "Lobby", "Floor 1": "First floor", "Floor 2": "Second floor"}
