"""Actions on boxes and groups: one group action where possible, skip rule, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import area_registry as ar, device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.venue_av.const import DOMAIN
from custom_components.venue_av.telecomx.coordinator import TelecomXCoordinator
from simulators.telecomx import TelecomXSimulator
from simulators.telecomx.state import oid

from ..conftest import SetUpEntry
from .conftest import (
    ADMIN,
    HOTEL_GROUPS,
    MANAGER,
    RESELLER,
    VIEWER,
    MakeEntry,
    group_id,
)

GROUP_PATH = "/iptv/device/action"
# The simulated cloud's first radio channel (no endpoint lists them).
RADIO_P1 = oid("radio", 1)


def _device(hass: HomeAssistant, identifier: str) -> str:
    # Looked up per entry: lookups by identifier changed between the supported
    # releases.
    registry = dr.async_get(hass)
    (device,) = [
        device
        for entry in hass.config_entries.async_entries(DOMAIN)
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
        if (DOMAIN, identifier) in device.identifiers
    ]
    return device.id


def box_device(
    hass: HomeAssistant, entry: MockConfigEntry, sim: TelecomXSimulator, name: str
) -> str:
    """The device id of a simulated box by its name."""
    coordinator: TelecomXCoordinator = entry.runtime_data
    return _device(
        hass, coordinator.box_identifier(sim.state.box_by_name(name).device_id)
    )


def group_device(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    sim: TelecomXSimulator,
    name: str | None,
) -> str:
    """The device id of a configured group (None: "All boxes")."""
    coordinator: TelecomXCoordinator = entry.runtime_data
    return _device(
        hass,
        coordinator.group_identifier(None if name is None else group_id(sim, name)),
    )


def action_requests(sim: TelecomXSimulator) -> list[tuple[str, dict[str, str]]]:
    """Every action request the cloud got: (path, query)."""
    return [
        (record.path, record.params)
        for record in sim.request_log
        if record.path.endswith("/action")
    ]


async def _call(
    hass: HomeAssistant, name: str, data: dict[str, Any], *, response: bool = True
) -> Any:
    return await hass.services.async_call(
        DOMAIN, name, data, blocking=True, return_response=response
    )


@pytest.fixture
async def manager(
    hass: HomeAssistant, make_entry: MakeEntry, setup_entry: SetUpEntry
) -> MockConfigEntry:
    """The MANAGER account with Lobby, Floor 1 and Floor 2 as group devices."""
    return await setup_entry(await make_entry(MANAGER, groups=HOTEL_GROUPS))


async def test_group_message_is_one_request(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """A message on a floor's group device: one group action, boxes counted."""
    response = await _call(
        hass,
        "iptv_send_message",
        {
            ATTR_DEVICE_ID: group_device(hass, manager, tx_sim, "Floor 1"),
            "message": "Breakfast until 10",
            "notify": "sound",
            "repeat": True,
        },
    )
    floor = group_id(tx_sim, "Floor 1")
    assert response == {
        "type": "MESSAGE",
        "boxes_scheduled": 4,
        "boxes_skipped": 0,
        "requests": [
            {"target": "First floor", "group": floor, "scheduled": 4, "skipped": 0}
        ],
    }
    ((path, query),) = action_requests(tx_sim)
    assert path == GROUP_PATH
    assert query["group"] == floor
    assert query["notify"] == "SOUND"
    assert query["repeat"] == "true"
    await tx_sim.state.wait_idle()
    room = tx_sim.state.box_by_name("Room 101")
    assert [done.type for done in room.executed] == ["MESSAGE"]


async def test_boxes_of_a_group_become_one_group_action(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """All four boxes of Floor 1 plus one more box: one group action + one box action."""
    devices = [
        box_device(hass, manager, tx_sim, name)
        for name in ("Room 101", "Room 102", "Room 103", "Room 104", "Room 201")
    ]
    response = await _call(hass, "iptv_reboot", {ATTR_DEVICE_ID: devices})
    assert response["boxes_scheduled"] == 5
    paths = sorted(path for path, _ in action_requests(tx_sim))
    room_201 = tx_sim.state.box_by_name("Room 201").device_id
    assert paths == sorted([GROUP_PATH, f"/iptv/device/{room_201}/action"])
    box_row = next(row for row in response["requests"] if "box" in row)
    assert box_row["action_id"]


async def test_every_box_is_group_all(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    """Every box of the account targeted box by box, no group named: one ALL."""
    entry = await setup_entry(await make_entry(MANAGER))
    boxes = entry.runtime_data.data.boxes.values()
    devices = [box_device(hass, entry, tx_sim, box.name) for box in boxes]
    response = await _call(hass, "iptv_reboot", {ATTR_DEVICE_ID: devices})
    assert response["boxes_scheduled"] == 10
    ((path, query),) = action_requests(tx_sim)
    assert (path, query["group"]) == (GROUP_PATH, "ALL")


async def test_part_of_a_group_goes_box_by_box(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """Two of four boxes of a group: one request per box, never the whole group."""
    devices = [
        box_device(hass, manager, tx_sim, name) for name in ("Room 101", "Room 102")
    ]
    response = await _call(
        hass, "iptv_set_volume", {ATTR_DEVICE_ID: devices, "volume": 20}
    )
    assert response["boxes_scheduled"] == 2
    assert [path for path, _ in action_requests(tx_sim)].count(GROUP_PATH) == 0
    assert len(action_requests(tx_sim)) == 2


async def test_skip_rule_in_the_response(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """The same type queued again before the boxes carried it out: skipped."""
    tx_sim.time_scale = 1.0  # keep the first action queued
    lobby = group_device(hass, manager, tx_sim, "Lobby")
    first = await _call(hass, "iptv_reload_ui", {ATTR_DEVICE_ID: lobby})
    second = await _call(hass, "iptv_reload_ui", {ATTR_DEVICE_ID: lobby})
    assert first["boxes_scheduled"] == 3
    assert second["boxes_scheduled"] == 0
    assert second["boxes_skipped"] == 3
    tx_sim.state.close()


async def test_all_boxes_and_areas(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """ "All boxes" is group ALL; an area holding a box's device targets that box."""
    response = await _call(
        hass,
        "iptv_play_channel",
        {ATTR_DEVICE_ID: group_device(hass, manager, tx_sim, None), "channel": "DR1"},
    )
    assert response["requests"][0]["group"] == "ALL"
    assert response["boxes_scheduled"] == 10
    _, query = action_requests(tx_sim)[-1]
    assert query["channel"] == tx_sim.state.world.channels[0]["_id"]

    area = ar.async_get(hass).async_create("Room 101")
    dr.async_get(hass).async_update_device(
        box_device(hass, manager, tx_sim, "Room 101"), area_id=area.id
    )
    response = await _call(hass, "iptv_switch_off", {"area_id": area.id})
    assert response["requests"][0]["target"] == "Room 101"


async def test_entity_targets(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """An entity of a box targets its box."""
    response = await _call(
        hass,
        "iptv_send_keys",
        {ATTR_ENTITY_ID: "remote.room_101_remote", "keys": ["menu", "ok"]},
    )
    assert response["requests"][0]["target"] == "Room 101"
    _, query = action_requests(tx_sim)[-1]
    assert query["type"] == "EMULATEKEYS"


async def test_when_only_for_single_boxes(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """``when`` goes with single boxes; with a group it is refused before sending."""
    when = datetime.now(UTC) + timedelta(hours=1)
    devices = [
        box_device(hass, manager, tx_sim, name)
        for name in ("Lobby left", "Lobby right", "Restaurant")
    ]
    response = await _call(
        hass, "iptv_update_channels", {ATTR_DEVICE_ID: devices, "when": when}
    )
    # Not merged into the Lobby group: a group action takes no time.
    assert len(response["requests"]) == 3
    assert all("when" in query for _, query in action_requests(tx_sim))
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "iptv_update_dvb",
            {
                ATTR_DEVICE_ID: group_device(hass, manager, tx_sim, "Lobby"),
                "when": when,
            },
        )
    assert err.value.translation_key == "telecomx_when_single_box"
    tx_sim.state.close()


@pytest.mark.parametrize(
    ("name", "data", "parameter"),
    [
        ("iptv_send_keys", {"keys": ["JUMP"]}, "keys"),
        ("iptv_play_video", {"video": "ftp://host/video.mp4"}, "video"),
        ("iptv_send_message", {"message": "Hi", "repeat": True}, "repeat"),
        ("iptv_play_radio_channel", {"radio_channel": "a/b"}, "radiochannel"),
    ],
)
async def test_invalid_parameters_are_refused_before_sending(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    manager: MockConfigEntry,
    name: str,
    data: dict[str, Any],
    parameter: str,
) -> None:
    """Bad input is a validation error naming the parameter; nothing is sent."""
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            name,
            {ATTR_DEVICE_ID: box_device(hass, manager, tx_sim, "Room 101"), **data},
        )
    assert err.value.translation_key == "telecomx_invalid_parameter"
    assert err.value.translation_placeholders["parameter"] == parameter
    assert action_requests(tx_sim) == []


async def test_cloud_validation_error(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """A channel the cloud does not know: its 422 names the parameter."""
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "iptv_play_channel",
            {
                ATTR_DEVICE_ID: box_device(hass, manager, tx_sim, "Room 101"),
                "channel": "ffffffffffffffffffffffff",
            },
        )
    assert err.value.translation_placeholders["parameter"] == "channel"


async def test_level_checked_before_sending(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """A MANAGER may not take screenshots: refused, naming the level needed."""
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "iptv_take_screenshot",
            {ATTR_DEVICE_ID: box_device(hass, manager, tx_sim, "Room 101")},
        )
    assert err.value.translation_key == "telecomx_action_not_allowed"
    assert err.value.translation_placeholders["required"] == (
        "RESELLER or RESELLER_ADMIN or ADMIN"
    )
    assert action_requests(tx_sim) == []


async def test_cloud_403_names_the_level(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """A 403 from the cloud is translated with the level the type needs."""
    tx_sim.inject_error(403, "access_denied", "Insufficient access level")
    with pytest.raises(HomeAssistantError) as err:
        await _call(
            hass,
            "iptv_reboot",
            {ATTR_DEVICE_ID: group_device(hass, manager, tx_sim, "Lobby")},
        )
    assert err.value.translation_key == "telecomx_access_denied"
    assert "MANAGER" in err.value.translation_placeholders["required"]


async def test_no_automatic_retry(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """A 5xx on an action is reported once: the action is not sent again."""
    tx_sim.inject_error(500, "internal_error", "boom")
    with pytest.raises(HomeAssistantError) as err:
        await _call(
            hass,
            "iptv_reboot",
            {ATTR_DEVICE_ID: group_device(hass, manager, tx_sim, "Lobby")},
        )
    assert err.value.translation_key == "cannot_connect"
    assert len(action_requests(tx_sim)) == 1


async def test_gone_box_and_group(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """A box or group the cloud no longer knows: "gone" (404)."""
    tx_sim.inject_error(404, "group", "Not found")
    with pytest.raises(HomeAssistantError) as err:
        await _call(
            hass,
            "iptv_reboot",
            {ATTR_DEVICE_ID: group_device(hass, manager, tx_sim, "Lobby")},
        )
    assert err.value.translation_key == "telecomx_not_found"
    assert err.value.translation_placeholders == {
        "name": "Lobby",
        "what": "group",
        "code": "404",
        "message": "Not found",
    }


async def test_expired_token_starts_reauth(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """A 401 on an action asks the user to log in again; nobody logs in by itself."""
    tx_sim.inject_error(401, "expired", "Token has expired")
    logins = len(tx_sim.requests("/auth/login"))
    with pytest.raises(HomeAssistantError) as err:
        await _call(
            hass,
            "iptv_reboot",
            {ATTR_DEVICE_ID: group_device(hass, manager, tx_sim, "Lobby")},
        )
    assert err.value.translation_key == "telecomx_token_invalid"
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert len(tx_sim.requests("/auth/login")) == logins


async def test_several_boxes_fail_together(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """Two boxes, both refused: one message naming both."""
    tx_sim.inject_error(409, "device_type", "odd", count=2)
    devices = [
        box_device(hass, manager, tx_sim, name) for name in ("Room 101", "Room 201")
    ]
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "iptv_reboot", {ATTR_DEVICE_ID: devices})
    assert err.value.translation_key == "fleet_failed"


async def test_no_target(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """The account device itself, or nothing of ours: no target."""
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "iptv_reboot",
            {ATTR_DEVICE_ID: _device(hass, manager.runtime_data.account)},
        )
    assert err.value.translation_key == "telecomx_no_target"


async def test_viewer_may_not(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    """A VIEWER's boxes take no action (checked before sending)."""
    entry = await setup_entry(await make_entry(VIEWER))
    with pytest.raises(ServiceValidationError):
        await _call(
            hass,
            "iptv_send_message",
            {
                ATTR_DEVICE_ID: box_device(hass, entry, tx_sim, "Room 101"),
                "message": "x",
            },
        )
    assert action_requests(tx_sim) == []


async def test_reseller_screenshot(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    """A RESELLER takes a screenshot of a box."""
    entry = await setup_entry(await make_entry(RESELLER))
    response = await _call(
        hass,
        "iptv_take_screenshot",
        {ATTR_DEVICE_ID: box_device(hass, entry, tx_sim, "Room 101")},
    )
    assert response["boxes_scheduled"] == 1
    await tx_sim.state.wait_idle()
    assert tx_sim.state.box_by_name("Room 101").screenshot is not None


@pytest.mark.parametrize(
    ("data", "query"),
    [
        (
            {"type": "script", "script": "https://x.example/s.sh"},
            {"script": "https://x.example/s.sh"},
        ),
        ({"type": "JS", "js": "location.reload()"}, {"js": "location.reload()"}),
        ({"type": "management", "port": 1024}, {"port": "1024"}),
        (
            {"type": "uidebug", "debug_server": "10.0.0.1:9222"},
            {"debugserver": "10.0.0.1:9222"},
        ),
        ({"type": "firmware"}, {}),
        ({"type": "speedtest"}, {}),
    ],
)
async def test_admin_run_action(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
    data: dict[str, Any],
    query: dict[str, str],
) -> None:
    """ADMIN runs scripts, JS, firmware, management, UI debug and speed tests."""
    entry = await setup_entry(await make_entry(ADMIN))
    await _call(
        hass,
        "iptv_run_action",
        {ATTR_DEVICE_ID: box_device(hass, entry, tx_sim, "Room 101"), **data},
        response=False,
    )
    ((_, sent),) = action_requests(tx_sim)
    assert sent["type"] == data["type"].upper()
    assert {key: sent[key] for key in query} == query


async def test_run_action_needs_admin_level(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """A MANAGER account may not run SCRIPT even when a HA admin calls it."""
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "iptv_run_action",
            {
                ATTR_DEVICE_ID: box_device(hass, manager, tx_sim, "Room 101"),
                "type": "script",
                "script": "https://x.example/s.sh",
            },
            response=False,
        )
    assert err.value.translation_placeholders["required"] == "ADMIN"


@pytest.mark.parametrize(
    ("name", "data", "wire"),
    [
        ("iptv_send_message", {"message": "Hello"}, {"type": "MESSAGE"}),
        (
            "iptv_play_video",
            {"video": "https://v.example/a.mp4", "message": "Now"},
            {"type": "VIDEO", "video": "https://v.example/a.mp4", "message": "Now"},
        ),
        ("iptv_play_channel", {"channel": "3"}, {"type": "PLAYCHANNEL"}),
        (
            "iptv_play_radio_channel",
            {"radio_channel": RADIO_P1},
            {"type": "PLAYRADIOCHANNEL", "radiochannel": RADIO_P1},
        ),
        ("iptv_set_volume", {"volume": 0}, {"type": "VOLUME", "volume": "0"}),
        ("iptv_send_keys", {"keys": "OK"}, {"type": "EMULATEKEYS", "keys": "OK"}),
        ("iptv_reboot", {}, {"type": "REBOOT"}),
        ("iptv_switch_off", {}, {"type": "SWITCH_OFF"}),
        ("iptv_reload_ui", {}, {"type": "UI"}),
        ("iptv_update_channels", {}, {"type": "CHANNELS"}),
        ("iptv_update_dvb", {}, {"type": "DVB"}),
    ],
)
async def test_every_everyday_action(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    manager: MockConfigEntry,
    name: str,
    data: dict[str, Any],
    wire: dict[str, str],
) -> None:
    """Each everyday action reaches one box with its type and parameters."""
    response = await _call(
        hass,
        name,
        {ATTR_DEVICE_ID: box_device(hass, manager, tx_sim, "Room 101"), **data},
    )
    assert response["boxes_scheduled"] == 1
    ((_, query),) = action_requests(tx_sim)
    assert {key: query[key] for key in wire} == wire


async def test_schema_refuses_out_of_range_volume(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """A volume over 100 never reaches the handler."""
    with pytest.raises(vol.Invalid):
        await _call(
            hass,
            "iptv_set_volume",
            {
                ATTR_DEVICE_ID: box_device(hass, manager, tx_sim, "Room 101"),
                "volume": 101,
            },
        )
    assert action_requests(tx_sim) == []
