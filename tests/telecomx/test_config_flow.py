"""Config, reauth, reconfigure and options flows of TelecomX accounts, against the simulator."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntryState,
    ConfigFlowResult,
)
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.venue_av.const import (
    CONF_KIND,
    CONF_POLL_INTERVAL,
    DOMAIN,
    KIND_TELECOMX,
)
from custom_components.venue_av.protocol.telecomx import DEFAULT_BASE_URL, LoginResult
from custom_components.venue_av.telecomx.config_flow import account_unique_id
from custom_components.venue_av.telecomx.const import (
    CONF_ACCESS_LEVEL,
    CONF_API_URL,
    CONF_AUTHENTICATOR_TOKEN,
    CONF_FEATURES,
    CONF_GROUPS,
    CONF_SMS_KEY,
    CONF_TOKEN,
    CONF_UNGROUPED_BOXES,
)
from simulators.telecomx import (
    AUTHENTICATOR_TOKEN,
    PASSWORDS,
    SMS_KEY,
    TelecomXSimulator,
)
from simulators.telecomx.state import oid

from ..conftest import SetUpEntry
from .conftest import (
    ADMIN,
    MANAGER,
    OWNER,
    SECURE,
    SIM_HOST,
    MakeEntry,
    group_id,
)

AURORA = oid("customer", 2)


async def _start(hass: HomeAssistant, *, advanced: bool = True) -> dict[str, Any]:
    """Open the user flow and choose "IPTV account" in its menu."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER, "show_advanced_options": advanced}
    )
    assert result["type"] is FlowResultType.MENU
    assert KIND_TELECOMX in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": KIND_TELECOMX}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "telecomx"
    return result


def _fields(result: dict[str, Any]) -> list[str]:
    return [str(marker) for marker in result["data_schema"].schema]


async def _login(
    hass: HomeAssistant, result: dict[str, Any], sim: TelecomXSimulator, email: str
) -> dict[str, Any]:
    return await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_EMAIL: email,
            CONF_PASSWORD: PASSWORDS[email],
            CONF_API_URL: sim.base_url + "/",
        },
    )


async def test_plain_login(hass: HomeAssistant, tx_sim: TelecomXSimulator) -> None:
    """E-mail and password: the token is stored, the password is not."""
    result = await _start(hass)
    assert _fields(result) == [CONF_EMAIL, CONF_PASSWORD, CONF_API_URL]
    with patch(
        "custom_components.venue_av.telecomx.async_setup_entry", return_value=True
    ):
        result = await _login(hass, result, tx_sim, MANAGER)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Hotel Aurora"
    data = result["data"]
    assert CONF_PASSWORD not in data
    assert PASSWORDS[MANAGER] not in str(data)
    assert data[CONF_KIND] == KIND_TELECOMX
    assert data[CONF_API_URL] == tx_sim.base_url
    assert data[CONF_ACCESS_LEVEL] == "MANAGER"
    assert data[CONF_FEATURES] == ["IPTVBUSINESS"]
    assert data[CONF_EMAIL] == MANAGER
    assert data[CONF_TOKEN]
    entry = result["result"]
    assert entry.unique_id == f"{AURORA}_{oid('employee', 2)}"
    # A persistent token: the login asked for one.
    (login,) = tx_sim.requests("/auth/login")
    assert login.status == 200


async def test_url_only_in_advanced_mode(
    hass: HomeAssistant, tx_sim: TelecomXSimulator
) -> None:
    """Without advanced mode the provider's URL (here: the simulator) is not asked."""
    with patch(
        "custom_components.venue_av.telecomx.config_flow.DEFAULT_BASE_URL",
        tx_sim.base_url,
    ):
        result = await _start(hass, advanced=False)
    # Home Assistant 2026 retired advanced mode (every flow sees it on): there the URL
    # field shows, prefilled with the provider's, and is left as it is.
    assert _fields(result) in (
        [CONF_EMAIL, CONF_PASSWORD],
        [CONF_EMAIL, CONF_PASSWORD, CONF_API_URL],
    )
    with patch(
        "custom_components.venue_av.telecomx.async_setup_entry", return_value=True
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_EMAIL: MANAGER, CONF_PASSWORD: PASSWORDS[MANAGER]}
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_API_URL] == tx_sim.base_url


@pytest.mark.parametrize(
    "url", ["ftp://host", "not a url", "http://user@host", "http://[::1"]
)
async def test_invalid_url(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, url: str
) -> None:
    """An API URL that is not plain http(s) is refused on its field."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_EMAIL: MANAGER, CONF_PASSWORD: "x", CONF_API_URL: url},
    )
    assert result["errors"] == {CONF_API_URL: "telecomx_invalid_url"}


async def test_wrong_password_then_right(
    hass: HomeAssistant, tx_sim: TelecomXSimulator
) -> None:
    """A wrong password is an error on the form; the retry succeeds."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_EMAIL: MANAGER, CONF_PASSWORD: "wrong", CONF_API_URL: tx_sim.base_url},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "telecomx_invalid_auth"}
    with patch(
        "custom_components.venue_av.telecomx.async_setup_entry", return_value=True
    ):
        result = await _login(hass, result, tx_sim, OWNER)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_ACCESS_LEVEL] == "OWNER"


async def test_second_factor(hass: HomeAssistant, tx_sim: TelecomXSimulator) -> None:
    """An account with two-factor login: a missing, a wrong, then the right code."""
    result = await _start(hass)
    result = await _login(hass, result, tx_sim, SECURE)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "telecomx_second_factor"
    assert result["description_placeholders"] == {"email": SECURE}

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["errors"] == {"base": "telecomx_second_factor_missing"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SMS_KEY: "000000"}
    )
    assert result["errors"] == {"base": "telecomx_invalid_second_factor"}
    with patch(
        "custom_components.venue_av.telecomx.async_setup_entry", return_value=True
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_AUTHENTICATOR_TOKEN: AUTHENTICATOR_TOKEN}
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert AUTHENTICATOR_TOKEN not in str(result["data"])
    assert SMS_KEY not in str(result["data"])


async def test_second_factor_named_on_retry(
    hass: HomeAssistant, tx_sim: TelecomXSimulator
) -> None:
    """A cloud that keeps naming the second factor after one was sent: wrong code."""
    tx_sim.state.second_factor_message = "SMS key required"
    result = await _start(hass)
    result = await _login(hass, result, tx_sim, SECURE)
    assert result["step_id"] == "telecomx_second_factor"
    tx_sim.inject_error(401, "credentials_invalid", "Wrong SMS key")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SMS_KEY: SMS_KEY}
    )
    assert result["errors"] == {"base": "telecomx_invalid_second_factor"}


async def test_already_configured(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, make_entry: MakeEntry
) -> None:
    """The same employee of the same customer is configured once."""
    (await make_entry(MANAGER)).add_to_hass(hass)
    result = await _start(hass)
    result = await _login(hass, result, tx_sim, MANAGER)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "telecomx_already_configured"


async def test_cloud_errors(hass: HomeAssistant, tx_sim: TelecomXSimulator) -> None:
    """Blacklisted address, a server fault and a surprise each show their error."""
    result = await _start(hass)
    tx_sim.blacklisted = True
    result = await _login(hass, result, tx_sim, MANAGER)
    assert result["errors"] == {"base": "telecomx_blacklisted"}
    tx_sim.blacklisted = False
    tx_sim.inject_error(500, "internal_error", "boom")
    result = await _login(hass, result, tx_sim, MANAGER)
    assert result["errors"] == {"base": "cannot_connect"}
    tx_sim.inject_error(409, "conflict", "odd")
    result = await _login(hass, result, tx_sim, MANAGER)
    assert result["errors"] == {"base": "unknown"}
    with patch(
        "custom_components.venue_av.telecomx.config_flow.TelecomXClient.login",
        side_effect=RuntimeError,
    ):
        result = await _login(hass, result, tx_sim, MANAGER)
    assert result["errors"] == {"base": "unknown"}


async def test_reauth(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    """A new password login replaces the token; a wrong password is an error first."""
    entry = await setup_entry(await make_entry(MANAGER))
    old_token = entry.data[CONF_TOKEN]
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "telecomx_reauth_confirm"
    assert result["description_placeholders"] == {
        "name": "Hotel Aurora",
        "email": MANAGER,
    }
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "wrong"}
    )
    assert result["errors"] == {"base": "telecomx_invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: PASSWORDS[MANAGER]}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_TOKEN] != old_token
    assert CONF_PASSWORD not in entry.data
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_reauth_with_second_factor(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, make_entry: MakeEntry
) -> None:
    """Reauth of a two-factor account asks the code again."""
    entry = await make_entry(SECURE, sms_key=SMS_KEY)
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: PASSWORDS[SECURE]}
    )
    assert result["step_id"] == "telecomx_second_factor"
    with patch(
        "custom_components.venue_av.telecomx.async_setup_entry", return_value=True
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_SMS_KEY: SMS_KEY}
        )
    assert result["reason"] == "reauth_successful"


async def test_reauth_other_account(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, make_entry: MakeEntry
) -> None:
    """Reauth as another employee is refused (entry e-mail changed to test it)."""
    entry = await make_entry(MANAGER)
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_EMAIL: OWNER}
    )
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: PASSWORDS[OWNER]}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "telecomx_wrong_account"


async def _start_reconfigure(
    hass: HomeAssistant, entry: MockConfigEntry
) -> ConfigFlowResult:
    """Reconfigure in advanced mode (the helper's keyword went away in 2026)."""
    return await hass.config_entries.flow.async_init(
        DOMAIN,
        context={
            "source": SOURCE_RECONFIGURE,
            "entry_id": entry.entry_id,
            "show_advanced_options": True,
        },
    )


async def test_reconfigure(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    """Reconfigure logs in again (same account); another account is refused."""
    entry = await setup_entry(await make_entry(MANAGER))
    result = await _start_reconfigure(hass, entry)
    assert result["step_id"] == "telecomx_reconfigure"
    result = await _login(hass, result, tx_sim, ADMIN)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "telecomx_wrong_account"

    result = await _start_reconfigure(hass, entry)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_EMAIL: MANAGER, CONF_PASSWORD: "wrong", CONF_API_URL: tx_sim.base_url},
    )
    assert result["errors"] == {"base": "telecomx_invalid_auth"}
    result = await _login(hass, result, tx_sim, MANAGER)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_options(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    """Groups found on the boxes are offered; the named ones are stored."""
    entry = await setup_entry(await make_entry(MANAGER))
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["step_id"] == "telecomx_options"
    lobby = group_id(tx_sim, "Lobby")
    floor = group_id(tx_sim, "Floor 1")
    fields = _fields(result)
    assert fields[:2] == [CONF_POLL_INTERVAL, CONF_UNGROUPED_BOXES]
    assert lobby in fields
    assert floor in fields
    assert "Lobby left" in result["description_placeholders"]["groups"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_POLL_INTERVAL: 120,
            CONF_UNGROUPED_BOXES: False,
            lobby: " Lobby screens ",
            floor: "",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {
        CONF_GROUPS: {lobby: "Lobby screens"},
        CONF_UNGROUPED_BOXES: False,
        CONF_POLL_INTERVAL: 120,
    }
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    # Opened again, the stored names are suggested.
    result = await hass.config_entries.options.async_init(entry.entry_id)
    for marker in result["data_schema"].schema:
        if marker == lobby:
            assert marker.description == {"suggested_value": "Lobby screens"}


async def test_options_without_loaded_entry(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, make_entry: MakeEntry
) -> None:
    """An entry that is not loaded offers its configured groups only."""
    entry = await make_entry(MANAGER, groups={"Lobby": "Lobby"})
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert group_id(tx_sim, "Lobby") in _fields(result)
    assert group_id(tx_sim, "Floor 1") not in _fields(result)


def test_unique_id_without_ids() -> None:
    """A login answer without customer or employee ids: the e-mail is the account."""
    result = LoginResult.from_json({"token": "t", "accessLevel": "MANAGER"})
    assert account_unique_id(result, " Manager@Aurora.example ") == (
        "manager@aurora.example"
    )


def test_default_url() -> None:
    """The provider's URL is the default."""
    assert DEFAULT_BASE_URL == "https://api.telecomx.dk"
    assert SIM_HOST.startswith("127.")
