"""Fixtures of the IMM protocol tests: simulated clients on real loopback sockets.

Addresses 127.0.80.x and ports 18185 (HTTP) / 18183 (UDP) are reserved for this folder
so nothing clashes with other test folders or a running demo.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import aiohttp
from aiohttp import web
import pytest
import pytest_socket

from custom_components.venue_av.protocol.imm import ImmClient
from simulators.imm import ClientSpec, ImmSimulator

HTTP_PORT = 18185
UDP_PORT = 18183
TIME_SCALE = 0.02

LOBBY = "127.0.80.1"  # key 0000
BAR = "127.0.80.2"  # key 4711
FOYER = "127.0.80.3"  # key 0000
# Probe test clients (own simulator with a "broadcast" address answering for all).
PROBE_HOSTS = ["127.0.80.11", "127.0.80.12", "127.0.80.13"]
PROBE_BROADCAST = "127.0.80.19"
# One client per behavior × collision combination.
MATRIX_HOSTS = [f"127.0.80.{101 + index}" for index in range(12)]
# Nothing listens here: timeouts and refused connections.
NOBODY = "127.0.80.99"
# A plain aiohttp server serving hand-written bodies (event-script paths, chunked bodies).
RAW = "127.0.80.250"

ALL_HOSTS = [
    "127.0.0.1",
    LOBBY,
    BAR,
    FOYER,
    *PROBE_HOSTS,
    PROBE_BROADCAST,
    *MATRIX_HOSTS,
    NOBODY,
    RAW,
]

LOBBY_ID = "0011AABB8001"
BAR_ID = "0011AABB8002"
FOYER_ID = "0011AABB8003"


def specs() -> list[ClientSpec]:
    """The three simulated clients of the default simulator."""
    return [
        ClientSpec(host=LOBBY, client_id=LOBBY_ID, name="Lobby"),
        ClientSpec(host=BAR, client_id=BAR_ID, name="Bar", key="4711"),
        ClientSpec(host=FOYER, client_id=FOYER_ID, name="Foyer"),
    ]


@pytest.fixture
def allow_hosts(socket_enabled: None) -> None:
    """Re-allow every loopback address the tests of this folder connect to."""
    pytest_socket.socket_allow_hosts(ALL_HOSTS)


@pytest.fixture
async def sim(allow_hosts: None) -> AsyncIterator[ImmSimulator]:
    """Three simulated clients (Lobby, Bar, Foyer) with time running 50x faster."""
    simulator = ImmSimulator(
        specs(), http_port=HTTP_PORT, udp_port=UDP_PORT, time_scale=TIME_SCALE
    )
    async with simulator:
        yield simulator


@pytest.fixture
async def session(allow_hosts: None) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session, closed after the test."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def make_client(
    session: aiohttp.ClientSession,
) -> Callable[..., ImmClient]:
    """Build an ``ImmClient`` on the test port (default host Lobby, key 0000)."""

    def make(host: str = LOBBY, **kwargs: object) -> ImmClient:
        kwargs.setdefault("timeout", 3.0)
        return ImmClient(host, session, port=HTTP_PORT, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def client(sim: ImmSimulator, make_client: Callable[..., ImmClient]) -> ImmClient:
    """Client of the simulated Lobby player, right key."""
    return make_client(LOBBY)


async def wait_until(predicate: Callable[[], bool], timeout: float = 3.0) -> None:
    """Poll ``predicate`` until it holds; fail the test after ``timeout`` seconds."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.005)


@dataclass
class RawReply:
    """What the raw server answers to every request."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/xml"
    chunked: bool = False


@dataclass
class RawServer:
    """A plain HTTP server on ``RAW`` whose answer the test sets."""

    reply: RawReply
    requests: list[str]

    def serve(
        self, body: bytes | str, *, status: int = 200, chunked: bool = False
    ) -> None:
        """Answer every following request with ``body``."""
        self.reply = RawReply(
            body=body.encode() if isinstance(body, str) else body,
            status=status,
            chunked=chunked,
        )


@pytest.fixture
async def raw_server(allow_hosts: None) -> AsyncIterator[RawServer]:
    """Serve hand-written bodies on ``RAW:HTTP_PORT`` over a real socket."""
    server = RawServer(reply=RawReply(), requests=[])

    async def handler(request: web.Request) -> web.StreamResponse:
        server.requests.append(request.path_qs)
        reply = server.reply
        if not reply.chunked:
            return web.Response(
                body=reply.body, status=reply.status, content_type=reply.content_type
            )
        response = web.StreamResponse(status=reply.status)
        response.content_type = reply.content_type
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(reply.body), 65536):
            await response.write(reply.body[start : start + 65536])
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, RAW, HTTP_PORT)
    await site.start()
    try:
        yield server
    finally:
        await runner.cleanup()
