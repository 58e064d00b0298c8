"""Transport rules: auth, errors, the one-request rule, size limits, TLS, faults."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
import logging
import time

import aiohttp
import pytest

from custom_components.venue_av.protocol.errors import (
    DeviceAuthenticationError,
    DeviceCommandError,
    DeviceConnectionError,
    DeviceResponseError,
)
from custom_components.venue_av.protocol.trio import (
    ERROR_CODES,
    MAX_REQUEST_BYTES,
    TrioAuthenticationError,
    TrioBusyError,
    TrioCertificateMismatchError,
    TrioClient,
    TrioConnectionError,
    TrioDefaultPasswordError,
    TrioDeviceError,
    TrioRequestTooLargeError,
    TrioResponseError,
    TrioRestApiDisabledError,
    TrioTlsError,
    TrioUnsupportedCommandError,
    fetch_fingerprint,
    format_fingerprint,
    normalize_fingerprint,
)
from custom_components.venue_av.protocol.trio.errors import code_name
from simulators.trio import BusyMode, FaultMode, TrioSimulator

from .conftest import BASIC, DIGEST, DIGEST_SHA256, PASSWORD, PORT, SPARE

MakeClient = Callable[..., TrioClient]


# -- authentication ------------------------------------------------------------------

# Raw requests beside the client: the header by hand (aiohttp's BasicAuth is deprecated in
# the aiohttp of current Home Assistant).
_BASIC_AUTH = {
    "Authorization": "Basic "
    + base64.b64encode(f"Polycom:{PASSWORD}".encode()).decode()
}


async def test_wrong_password(
    sim: TrioSimulator, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "not-the-Password-42"
    client = make_client(BASIC, password=secret)
    with pytest.raises(TrioAuthenticationError) as err:
        await client.device_info()
    assert isinstance(err.value, DeviceAuthenticationError)
    assert err.value.kind == "invalid_auth"
    for text in (str(err.value), repr(client), caplog.text, repr(sim.request_log)):
        assert secret not in text
        assert PASSWORD not in text
    assert client.password == secret


@pytest.mark.parametrize("host", [DIGEST, DIGEST_SHA256])
async def test_digest(sim: TrioSimulator, make_client: MakeClient, host: str) -> None:
    client = make_client(host)
    assert client.auth_scheme == "basic"
    assert (await client.device_info()).model == "Trio 8800"
    assert client.auth_scheme == "digest"
    await client.dial("2000")
    assert await client.call_status() is not None
    log = sim.requests(host)
    assert [(r.auth, r.status) for r in log[:2]] == [("basic", 401), ("digest", 200)]
    assert all(r.auth == "digest" for r in log[1:])
    # A new nonce: the phone answers stale=true, the client follows without error.
    sim.rotate_nonce(host)
    await client.network_stats()
    assert sim.requests(host)[-1].status == 200
    wrong = make_client(host, password="wrong")
    with pytest.raises(TrioAuthenticationError):
        await wrong.device_info()
    assert PASSWORD not in repr(sim.request_log)


async def test_digest_client_against_basic_phone(
    sim: TrioSimulator, make_client: MakeClient
) -> None:
    client = make_client(DIGEST)
    await client.device_info()
    sim.phone(DIGEST).auth = sim.phone(BASIC).auth  # the phone switches to Basic
    with pytest.raises(TrioAuthenticationError):
        await client.device_info()


# -- API-level errors ------------------------------------------------------------------


async def test_rest_api_disabled(sim: TrioSimulator, client: TrioClient) -> None:
    sim.phone(BASIC).rest_enabled = False
    with pytest.raises(TrioRestApiDisabledError) as err:
        await client.device_info()
    assert err.value.kind == "rest_api_disabled"
    assert "apps.restapi.enabled" in str(err.value)
    assert sim.requests(BASIC)[-1].status == 404


async def test_rest_api_disabled_before_auth(
    sim: TrioSimulator, make_client: MakeClient
) -> None:
    sim.phone(BASIC).rest_enabled = False
    with pytest.raises(TrioRestApiDisabledError):
        await make_client(BASIC, password="wrong").device_info()


async def test_unknown_path_command(sim: TrioSimulator, client: TrioClient) -> None:
    sim.phone(BASIC).spec.simulate_hook_path = None
    with pytest.raises(TrioUnsupportedCommandError) as err:
        await client.simulate_hook(False)
    assert err.value.code == 404


@pytest.mark.parametrize("http_status", [200, 403])
async def test_default_password(
    sim: TrioSimulator, client: TrioClient, http_status: int
) -> None:
    state = sim.phone(BASIC)
    state.default_password = True
    state.default_password_http_status = http_status
    with pytest.raises(TrioDefaultPasswordError) as err:
        await client.call_status()
    assert err.value.code == 4010
    assert err.value.kind == "default_password"
    assert "default admin password" in str(err.value)


@pytest.mark.parametrize("code", sorted(ERROR_CODES))
async def test_every_return_code(
    sim: TrioSimulator, client: TrioClient, code: int
) -> None:
    name, cls = ERROR_CODES[code]
    sim.phone(BASIC).forced_status = str(code) if code % 2 else code
    with pytest.raises(cls) as err:
        await client.reboot()
    assert isinstance(err.value, DeviceCommandError)
    assert err.value.code == code
    assert err.value.name == name == code_name(code)


async def test_status_as_number_and_unknown_code(
    sim: TrioSimulator, client: TrioClient
) -> None:
    sim.phone(BASIC).forced_status = 2000
    await client.restart()
    sim.phone(BASIC).forced_status = 4999
    with pytest.raises(TrioDeviceError) as err:
        await client.restart()
    assert type(err.value) is TrioDeviceError
    assert code_name(4999) == "UnknownStatus"
    assert code_name(2000) == "Success"
    sim.phone(BASIC).forced_status = "OK"
    with pytest.raises(TrioResponseError):
        await client.restart()


@pytest.mark.parametrize(
    ("http_status", "error"),
    [
        (400, TrioResponseError),
        (413, TrioRequestTooLargeError),
        (500, TrioResponseError),
        (401, TrioAuthenticationError),
    ],
)
async def test_http_statuses(
    sim: TrioSimulator, client: TrioClient, http_status: int, error: type[Exception]
) -> None:
    sim.phone(BASIC).forced_http_status = http_status
    with pytest.raises(error):
        await client.device_info()


async def test_content_type_rule(
    sim: TrioSimulator, session: aiohttp.ClientSession
) -> None:
    async with session.post(
        f"https://{BASIC}:{PORT}/api/v1/mgmt/safeRestart",
        headers=_BASIC_AUTH,
        ssl=False,
    ) as response:
        assert response.status == 400
    assert sim.phone(BASIC).restarts == 0


# -- one request at a time --------------------------------------------------------------


async def test_concurrent_calls_are_serialised(
    sim: TrioSimulator, client: TrioClient
) -> None:
    sim.phone(BASIC).processing_delay = 0.03
    results = await asyncio.gather(*(client.network_stats() for _ in range(10)))
    assert len(results) == 10
    assert [r.status for r in sim.requests(BASIC)] == [200] * 10


async def test_busy_403_is_retried(sim: TrioSimulator, make_client: MakeClient) -> None:
    sim.phone(BASIC).processing_delay = 0.1
    first, second = make_client(BASIC), make_client(BASIC)  # two owners, two locks
    await asyncio.gather(
        first.network_stats(), second.device_info(), first.device_info()
    )
    statuses = [r.status for r in sim.requests(BASIC)]
    assert 403 in statuses
    assert statuses.count(200) == 3


async def test_queue_mode(sim: TrioSimulator, make_client: MakeClient) -> None:
    sim.phone(BASIC).busy = BusyMode.QUEUE
    sim.phone(BASIC).processing_delay = 0.05
    clients = [make_client(BASIC) for _ in range(3)]
    await asyncio.gather(*(c.device_info() for c in clients))
    assert [r.status for r in sim.requests(BASIC)] == [200] * 3


async def test_busy_gives_up(sim: TrioSimulator, make_client: MakeClient) -> None:
    sim.phone(BASIC).forced_http_status = 403
    client = make_client(BASIC, busy_timeout=0.6)
    started = time.monotonic()
    with pytest.raises(TrioBusyError) as err:
        await client.dial("2000")
    assert time.monotonic() - started < 1.5
    assert isinstance(err.value, DeviceConnectionError)
    assert err.value.kind == "device_busy"
    assert len(sim.requests(BASIC)) >= 2
    assert sim.phone(BASIC).calls == {}


# -- size limits and batching -----------------------------------------------------------


async def test_request_over_20kb_is_refused_before_sending(
    sim: TrioSimulator, client: TrioClient
) -> None:
    with pytest.raises(TrioRequestTooLargeError) as err:
        await client.simulate_text_input("x" * MAX_REQUEST_BYTES)
    assert err.value.kind == "request_too_large"
    with pytest.raises(TrioRequestTooLargeError):
        await client.set_config({"device.local.deviceName": "x" * MAX_REQUEST_BYTES})
    with pytest.raises(TrioRequestTooLargeError):
        await client.set_config(
            {"a": "1", "device.local.deviceName": "x" * MAX_REQUEST_BYTES}
        )
    assert sim.requests(BASIC) == []


async def test_phone_answers_413(sim: TrioSimulator, client: TrioClient) -> None:
    sim.phone(BASIC).spec.max_request_bytes = 100
    with pytest.raises(TrioRequestTooLargeError):
        await client.simulate_text_input("x" * 200)
    assert sim.requests(BASIC)[-1].status == 413


async def test_config_batches(sim: TrioSimulator, client: TrioClient) -> None:
    names = [f"feature.sim.param{i}" for i in range(1, 41)] + [
        "video.callRate",
        "feature.sim.param1",  # duplicate: asked once
        "unknown.a",
    ]
    values = await client.get_config(names)
    assert len(values.values) == 41
    assert values.invalid == ("unknown.a",)
    bodies = [r.body["data"] for r in sim.requests(BASIC)]
    assert [len(b) for b in bodies] == [20, 20, 2]
    sim.request_log.clear()
    await client.set_config({f"feature.sim.param{i}": f"v{i}" for i in range(1, 46)})
    assert [len(r.body["data"]) for r in sim.requests(BASIC)] == [20, 20, 5]
    assert (await client.get_config(["feature.sim.param45"])).get(
        "feature.sim.param45"
    ) == "v45"
    sim.request_log.clear()
    await client.set_config({f"big.{i}": "y" * 6000 for i in range(5)})
    sizes = [len(r.body["data"]) for r in sim.requests(BASIC)]
    assert sum(sizes) == 5
    assert max(sizes) == 3


async def test_phone_refuses_more_than_20_names(
    sim: TrioSimulator, session: aiohttp.ClientSession
) -> None:
    async with session.post(
        f"https://{BASIC}:{PORT}/api/v1/mgmt/config/get",
        json={"data": [f"feature.sim.param{i}" for i in range(1, 22)]},
        headers=_BASIC_AUTH,
        ssl=False,
    ) as response:
        assert (await response.json())["Status"] == "4009"


# -- TLS ----------------------------------------------------------------------------------


async def test_fingerprint_first_contact_and_pin(
    sim: TrioSimulator, make_client: MakeClient
) -> None:
    client = make_client(BASIC)
    assert client.peer_fingerprint is None
    await client.device_info()
    seen = client.peer_fingerprint
    assert seen == sim.fingerprint(BASIC)
    assert await fetch_fingerprint(BASIC, PORT) == seen
    pinned = make_client(BASIC, pinned_fingerprint=format_fingerprint(seen))
    assert pinned.pinned_fingerprint == seen
    await pinned.device_info()
    sim.request_log.clear()
    await sim.new_certificate(BASIC)
    await asyncio.sleep(0.05)  # pooled connections see the reset
    with pytest.raises(TrioCertificateMismatchError) as err:
        await pinned.dial("2000")
    assert err.value.kind == "certificate_changed"
    assert sim.requests(BASIC) == []  # nothing (no credentials) reached the phone
    await client.device_info()  # unpinned clients follow the new certificate
    assert client.peer_fingerprint == sim.fingerprint(BASIC) != seen


async def test_ca_verification_option(
    sim: TrioSimulator, make_client: MakeClient
) -> None:
    with pytest.raises(TrioTlsError) as err:
        await make_client(BASIC, verify_tls=True).device_info()
    assert isinstance(err.value, TrioConnectionError)


def test_fingerprint_formats() -> None:
    digits = "ab" * 32
    assert normalize_fingerprint(":".join(["AB"] * 32)) == digits
    assert format_fingerprint(digits).startswith("AB:AB:")
    with pytest.raises(ValueError):
        normalize_fingerprint("abcd")


async def test_fetch_fingerprint_nothing_listening(allow_hosts: None) -> None:
    with pytest.raises(TrioConnectionError):
        await fetch_fingerprint(SPARE, PORT, timeout=1)


# -- faults -------------------------------------------------------------------------------


async def test_fault_down(sim: TrioSimulator, client: TrioClient) -> None:
    await client.device_info()
    sim.set_fault(FaultMode.DOWN, BASIC)
    with pytest.raises(TrioConnectionError) as err:
        await client.device_info()
    assert not isinstance(err.value, DeviceResponseError)
    sim.set_fault(FaultMode.NONE, BASIC)
    await asyncio.sleep(0.05)
    assert (await client.device_info()).model


async def test_fault_slow(sim: TrioSimulator, make_client: MakeClient) -> None:
    sim.set_fault(FaultMode.SLOW, BASIC, delay=2)
    client = make_client(BASIC, timeout=0.3)
    with pytest.raises(TrioConnectionError) as err:
        await client.device_info()
    assert "no answer" in str(err.value)
    sim.set_fault(FaultMode.SLOW, BASIC, delay=0.05)
    await client.device_info()


@pytest.mark.parametrize(
    "mode", [FaultMode.HTTP_500, FaultMode.MALFORMED, FaultMode.TRUNCATED]
)
async def test_fault_bad_answers(
    sim: TrioSimulator, client: TrioClient, mode: FaultMode
) -> None:
    sim.set_fault(mode, BASIC)
    with pytest.raises(TrioConnectionError) as err:
        await client.dial("2000")
    assert "Model" not in str(err.value)  # never body text
    assert "https://" not in str(err.value)
    sim.set_fault(FaultMode.NONE)
    assert sim.phone(BASIC).calls == {}  # the failed action raised, nothing ran
    await client.dial("2000")
    assert len(sim.phone(BASIC).calls) == 1


async def test_plain_http_connection_refused(
    allow_hosts: None, make_client: MakeClient
) -> None:
    client = make_client(SPARE, use_https=False)
    with pytest.raises(TrioConnectionError) as err:
        await client.device_info()
    assert SPARE in str(err.value)
    assert client.peer_fingerprint is None
