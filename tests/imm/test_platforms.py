"""Media player, select, text, switch and image of a player, driven like the UI does."""

from __future__ import annotations

from http import HTTPStatus

from homeassistant.components.media_player import (
    ATTR_INPUT_SOURCE,
    ATTR_MEDIA_CONTENT_ID,
    ATTR_MEDIA_CONTENT_TYPE,
    DOMAIN as MP_DOMAIN,
    SERVICE_PLAY_MEDIA,
    SERVICE_SELECT_SOURCE,
    BrowseError,
)
from homeassistant.components.media_player.const import (
    SERVICE_BROWSE_MEDIA,
)
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_MEDIA_PLAY,
    SERVICE_MEDIA_STOP,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from simulators.imm import ImmSimulator

from .conftest import LOBBY_HOST

PLAYER = "media_player.lobby"

pytestmark = pytest.mark.usefixtures("init_integration")


async def _player(hass: HomeAssistant, service: str, data: dict | None = None) -> None:
    await hass.services.async_call(
        MP_DOMAIN, service, {ATTR_ENTITY_ID: PLAYER, **(data or {})}, blocking=True
    )


async def test_stop_and_play(hass: HomeAssistant, imm_sim: ImmSimulator) -> None:
    """Stop puts the player in standby (idle); play resumes."""
    await _player(hass, SERVICE_MEDIA_STOP)
    state = hass.states.get(PLAYER)
    assert state.state == "idle"
    assert state.attributes.get("source") is None
    assert hass.states.get("switch.lobby_follow_schedule").state == "off"
    assert hass.states.get("sensor.lobby_status").state == "standby"

    await _player(hass, SERVICE_MEDIA_PLAY)
    assert hass.states.get(PLAYER).state == "playing"
    assert imm_sim.client(LOBBY_HOST).executed[-2:] == [("stop",), ("play",)]


async def test_select_source(hass: HomeAssistant, imm_sim: ImmSimulator) -> None:
    """Choosing a source starts that program; the schedule switch turns off."""
    await _player(hass, SERVICE_SELECT_SOURCE, {ATTR_INPUT_SOURCE: "Events"})
    assert imm_sim.client(LOBBY_HOST).executed[-1] == ("start_program", 54)
    state = hass.states.get(PLAYER)
    assert state.attributes["source"] == "Events"
    assert state.attributes["media_title"] == "Events"
    assert hass.states.get("switch.lobby_follow_schedule").state == "off"
    assert hass.states.get("sensor.lobby_playing_program").state == "Events"

    with pytest.raises(ServiceValidationError):
        await _player(hass, SERVICE_SELECT_SOURCE, {ATTR_INPUT_SOURCE: "Nope"})


async def test_follow_schedule_switch(
    hass: HomeAssistant, imm_sim: ImmSimulator
) -> None:
    """Off holds the playing program as an override; on returns to the schedule."""
    switch = "switch.lobby_follow_schedule"
    assert hass.states.get(switch).state == "on"
    await hass.services.async_call(
        "switch", SERVICE_TURN_OFF, {ATTR_ENTITY_ID: switch}, blocking=True
    )
    assert imm_sim.client(LOBBY_HOST).executed[-1] == ("start_program", 35)

    await _player(hass, SERVICE_SELECT_SOURCE, {ATTR_INPUT_SOURCE: "PDF"})
    assert hass.states.get(switch).state == "off"
    await hass.services.async_call(
        "switch", SERVICE_TURN_ON, {ATTR_ENTITY_ID: switch}, blocking=True
    )
    assert imm_sim.client(LOBBY_HOST).executed[-1] == ("start_schedule",)
    assert hass.states.get(switch).state == "on"


async def test_playlist_select(hass: HomeAssistant, imm_sim: ImmSimulator) -> None:
    """Choosing a playlist starts it in its partition."""
    select = "select.lobby_playlist_of_program_program"
    assert hass.states.get(select).state == "Playlist_2"
    await hass.services.async_call(
        "select",
        "select_option",
        {ATTR_ENTITY_ID: select, "option": "Playlist_1"},
        blocking=True,
    )
    assert imm_sim.client(LOBBY_HOST).executed[-1] == ("start_partition", 35, 1, 1)
    assert hass.states.get(select).state == "Playlist_1"


async def test_label_text(hass: HomeAssistant, imm_sim: ImmSimulator) -> None:
    """Setting the text entity sets the label on screen."""
    text = "text.lobby_label_tex_block_of_program_program"
    assert hass.states.get(text).state == "TEXT"
    await hass.services.async_call(
        "text",
        "set_value",
        {ATTR_ENTITY_ID: text, "value": "Happy hour"},
        blocking=True,
    )
    assert imm_sim.client(LOBBY_HOST).executed[-1] == ("set_label", 35, 2, "Happy hour")
    assert hass.states.get(text).state == "Happy hour"


@pytest.mark.parametrize(
    ("content_id", "content_type", "executed"),
    [
        ("imm/13", "program", ("start_program", 13)),
        ("imm/35/1/playlist/1", "playlist", ("start_partition", 35, 1, 1)),
        ("imm/35/1/media/442", "media", ("play_media", 35, 1, 442)),
        (
            "imm/35/1/web/http://www.google.com/",
            "media",
            ("play_web", 35, 1, "http://www.google.com/"),
        ),
        (
            "https://www.youtube.com/watch?v=8CmRIp3y9j4",
            "url",
            ("play_youtube", 35, 1, "https://www.youtube.com/watch?v=8CmRIp3y9j4"),
        ),
        (
            "https://www.example.com/menu",
            "url",
            ("play_web", 35, 1, "https://www.example.com/menu"),
        ),
        (
            "https://cdn.example.com/clip.mp4",
            "video",
            ("play_stream", 35, 1, "https://cdn.example.com/clip.mp4"),
        ),
        (
            "rtsp://127.0.0.1:8554/live",
            "url",
            ("play_stream", 35, 1, "rtsp://127.0.0.1:8554/live"),
        ),
    ],
)
async def test_play_media(
    hass: HomeAssistant,
    imm_sim: ImmSimulator,
    content_id: str,
    content_type: str,
    executed: tuple,
) -> None:
    """Programs, playlists, media and URLs play where they belong."""
    await _player(
        hass,
        SERVICE_PLAY_MEDIA,
        {ATTR_MEDIA_CONTENT_ID: content_id, ATTR_MEDIA_CONTENT_TYPE: content_type},
    )
    assert imm_sim.client(LOBBY_HOST).executed[-1] == executed


@pytest.mark.parametrize(
    "content_id", ["ftp://example.com/x", "imm/x", "imm/35/1/nope/1"]
)
async def test_play_media_refused(hass: HomeAssistant, content_id: str) -> None:
    """What the player cannot play is refused with a clear message."""
    with pytest.raises(ServiceValidationError):
        await _player(
            hass,
            SERVICE_PLAY_MEDIA,
            {ATTR_MEDIA_CONTENT_ID: content_id, ATTR_MEDIA_CONTENT_TYPE: "url"},
        )


async def test_play_url_needs_interaction_partition(
    hass: HomeAssistant, imm_sim: ImmSimulator
) -> None:
    """The PDF program has no play area for URLs."""
    await _player(hass, SERVICE_SELECT_SOURCE, {ATTR_INPUT_SOURCE: "PDF"})
    with pytest.raises(ServiceValidationError) as err:
        await _player(
            hass,
            SERVICE_PLAY_MEDIA,
            {
                ATTR_MEDIA_CONTENT_ID: "https://example.com/",
                ATTR_MEDIA_CONTENT_TYPE: "url",
            },
        )
    assert err.value.translation_key == "no_interaction_partition"


def _as_dict(result: object) -> dict:
    # 2025.4 hands the BrowseMedia object back to a direct call; later releases a dict.
    return result if isinstance(result, dict) else result.as_dict()


async def test_browse_media(hass: HomeAssistant) -> None:
    """Programs → partitions → playlists → media."""
    root = await hass.services.async_call(
        MP_DOMAIN,
        SERVICE_BROWSE_MEDIA,
        {ATTR_ENTITY_ID: PLAYER},
        blocking=True,
        return_response=True,
    )
    root = _as_dict(root[PLAYER])
    assert root["title"] == "Venue Day"
    assert [child["title"] for child in root["children"]] == [
        "PDF",
        "Program",
        "Events",
    ]
    assert root["children"][1]["can_expand"] is True
    assert root["children"][0]["can_expand"] is False

    async def browse(content_id: str) -> dict:
        result = await hass.services.async_call(
            MP_DOMAIN,
            SERVICE_BROWSE_MEDIA,
            {
                ATTR_ENTITY_ID: PLAYER,
                ATTR_MEDIA_CONTENT_ID: content_id,
                ATTR_MEDIA_CONTENT_TYPE: "program",
            },
            blocking=True,
            return_response=True,
        )
        return _as_dict(result[PLAYER])

    program = await browse("imm/35")
    assert [child["title"] for child in program["children"]] == ["interaction_1"]
    partition = await browse("imm/35/1")
    assert [child["title"] for child in partition["children"]] == [
        "Playlist_1",
        "Playlist_2",
    ]
    playlist = await browse("imm/35/1/playlist/1")
    media = {child["title"]: child for child in playlist["children"]}
    assert media["IM0.jpg"]["media_content_id"] == "imm/35/1/media/442"
    assert media["IM0.jpg"]["thumbnail"] is not None
    assert media["http://www.google.com/"]["media_content_id"] == (
        "imm/35/1/web/http://www.google.com/"
    )
    for bad in ("imm/99", "imm/35/9", "imm/35/1/playlist/9", "imm/x"):
        with pytest.raises(BrowseError):
            await browse(bad)


async def test_pictures_are_proxied(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """Program and media previews reach the browser through Home Assistant."""
    assert await async_setup_component(hass, "http", {})
    client = await hass_client()
    picture = hass.states.get(PLAYER).attributes["entity_picture"]
    assert LOBBY_HOST not in picture
    response = await client.get(picture)
    assert response.status == HTTPStatus.OK
    assert (await response.read())[:2] == b"\xff\xd8"

    image = hass.states.get("image.lobby_program_preview").attributes["entity_picture"]
    response = await client.get(image)
    assert response.status == HTTPStatus.OK
    assert response.content_type == "image/jpeg"

    player = hass.data["media_player"].get_entity(PLAYER)
    data, content_type = await player.async_get_browse_image(
        "media", "imm/35/1/media/442", "442"
    )
    assert content_type == "image/jpeg"
    assert data[:2] == b"\xff\xd8"
    assert await player.async_get_browse_image("media", "x", None) == (None, None)
    data, _ = await player.async_get_browse_image("program", "13")
    assert data[:2] == b"\xff\xd8"
