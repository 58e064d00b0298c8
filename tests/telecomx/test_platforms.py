"""Entity commands: message, media player, remote, buttons, screenshot, health."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import SERVICE_PRESS
from homeassistant.components.media_player import (
    ATTR_INPUT_SOURCE,
    ATTR_MEDIA_CONTENT_ID,
    ATTR_MEDIA_CONTENT_TYPE,
    ATTR_MEDIA_VOLUME_LEVEL,
    DOMAIN as MEDIA_PLAYER_DOMAIN,
    SERVICE_PLAY_MEDIA,
    SERVICE_SELECT_SOURCE,
    SERVICE_VOLUME_SET,
)
from homeassistant.components.notify import (
    ATTR_MESSAGE,
    ATTR_TITLE,
    DOMAIN as NOTIFY_DOMAIN,
    SERVICE_SEND_MESSAGE,
)
from homeassistant.components.remote import (
    ATTR_COMMAND,
    ATTR_NUM_REPEATS,
    DOMAIN as REMOTE_DOMAIN,
    SERVICE_SEND_COMMAND,
)
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    STATE_UNKNOWN,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from simulators.telecomx import TelecomXSimulator

from ..conftest import SetUpEntry
from .conftest import MANAGER, RESELLER, MakeEntry, group_id

PLAYER = "media_player.room_101"
LOBBY_PLAYER = "media_player.lobby"


def _sent(sim: TelecomXSimulator) -> list[tuple[str, dict[str, str]]]:
    return [(r.path, r.params) for r in sim.request_log if r.path.endswith("/action")]


async def _service(
    hass: HomeAssistant, domain: str, name: str, data: dict[str, Any]
) -> None:
    await hass.services.async_call(domain, name, data, blocking=True)


@pytest.fixture
async def manager(
    hass: HomeAssistant, make_entry: MakeEntry, setup_entry: SetUpEntry
) -> MockConfigEntry:
    """The MANAGER account with the Lobby group device."""
    return await setup_entry(await make_entry(MANAGER, groups={"Lobby": "Lobby"}))


async def test_notify_group(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """A message on the Lobby's notify entity: one group MESSAGE, title in bold."""
    await _service(
        hass,
        NOTIFY_DOMAIN,
        SERVICE_SEND_MESSAGE,
        {
            ATTR_ENTITY_ID: "notify.lobby_message",
            ATTR_MESSAGE: "Bar opens at 5",
            ATTR_TITLE: "Tonight <3",
        },
    )
    ((path, query),) = _sent(tx_sim)
    assert path == "/iptv/device/action"
    assert query["group"] == group_id(tx_sim, "Lobby")
    assert query["message"] == "<b>Tonight &lt;3</b><br>Bar opens at 5"


async def test_media_player(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """Channels, volume, video and switch-off; the state stays unknown (assumed)."""
    state = hass.states.get(PLAYER)
    assert state.state == STATE_UNKNOWN
    assert state.attributes["assumed_state"] is True
    assert state.attributes["source_list"][0] == "1 DR1"

    await _service(
        hass,
        MEDIA_PLAYER_DOMAIN,
        SERVICE_SELECT_SOURCE,
        {ATTR_ENTITY_ID: PLAYER, ATTR_INPUT_SOURCE: "2 DR2"},
    )
    await _service(
        hass,
        MEDIA_PLAYER_DOMAIN,
        SERVICE_VOLUME_SET,
        {ATTR_ENTITY_ID: PLAYER, ATTR_MEDIA_VOLUME_LEVEL: 0.35},
    )
    await _service(
        hass,
        MEDIA_PLAYER_DOMAIN,
        SERVICE_PLAY_MEDIA,
        {
            ATTR_ENTITY_ID: PLAYER,
            ATTR_MEDIA_CONTENT_TYPE: "channel",
            ATTR_MEDIA_CONTENT_ID: "tv 2",
        },
    )
    await _service(
        hass,
        MEDIA_PLAYER_DOMAIN,
        SERVICE_PLAY_MEDIA,
        {
            ATTR_ENTITY_ID: LOBBY_PLAYER,
            ATTR_MEDIA_CONTENT_TYPE: "video",
            ATTR_MEDIA_CONTENT_ID: "https://media.example/welcome.mp4",
        },
    )
    await _service(
        hass, MEDIA_PLAYER_DOMAIN, SERVICE_TURN_OFF, {ATTR_ENTITY_ID: PLAYER}
    )
    channels = tx_sim.state.world.channels
    sent = [
        (
            query["type"],
            query.get("channel") or query.get("volume") or query.get("video"),
        )
        for _, query in _sent(tx_sim)
    ]
    assert sent == [
        ("PLAYCHANNEL", channels[1]["_id"]),
        ("VOLUME", "35"),
        ("PLAYCHANNEL", channels[2]["_id"]),
        ("VIDEO", "https://media.example/welcome.mp4"),
        ("SWITCH_OFF", None),
    ]
    # Nothing optimistic.
    assert hass.states.get(PLAYER).state == STATE_UNKNOWN

    with pytest.raises(ServiceValidationError) as err:
        await _service(
            hass,
            MEDIA_PLAYER_DOMAIN,
            SERVICE_SELECT_SOURCE,
            {ATTR_ENTITY_ID: PLAYER, ATTR_INPUT_SOURCE: "Nope TV"},
        )
    assert err.value.translation_key == "telecomx_unknown_channel"


async def test_browse_channels(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    manager: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Browsing lists the channels, each playable."""
    client = await hass_ws_client(hass)
    await client.send_json(
        {"id": 1, "type": "media_player/browse_media", "entity_id": PLAYER}
    )
    response = await client.receive_json()
    assert response["success"]
    children = response["result"]["children"]
    assert len(children) == 40
    assert children[0]["title"] == "1 DR1"
    assert children[0]["can_play"] is True


async def test_remote(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """Key names are validated; repeats go in the same action."""
    await _service(
        hass,
        REMOTE_DOMAIN,
        SERVICE_SEND_COMMAND,
        {
            ATTR_ENTITY_ID: "remote.room_101_remote",
            ATTR_COMMAND: ["vol up"],
            ATTR_NUM_REPEATS: 3,
        },
    )
    ((path, query),) = _sent(tx_sim)
    assert query["type"] == "EMULATEKEYS"
    record = tx_sim.request_log[-1]
    assert record.path == path
    with pytest.raises(ServiceValidationError) as err:
        await _service(
            hass,
            REMOTE_DOMAIN,
            SERVICE_SEND_COMMAND,
            {ATTR_ENTITY_ID: "remote.room_101_remote", ATTR_COMMAND: ["SELFDESTRUCT"]},
        )
    assert err.value.translation_placeholders["parameter"] == "keys"
    await tx_sim.state.wait_idle()
    (done,) = tx_sim.state.box_by_name("Room 101").executed
    assert done.params["keys"] == ["VOL_UP", "VOL_UP", "VOL_UP"]


async def test_buttons(
    hass: HomeAssistant, tx_sim: TelecomXSimulator, manager: MockConfigEntry
) -> None:
    """Restart a box; reload the Lobby's UI."""
    await _service(
        hass, "button", SERVICE_PRESS, {ATTR_ENTITY_ID: "button.room_101_restart"}
    )
    await _service(
        hass,
        "button",
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: "button.lobby_reload_user_interface"},
    )
    assert [query["type"] for _, query in _sent(tx_sim)] == ["REBOOT", "UI"]
    assert hass.states.get("button.room_101_restart").state != STATE_UNKNOWN


async def test_screenshot(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
    hass_client: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """RESELLER: take a screenshot, and the image shows it once the box took it."""
    entry = await make_entry(RESELLER)
    entry.add_to_hass(hass)
    registry = er.async_get(hass)
    for unique in ("screenshot", "take_screenshot"):
        registry.async_get_or_create(
            "image" if unique == "screenshot" else "button",
            "venue_av",
            f"telecomx_{entry.unique_id}_box_{tx_sim.state.box_by_name('Room 101').device_id}_{unique}",
            config_entry=entry,
            suggested_object_id=f"room_101_{unique}",
        )
    await setup_entry(entry)
    image = "image.room_101_screenshot"
    client = await hass_client()
    response = await client.get(f"/api/image_proxy/{image}")
    # No screenshot yet.
    assert response.status == HTTPStatus.INTERNAL_SERVER_ERROR
    await _service(
        hass,
        "button",
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: "button.room_101_take_screenshot"},
    )
    # The box takes it now (the queue's timers do not follow the frozen clock).
    tx_sim.state.flush()
    before = hass.states.get(image).state
    freezer.tick(timedelta(seconds=70))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get(image).state != before
    response = await client.get(f"/api/image_proxy/{image}")
    assert response.status == HTTPStatus.OK
    assert (await response.read()).startswith(b"\x89PNG")


async def test_health_sensors_only_when_enabled(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    """Health is read only for boxes whose health sensors are enabled."""
    entry = await make_entry(MANAGER)
    entry.add_to_hass(hass)
    box_id = tx_sim.state.box_by_name("Room 101").device_id
    er.async_get(hass).async_get_or_create(
        "sensor",
        "venue_av",
        f"telecomx_{entry.unique_id}_box_{box_id}_health_cpu_usage",
        config_entry=entry,
        suggested_object_id="room_101_cpu_usage",
    )
    await setup_entry(entry)
    await hass.async_block_till_done()
    rtt = [r.path for r in tx_sim.request_log if r.path.endswith("/rtt")]
    assert rtt == [f"/iptv/device/{box_id}/rtt"]
    state = hass.states.get("sensor.room_101_cpu_usage")
    assert state is not None
    assert state.state not in ("unavailable", "unknown")


async def test_health_faults(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
) -> None:
    """Health samples failing: the sensor is unavailable; a revoked token: reauth."""
    entry = await make_entry(MANAGER)
    entry.add_to_hass(hass)
    box_id = tx_sim.state.box_by_name("Room 101").device_id
    er.async_get(hass).async_get_or_create(
        "sensor",
        "venue_av",
        f"telecomx_{entry.unique_id}_box_{box_id}_health_rtt",
        config_entry=entry,
        suggested_object_id="room_101_rtt",
    )
    await setup_entry(entry)
    assert hass.states.get("sensor.room_101_rtt").state != "unavailable"
    # Reads are sent twice at most (one retry): two errors make the poll fail.
    health = entry.runtime_data.health_of(box_id)
    tx_sim.inject_error(500, "internal_error", "boom", count=2)
    await health.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get("sensor.room_101_rtt").state == "unavailable"
    tx_sim.inject_error(401, "invalid_token", "revoked")
    await health.async_refresh()
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler("venue_av")
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_screenshot_faults(
    hass: HomeAssistant,
    tx_sim: TelecomXSimulator,
    make_entry: MakeEntry,
    setup_entry: SetUpEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """A failing cloud shows no image; a revoked token asks to re-authenticate."""
    entry = await make_entry(RESELLER)
    entry.add_to_hass(hass)
    box_id = tx_sim.state.box_by_name("Room 101").device_id
    er.async_get(hass).async_get_or_create(
        "image",
        "venue_av",
        f"telecomx_{entry.unique_id}_box_{box_id}_screenshot",
        config_entry=entry,
        suggested_object_id="room_101_screenshot",
    )
    await setup_entry(entry)
    client = await hass_client()
    tx_sim.inject_error(500, "internal_error", "boom", count=2)
    response = await client.get("/api/image_proxy/image.room_101_screenshot")
    assert response.status == HTTPStatus.INTERNAL_SERVER_ERROR
    tx_sim.inject_error(401, "invalid_token", "revoked")
    response = await client.get("/api/image_proxy/image.room_101_screenshot")
    assert response.status == HTTPStatus.INTERNAL_SERVER_ERROR
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler("venue_av")
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
