"""Config flow steps of TelecomX accounts: login (+ second factor), reauth, reconfigure.

The password (and the second factor) are used once to log in with ``persist``: the
long-lived token is stored, the password never is. When the token stops working, the
user re-authenticates; the integration never logs in by itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
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
import voluptuous as vol
from yarl import URL

from ..const import CONF_KIND, CONF_POLL_INTERVAL, KIND_TELECOMX, LOGGER
from ..flow import VenueAVFlow
from ..protocol.telecomx import (
    DEFAULT_BASE_URL,
    LoginResult,
    TelecomXBlacklistedError,
    TelecomXClient,
    TelecomXConnectionError,
    TelecomXCredentialsError,
    TelecomXError,
    TelecomXSecondFactorInvalidError,
    TelecomXSecondFactorRequiredError,
)
from .const import (
    CONF_ACCESS_LEVEL,
    CONF_API_URL,
    CONF_AUTHENTICATOR_TOKEN,
    CONF_CUSTOMER_ID,
    CONF_EMPLOYEE_ID,
    CONF_FEATURES,
    CONF_GROUPS,
    CONF_SMS_KEY,
    CONF_TOKEN,
    CONF_UNGROUPED_BOXES,
    DEFAULT_POLL_INTERVAL,
    MAX_POLL_INTERVAL,
    MIN_POLL_INTERVAL,
)

_PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_EMAIL = TextSelector(
    TextSelectorConfig(type=TextSelectorType.EMAIL, autocomplete="username")
)
_URL = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))

# Why a flow is logging in: what happens with a successful login.
MODE_USER = "user"
MODE_REAUTH = "reauth"
MODE_RECONFIGURE = "reconfigure"


def _valid_url(value: str) -> str | None:
    """The API URL without a trailing slash, or None when it is not http(s)."""
    value = value.strip().rstrip("/")
    try:
        url = URL(value)
    except ValueError:
        return None
    if url.scheme not in ("http", "https") or not url.host or url.user or url.query:
        return None
    return value


def account_unique_id(result: LoginResult, email: str) -> str:
    """Customer and employee: one entry per login of one customer."""
    if result.customer_id and result.employee_id:
        return f"{result.customer_id}_{result.employee_id}"
    return email.strip().lower()


class TelecomXFlowSteps(VenueAVFlow):
    """The TelecomX steps of the integration's config flow (menu entry "telecomx")."""

    def __init__(self) -> None:
        """Nothing entered yet."""
        super().__init__()
        self._tx_mode = MODE_USER
        self._tx_email = ""
        self._tx_password = ""
        self._tx_url = DEFAULT_BASE_URL

    async def _async_tx_login(
        self,
        errors: dict[str, str],
        *,
        sms_key: str | None = None,
        authenticator_token: str | None = None,
    ) -> LoginResult | ConfigFlowResult | None:
        """Log in; a second factor asked for leads to its step. Fills ``errors``."""
        client = TelecomXClient(
            async_get_clientsession(self.hass), base_url=self._tx_url
        )
        second_factor = bool(sms_key or authenticator_token)
        try:
            return await client.login(
                self._tx_email,
                self._tx_password,
                sms_key=sms_key,
                authenticator_token=authenticator_token,
                persist=True,
            )
        except TelecomXSecondFactorRequiredError:
            if not second_factor:
                return await self.async_step_telecomx_second_factor()
            errors["base"] = "telecomx_invalid_second_factor"
        except TelecomXSecondFactorInvalidError:
            # The answer named the code: it is wrong or expired, not missing.
            errors["base"] = "telecomx_invalid_second_factor"
        except TelecomXCredentialsError as err:
            # A plain refusal after a code was sent: the password or the code.
            errors["base"] = (
                "telecomx_invalid_second_factor"
                if err.second_factor_given
                else "telecomx_invalid_auth"
            )
        except TelecomXBlacklistedError:
            errors["base"] = "telecomx_blacklisted"
        except TelecomXConnectionError:
            errors["base"] = "cannot_connect"
        except TelecomXError:
            errors["base"] = "unknown"
        except Exception:  # noqa: BLE001 - a flow must show an error, never crash
            LOGGER.exception("Unexpected error while logging in to TelecomX")
            errors["base"] = "unknown"
        return None

    async def _async_tx_finish(self, result: LoginResult) -> ConfigFlowResult:
        """Create the entry, or update the re-authenticated / reconfigured one."""
        await self.async_set_unique_id(
            account_unique_id(result, self._tx_email), raise_on_progress=False
        )
        data = {
            CONF_KIND: KIND_TELECOMX,
            CONF_API_URL: self._tx_url,
            CONF_EMAIL: self._tx_email,
            CONF_TOKEN: result.token,
            CONF_CUSTOMER_ID: result.customer_id,
            CONF_EMPLOYEE_ID: result.employee_id,
            CONF_ACCESS_LEVEL: result.access_level.wire,
            CONF_FEATURES: None if result.features is None else sorted(result.features),
        }
        self._tx_password = ""
        if self._tx_mode == MODE_USER:
            # The shared "already_configured" text speaks of a player.
            if self.hass.config_entries.async_entry_for_domain_unique_id(
                self.handler, self.unique_id or ""
            ):
                return self.async_abort(reason="telecomx_already_configured")
            return self.async_create_entry(
                title=result.customer_name or self._tx_email, data=data
            )
        if self._tx_mode == MODE_REAUTH:
            entry = self._get_reauth_entry()
            self._abort_if_unique_id_mismatch(reason="telecomx_wrong_account")
            return self._async_update_entry_and_abort(entry, data, "reauth_successful")
        entry = self._get_reconfigure_entry()
        self._abort_if_unique_id_mismatch(reason="telecomx_wrong_account")
        return self._async_update_entry_and_abort(entry, data, "reconfigure_successful")

    async def _async_tx_submit(
        self, user_input: dict[str, Any], errors: dict[str, str]
    ) -> ConfigFlowResult | None:
        """Take e-mail, password and (advanced) URL from a form and log in."""
        if CONF_EMAIL in user_input:
            self._tx_email = user_input[CONF_EMAIL].strip()
        self._tx_password = user_input[CONF_PASSWORD]
        if CONF_API_URL in user_input:
            url = _valid_url(user_input[CONF_API_URL])
            if url is None:
                errors[CONF_API_URL] = "telecomx_invalid_url"
                return None
            self._tx_url = url
        result = await self._async_tx_login(errors)
        if result is None or not isinstance(result, LoginResult):
            return result
        return await self._async_tx_finish(result)

    def _tx_account_schema(self) -> vol.Schema:
        fields: dict[vol.Marker, Any] = {
            vol.Required(CONF_EMAIL): _EMAIL,
            vol.Required(CONF_PASSWORD): _PASSWORD,
        }
        if self.show_advanced_options:
            fields[vol.Required(CONF_API_URL, default=self._tx_url)] = _URL
        return vol.Schema(fields)

    async def async_step_telecomx(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """E-mail and password of a TelecomX employee login."""
        errors: dict[str, str] = {}
        if (
            user_input is not None
            and (result := await self._async_tx_submit(user_input, errors)) is not None
        ):
            return result
        return self.async_show_form(
            step_id="telecomx",
            data_schema=self.add_suggested_values_to_schema(
                self._tx_account_schema(), {CONF_EMAIL: self._tx_email}
            ),
            errors=errors,
        )

    async def async_step_telecomx_second_factor(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The SMS key or authenticator token of an account with two-factor login."""
        errors: dict[str, str] = {}
        if user_input is not None:
            sms_key = (user_input.get(CONF_SMS_KEY) or "").strip() or None
            totp = (user_input.get(CONF_AUTHENTICATOR_TOKEN) or "").strip() or None
            if not sms_key and not totp:
                errors["base"] = "telecomx_second_factor_missing"
            else:
                result = await self._async_tx_login(
                    errors, sms_key=sms_key, authenticator_token=totp
                )
                # With a second factor given, the login never asks for one again.
                if isinstance(result, LoginResult):
                    return await self._async_tx_finish(result)
        return self.async_show_form(
            step_id="telecomx_second_factor",
            data_schema=vol.Schema(
                {
                    vol.Optional(CONF_SMS_KEY): TextSelector(),
                    vol.Optional(CONF_AUTHENTICATOR_TOKEN): TextSelector(),
                }
            ),
            description_placeholders={"email": self._tx_email},
            errors=errors,
        )

    async def async_step_telecomx_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """The stored token stopped working: log in again."""
        self._tx_mode = MODE_REAUTH
        self._tx_email = entry_data[CONF_EMAIL]
        self._tx_url = entry_data[CONF_API_URL]
        return await self.async_step_telecomx_reauth_confirm()

    async def async_step_telecomx_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask the password again (the second factor follows when needed)."""
        errors: dict[str, str] = {}
        if (
            user_input is not None
            and (result := await self._async_tx_submit(user_input, errors)) is not None
        ):
            return result
        return self.async_show_form(
            step_id="telecomx_reauth_confirm",
            data_schema=vol.Schema({vol.Required(CONF_PASSWORD): _PASSWORD}),
            description_placeholders={
                "name": self._get_reauth_entry().title,
                "email": self._tx_email,
            },
            errors=errors,
        )

    async def async_step_telecomx_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Log in again, with another e-mail of the same account or another API URL."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is None:
            self._tx_mode = MODE_RECONFIGURE
            self._tx_email = entry.data[CONF_EMAIL]
            self._tx_url = entry.data[CONF_API_URL]
        elif (result := await self._async_tx_submit(user_input, errors)) is not None:
            return result
        return self.async_show_form(
            step_id="telecomx_reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                self._tx_account_schema(), {CONF_EMAIL: self._tx_email}
            ),
            description_placeholders={"name": entry.title},
            errors=errors,
        )


class TelecomXOptionsFlow(OptionsFlow):
    """Which groups become devices (named by the user), ungrouped boxes, poll interval."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The options live in the family's own step."""
        return await self.async_step_telecomx_options()

    def _group_ids(self) -> list[str]:
        """Groups of the boxes (no endpoint lists them) and the configured ones."""
        configured = list(self.config_entry.options.get(CONF_GROUPS, {}))
        coordinator = getattr(self.config_entry, "runtime_data", None)
        seen: dict[str, None] = dict.fromkeys(configured)
        if coordinator is not None and coordinator.data is not None:
            for box in coordinator.data.boxes.values():
                seen.update(dict.fromkeys(box.groups))
        return sorted(seen)

    def _describe_groups(self, group_ids: list[str]) -> str:
        coordinator = getattr(self.config_entry, "runtime_data", None)
        lines = []
        for group_id in group_ids:
            boxes = (
                coordinator.data.boxes_in(group_id)
                if coordinator is not None and coordinator.data is not None
                else []
            )
            names = ", ".join(box.name for box in boxes[:3])
            more = "…" if len(boxes) > 3 else ""
            lines.append(f"- `{group_id}`: {len(boxes)} ({names}{more})")
        return "\n".join(lines) or "-"

    async def async_step_telecomx_options(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Name the groups that become devices (blank: none); the rest of the options."""
        group_ids = self._group_ids()
        if user_input is not None:
            groups = {
                group_id: name.strip()
                for group_id in group_ids
                if (name := user_input.get(group_id) or "").strip()
            }
            return self.async_create_entry(
                data={
                    CONF_GROUPS: groups,
                    CONF_UNGROUPED_BOXES: user_input[CONF_UNGROUPED_BOXES],
                    CONF_POLL_INTERVAL: int(user_input[CONF_POLL_INTERVAL]),
                }
            )
        options = self.config_entry.options
        fields: dict[vol.Marker, Any] = {
            vol.Required(
                CONF_POLL_INTERVAL,
                default=options.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL),
            ): NumberSelector(
                NumberSelectorConfig(
                    min=MIN_POLL_INTERVAL,
                    max=MAX_POLL_INTERVAL,
                    step=1,
                    mode=NumberSelectorMode.BOX,
                    unit_of_measurement="s",
                )
            ),
            vol.Required(
                CONF_UNGROUPED_BOXES,
                default=options.get(CONF_UNGROUPED_BOXES, True),
            ): BooleanSelector(),
        }
        names = options.get(CONF_GROUPS, {})
        for group_id in group_ids:
            fields[
                vol.Optional(
                    group_id, description={"suggested_value": names.get(group_id)}
                )
            ] = TextSelector()
        return self.async_show_form(
            step_id="telecomx_options",
            data_schema=vol.Schema(fields),
            description_placeholders={"groups": self._describe_groups(group_ids)},
        )
