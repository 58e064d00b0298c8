"""The Poly Trio config flow against simulated phones: every error, then a retry that works."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_DHCP, SOURCE_USER
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
import pytest

from custom_components.venue_av.const import CONF_KIND, CONF_POLL_INTERVAL, DOMAIN
from custom_components.venue_av.protocol.trio import DeviceInfo, TrioClient
from custom_components.venue_av.protocol.trio.errors import TrioFailureError
from custom_components.venue_av.trio.const import (
    CONF_FINGERPRINT,
    CONF_PASSWORD,
    CONF_PUSH,
    CONF_VERIFY_TLS,
    CONF_WEBHOOK_ID,
)
from simulators.trio import TrioSimulator

from ..conftest import SetUpEntry
from .conftest import (
    NOBODY,
    PASSWORD,
    PORT,
    ROOM,
    ROOM_MAC,
    SPARE,
    SPARE_MAC,
    trio_entry,
)

pytestmark = pytest.mark.usefixtures("trio_sim")


def form(host: str = ROOM, password: str = PASSWORD, **kw: Any) -> dict[str, Any]:
    return {
        CONF_HOST: host,
        CONF_PORT: PORT,
        CONF_PASSWORD: password,
        CONF_VERIFY_TLS: False,
        **kw,
    }


async def start_user_flow(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert "trio" in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "trio"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "trio"
    return result["flow_id"]


async def test_user_flow_pins_the_certificate(
    hass: HomeAssistant, trio_sim: TrioSimulator
) -> None:
    flow_id = await start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, form())
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Room Phone"
    assert result["result"].unique_id == ROOM_MAC
    data = result["data"]
    assert data[CONF_KIND] == "trio"
    assert data[CONF_FINGERPRINT] == trio_sim.fingerprint(ROOM)
    assert data[CONF_PASSWORD] == PASSWORD
    assert len(data[CONF_WEBHOOK_ID]) >= 32


@pytest.mark.parametrize(
    ("user_input", "prepare", "errors"),
    [
        (form(password="wrong"), None, {CONF_PASSWORD: "invalid_auth"}),
        (form(host="http://127.0.89.1"), None, {CONF_HOST: "invalid_host"}),
        (form(host="127.0.89.1:443"), None, {CONF_HOST: "invalid_host"}),
        (form(host=NOBODY), None, {"base": "cannot_connect"}),
        (form(), "rest_disabled", {"base": "rest_api_disabled"}),
        (form(), "default_password", {CONF_PASSWORD: "default_password"}),
        (form(**{CONF_VERIFY_TLS: True}), None, {"base": "tls_error"}),
    ],
)
@pytest.mark.usefixtures("tolerate_handshake_resets")
async def test_user_flow_errors_then_success(
    hass: HomeAssistant,
    trio_sim: TrioSimulator,
    user_input: dict[str, Any],
    prepare: str | None,
    errors: dict[str, str],
) -> None:
    state = trio_sim.phone(ROOM)
    if prepare == "rest_disabled":
        state.rest_enabled = False
    if prepare == "default_password":
        state.default_password = True
    flow_id = await start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    state.rest_enabled = True
    state.default_password = False
    result = await hass.config_entries.flow.async_configure(flow_id, form())
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_FINGERPRINT] == trio_sim.fingerprint(ROOM)


async def test_user_flow_unexpected_error_then_success(hass: HomeAssistant) -> None:
    flow_id = await start_user_flow(hass)
    with patch.object(TrioClient, "device_info", side_effect=RuntimeError("boom")):
        result = await hass.config_entries.flow.async_configure(flow_id, form())
    assert result["errors"] == {"base": "unknown"}
    result = await hass.config_entries.flow.async_configure(flow_id, form())
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_phone_without_mac(hass: HomeAssistant) -> None:
    info = DeviceInfo(
        model="Trio 8800",
        firmware="5.9",
        device_type="hardware",
        vendor="Polycom",
        mac_address="",
        ipv4_address=ROOM,
        ipv6_address="",
        uptime=None,
    )
    flow_id = await start_user_flow(hass)
    with patch.object(TrioClient, "device_info", return_value=info):
        result = await hass.config_entries.flow.async_configure(flow_id, form())
    assert result["errors"] == {"base": "cannot_connect"}
    result = await hass.config_entries.flow.async_configure(flow_id, form())
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_name_falls_back_to_model(hass: HomeAssistant) -> None:
    flow_id = await start_user_flow(hass)
    with patch.object(
        TrioClient, "get_config", side_effect=TrioFailureError(5000, "x", "failed")
    ):
        result = await hass.config_entries.flow.async_configure(flow_id, form())
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Trio 8800"


@pytest.mark.usefixtures("tolerate_handshake_resets")
async def test_user_flow_normal_verification_pins_nothing(
    hass: HomeAssistant,
) -> None:
    flow_id = await start_user_flow(hass)
    # A certificate a trusted authority issued would verify; the simulator's is
    # self-signed, so verification is accepted here as if it had.
    with patch(
        "custom_components.venue_av.trio.config_flow.TrioClient",
        side_effect=lambda host, session, **kw: TrioClient(
            host, session, **{**kw, "verify_tls": False}
        ),
    ):
        result = await hass.config_entries.flow.async_configure(
            flow_id, form(**{CONF_VERIFY_TLS: True})
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_FINGERPRINT] is None
    assert result["data"][CONF_VERIFY_TLS] is True


async def test_user_flow_known_phone_aborts(
    hass: HomeAssistant, trio_sim: TrioSimulator
) -> None:
    entry = trio_entry(trio_sim)
    entry.add_to_hass(hass)
    flow_id = await start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, form())
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


def dhcp(ip: str = ROOM, mac: str = ROOM_MAC) -> DhcpServiceInfo:
    return DhcpServiceInfo(ip=ip, hostname="trio8800", macaddress=mac)


async def test_dhcp_new_phone_confirmed(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=dhcp()
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "trio_dhcp_confirm"
    bad = {CONF_PORT: PORT, CONF_PASSWORD: "wrong", CONF_VERIFY_TLS: False}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], bad)
    assert result["errors"] == {CONF_PASSWORD: "invalid_auth"}
    good = {**bad, CONF_PASSWORD: PASSWORD}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], good)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == ROOM_MAC
    assert result["data"][CONF_HOST] == ROOM


async def test_dhcp_other_phone_at_the_address(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=dhcp(ROOM, "0004f2999999")
    )
    good = {CONF_PORT: PORT, CONF_PASSWORD: PASSWORD, CONF_VERIFY_TLS: False}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], good)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"


async def test_dhcp_known_phone_gets_its_new_address(
    hass: HomeAssistant, trio_sim: TrioSimulator
) -> None:
    entry = trio_entry(trio_sim, host=SPARE)
    entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=dhcp(ROOM, "0004f2890001")
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == ROOM


async def test_reauth_wrong_then_right_password(
    hass: HomeAssistant, trio_sim: TrioSimulator, setup_entry: SetUpEntry
) -> None:
    entry = await setup_entry(trio_entry(trio_sim))
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "trio_reauth_confirm"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "wrong"}
    )
    assert result["errors"] == {CONF_PASSWORD: "invalid_auth"}
    trio_sim.phone(ROOM).spec.password = "New-Admin-2"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "New-Admin-2"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_PASSWORD] == "New-Admin-2"


async def test_reauth_changed_certificate_then_reconfigured(
    hass: HomeAssistant, trio_sim: TrioSimulator
) -> None:
    entry = trio_entry(trio_sim, **{CONF_FINGERPRINT: "ab" * 32})
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: PASSWORD}
    )
    assert result["errors"] == {"base": "certificate_changed"}
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_FINGERPRINT: trio_sim.fingerprint(ROOM)}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: PASSWORD}
    )
    assert result["reason"] == "reauth_successful"


async def test_reauth_other_phone_aborts(
    hass: HomeAssistant, trio_sim: TrioSimulator
) -> None:
    entry = trio_entry(trio_sim, host=SPARE, **{CONF_FINGERPRINT: None})
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"


async def test_reconfigure_trusts_a_new_certificate(
    hass: HomeAssistant, trio_sim: TrioSimulator, setup_entry: SetUpEntry
) -> None:
    entry = await setup_entry(trio_entry(trio_sim))
    new_fingerprint = await trio_sim.new_certificate(ROOM)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "trio_reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form(password="wrong")
    )
    assert result["errors"] == {CONF_PASSWORD: "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], form())
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_FINGERPRINT] == new_fingerprint
    await hass.async_block_till_done()


async def test_reconfigure_other_phone_aborts(
    hass: HomeAssistant, trio_sim: TrioSimulator
) -> None:
    entry = trio_entry(trio_sim)
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form(host=SPARE)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"
    assert entry.unique_id == ROOM_MAC != SPARE_MAC


async def test_options(
    hass: HomeAssistant, trio_sim: TrioSimulator, setup_entry: SetUpEntry
) -> None:
    entry = await setup_entry(trio_entry(trio_sim))
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["step_id"] == "trio_options"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_POLL_INTERVAL: 5, CONF_PUSH: False}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_POLL_INTERVAL: 5, CONF_PUSH: False}
    await hass.async_block_till_done()
    assert entry.runtime_data.calls.idle_interval.total_seconds() == 5
