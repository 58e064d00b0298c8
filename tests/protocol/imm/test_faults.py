"""Transport faults of the simulator and how the client reports them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiohttp
import pytest

from custom_components.venue_av.protocol.errors import DeviceResponseError
from custom_components.venue_av.protocol.http import read_capped, redact_params
from custom_components.venue_av.protocol.imm import (
    ImmClient,
    ImmConnectionError,
    ImmError,
    ImmNotFoundError,
    ImmResponseError,
)
from custom_components.venue_av.protocol.xml import MAX_XML_BYTES
from simulators.imm import FaultMode, ImmSimulator

from .conftest import FOYER, HTTP_PORT, LOBBY, NOBODY, RAW, RawServer

type Call = Callable[[ImmClient], Awaitable[object]]

CALLS: dict[str, Call] = {
    "schedule": lambda c: c.schedule(),
    "program": lambda c: c.program(),
    "configuration": lambda c: c.configuration(),
    "play": lambda c: c.play(),
    "push_sensor": lambda c: c.push_sensor("face", "age", "20"),
    "event_script": lambda c: c.event_script(),
}


def _assert_connection_only(error: BaseException) -> None:
    """A connection error that is not a response error."""
    assert isinstance(error, ImmConnectionError)
    assert not isinstance(error, ImmResponseError)


# fault -> (whether the error is a response error, text of the XML requests' errors)
FAULTS: dict[FaultMode, tuple[bool, str]] = {
    FaultMode.DOWN: (False, "failed (Client"),
    FaultMode.SLOW: (False, "timed out after 0.1 s"),
    FaultMode.HTTP_500: (True, "answered HTTP 500"),
    FaultMode.MALFORMED: (True, "malformed XML"),
    FaultMode.TRUNCATED: (False, "failed (ClientPayloadError)"),
    FaultMode.OVERSIZED: (True, "exceeds the cap"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_fault_mode_and_recovery(
    sim: ImmSimulator, make_client: Callable[..., ImmClient], fault: FaultMode
) -> None:
    # Only the slow fault needs a short timeout; the others must not trip over a busy
    # machine's scheduling delays.
    timeout = 0.1 if fault is FaultMode.SLOW else 2.0
    client = make_client(LOBBY, timeout=timeout)
    bystander = make_client(FOYER, timeout=timeout)
    assert (await client.configuration()).name == "Lobby"  # a pooled connection
    response_error, text = FAULTS[fault]
    sim.set_fault(fault, LOBBY, delay=0.5)
    for name, call in CALLS.items():
        with pytest.raises(ImmConnectionError) as err:
            await call(client)
        if response_error:
            assert isinstance(err.value, ImmResponseError), name
            assert err.value.kind == "invalid_response"
        else:
            _assert_connection_only(err.value)
            assert err.value.kind == "cannot_connect"
        assert text in str(err.value), name
        assert LOBBY in str(err.value)
    for preview in (client.program_preview(35), client.media_preview(403)):
        with pytest.raises(ImmConnectionError) as err:
            await preview
        assert isinstance(err.value, ImmResponseError) is response_error
    # Faults are per client.
    assert (await bystander.configuration()).name == "Foyer"

    sim.set_fault(FaultMode.NONE, LOBBY)
    assert (await client.configuration()).name == "Lobby"
    assert (await client.play()).code == 0
    assert (await client.schedule()).name == "Venue Day"
    assert (await client.program_preview(35)).startswith(b"\xff\xd8")


async def test_nothing_listening(make_client: Callable[..., ImmClient]) -> None:
    with pytest.raises(ImmConnectionError) as err:
        await make_client(NOBODY).schedule()
    _assert_connection_only(err.value)


async def test_slow_but_patient(
    sim: ImmSimulator, make_client: Callable[..., ImmClient]
) -> None:
    # A client with a long enough timeout gets the answer, just late.
    sim.set_fault(FaultMode.SLOW, LOBBY, delay=0.05)
    assert (await make_client(LOBBY, timeout=2).configuration()).name == "Lobby"


async def test_preview_not_a_jpeg(client: ImmClient, sim: ImmSimulator) -> None:
    for fault in (FaultMode.MALFORMED, FaultMode.OVERSIZED):
        sim.set_fault(fault, LOBBY)
        with pytest.raises(ImmResponseError, match="not a JPEG"):
            await client.program_preview(35)


# -- answers only a plain server gives -------------------------------------------


async def test_chunked_body_over_the_cap(
    raw_server: RawServer, make_client: Callable[..., ImmClient]
) -> None:
    # No Content-Length: the cap is enforced while streaming.
    body = b'<response code="0" message="Success"><schedule name="x">'
    body += b"<program/>" * (MAX_XML_BYTES // 10 + 10) + b"</schedule></response>"
    raw_server.serve(body, chunked=True)
    with pytest.raises(ImmResponseError) as err:
        await make_client(RAW).schedule()
    assert "exceeds the cap" in str(err.value)
    # Under the cap, a chunked body is read whole.
    raw_server.serve(
        b'<response code="0" message="Success"><schedule name="Chunked"/></response>',
        chunked=True,
    )
    assert (await make_client(RAW).schedule()).name == "Chunked"


async def test_read_capped_directly(
    raw_server: RawServer, session: aiohttp.ClientSession
) -> None:
    url = f"http://{RAW}:{HTTP_PORT}/x"
    raw_server.serve(b"0123456789" * 10)
    async with session.get(url) as response:
        with pytest.raises(DeviceResponseError, match="body of 100 bytes"):
            await read_capped(response, 50, what="test")
    raw_server.serve(b"0123456789" * 10, chunked=True)
    async with session.get(url) as response:
        assert response.content_length is None
        with pytest.raises(DeviceResponseError, match="exceeds the cap of 50 bytes"):
            await read_capped(response, 50, what="test")
    async with session.get(url) as response:
        assert await read_capped(response, 100, what="test") == b"0123456789" * 10


@pytest.mark.parametrize(
    ("status", "error"),
    [(301, ImmResponseError), (403, ImmResponseError), (404, ImmNotFoundError)],
)
async def test_unexpected_status(
    raw_server: RawServer,
    make_client: Callable[..., ImmClient],
    status: int,
    error: type[ImmError],
) -> None:
    raw_server.serve(b"<response code='0'/>", status=status)
    with pytest.raises(error):
        await make_client(RAW).play()


async def test_empty_body(
    raw_server: RawServer, make_client: Callable[..., ImmClient]
) -> None:
    raw_server.serve(b"   \n")
    with pytest.raises(ImmResponseError, match="empty body"):
        await make_client(RAW).configuration()


@pytest.mark.parametrize(
    ("call", "document"),
    [
        ("schedule", '<response code="0" message="Success"/>'),
        ("program", '<response code="0" message="Success"/>'),
        ("configuration", '<response code="0" message="Success"/>'),
        ("play", "<imm_client><id>1</id></imm_client>"),
    ],
)
async def test_success_without_payload(
    raw_server: RawServer,
    make_client: Callable[..., ImmClient],
    call: str,
    document: str,
) -> None:
    raw_server.serve(document)
    with pytest.raises(ImmResponseError):
        await CALLS[call](make_client(RAW))


def test_redact_params() -> None:
    params = {
        "type": "play",
        "interaction_key": "0000",
        "Password": "p",
        "TOKEN": "t",
        "authorization": "a",
        "smskey": "s",
        "AuthenticatorToken": "x",
        "value": 1,
    }
    assert redact_params(params) == {
        "type": "play",
        "interaction_key": "**REDACTED**",
        "Password": "**REDACTED**",
        "TOKEN": "**REDACTED**",
        "authorization": "**REDACTED**",
        "smskey": "**REDACTED**",
        "AuthenticatorToken": "**REDACTED**",
        "value": 1,
    }
