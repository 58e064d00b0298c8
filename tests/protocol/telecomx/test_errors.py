"""Every error form of the cloud becomes the right typed exception."""

from __future__ import annotations

import pytest

from custom_components.venue_av.protocol.errors import (
    DeviceAuthenticationError,
    DeviceCommandError,
    DeviceConnectionError,
)
from custom_components.venue_av.protocol.telecomx import (
    ActionType,
    TelecomXBlacklistedError,
    TelecomXCommandError,
    TelecomXConflictError,
    TelecomXCredentialsError,
    TelecomXError,
    TelecomXNotFoundError,
    TelecomXPermissionError,
    TelecomXResponseError,
    TelecomXServerError,
    TelecomXTokenError,
    TelecomXValidationError,
)
from simulators.telecomx import TelecomXSimulator

from .conftest import MANAGER, Login

CASES = [
    (400, "format_error", TelecomXCommandError, "api_error"),
    (401, "expired", TelecomXTokenError, "token_invalid"),
    (401, "invalid_token", TelecomXTokenError, "token_invalid"),
    (401, "format_error", TelecomXTokenError, "token_invalid"),
    (403, "access_denied", TelecomXPermissionError, "access_denied"),
    (403, "blacklisted", TelecomXBlacklistedError, "blacklisted"),
    (404, "group", TelecomXNotFoundError, "not_found"),
    (404, "device", TelecomXNotFoundError, "not_found"),
    (404, "screenshot", TelecomXNotFoundError, "not_found"),
    (409, "conflict", TelecomXConflictError, "conflict"),
    (422, "volume", TelecomXValidationError, "invalid_parameter"),
    (422, "keys", TelecomXValidationError, "invalid_parameter"),
    (500, "internal_error", TelecomXServerError, "server_error"),
    (503, "unavailable", TelecomXServerError, "server_error"),
    (418, "teapot", TelecomXCommandError, "api_error"),
]


@pytest.mark.parametrize("as_list", [False, True])
@pytest.mark.parametrize(("status", "code", "cls", "kind"), CASES)
async def test_error_bodies_on_an_action(
    login: Login,
    sim: TelecomXSimulator,
    status: int,
    code: str,
    cls: type[TelecomXError],
    kind: str,
    as_list: bool,
) -> None:
    client = await login(MANAGER)
    sim.inject_error(status, code, "Described", as_list=as_list, count=2)
    with pytest.raises(cls) as caught:
        await client.group_action(sim.state.group_id("Lobby"), ActionType.REBOOT)
    error = caught.value
    assert error.kind == kind
    assert "Described" in str(error)
    assert error.code in (code, status)  # type: ignore[attr-defined]
    if isinstance(error, TelecomXValidationError):
        assert error.parameter == code
    if isinstance(error, TelecomXNotFoundError):
        assert error.what == code
    if isinstance(error, TelecomXPermissionError):
        assert "MANAGER" in error.required
        assert "ADMIN" in error.required
    if isinstance(error, TelecomXCommandError):
        assert error.status == status
        assert error.errors[0].code == code
        assert error.errors[0].status == status
    # Actions are never retried, whatever the error.
    assert len(sim.requests("/iptv/device/action")) == 1


async def test_base_classes(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(MANAGER)
    sim.inject_error(401, "expired", "Token expired")
    with pytest.raises(DeviceAuthenticationError):
        await client.device_page()
    sim.inject_error(422, "type", "Type is invalid")
    with pytest.raises(DeviceCommandError):
        await client.device_page()
    sim.inject_error(500, "internal_error", "", count=2)
    with pytest.raises(DeviceConnectionError):
        await client.device_page()


async def test_login_errors_are_about_credentials(
    client, sim: TelecomXSimulator
) -> None:
    sim.inject_error(401, "credentials_invalid", "Invalid credentials", as_list=True)
    with pytest.raises(TelecomXCredentialsError) as caught:
        await client.login(MANAGER, "whatever")
    assert not isinstance(caught.value, TelecomXTokenError)
    assert caught.value.code == "credentials_invalid"


async def test_error_without_body(login: Login, sim: TelecomXSimulator) -> None:
    """Bare statuses (no JSON) still map by status."""
    client = await login(MANAGER)
    sim.blacklisted = False

    async def bare(status: int) -> TelecomXError:
        sim.inject_error(status, "", "")
        try:
            await client.device_action("a" * 24, ActionType.UI)
        except TelecomXError as err:
            return err
        raise AssertionError("no error")

    assert isinstance(await bare(404), TelecomXNotFoundError)
    assert isinstance(await bare(403), TelecomXPermissionError)
    assert isinstance(await bare(422), TelecomXValidationError)
    assert isinstance(await bare(401), TelecomXTokenError)
    assert isinstance(await bare(409), TelecomXConflictError)
    assert isinstance(await bare(302), TelecomXResponseError)


async def test_unknown_path_is_not_found(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(MANAGER)
    with pytest.raises(TelecomXNotFoundError):
        await client._send("GET", "/nope", what="nothing")


async def test_non_json_error_body(login: Login, sim: TelecomXSimulator) -> None:
    """A proxy's HTML error page still maps by status."""
    client = await login(MANAGER)
    page = b"<html><body>502 Bad Gateway</body></html>"
    sim.inject_response(502, page, content_type="text/html", count=2)
    with pytest.raises(TelecomXServerError) as caught:
        await client.device_page()
    assert caught.value.code == "internal_error"
    assert len(sim.requests("/iptv/device")) == 2


async def test_documented_error_path(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(MANAGER)
    with pytest.raises(TelecomXNotFoundError) as caught:
        await client.group_action("0" * 24, ActionType.UI)
    assert caught.value.errors[0].path == "/iptv/device/action"
    sim.error_as_list = True
    with pytest.raises(TelecomXNotFoundError) as caught:
        await client.group_action("0" * 24, ActionType.UI)
    assert caught.value.errors[0].code == "group"


async def test_cancel_answers(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(MANAGER)
    box = sim.state.box_by_name("Room 101").device_id
    sim.inject_response(200, b"")
    await client.cancel_action(box, "a" * 24)  # empty body: accepted
    sim.inject_response(200, b'{"success": false}')
    with pytest.raises(TelecomXCommandError) as caught:
        await client.cancel_action(box, "a" * 24)
    assert caught.value.name == "cancel_failed"
    sim.inject_response(200, b"[1, 2]")
    with pytest.raises(TelecomXResponseError):
        await client.cancel_action(box, "a" * 24)
    assert len(sim.requests(f"/iptv/device/{box}/action/{'a' * 24}")) == 3
