"""Fixtures: the TelecomX simulator on a real loopback socket, and clients on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import pytest
import pytest_socket

from custom_components.venue_av.protocol.telecomx import TelecomXClient
from simulators.telecomx import PASSWORDS, TelecomXSimulator

SIM_HOST = "127.0.99.1"
# 1-60 s action delays become 2-120 ms.
TIME_SCALE = 0.002

type Login = Callable[..., Awaitable[TelecomXClient]]


@pytest.fixture
def allow_sim_host(socket_enabled: None) -> None:
    """Let sockets reach the simulator's address besides 127.0.0.1."""
    pytest_socket.socket_allow_hosts(["127.0.0.1", SIM_HOST])


@pytest.fixture
def sim_options() -> dict[str, object]:
    """Extra keyword arguments for the simulator (override per test module)."""
    return {}


@pytest.fixture
async def sim(
    allow_sim_host: None, sim_options: dict[str, object]
) -> AsyncIterator[TelecomXSimulator]:
    """A running simulator with compressed time."""
    options: dict[str, object] = {"time_scale": TIME_SCALE, **sim_options}
    simulator = TelecomXSimulator(SIM_HOST, 0, **options)  # type: ignore[arg-type]
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture
async def session(allow_sim_host: None) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain client session (like Home Assistant's shared one)."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def client(sim: TelecomXSimulator, session: aiohttp.ClientSession) -> TelecomXClient:
    """A client on the simulator, not logged in."""
    return TelecomXClient(session, base_url=sim.base_url, timeout=2.0)


@pytest.fixture
def login(sim: TelecomXSimulator, session: aiohttp.ClientSession) -> Login:
    """Log a fresh client in as one of the simulator's accounts."""

    async def _login(email: str, **kwargs: object) -> TelecomXClient:
        new = TelecomXClient(
            session,
            base_url=sim.base_url,
            timeout=float(kwargs.pop("timeout", 2.0)),  # type: ignore[arg-type]
        )
        await new.login(email, PASSWORDS[email], **kwargs)  # type: ignore[arg-type]
        return new

    return _login


MANAGER = "manager@aurora.example"
MANAGER_NO_FEATURE = "manager@borealis.example"
OWNER = "owner@aurora.example"
VIEWER = "viewer@aurora.example"
RESELLER = "reseller@nordic.example"
ADMIN = "admin@telecomx.example"
SECURE = "secure@aurora.example"
