"""Config flow steps of Poly Trio phones: manual entry, DHCP, reauth, reconfigure, options.

The phone's certificate names its MAC, not its address, so host-name verification
fails by design. By default the flow pins the certificate it sees first (its SHA-256
fingerprint, read before the password is sent) and the client refuses any other one;
a user whose phones carry certificates of a trusted CA chooses normal verification.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
import voluptuous as vol

from ..const import CONF_KIND, CONF_POLL_INTERVAL, KIND_TRIO, LOGGER
from ..flow import VenueAVFlow
from ..protocol.trio import (
    DEFAULT_PORT,
    DeviceInfo,
    TrioAuthenticationError,
    TrioCertificateMismatchError,
    TrioClient,
    TrioDefaultPasswordError,
    TrioError,
    TrioRestApiDisabledError,
    TrioTlsError,
    fetch_fingerprint,
    format_fingerprint,
)
from ..protocol.trio.models import normalize_mac
from .const import (
    CONF_FINGERPRINT,
    CONF_PASSWORD,
    CONF_PUSH,
    CONF_VERIFY_TLS,
    CONF_WEBHOOK_ID,
    DEFAULT_POLL_INTERVAL,
    MAX_POLL_INTERVAL,
    MIN_POLL_INTERVAL,
)

_PASSWORD_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_NAME_PARAM = "device.local.deviceName"


def _valid_host(host: str) -> bool:
    """A host name or address, not a URL or "host:port" (port has its own field)."""
    return (
        bool(host)
        and not any(char in host for char in "/ @?#")
        and (host.count(":") != 1)
    )


def _connection_schema(defaults: Mapping[str, Any]) -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(CONF_HOST, default=defaults.get(CONF_HOST, "")): str,
            vol.Required(
                CONF_PORT, default=defaults.get(CONF_PORT, DEFAULT_PORT)
            ): vol.All(vol.Coerce(int), vol.Range(min=1, max=65535)),
            vol.Required(CONF_PASSWORD): _PASSWORD_SELECTOR,
            vol.Required(
                CONF_VERIFY_TLS, default=defaults.get(CONF_VERIFY_TLS, False)
            ): BooleanSelector(),
        }
    )


class TrioFlowSteps(VenueAVFlow):
    """The Poly Trio steps of the integration's config flow (the menu entry "trio")."""

    def __init__(self) -> None:
        """Start with nothing discovered."""
        super().__init__()
        self._trio_host: str | None = None

    async def _async_trio_validate(
        self,
        user_input: Mapping[str, Any],
        errors: dict[str, str],
        *,
        pinned: str | None = None,
    ) -> tuple[DeviceInfo, str | None, str] | None:
        """Read the phone's device info: proves address, password and certificate.

        Returns the info, the fingerprint to pin (None with normal verification) and
        the phone's name; fills ``errors`` instead on failure. ``pinned`` (reauth)
        checks the stored fingerprint rather than trusting a new one.
        """
        host = str(user_input[CONF_HOST]).strip()
        port = int(user_input.get(CONF_PORT, DEFAULT_PORT))
        verify = bool(user_input.get(CONF_VERIFY_TLS, False))
        if not _valid_host(host):
            errors[CONF_HOST] = "invalid_host"
            return None
        try:
            fingerprint = None
            if not verify:
                # Read before any password is sent: what the user trusts from now on.
                fingerprint = pinned or await fetch_fingerprint(host, port)
            client = TrioClient(
                host,
                async_get_clientsession(self.hass, verify_ssl=verify),
                password=user_input[CONF_PASSWORD],
                port=port,
                pinned_fingerprint=fingerprint,
                verify_tls=verify,
            )
            info = await client.device_info()
            name = await _async_phone_name(client)
        except TrioAuthenticationError:
            errors[CONF_PASSWORD] = "invalid_auth"
        except TrioDefaultPasswordError:
            errors[CONF_PASSWORD] = "default_password"
        except TrioRestApiDisabledError:
            errors["base"] = "rest_api_disabled"
        except TrioCertificateMismatchError:
            errors["base"] = "certificate_changed"
        except TrioTlsError:
            errors["base"] = "tls_error"
        except TrioError:
            errors["base"] = "cannot_connect"
        except Exception:  # noqa: BLE001 - a flow must show an error, never crash
            LOGGER.exception("Unexpected error while validating a Poly Trio")
            errors["base"] = "unknown"
        else:
            if not info.mac_address:
                errors["base"] = "cannot_connect"
                return None
            return info, fingerprint, name or info.model or host
        return None

    def _trio_data(
        self, user_input: Mapping[str, Any], fingerprint: str | None
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            CONF_HOST: str(user_input[CONF_HOST]).strip(),
            CONF_PORT: int(user_input.get(CONF_PORT, DEFAULT_PORT)),
            CONF_PASSWORD: user_input[CONF_PASSWORD],
            CONF_VERIFY_TLS: bool(user_input.get(CONF_VERIFY_TLS, False)),
            CONF_FINGERPRINT: fingerprint,
        }
        return data

    async def async_step_trio(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add a phone by its address and admin password."""
        errors: dict[str, str] = {}
        if user_input is not None:
            result = await self._async_trio_validate(user_input, errors)
            if result is not None:
                info, fingerprint, name = result
                await self.async_set_unique_id(info.mac_address)
                self._abort_if_unique_id_configured(
                    updates={CONF_HOST: str(user_input[CONF_HOST]).strip()}
                )
                return self._async_create_trio_entry(name, user_input, fingerprint)
        return self.async_show_form(
            step_id="trio",
            data_schema=self.add_suggested_values_to_schema(
                _connection_schema({}), user_input or {}
            ),
            errors=errors,
        )

    def _async_create_trio_entry(
        self, name: str, user_input: Mapping[str, Any], fingerprint: str | None
    ) -> ConfigFlowResult:
        return self.async_create_entry(
            title=name,
            data={
                CONF_KIND: KIND_TRIO,
                **self._trio_data(user_input, fingerprint),
                CONF_WEBHOOK_ID: webhook.async_generate_id(),
            },
        )

    async def async_step_dhcp(
        self, discovery_info: DhcpServiceInfo
    ) -> ConfigFlowResult:
        """A Poly phone on the network: update a known one's address, offer a new one."""
        await self.async_set_unique_id(normalize_mac(discovery_info.macaddress))
        self._abort_if_unique_id_configured(updates={CONF_HOST: discovery_info.ip})
        self._trio_host = discovery_info.ip
        self.context["title_placeholders"] = {"name": discovery_info.ip}
        return await self.async_step_trio_dhcp_confirm()

    async def async_step_trio_dhcp_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Confirm a discovered phone with its admin password."""
        assert self._trio_host is not None
        errors: dict[str, str] = {}
        if user_input is not None:
            full = {**user_input, CONF_HOST: self._trio_host}
            result = await self._async_trio_validate(full, errors)
            if result is not None:
                info, fingerprint, name = result
                if info.mac_address != self.unique_id:
                    return self.async_abort(reason="wrong_device")
                return self._async_create_trio_entry(name, full, fingerprint)
        schema = vol.Schema(
            {
                vol.Required(CONF_PORT, default=DEFAULT_PORT): vol.All(
                    vol.Coerce(int), vol.Range(min=1, max=65535)
                ),
                vol.Required(CONF_PASSWORD): _PASSWORD_SELECTOR,
                vol.Required(CONF_VERIFY_TLS, default=False): BooleanSelector(),
            }
        )
        return self.async_show_form(
            step_id="trio_dhcp_confirm",
            data_schema=schema,
            description_placeholders={"host": self._trio_host},
            errors=errors,
        )

    async def async_step_trio_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """The phone rejected the stored password."""
        return await self.async_step_trio_reauth_confirm()

    async def async_step_trio_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the admin password again (same phone, same certificate)."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            full = {**entry.data, CONF_PASSWORD: user_input[CONF_PASSWORD]}
            result = await self._async_trio_validate(
                full, errors, pinned=entry.data.get(CONF_FINGERPRINT)
            )
            if result is not None:
                await self.async_set_unique_id(result[0].mac_address)
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                return self._async_update_entry_and_abort(
                    entry,
                    {CONF_PASSWORD: user_input[CONF_PASSWORD]},
                    "reauth_successful",
                )
        return self.async_show_form(
            step_id="trio_reauth_confirm",
            data_schema=vol.Schema({vol.Required(CONF_PASSWORD): _PASSWORD_SELECTOR}),
            description_placeholders={"name": entry.title},
            errors=errors,
        )

    async def async_step_trio_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change address, password or certificate trust (pins the current certificate).

        The way out after a phone was reset or replaced and shows a new certificate.
        """
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            result = await self._async_trio_validate(user_input, errors)
            if result is not None:
                info, fingerprint, _name = result
                await self.async_set_unique_id(info.mac_address)
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                return self._async_update_entry_and_abort(
                    entry,
                    self._trio_data(user_input, fingerprint),
                    "reconfigure_successful",
                )
        fingerprint = entry.data.get(CONF_FINGERPRINT)
        return self.async_show_form(
            step_id="trio_reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                _connection_schema(entry.data),
                {
                    k: v
                    for k, v in (user_input or entry.data).items()
                    if k != CONF_PASSWORD
                },
            ),
            description_placeholders={
                "name": entry.title,
                "fingerprint": format_fingerprint(fingerprint) if fingerprint else "-",
            },
            errors=errors,
        )


async def _async_phone_name(client: TrioClient) -> str:
    """The name set on the phone, if the firmware reports one."""
    try:
        values = await client.get_config([_NAME_PARAM])
    except TrioError:
        return ""
    return (values.get(_NAME_PARAM) or "").strip()


class TrioOptionsFlow(OptionsFlow):
    """Poll interval and instant call events of a phone."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the phone's options (a step of its own: IMM's "init" differs)."""
        return await self.async_step_trio_options()

    async def async_step_trio_options(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and store the options."""
        if user_input is not None:
            return self.async_create_entry(
                data={
                    CONF_POLL_INTERVAL: int(user_input[CONF_POLL_INTERVAL]),
                    CONF_PUSH: bool(user_input[CONF_PUSH]),
                }
            )
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_POLL_INTERVAL, default=DEFAULT_POLL_INTERVAL
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=MIN_POLL_INTERVAL,
                        max=MAX_POLL_INTERVAL,
                        step=1,
                        mode=NumberSelectorMode.BOX,
                        unit_of_measurement="s",
                    )
                ),
                vol.Required(CONF_PUSH, default=True): BooleanSelector(),
            }
        )
        return self.async_show_form(
            step_id="trio_options",
            data_schema=self.add_suggested_values_to_schema(
                schema, self.config_entry.options
            ),
        )
