"""Actions reach the device at most once, whatever the connection does.

IMM and TelecomX send actions as GET requests (TelecomX cancels as DELETE). aiohttp
sends an idempotent request again, once, when the connection breaks before the answer;
for an action that means the device carries it out twice. Each test lets a raw
loopback server record the request and then close the connection without answering:
the log must hold exactly one copy, and the error must say that the action may have
been carried out. Reads may still be repeated by aiohttp (and succeed).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import aiohttp
import pytest

from custom_components.venue_av.protocol.errors import (
    DeviceActionOutcomeUnknownError,
    DeviceConnectionError,
)
from custom_components.venue_av.protocol.imm import (
    ImmActionOutcomeUnknownError,
    ImmClient,
    ImmConnectionError,
)
from custom_components.venue_av.protocol.telecomx import (
    ActionType,
    TelecomXActionOutcomeUnknownError,
    TelecomXClient,
    TelecomXConnectionError,
)
from custom_components.venue_av.protocol.trio import (
    TrioActionOutcomeUnknownError,
    TrioClient,
)

from .drop_server import DropServer

IMM_OK = b'<?xml version="1.0"?><response code="0" message="Success"/>'
IMM_PROGRAM = (
    b'<?xml version="1.0"?><response code="0" message="Success">'
    b'<program id="1" name="Main"/></response>'
)
TELECOMX_OK = b'{"success": true, "devices": 1, "skipped": 0}'
TRIO_OK = b'{"Status": "2000"}'
DEVICE = "5f0c6a0e1c9d440000a1b2c3"
TOKEN = "tok-0123456789abcdef"
MESSAGE = "the connection broke after the request was sent"


@pytest.fixture
async def session(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain session with its connection pool (like Home Assistant's shared one)."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


def _imm(server: DropServer, session: aiohttp.ClientSession) -> ImmClient:
    return ImmClient("127.0.0.1", session, port=server.port, timeout=3.0)


def _telecomx(server: DropServer, session: aiohttp.ClientSession) -> TelecomXClient:
    return TelecomXClient(session, base_url=server.url, token=TOKEN, timeout=3.0)


def _trio(server: DropServer, session: aiohttp.ClientSession) -> TrioClient:
    return TrioClient(
        "127.0.0.1",
        session,
        password="Trio-Admin-1",
        port=server.port,
        use_https=False,
        timeout=3.0,
        busy_timeout=0.5,
    )


def _assert_outcome_unknown(error: BaseException, family: type[Exception]) -> None:
    assert isinstance(error, family)
    assert isinstance(error, DeviceConnectionError)
    assert isinstance(error, DeviceActionOutcomeUnknownError)
    assert error.kind == "action_outcome_unknown"
    assert MESSAGE in str(error)
    assert "may have been carried out" in str(error)


# name -> (reply body of the server, the action)
IMM_ACTIONS: dict[str, Callable[[ImmClient], Awaitable[object]]] = {
    "play": lambda c: c.play(),
    "set_label": lambda c: c.set_label(1, 2, "Hello"),
    "push_sensor": lambda c: c.push_sensor("face", "age", "20"),
    "set_configuration": lambda c: c.set_configuration(client_id="X"),
}

TELECOMX_ACTIONS: dict[str, Callable[[TelecomXClient], Awaitable[object]]] = {
    "group_action": lambda c: c.group_action("ALL", ActionType.REBOOT),
    "device_action": lambda c: c.device_action(DEVICE, ActionType.REBOOT),
    "device_action_when": lambda c: c.device_action(
        DEVICE, ActionType.REBOOT, when=datetime(2030, 1, 1, tzinfo=UTC)
    ),
    "cancel_action": lambda c: c.cancel_action(DEVICE, "5f0c6a0e1c9d440000a1b2c4"),
}


@pytest.mark.parametrize("name", list(IMM_ACTIONS))
async def test_imm_action_sent_once_on_fresh_connection(
    session: aiohttp.ClientSession, name: str
) -> None:
    async with DropServer(IMM_OK, content_type="text/xml") as server:
        with pytest.raises(ImmConnectionError) as caught:
            await IMM_ACTIONS[name](_imm(server, session))
    assert len(server.requests) == 1, server.requests
    _assert_outcome_unknown(caught.value, ImmActionOutcomeUnknownError)
    assert "interaction_key" not in str(caught.value)


async def test_imm_action_sent_once_on_kept_alive_connection(
    session: aiohttp.ClientSession,
) -> None:
    async with DropServer(IMM_PROGRAM, content_type="text/xml") as server:
        client = _imm(server, session)
        server.plan = ["answer", "drop"]
        assert (await client.program()).program_id == 1
        with pytest.raises(ImmConnectionError) as caught:
            await client.play()
    assert [path.split("?")[0] for path in server.paths()] == [
        "/interaction/program.xml",
        "/interaction/action",
    ]
    assert server.connections[0] == server.requests  # the action reused it
    _assert_outcome_unknown(caught.value, ImmActionOutcomeUnknownError)


async def test_imm_read_retried_after_stale_keep_alive(
    session: aiohttp.ClientSession,
) -> None:
    """aiohttp may send a read again on a new connection: it still succeeds."""
    async with DropServer(IMM_PROGRAM, content_type="text/xml") as server:
        client = _imm(server, session)
        server.plan = ["answer", "drop", "answer"]
        assert (await client.program()).program_id == 1
        assert (await client.program()).program_id == 1
    assert len(server.requests) == 3
    assert len(server.connections) == 2


async def test_imm_action_on_refused_connection_is_not_outcome_unknown(
    session: aiohttp.ClientSession,
) -> None:
    """Nothing was sent when the connection could not be made: a plain error."""
    async with DropServer() as server:
        client = _imm(server, session)
    with pytest.raises(ImmConnectionError) as caught:
        await client.play()
    assert not isinstance(caught.value, DeviceActionOutcomeUnknownError)


@pytest.mark.parametrize("name", list(TELECOMX_ACTIONS))
async def test_telecomx_action_sent_once_on_fresh_connection(
    session: aiohttp.ClientSession, name: str
) -> None:
    async with DropServer(TELECOMX_OK, content_type="application/json") as server:
        with pytest.raises(TelecomXConnectionError) as caught:
            await TELECOMX_ACTIONS[name](_telecomx(server, session))
    assert len(server.requests) == 1, server.requests
    _assert_outcome_unknown(caught.value, TelecomXActionOutcomeUnknownError)
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize("name", ["group_action", "device_action"])
async def test_telecomx_action_sent_once_on_kept_alive_connection(
    session: aiohttp.ClientSession, name: str
) -> None:
    async with DropServer(TELECOMX_OK, content_type="application/json") as server:
        client = _telecomx(server, session)
        server.plan = ["answer", "drop"]
        await TELECOMX_ACTIONS[name](client)
        with pytest.raises(TelecomXConnectionError) as caught:
            await TELECOMX_ACTIONS[name](client)
    assert len(server.requests) == 2, server.requests
    assert len(server.connections) == 1
    _assert_outcome_unknown(caught.value, TelecomXActionOutcomeUnknownError)


async def test_telecomx_read_retried_after_stale_keep_alive(
    session: aiohttp.ClientSession,
) -> None:
    page = b'{"offset": 0, "limit": 500, "total": 0, "devices": []}'
    async with DropServer(page, content_type="application/json") as server:
        client = _telecomx(server, session)
        server.plan = ["answer", "drop", "answer"]
        assert await client.devices() == ()
        assert await client.devices() == ()
    assert len(server.requests) == 3


async def test_trio_action_sent_once(session: aiohttp.ClientSession) -> None:
    """Trio commands are POSTs: aiohttp does not repeat them, nor does the client."""
    async with DropServer(TRIO_OK, content_type="application/json") as server:
        client = _trio(server, session)
        server.plan = ["answer", "drop"]
        await client.mute(True)
        with pytest.raises(DeviceConnectionError) as caught:
            await client.mute(False)
    assert len(server.requests) == 2
    _assert_outcome_unknown(caught.value, TrioActionOutcomeUnknownError)


class _Failing:
    """What ``session.request`` returns: a context manager, failing on entry."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def __aenter__(self) -> aiohttp.ClientResponse:
        raise self.error

    async def __aexit__(self, *exc: object) -> None:
        return None  # pragma: no cover


async def test_middleware_path_of_newer_aiohttp(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """aiohttp >= 3.12 gets the request with a middleware that ends, not repeats."""
    from custom_components.venue_av.protocol import http

    class FakeSession:
        def __init__(self) -> None:
            self.calls: list[tuple[str, dict[str, object]]] = []

        def request(self, method: str, url: object, **kwargs: object) -> object:
            self.calls.append((method, kwargs))
            return _Failing(aiohttp.ServerDisconnectedError())

    session = FakeSession()
    monkeypatch.setattr(http, "PER_REQUEST_MIDDLEWARES", True)
    with pytest.raises(http.RequestOutcomeUnknown):
        async with http.request_once(session, "GET", "http://x/"):  # type: ignore[arg-type]
            pass  # pragma: no cover
    ((method, kwargs),) = session.calls
    assert method == "GET"  # upper case: the middleware does the work
    (middleware,) = kwargs["middlewares"]  # type: ignore[misc]

    async def broken(request: object) -> aiohttp.ClientResponse:
        raise aiohttp.ClientOSError(104, "reset")

    async def refused(request: object) -> aiohttp.ClientResponse:
        raise aiohttp.ClientConnectorError(None, OSError(111, "refused"))  # type: ignore[arg-type]

    async def fine(request: object) -> aiohttp.ClientResponse:
        return "answer"  # type: ignore[return-value]

    with pytest.raises(http.RequestOutcomeUnknown):
        await middleware(object(), broken)
    with pytest.raises(aiohttp.ClientConnectorError):
        await middleware(object(), refused)
    assert await middleware(object(), fine) == "answer"


async def test_lower_case_method_path_of_aiohttp_3_11(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from custom_components.venue_av.protocol import http

    seen: list[str] = []

    class FakeSession:
        def request(self, method: str, url: object, **kwargs: object) -> object:
            seen.append(method)
            assert "middlewares" not in kwargs
            return _Failing(
                aiohttp.ClientConnectorError(None, OSError(111, "refused"))  # type: ignore[arg-type]
            )

    monkeypatch.setattr(http, "PER_REQUEST_MIDDLEWARES", False)
    with pytest.raises(aiohttp.ClientConnectorError):
        async with http.request_once(FakeSession(), "DELETE", "http://x/"):  # type: ignore[arg-type]
            pass  # pragma: no cover
    assert seen == ["delete"]
