"""Config flow steps of IMM signage players: discovery, manual entry, key, reauth, reconfigure."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_PORT
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from ..const import CONF_KIND, CONF_POLL_INTERVAL, DOMAIN, KIND_IMM, LOGGER
from ..flow import VenueAVFlow
from ..protocol.imm import (
    DEFAULT_HTTP_PORT,
    DEFAULT_KEY,
    ClientInfo,
    DiscoveredClient,
    ImmAuthenticationError,
    ImmClient,
    ImmError,
    ImmInteractionDisabledError,
)
from .const import (
    CONF_CLIENT_ID,
    CONF_DISCOVERY_TARGETS,
    CONF_INTERACTION_KEY,
    DEFAULT_POLL_INTERVAL,
    MAX_POLL_INTERVAL,
    MIN_POLL_INTERVAL,
)
from .discovery import (
    async_discover_clients,
    async_discovery_targets,
    async_shared_targets,
    ipv4_target,
)

CONF_CLIENT = "client"
MANUAL = "manual"
ADD_ALL = "all"
# The flow source of one player of a bulk add: its own step creates its own entry.
SOURCE_IMM_BULK_ADD = "imm_bulk_add"
# Players checked (key test, then entry created and set up) at the same time.
BULK_CONCURRENCY = 20

_KEY_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))


def _key_schema(default: str = DEFAULT_KEY) -> dict[vol.Marker, Any]:
    return {vol.Required(CONF_INTERACTION_KEY, default=default): _KEY_SELECTOR}


@dataclass(slots=True)
class _BulkOutcome:
    """What became of each player of a bulk add (their labels, by result)."""

    added: list[str] = field(default_factory=list)
    key_rejected: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)
    interaction_disabled: list[str] = field(default_factory=list)
    already_configured: list[str] = field(default_factory=list)

    def placeholders(self, total: int) -> dict[str, str]:
        lists = {
            "added": self.added,
            "key_rejected": self.key_rejected,
            "unreachable": self.unreachable,
            "interaction_disabled": self.interaction_disabled,
            "already_configured": self.already_configured,
        }
        return {
            "total": str(total),
            **{f"{name}_count": str(len(items)) for name, items in lists.items()},
            **{name: ", ".join(sorted(items)) or "—" for name, items in lists.items()},
        }


def _label(client: DiscoveredClient) -> str:
    return f"{client.info.name or client.client_id} ({client.host})"


class ImmFlowSteps(VenueAVFlow):
    """The IMM steps of the integration's config flow (the menu entry "imm")."""

    def __init__(self) -> None:
        """Start with nothing discovered."""
        super().__init__()
        self._discovered: dict[str, DiscoveredClient] = {}
        # What "Add all" adds: the players listed, except those the user ignored.
        self._bulk: list[DiscoveredClient] = []
        self._host: str | None = None
        self._name: str | None = None

    async def _async_validate(
        self, host: str, key: str, errors: dict[str, str]
    ) -> ClientInfo | None:
        """Read the client's configuration: proves address and key; fills ``errors``."""
        try:
            client = ImmClient(
                host, async_get_clientsession(self.hass), interaction_key=key
            )
        except ValueError:
            # Not a host name or address ("http://…", "host:port", spaces).
            errors[CONF_HOST] = "invalid_host"
            return None
        try:
            return await client.configuration()
        except ImmAuthenticationError:
            errors[CONF_INTERACTION_KEY] = "invalid_key"
        except ImmInteractionDisabledError:
            errors["base"] = "interaction_disabled"
        except ImmError:
            errors["base"] = "cannot_connect"
        except Exception:  # noqa: BLE001 - a flow must show an error, never crash
            LOGGER.exception("Unexpected error while validating an IMM client")
            errors["base"] = "unknown"
        return None

    def _abort_if_known_client(self, host: str) -> None:
        """Abort for a client that is configured already, storing its address.

        A loaded entry's update listener reloads it on the new address; an entry that
        is not loaded (retrying setup) has no listener, so the flow reloads that one.
        """
        assert self.unique_id is not None
        entry = self.hass.config_entries.async_entry_for_domain_unique_id(
            DOMAIN, self.unique_id
        )
        self._abort_if_unique_id_configured(
            updates={CONF_HOST: host},
            reload_on_update=entry is None
            or entry.state is not ConfigEntryState.LOADED,
        )

    def _async_create_imm_entry(
        self, host: str, key: str, info: ClientInfo
    ) -> ConfigFlowResult:
        return self.async_create_entry(
            title=info.name or host,
            data={
                CONF_KIND: KIND_IMM,
                CONF_HOST: host,
                CONF_PORT: DEFAULT_HTTP_PORT,
                CONF_INTERACTION_KEY: key,
                CONF_CLIENT_ID: info.client_id,
            },
        )

    async def async_step_imm_bulk_add(
        self, discovery_info: dict[str, Any]
    ) -> ConfigFlowResult:
        """One player of a bulk add: step "imm_bulk" started this flow, nothing to ask.

        A player configured meanwhile aborts, its address stored, as a single add does.
        """
        client: DiscoveredClient = discovery_info[CONF_CLIENT]
        await self.async_set_unique_id(client.client_id, raise_on_progress=False)
        self._abort_if_known_client(client.host)
        return self._async_create_imm_entry(
            client.host, discovery_info[CONF_INTERACTION_KEY], client.info
        )

    async def _async_finish_imm(
        self, host: str, key: str, errors: dict[str, str]
    ) -> ConfigFlowResult | None:
        """Validate, then create the entry (or update a known one's address)."""
        if (info := await self._async_validate(host, key, errors)) is None:
            return None
        await self.async_set_unique_id(info.client_id, raise_on_progress=False)
        self._abort_if_known_client(host)
        return self._async_create_imm_entry(host, key, info)

    async def async_step_imm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Probe the LAN and offer the clients not yet configured, or manual entry."""
        if user_input is not None:
            if user_input[CONF_CLIENT] == MANUAL:
                return await self.async_step_imm_manual()
            if user_input[CONF_CLIENT] == ADD_ALL:
                return await self.async_step_imm_bulk()
            client = self._discovered[user_input[CONF_CLIENT]]
            self._host, self._name = client.host, client.info.name
            await self.async_set_unique_id(client.client_id, raise_on_progress=False)
            self._abort_if_known_client(client.host)
            return await self.async_step_imm_key()

        configured = self._async_current_ids(include_ignore=False)
        self._discovered = {
            client.client_id: client
            for client in await async_discover_clients(self.hass)
            if client.client_id not in configured
        }
        if not self._discovered:
            return await self.async_step_imm_none_found()
        options = [
            SelectOptionDict(
                value=client.client_id,
                label=f"{client.info.name or client.client_id} ({client.host}, {client.client_id})",
            )
            for client in sorted(
                self._discovered.values(), key=lambda item: item.info.name
            )
        ]
        # An ignored player stays listed (picking it adds it), but "all" leaves it out.
        ignored = self._async_current_ids() - configured
        self._bulk = [
            client
            for client in self._discovered.values()
            if client.client_id not in ignored
        ]
        if len(self._bulk) > 1:
            # After the players, not first: scripts (scripts/lib/devhass.py) pick the
            # first option offered as "a player".
            options.append(SelectOptionDict(value=ADD_ALL, label=ADD_ALL))
        options.append(SelectOptionDict(value=MANUAL, label=MANUAL))
        return self.async_show_form(
            step_id="imm",
            description_placeholders={"count": str(len(self._discovered))},
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_CLIENT): SelectSelector(
                        SelectSelectorConfig(
                            options=options,
                            mode=SelectSelectorMode.LIST,
                            translation_key="client",
                        )
                    )
                }
            ),
        )

    async def async_step_imm_bulk(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add every player found with one interaction key, each as its own entry.

        Players that reject the key are added too: the user asked for all of them, and
        Home Assistant's reauthentication (the entry's "Reconfigure" notice) then asks
        for that player's own key, without probing and picking it again. Only when no
        player accepts the key is it taken for a typo: nothing is added, the form asks
        again (no hundreds of entries waiting for a key). Players that do not answer, or
        whose interaction is disabled, are not added: the summary lists them.
        """
        errors: dict[str, str] = {}
        if user_input is not None:
            key = user_input[CONF_INTERACTION_KEY]
            checked = await self._async_check_all(key)
            if any(not problems for problems in checked.values()):
                return await self._async_add_all(key, checked)
            errors[CONF_INTERACTION_KEY] = "imm_bulk_key_rejected_by_all"
        return self.async_show_form(
            step_id="imm_bulk",
            data_schema=vol.Schema(_key_schema()),
            description_placeholders={"count": str(len(self._bulk))},
            errors=errors,
        )

    async def _async_check_all(self, key: str) -> dict[str, dict[str, str]]:
        """The key check of every player found (errors by client id; {} = accepted)."""
        limit = asyncio.Semaphore(BULK_CONCURRENCY)

        async def check(client: DiscoveredClient) -> dict[str, str]:
            errors: dict[str, str] = {}
            async with limit:
                await self._async_validate(client.host, key, errors)
            return errors

        clients = self._bulk
        results = await asyncio.gather(*(check(client) for client in clients))
        return {
            client.client_id: errors
            for client, errors in zip(clients, results, strict=True)
        }

    async def _async_add_all(
        self, key: str, checked: dict[str, dict[str, str]]
    ) -> ConfigFlowResult:
        """Start one flow per addable player (each creates and sets up its entry)."""
        outcome = _BulkOutcome()
        limit = asyncio.Semaphore(BULK_CONCURRENCY)

        async def add(client: DiscoveredClient) -> None:
            async with limit:
                result = await self.hass.config_entries.flow.async_init(
                    DOMAIN,
                    context={"source": SOURCE_IMM_BULK_ADD},
                    data={CONF_CLIENT: client, CONF_INTERACTION_KEY: key},
                )
            if result["type"] is not FlowResultType.CREATE_ENTRY:
                outcome.already_configured.append(_label(client))
            elif checked[client.client_id]:
                outcome.key_rejected.append(_label(client))
            else:
                outcome.added.append(_label(client))

        addable = []
        for client in self._bulk:
            errors = checked[client.client_id]
            if not errors or CONF_INTERACTION_KEY in errors:
                addable.append(client)
            elif errors.get("base") == "interaction_disabled":
                outcome.interaction_disabled.append(_label(client))
            else:
                outcome.unreachable.append(_label(client))
        await asyncio.gather(*(add(client) for client in addable))
        return self.async_abort(
            reason="imm_bulk_done",
            description_placeholders=outcome.placeholders(len(self._bulk)),
        )

    async def async_step_imm_manual(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Enter a client's address by hand."""
        return await self._async_address_form("imm_manual", user_input)

    async def async_step_imm_none_found(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The address form, saying that no new player answered the probe."""
        placeholders = {
            "targets": ", ".join(await async_discovery_targets(self.hass)) or "—"
        }
        return await self._async_address_form(
            "imm_none_found", user_input, placeholders
        )

    async def _async_address_form(
        self,
        step_id: str,
        user_input: dict[str, Any] | None,
        placeholders: dict[str, str] | None = None,
    ) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            host = user_input[CONF_HOST].strip()
            key = user_input[CONF_INTERACTION_KEY]
            if (result := await self._async_finish_imm(host, key, errors)) is not None:
                return result
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema({vol.Required(CONF_HOST): TextSelector(), **_key_schema()}),
                user_input,
            ),
            description_placeholders=placeholders,
            errors=errors,
        )

    async def async_step_imm_key(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask the interaction key of a discovered client."""
        assert self._host is not None
        errors: dict[str, str] = {}
        if user_input is not None:
            result = await self._async_finish_imm(
                self._host, user_input[CONF_INTERACTION_KEY], errors
            )
            if result is not None:
                return result
        return self.async_show_form(
            step_id="imm_key",
            data_schema=vol.Schema(_key_schema()),
            description_placeholders={
                "name": self._name or self._host,
                "host": self._host,
            },
            errors=errors,
        )

    async def async_step_integration_discovery(
        self, discovery_info: dict[str, Any]
    ) -> ConfigFlowResult:
        """A client answered a background probe."""
        self._host = discovery_info[CONF_HOST]
        self._name = discovery_info.get(CONF_NAME) or self._host
        await self.async_set_unique_id(discovery_info[CONF_CLIENT_ID])
        # A known client at a new address: store the address and reload, nothing to ask.
        self._abort_if_known_client(self._host)
        self.context["title_placeholders"] = {"name": self._name}
        return await self.async_step_imm_key()

    # -- reauth and reconfigure ---------------------------------------------------
    # IMM, the first family, keeps the step ids its released flows used
    # ("reauth_confirm", "reconfigure"); the root routes both back here by kind.

    async def async_step_imm_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """The client rejected the stored interaction key."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask the new interaction key."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            key = user_input[CONF_INTERACTION_KEY]
            if (
                info := await self._async_validate(entry.data[CONF_HOST], key, errors)
            ) is not None:
                await self.async_set_unique_id(info.client_id)
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                return self._async_update_entry_and_abort(
                    entry, {CONF_INTERACTION_KEY: key}, "reauth_successful"
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema({vol.Required(CONF_INTERACTION_KEY): _KEY_SELECTOR}),
            description_placeholders={"name": entry.title},
            errors=errors,
        )

    async def async_step_imm_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address or the key of a client."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            host = user_input[CONF_HOST].strip()
            # An empty key field keeps the stored key: changing only the address must
            # not reset a custom key to the default.
            key = (
                user_input.get(CONF_INTERACTION_KEY) or entry.data[CONF_INTERACTION_KEY]
            )
            if (info := await self._async_validate(host, key, errors)) is not None:
                await self.async_set_unique_id(info.client_id)
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                return self._async_update_entry_and_abort(
                    entry,
                    {CONF_HOST: host, CONF_INTERACTION_KEY: key},
                    "reconfigure_successful",
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(
                    {
                        vol.Required(CONF_HOST): TextSelector(),
                        vol.Optional(CONF_INTERACTION_KEY): _KEY_SELECTOR,
                    }
                ),
                user_input or {CONF_HOST: entry.data[CONF_HOST]},
            ),
            description_placeholders={"name": entry.title},
            errors=errors,
        )


class ImmOptionsFlow(OptionsFlow):
    """Poll interval of an IMM client, and the integration's extra discovery targets.

    The targets serve every player (one probe finds them all): they are stored once,
    and every IMM entry's options show and edit the same list.
    """

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and store the options."""
        errors: dict[str, str] = {}
        shared = await async_shared_targets(self.hass)
        if user_input is not None:
            targets = [
                item.strip()
                for item in user_input.get(CONF_DISCOVERY_TARGETS, [])
                if item.strip()
            ]
            try:
                targets = [ipv4_target(item) for item in targets]
            except vol.Invalid:
                errors[CONF_DISCOVERY_TARGETS] = "invalid_target"
            else:
                await shared.async_set(targets)
                return self.async_create_entry(
                    data={CONF_POLL_INTERVAL: int(user_input[CONF_POLL_INTERVAL])}
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
                vol.Optional(CONF_DISCOVERY_TARGETS, default=[]): TextSelector(
                    TextSelectorConfig(multiple=True)
                ),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                schema,
                user_input
                or {
                    **self.config_entry.options,
                    CONF_DISCOVERY_TARGETS: shared.targets,
                },
            ),
            description_placeholders={"name": self.config_entry.title},
            errors=errors,
        )
