"""Background discovery of IMM clients by UDP probe.

In the product the probe goes to Home Assistant's IPv4 broadcast addresses plus the
extra targets users configured (a directed broadcast into another subnet, say); those
are stored once for the integration (any IMM entry's options edit them), since one
probe serves every player. The
``venue_av:`` YAML block can switch broadcasting off and name other targets: tests and
``scripts/develop`` point discovery at loopback that way, so a demo never broadcasts
on the machine's network.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
import ipaddress
from typing import Any

from homeassistant.components import network
from homeassistant.config_entries import SOURCE_IGNORE, SOURCE_INTEGRATION_DISCOVERY
from homeassistant.const import CONF_HOST, CONF_NAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import discovery_flow
from homeassistant.helpers.storage import Store
from homeassistant.util.hass_dict import HassKey
import voluptuous as vol

from ..const import CONF_KIND, DOMAIN, KIND_IMM, LOGGER
from ..protocol.imm import PROBE_PORT, DiscoveredClient, ImmError, probe
from .const import CONF_CLIENT_ID, CONF_DISCOVERY_TARGETS, FLOW_PROBE_TIMEOUT


def ipv4_target(value: Any) -> str:
    """Validate a probe target: an IPv4 address (unicast or broadcast), not a name.

    A host name would be resolved synchronously inside the event loop when the probe
    datagram is sent.
    """
    try:
        return str(ipaddress.IPv4Address(str(value).strip()))
    except ValueError as err:
        raise vol.Invalid(f"not an IPv4 address: {value}") from err


@dataclass(frozen=True, slots=True, kw_only=True)
class DiscoverySettings:
    """Where probes go; from the optional ``venue_av:`` YAML block."""

    broadcast: bool = True
    targets: tuple[str, ...] = field(default_factory=tuple)
    probe_port: int = PROBE_PORT


DATA_DISCOVERY_SETTINGS: HassKey[DiscoverySettings] = HassKey(f"{DOMAIN}_discovery")


STORAGE_KEY = f"{DOMAIN}.imm_discovery"
STORAGE_VERSION = 1


class SharedTargets:
    """The extra discovery targets, one list for the whole integration."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Bind the store; ``async_load`` reads it."""
        self._store: Store[dict[str, list[str]]] = Store(
            hass, STORAGE_VERSION, STORAGE_KEY
        )
        self.targets: list[str] = []

    async def async_load(self) -> None:
        """Read the stored targets."""
        data = await self._store.async_load()
        self.targets = list((data or {}).get(CONF_DISCOVERY_TARGETS, []))

    async def async_set(self, targets: Iterable[str]) -> None:
        """Store new targets (duplicates dropped, order kept)."""
        self.targets = list(dict.fromkeys(targets))
        await self._store.async_save({CONF_DISCOVERY_TARGETS: self.targets})


DATA_SHARED_TARGETS: HassKey[SharedTargets] = HassKey(f"{DOMAIN}_imm_targets")


async def async_shared_targets(hass: HomeAssistant) -> SharedTargets:
    """The integration's extra targets (read from storage on first use)."""
    if (shared := hass.data.get(DATA_SHARED_TARGETS)) is None:
        loaded = SharedTargets(hass)
        await loaded.async_load()
        # Another caller may have loaded them meanwhile: keep the first.
        shared = hass.data.setdefault(DATA_SHARED_TARGETS, loaded)
    return shared


async def async_migrate_entry_targets(hass: HomeAssistant) -> None:
    """Move targets set in an entry's options (before they were shared) to the store.

    Releases up to 1.x stored them per player; every one of them was used for every
    probe, so their union is the shared list.
    """
    entries = [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.data.get(CONF_KIND) == KIND_IMM
        and CONF_DISCOVERY_TARGETS in entry.options
    ]
    if not entries:
        return
    shared = await async_shared_targets(hass)
    await shared.async_set(
        [
            *shared.targets,
            *(t for entry in entries for t in entry.options[CONF_DISCOVERY_TARGETS]),
        ]
    )
    for entry in entries:
        hass.config_entries.async_update_entry(
            entry,
            options={
                key: value
                for key, value in entry.options.items()
                if key != CONF_DISCOVERY_TARGETS
            },
        )


async def async_discovery_targets(hass: HomeAssistant) -> list[str]:
    """Every address a probe goes to: broadcast, YAML targets, the shared targets.

    An entry's own targets (stored before they were shared) still count until the
    migration has moved them.
    """
    settings = hass.data.get(DATA_DISCOVERY_SETTINGS, DiscoverySettings())
    targets: list[str] = []
    if settings.broadcast:
        targets.extend(
            str(address)
            for address in await network.async_get_ipv4_broadcast_addresses(hass)
        )
    targets.extend(settings.targets)
    targets.extend((await async_shared_targets(hass)).targets)
    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.data.get(CONF_KIND) == KIND_IMM:
            targets.extend(entry.options.get(CONF_DISCOVERY_TARGETS, []))
    return list(dict.fromkeys(targets))


async def async_discover_clients(
    hass: HomeAssistant, timeout: float = FLOW_PROBE_TIMEOUT
) -> list[DiscoveredClient]:
    """Probe every discovery target once; errors mean "nothing found"."""
    targets = await async_discovery_targets(hass)
    settings = hass.data.get(DATA_DISCOVERY_SETTINGS, DiscoverySettings())
    try:
        return await probe(targets, port=settings.probe_port, timeout=timeout)
    except ImmError as err:
        LOGGER.debug("IMM probe failed: %s", err)
        return []


@callback
def async_trigger_discovery(
    hass: HomeAssistant, found: Iterable[DiscoveredClient]
) -> None:
    """Start a discovery flow for each new client and for each known one that moved.

    Known clients at their known address are skipped here: with hundreds of players a
    flow per player per round would be pure overhead. Ignored clients count as known:
    their (aborted) flow stores the address in the ignored entry's data.
    """
    known = {
        entry.unique_id: entry.data.get(CONF_HOST)
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.source == SOURCE_IGNORE or entry.data.get(CONF_KIND) == KIND_IMM
    }
    for client in found:
        if known.get(client.client_id) == client.host:
            continue
        discovery_flow.async_create_flow(
            hass,
            DOMAIN,
            context={"source": SOURCE_INTEGRATION_DISCOVERY},
            data={
                CONF_HOST: client.host,
                CONF_CLIENT_ID: client.client_id,
                CONF_NAME: client.info.name,
            },
        )
