"""Fixtures: a Trio simulator on 127.0.88.x:18443 and clients talking to it over TLS."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
import pytest_socket

from custom_components.venue_av.protocol.trio import TrioClient
from simulators.trio import AuthMode, PhoneSpec, TrioSimulator

PORT = 18443
PASSWORD = "Trio-Admin-1"
BASIC = "127.0.88.1"
DIGEST = "127.0.88.2"
DIGEST_SHA256 = "127.0.88.3"
SPARE = "127.0.88.4"
# Receiver of the simulator's telephony notification events (test_push.py).
RECEIVER = "127.0.88.40"
HOSTS = [BASIC, DIGEST, DIGEST_SHA256, SPARE, RECEIVER]


def spec(host: str, **kw: Any) -> PhoneSpec:
    values: dict[str, Any] = {
        "mac": "0004f2" + host.rsplit(".", 1)[1].zfill(6),
        "password": PASSWORD,
        "processing_delay": 0.01,
        "connect_delay": 0.05,
        "restart_downtime": 0.3,
    }
    values.update(kw)
    return PhoneSpec(host=host, **values)


@pytest.fixture
def allow_hosts(socket_enabled: None) -> None:
    pytest_socket.socket_allow_hosts([*HOSTS, "127.0.0.1"])


@pytest.fixture
async def sim(allow_hosts: None) -> AsyncIterator[TrioSimulator]:
    simulator = TrioSimulator(
        [
            spec(BASIC),
            spec(DIGEST, auth=AuthMode.DIGEST),
            spec(DIGEST_SHA256, auth=AuthMode.DIGEST_SHA256),
        ],
        port=PORT,
    )
    async with simulator:
        yield simulator


@pytest.fixture
async def session(allow_hosts: None) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def make_client(
    session: aiohttp.ClientSession,
) -> Callable[..., TrioClient]:
    def make(host: str = BASIC, **kw: Any) -> TrioClient:
        kw.setdefault("password", PASSWORD)
        kw.setdefault("port", PORT)
        kw.setdefault("timeout", 2.0)
        kw.setdefault("busy_timeout", 2.0)
        return TrioClient(host, session, **kw)

    return make


@pytest.fixture
def client(sim: TrioSimulator, make_client: Callable[..., TrioClient]) -> TrioClient:
    return make_client(BASIC)
