"""The TelecomX IPTV family on the Home Assistant side: an account, its boxes and groups.

Where things happen: ``protocol/telecomx`` turns the cloud's JSON into typed models;
``coordinator.py`` polls the account's box list; the platform modules here make the
account, each box and each configured group a device with entities; ``commands.py``
turns an entity's or an action's request into as few cloud requests as possible.
"""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)

from ..const import DOMAIN, KIND_TELECOMX
from ..family import Family
from . import button, image, media_player, notify, remote, sensor
from .config_flow import TelecomXOptionsFlow
from .coordinator import TelecomXConfigEntry, TelecomXCoordinator
from .diagnostics import async_get_diagnostics
from .entity import account_device
from .services import TELECOMX_ACTIONS

PLATFORMS = {
    Platform.BUTTON: button.async_setup_entry,
    Platform.IMAGE: image.async_setup_entry,
    Platform.MEDIA_PLAYER: media_player.async_setup_entry,
    Platform.NOTIFY: notify.async_setup_entry,
    Platform.REMOTE: remote.async_setup_entry,
    Platform.SENSOR: sensor.async_setup_entry,
}


def no_actions_issue_id(entry: TelecomXConfigEntry) -> str:
    """Repair issue raised while the account may perform no action at all."""
    return f"telecomx_no_actions_{entry.entry_id}"


async def async_setup_entry(hass: HomeAssistant, entry: TelecomXConfigEntry) -> bool:
    """Set up one TelecomX account."""
    coordinator = TelecomXCoordinator(hass, entry)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    _async_update_access_issue(hass, entry, coordinator)

    # The account device first: every box and group device hangs below it.
    registry = dr.async_get(hass)
    registry.async_get_or_create(
        config_entry_id=entry.entry_id, **account_device(coordinator)
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)

    known = {box.device_id for box in coordinator.device_boxes()}
    _async_remove_stale_devices(hass, entry, coordinator, known)
    _async_remove_stale_entities(hass, entry, coordinator)

    @callback
    def _async_boxes_changed() -> None:
        # Boxes added or removed in the cloud appear and disappear without a reload.
        nonlocal known
        if not coordinator.last_update_success:
            return
        current = {box.device_id for box in coordinator.device_boxes()}
        if current == known:
            return
        added = [coordinator.data.boxes[box_id] for box_id in sorted(current - known)]
        known = current
        for add in coordinator.platforms.adders:
            add(added)
        _async_remove_stale_devices(hass, entry, coordinator, known)

    entry.async_on_unload(coordinator.async_add_listener(_async_boxes_changed))

    setup_state = (dict(entry.data), dict(entry.options))

    async def _async_entry_updated(
        hass: HomeAssistant, entry: TelecomXConfigEntry
    ) -> None:
        # Options (groups, poll interval), reauth and reconfigure apply on reload.
        if (dict(entry.data), dict(entry.options)) != setup_state:
            hass.config_entries.async_schedule_reload(entry.entry_id)

    entry.async_on_unload(entry.add_update_listener(_async_entry_updated))
    return True


def _expected_identifiers(
    coordinator: TelecomXCoordinator, box_ids: set[str]
) -> set[str]:
    return {
        coordinator.account,
        coordinator.group_identifier(None),
        *(coordinator.group_identifier(group) for group in coordinator.groups),
        *(coordinator.box_identifier(box_id) for box_id in box_ids),
    }


@callback
def _async_remove_stale_devices(
    hass: HomeAssistant,
    entry: TelecomXConfigEntry,
    coordinator: TelecomXCoordinator,
    box_ids: set[str],
) -> None:
    """Detach devices of boxes the cloud no longer lists and of dropped groups."""
    expected = _expected_identifiers(coordinator, box_ids)
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        ours = {ident for domain, ident in device.identifiers if domain == DOMAIN}
        if ours and not ours & expected:
            registry.async_update_device(
                device.id, remove_config_entry_id=entry.entry_id
            )


@callback
def _async_remove_stale_entities(
    hass: HomeAssistant, entry: TelecomXConfigEntry, coordinator: TelecomXCoordinator
) -> None:
    """Remove entities this setup no longer provides (an access level changed)."""
    registry = er.async_get(hass)
    for registered in er.async_entries_for_config_entry(registry, entry.entry_id):
        if registered.unique_id not in coordinator.entity_unique_ids:
            registry.async_remove(registered.entity_id)


@callback
def _async_update_access_issue(
    hass: HomeAssistant, entry: TelecomXConfigEntry, coordinator: TelecomXCoordinator
) -> None:
    """Tell the user when the account's level or features allow no action at all."""
    issue_id = no_actions_issue_id(entry)
    if coordinator.allowed:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    features = coordinator.features
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="telecomx_no_actions",
        translation_placeholders={
            "name": entry.title,
            "level": coordinator.access_level.wire,
            "features": ", ".join(sorted(features)) if features else "-",
        },
    )


def async_remove_device(
    hass: HomeAssistant, entry: TelecomXConfigEntry, device: dr.DeviceEntry
) -> bool:
    """A device may be removed unless it is still the account, a box or a group of it."""
    coordinator: TelecomXCoordinator | None = getattr(entry, "runtime_data", None)
    if coordinator is None:
        return True
    expected = _expected_identifiers(
        coordinator, {box.device_id for box in coordinator.device_boxes()}
    )
    return not {ident for domain, ident in device.identifiers if domain == DOMAIN} & (
        expected
    )


async def async_unload_entry(hass: HomeAssistant, entry: TelecomXConfigEntry) -> bool:
    """Unload one account."""
    ir.async_delete_issue(hass, DOMAIN, no_actions_issue_id(entry))
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


TELECOMX_FAMILY = Family(
    kind=KIND_TELECOMX,
    platforms=PLATFORMS,
    async_setup_entry=async_setup_entry,
    async_unload_entry=async_unload_entry,
    async_remove_device=async_remove_device,
    diagnostics=async_get_diagnostics,
    options_flow=TelecomXOptionsFlow,
    actions=TELECOMX_ACTIONS,
)
