"""Devices and entities of an account, by access level; diagnostics."""

from __future__ import annotations

import json

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.venue_av.const import DOMAIN
from custom_components.venue_av.telecomx.const import (
    CONF_TOKEN,
    CONF_UNGROUPED_BOXES,
)
from simulators.telecomx import PASSWORDS, TelecomXSimulator

from ..conftest import SetUpEntry
from ..helpers import entities_of
from .conftest import (
    ADMIN,
    HOTEL_GROUPS,
    MANAGER,
    MANAGER_NO_FEATURE,
    RESELLER,
    VIEWER,
    MakeEntry,
)


def _devices(hass: HomeAssistant, entry_id: str) -> dict[str, dict[str, object]]:
    registry = dr.async_get(hass)
    result = {}
    for device in dr.async_entries_for_config_entry(registry, entry_id):
        via = registry.async_get(device.via_device_id) if device.via_device_id else None
        result[device.name or ""] = {
            "model": device.model,
            "connections": sorted(device.connections),
            "entry_type": device.entry_type,
            "via": via.name if via else None,
        }
    return dict(sorted(result.items()))


def _platform_counts(hass: HomeAssistant, entry_id: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entity in er.async_entries_for_config_entry(er.async_get(hass), entry_id):
        if entity.disabled_by is None:
            counts[entity.domain] = counts.get(entity.domain, 0) + 1
    return dict(sorted(counts.items()))


async def test_small_hotel(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Lobby as the only group device, no devices for other boxes: a small snapshot."""
    entry = await setup_entry(
        await make_entry(
            MANAGER,
            groups={"Lobby": "Lobby"},
            options={CONF_UNGROUPED_BOXES: False},
        )
    )
    assert _devices(hass, entry.entry_id) == snapshot(name="devices")
    assert entities_of(hass, entry.entry_id) == snapshot(name="entities")


async def test_devices_of_all_boxes(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    """Every enabled box, every configured group, "All boxes" and the account."""
    entry = await setup_entry(await make_entry(MANAGER, groups=HOTEL_GROUPS))
    devices = _devices(hass, entry.entry_id)
    assert sorted(devices) == [
        "First floor",
        "Hotel Aurora",
        "Hotel Aurora all boxes",
        "Lobby",
        "Lobby left",
        "Lobby right",
        "Restaurant",
        "Room 101",
        "Room 102",
        "Room 103",
        "Room 104",
        "Room 201",
        "Room 202",
        "Room 203",
        "Second floor",
    ]
    assert devices["Room 101"]["via"] == "Hotel Aurora"
    assert devices["Room 101"]["model"] == "MAG324"
    assert devices["Hotel Aurora"]["entry_type"] == "service"
    # Few entities per box by default: media player, message, remote, restart, last
    # communication; 4 groups (3 + all) have 4 buttons, a media player, message, remote.
    assert _platform_counts(hass, entry.entry_id) == {
        "button": 10 + 4 * 4,
        "media_player": 14,
        "notify": 14,
        "remote": 14,
        "sensor": 10,
    }


async def test_viewer_gets_no_actions_and_a_repair(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    """A VIEWER sees its boxes but no action entity; a repair tells what to change."""
    entry = await setup_entry(await make_entry(VIEWER))
    assert _platform_counts(hass, entry.entry_id) == {"sensor": 10}
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"telecomx_no_actions_{entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_placeholders == {
        "name": "Hotel Aurora",
        "level": "VIEWER",
        "features": "IPTVBUSINESS",
    }
    await hass.config_entries.async_unload(entry.entry_id)
    assert (
        ir.async_get(hass).async_get_issue(
            DOMAIN, f"telecomx_no_actions_{entry.entry_id}"
        )
        is None
    )


async def test_manager_without_business_feature(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    """A MANAGER of a customer without IPTVBUSINESS may do nothing either."""
    entry = await setup_entry(await make_entry(MANAGER_NO_FEATURE))
    assert "button" not in _platform_counts(hass, entry.entry_id)
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"telecomx_no_actions_{entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_placeholders["features"] == "IPTVPRIVATE"


async def test_reseller_gets_screenshots(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    """RESELLER: screenshot image and button per box (disabled by default)."""
    entry = await setup_entry(await make_entry(RESELLER))
    registry = er.async_get(hass)
    entities = er.async_entries_for_config_entry(registry, entry.entry_id)
    screenshots = [e for e in entities if e.domain == "image"]
    buttons = [e for e in entities if e.unique_id.endswith("_take_screenshot")]
    # Aurora's 10 and Borealis' 4 boxes.
    assert len(screenshots) == len(buttons) == 14
    assert all(e.disabled_by is er.RegistryEntryDisabler.INTEGRATION for e in buttons)
    assert (
        ir.async_get(hass).async_get_issue(
            DOMAIN, f"telecomx_no_actions_{entry.entry_id}"
        )
        is None
    )


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Diagnostics hold the boxes and access; token, password and e-mail redacted."""
    entry = await setup_entry(await make_entry(ADMIN, groups={"Lobby": "Lobby"}))
    assert entry.state is ConfigEntryState.LOADED
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = str(diagnostics)
    assert entry.data[CONF_TOKEN] not in text
    assert PASSWORDS[ADMIN] not in text
    assert ADMIN not in text
    # The simulator's port changes from run to run.
    plain = json.loads(json.dumps(diagnostics).replace(tx_sim.base_url, "http://sim"))
    assert plain == snapshot


async def test_lower_access_level_removes_entities(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    """After a re-login with a lower level, entities it no longer allows are removed."""
    entry = await setup_entry(await make_entry(RESELLER))
    registry = er.async_get(hass)

    def images() -> int:
        return sum(
            1
            for e in er.async_entries_for_config_entry(registry, entry.entry_id)
            if e.domain == "image"
        )

    assert images() == 14
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, "access_level": "VIEWER"}
    )
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert images() == 0
    assert _platform_counts(hass, entry.entry_id) == {"sensor": 14}
