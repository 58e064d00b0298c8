"""Where the notes say UNKNOWN (§7), the client copes with every reading.

* 4010 "default password" may come as HTTP 401/403 with a non-JSON body;
* sendDTMF's key is ``Digits`` in three sources and ``digits`` in one;
* answer/hold/resume/ignore/reject may need ``Ref``.

The simulator is switched to each reading (``PhoneState`` attributes, also on the
command line and in the control API).
"""

from __future__ import annotations

from collections.abc import Callable
import time

import pytest

from custom_components.venue_av.protocol.trio import (
    TrioCallNotFoundError,
    TrioClient,
    TrioDefaultPasswordError,
    TrioNoCallError,
)
from custom_components.venue_av.protocol.trio.client import FACTORY_DEFAULT_PASSWORD
from simulators.trio import DefaultPasswordStyle, TrioSimulator

from .conftest import BASIC


def _bodies(sim: TrioSimulator, path: str) -> list[object]:
    return [r.body for r in sim.requests(BASIC) if r.path == path]


@pytest.mark.parametrize("http_status", [401, 403])
async def test_default_password_as_http_error_with_text(
    sim: TrioSimulator, client: TrioClient, http_status: int
) -> None:
    """A 401/403 page naming the default password is 4010, at once (no busy wait)."""
    state = sim.phone(BASIC)
    state.default_password = True
    state.default_password_style = DefaultPasswordStyle.TEXT
    state.default_password_http_status = http_status
    started = time.monotonic()
    with pytest.raises(TrioDefaultPasswordError) as err:
        await client.device_info()
    assert time.monotonic() - started < 1.0
    assert err.value.kind == "default_password"
    assert err.value.code == 4010
    assert "default admin password must be changed" in str(err.value)
    assert len(sim.requests(BASIC)) == 1


@pytest.mark.parametrize("http_status", [401, 403])
async def test_default_password_as_bare_http_error(
    sim: TrioSimulator, make_client: Callable[..., TrioClient], http_status: int
) -> None:
    """A bare 401/403 page while we send the factory password (456) is 4010 too."""
    state = sim.phone(BASIC)
    state.spec.password = FACTORY_DEFAULT_PASSWORD
    state.default_password = True
    state.default_password_style = DefaultPasswordStyle.PLAIN
    state.default_password_http_status = http_status
    client = make_client(BASIC, password=FACTORY_DEFAULT_PASSWORD)
    with pytest.raises(TrioDefaultPasswordError):
        await client.mute(True)
    assert len(sim.requests(BASIC)) == 1


async def test_default_password_as_json_still_recognised(
    sim: TrioSimulator, client: TrioClient
) -> None:
    state = sim.phone(BASIC)
    state.default_password = True
    state.default_password_http_status = 403
    with pytest.raises(TrioDefaultPasswordError):
        await client.device_info()


async def test_dtmf_falls_back_to_lower_case_key_and_remembers(
    sim: TrioSimulator, client: TrioClient
) -> None:
    sim.phone(BASIC).dtmf_keys = ("digits",)
    handle = sim.inject_incoming(BASIC, "3000")
    await client.answer(handle)
    await client.send_dtmf("12#")
    await client.send_dtmf("3")
    assert _bodies(sim, "/api/v1/callctrl/sendDTMF") == [
        {"data": {"Digits": "12#"}},
        {"data": {"digits": "12#"}},
        {"data": {"digits": "3"}},
    ]
    call = next(iter(sim.phone(BASIC).calls.values()))
    assert call.dtmf == ["12#", "3"]


async def test_dtmf_upper_case_key_sent_once(
    sim: TrioSimulator, client: TrioClient
) -> None:
    sim.phone(BASIC).dtmf_keys = ("Digits",)
    handle = sim.inject_incoming(BASIC, "3000")
    await client.answer(handle)
    await client.send_dtmf("7")
    await client.send_dtmf("8")
    assert _bodies(sim, "/api/v1/callctrl/sendDTMF") == [
        {"data": {"Digits": "7"}},
        {"data": {"Digits": "8"}},
    ]


async def test_call_actions_without_ref_send_the_current_call(
    sim: TrioSimulator, client: TrioClient
) -> None:
    """A phone that needs Ref still answers, holds and resumes ref-less calls."""
    sim.phone(BASIC).require_ref = True
    handle = sim.inject_incoming(BASIC, "3000", "Alice")
    await client.ignore()
    await client.answer()
    await client.hold()
    await client.resume()
    call = await client.call_status()
    assert call is not None
    assert call.handle.removeprefix("0x") == handle.removeprefix("0x")
    sim.inject_incoming(BASIC, "3001", "Bob")
    await client.reject()
    for path in ("ignoreCall", "answerCall", "holdCall", "resumeCall"):
        bodies = _bodies(sim, f"/api/v1/callctrl/{path}")
        assert len(bodies) == 1
        assert bodies[0]["data"]["Ref"]  # type: ignore[index]
    assert len(_bodies(sim, "/api/v1/callctrl/rejectCall")) == 1


async def test_ref_required_and_no_call(sim: TrioSimulator, client: TrioClient) -> None:
    sim.phone(BASIC).require_ref = True
    for action in (client.answer, client.hold, client.resume, client.reject):
        with pytest.raises(TrioNoCallError) as err:
            await action()
        assert err.value.kind == "no_active_call"
        assert isinstance(err.value, TrioCallNotFoundError)
    assert not [r for r in sim.requests(BASIC) if "/callctrl/" in r.path]


async def test_given_ref_is_sent_as_is(sim: TrioSimulator, client: TrioClient) -> None:
    sim.phone(BASIC).require_ref = True
    handle = sim.inject_incoming(BASIC, "3000")
    await client.answer(handle)
    assert _bodies(sim, "/api/v1/callctrl/answerCall") == [{"data": {"Ref": handle}}]
    assert not [r for r in sim.requests(BASIC) if "callStatus" in r.path]
