"""The Poly Trio family on the Home Assistant side.

Where things happen: ``protocol/trio`` turns bytes into typed models and pushed XML into
events; ``coordinator.py`` polls calls (fast) and statistics (slow) into state and fires
call events; ``push.py`` receives the phone's telephony notifications on a webhook; the
platform modules turn state into entities; ``services.py`` turns a user's action into a
request through ``async_command``.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from ..const import DOMAIN, KIND_TRIO
from ..family import Family
from . import binary_sensor, button, event, sensor, switch
from .config_flow import TrioOptionsFlow
from .const import CONF_WEBHOOK_ID
from .coordinator import (
    ISSUES,
    PollGate,
    TrioConfigEntry,
    TrioCoordinator,
    TrioRuntime,
    TrioStatsCoordinator,
    issue_id,
    make_client,
)
from .diagnostics import async_get_diagnostics
from .events import TRIO_EVENTS
from .push import (
    async_configure_push,
    async_phone_addresses,
    async_switch_off_push,
    register_webhook,
)
from .services import TRIO_ACTIONS

PLATFORMS = {
    Platform.BINARY_SENSOR: binary_sensor.async_setup_entry,
    Platform.BUTTON: button.async_setup_entry,
    Platform.EVENT: event.async_setup_entry,
    Platform.SENSOR: sensor.async_setup_entry,
    Platform.SWITCH: switch.async_setup_entry,
}


async def async_setup_entry(hass: HomeAssistant, entry: TrioConfigEntry) -> bool:
    """Set up one phone: both cadences, entities, then the webhook and push."""
    client = make_client(hass, entry)
    gate = PollGate()
    calls = TrioCoordinator(hass, entry, client, gate)
    stats = TrioStatsCoordinator(hass, entry, client, gate)
    await calls.async_config_entry_first_refresh()
    await stats.async_config_entry_first_refresh()
    entry.runtime_data = TrioRuntime(
        client=client,
        calls=calls,
        stats=stats,
        phone_addresses=await async_phone_addresses(hass, entry.data[CONF_HOST]),
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    register_webhook(hass, entry)
    # A few requests to the phone; the entry works (polling) before they end.
    entry.async_create_task(hass, async_configure_push(hass, entry), "trio push")

    setup_state = (dict(entry.data), dict(entry.options))

    async def _async_entry_updated(hass: HomeAssistant, entry: ConfigEntry) -> None:
        # Options, reauth, reconfigure and a discovered new address change the entry;
        # a reload applies them.
        if (dict(entry.data), dict(entry.options)) != setup_state:
            hass.config_entries.async_schedule_reload(entry.entry_id)

    entry.async_on_unload(entry.add_update_listener(_async_entry_updated))
    return True


async def async_unload_entry(hass: HomeAssistant, entry: TrioConfigEntry) -> bool:
    """Unload one phone (its webhook goes with it; the phone keeps its URL)."""
    for issue in ISSUES:
        ir.async_delete_issue(hass, DOMAIN, issue_id(entry, issue))
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
    """A removed phone stops posting events to Home Assistant."""
    await async_switch_off_push(make_client(hass, entry), entry.data[CONF_WEBHOOK_ID])


TRIO_FAMILY = Family(
    kind=KIND_TRIO,
    platforms=PLATFORMS,
    async_setup_entry=async_setup_entry,
    async_unload_entry=async_unload_entry,
    async_remove_entry=async_remove_entry,
    diagnostics=async_get_diagnostics,
    options_flow=TrioOptionsFlow,
    actions=TRIO_ACTIONS,
    events=TRIO_EVENTS,
)
