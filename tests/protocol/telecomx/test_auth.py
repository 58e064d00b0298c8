"""Login, tokens, logout, second factor, blacklisting; secrets stay secret."""

from __future__ import annotations

import logging

import pytest

from custom_components.venue_av.protocol.telecomx import (
    AccessLevel,
    ActionType,
    TelecomXBlacklistedError,
    TelecomXClient,
    TelecomXCredentialsError,
    TelecomXSecondFactorRequiredError,
    TelecomXTokenError,
)
from simulators.telecomx import (
    AUTHENTICATOR_TOKEN,
    PASSWORDS,
    SMS_KEY,
    TelecomXSimulator,
)

from .conftest import ADMIN, MANAGER, SECURE, VIEWER, Login


async def test_login_plain(client: TelecomXClient, sim: TelecomXSimulator) -> None:
    result = await client.login(MANAGER, PASSWORDS[MANAGER])
    assert client.logged_in
    assert result.access_level is AccessLevel.MANAGER
    assert result.expires_in_minutes == 15
    assert result.expires_at is not None
    assert not result.persistent
    assert result.customer_name == "Hotel Aurora"
    assert result.employee_name == "Mads Manager"
    assert result.features == frozenset({"IPTVBUSINESS"})
    assert ActionType.MESSAGE in result.allowed_action_types
    assert ActionType.SCREENSHOT not in result.allowed_action_types
    assert client.expires_at == result.expires_at
    assert await client.validate_token()
    # The token went in the header, never in a URL.
    assert all("token" not in r.params for r in sim.request_log)


async def test_login_persist(client: TelecomXClient) -> None:
    result = await client.login(ADMIN, PASSWORDS[ADMIN], persist=True)
    assert result.persistent
    assert result.expires_at is None
    assert result.access_level is AccessLevel.ADMIN


async def test_wrong_password(client: TelecomXClient) -> None:
    with pytest.raises(TelecomXCredentialsError) as caught:
        await client.login(MANAGER, "not-the-password")
    assert caught.value.kind == "invalid_credentials"
    assert not caught.value.second_factor_given
    assert not client.logged_in
    assert "not-the-password" not in str(caught.value)


async def test_second_factor_needed_then_given(client: TelecomXClient) -> None:
    with pytest.raises(TelecomXSecondFactorRequiredError) as caught:
        await client.login(SECURE, PASSWORDS[SECURE])
    assert caught.value.kind == "second_factor_required"
    assert isinstance(caught.value, TelecomXCredentialsError)
    result = await client.login(SECURE, PASSWORDS[SECURE], sms_key=SMS_KEY)
    assert result.access_level is AccessLevel.MANAGER
    other = TelecomXClient(client._session, base_url=client.base_url)
    await other.login(
        SECURE, PASSWORDS[SECURE], authenticator_token=AUTHENTICATOR_TOKEN
    )
    assert other.logged_in


async def test_second_factor_wrong(client: TelecomXClient) -> None:
    with pytest.raises(TelecomXCredentialsError) as caught:
        await client.login(SECURE, PASSWORDS[SECURE], sms_key="000000")
    assert caught.value.second_factor_given
    assert "000000" not in str(caught.value)


async def test_undescribed_401_suggests_second_factor(
    client: TelecomXClient, sim: TelecomXSimulator
) -> None:
    """A 401 that does not name the second factor still leaves the path open."""
    sim.state.second_factor_message = "Login refused"
    with pytest.raises(TelecomXCredentialsError) as caught:
        await client.login(SECURE, PASSWORDS[SECURE])
    assert not isinstance(caught.value, TelecomXSecondFactorRequiredError)
    assert not caught.value.second_factor_given


async def test_expired_token(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(MANAGER)
    sim.state.expire_tokens(MANAGER)
    with pytest.raises(TelecomXTokenError) as caught:
        await client.devices()
    assert caught.value.expired
    assert caught.value.kind == "token_invalid"
    assert not await client.validate_token()


async def test_token_expires_with_time(login: Login, sim: TelecomXSimulator) -> None:
    sim.state.token_minutes = 0.0
    client = await login(MANAGER)
    with pytest.raises(TelecomXTokenError) as caught:
        await client.device_page()
    assert caught.value.expired


async def test_invalid_token(client: TelecomXClient, session, sim) -> None:
    stale = TelecomXClient(session, base_url=sim.base_url, token="f" * 48)
    with pytest.raises(TelecomXTokenError) as caught:
        await stale.channels()
    assert not caught.value.expired
    assert caught.value.code == "invalid_token"
    assert "f" * 48 not in str(caught.value)
    assert "f" * 48 not in repr(stale)


async def test_not_logged_in_sends_nothing(
    client: TelecomXClient, sim: TelecomXSimulator
) -> None:
    with pytest.raises(TelecomXTokenError):
        await client.devices()
    assert not await client.validate_token()
    await client.logout()  # nothing to do
    assert sim.request_log == []


async def test_logout_invalidates_all_tokens(login: Login) -> None:
    first = await login(MANAGER)
    second = await login(MANAGER)
    await first.logout()
    assert not first.logged_in
    assert first.token is None
    assert not await second.validate_token()
    with pytest.raises(TelecomXTokenError):
        await second.device_page()
    # Logging out with an invalid token still forgets it.
    await second.logout()
    assert not second.logged_in


async def test_blacklisted(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(VIEWER)
    sim.blacklisted = True
    with pytest.raises(TelecomXBlacklistedError) as caught:
        await client.devices()
    assert caught.value.kind == "blacklisted"
    with pytest.raises(TelecomXBlacklistedError):
        await client.validate_token()
    with pytest.raises(TelecomXBlacklistedError):
        await TelecomXClient(client._session, base_url=sim.base_url).login(
            VIEWER, PASSWORDS[VIEWER]
        )


async def test_secrets_never_logged(
    client: TelecomXClient, sim: TelecomXSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    password = PASSWORDS[SECURE]
    with pytest.raises(TelecomXCredentialsError) as wrong:
        await client.login(SECURE, password, sms_key="999999")
    await client.login(SECURE, password, sms_key=SMS_KEY)
    token = client.token
    assert token
    await client.devices()
    assert await client.validate_token()
    sim.state.expire_tokens()
    with pytest.raises(TelecomXTokenError) as expired:
        await client.channels()
    # An error body echoing the token is scrubbed too.
    sim.inject_error(422, "filter", f"bad token {token}")
    with pytest.raises(Exception) as echoed:
        await client.device_page()
    for secret in (token, password, SMS_KEY, "999999"):
        assert secret not in caplog.text
        assert secret not in repr(client)
        assert secret not in str(wrong.value)
        assert secret not in str(expired.value)
        assert secret not in str(echoed.value)
        assert secret not in repr(echoed.value.errors)  # type: ignore[attr-defined]
        assert secret not in repr(sim.request_log)
    assert "REDACTED" in str(echoed.value)


async def test_validate_token_in_query_mode(
    login: Login, sim: TelecomXSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one switch that sends the token as query parameter (redacted in logs)."""
    from custom_components.venue_av.protocol.telecomx import client as client_module

    monkeypatch.setattr(client_module, "VALIDATE_TOKEN_IN_QUERY", True)
    client = await login(MANAGER)
    assert await client.validate_token()
    assert sim.request_log[-1].params["token"] == "**REDACTED**"
