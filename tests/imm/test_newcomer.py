"""What a newcomer meets: controls that cannot only fail, refusals without tracebacks,
errors that name what a player has, device text that fits a state (issues #14, #11)."""

from __future__ import annotations

import logging
from typing import Any
from unittest.mock import patch

from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.venue_av.const import DOMAIN
from simulators.imm import ImmSimulator

from .conftest import LOBBY_HOST

PLAYER = "media_player.lobby"
PROGRAM_LABEL = "text.lobby_label_tex_block_of_program_program"
PROGRAM_PLAYLIST = "select.lobby_playlist_of_program_program"
EVENTS_LABEL = "text.lobby_label_ticker_of_program_events"
EVENTS_PLAYLIST = "select.lobby_playlist_of_program_events"

pytestmark = pytest.mark.usefixtures("init_integration")


async def test_only_the_playing_programs_controls_are_available(
    hass: HomeAssistant, imm_sim: ImmSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Labels and playlists of a program that is not playing are unavailable.

    On the old code the Events entities were available and setting them failed
    (ProgramNotMatched, logged with a traceback).
    """
    assert hass.states.get(PROGRAM_LABEL).state == "TEXT"
    assert hass.states.get(PROGRAM_PLAYLIST).state == "Playlist_2"
    assert hass.states.get(EVENTS_LABEL).state == STATE_UNAVAILABLE
    assert hass.states.get(EVENTS_PLAYLIST).state == STATE_UNAVAILABLE
    # Home Assistant skips unavailable entities: nothing is sent, nothing is logged.
    sent = len(imm_sim.client(LOBBY_HOST).executed)
    await hass.services.async_call(
        "text", "set_value", {ATTR_ENTITY_ID: EVENTS_LABEL, "value": "x"}, blocking=True
    )
    assert len(imm_sim.client(LOBBY_HOST).executed) == sent
    _no_traceback(caplog)

    await hass.services.async_call(
        "media_player",
        "select_source",
        {ATTR_ENTITY_ID: PLAYER, "source": "Events"},
        blocking=True,
    )
    assert hass.states.get(EVENTS_LABEL).state == "Welcome"
    assert hass.states.get(EVENTS_PLAYLIST).state == "Idle"
    assert hass.states.get(PROGRAM_LABEL).state == STATE_UNAVAILABLE
    assert hass.states.get(PROGRAM_PLAYLIST).state == STATE_UNAVAILABLE


async def _ws_call(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    domain: str,
    service: str,
    data: dict[str, Any],
) -> dict[str, Any]:
    """Call an action the way the frontend does; the error it gets back."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "call_service",
            "domain": domain,
            "service": service,
            "service_data": data,
        }
    )
    msg = await client.receive_json()
    assert not msg["success"]
    return msg["error"]


def _no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """A refusal is one log line: no traceback, no "Unexpected exception"."""
    loud = [
        record
        for record in caplog.records
        if record.levelno >= logging.INFO
        and (record.exc_info or "Unexpected exception" in record.getMessage())
    ]
    assert loud == []


@pytest.mark.parametrize(
    ("domain", "service", "data", "key"),
    [
        (DOMAIN, "start_program", {"program": "Welcome"}, "unknown_program"),
        (
            DOMAIN,
            "set_label",
            {"program": "Events", "text": "x"},
            "imm_program_not_matched",
        ),
        (DOMAIN, "start_partition", {"playlist": "Nope"}, "unknown_playlist"),
        (
            DOMAIN,
            "push_sensor",
            {"sensor": "face", "output": "age", "value": "x" * 300},
            "imm_text_too_long",
        ),
        (DOMAIN, "set_label", {"text": "x" * 300}, "imm_text_too_long"),
        ("media_player", "select_source", {"source": "Nope"}, None),
    ],
)
async def test_refusals_are_validation_errors(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    caplog: pytest.LogCaptureFixture,
    domain: str,
    service: str,
    data: dict[str, Any],
    key: str | None,
) -> None:
    """Predictable refusals reach the UI translated and log no traceback.

    On the old code ProgramNotMatched was a plain HomeAssistantError (traceback
    headed "Unexpected exception") and a 300-character value was accepted.
    """
    assert await async_setup_component(hass, "websocket_api", {})
    error = await _ws_call(
        hass, hass_ws_client, domain, service, {ATTR_ENTITY_ID: PLAYER, **data}
    )
    assert error["code"] == "service_validation_error"
    if key is not None:
        assert error["translation_key"] == key
    _no_traceback(caplog)


@pytest.mark.parametrize(
    ("entity_id", "service", "value_key", "value", "old"),
    [
        ("text", "set_value", "value", "Happy hour", "TEXT"),
        ("select", "select_option", "option", "Playlist_1", "Playlist_2"),
    ],
)
async def test_refused_entity_value_is_written_back(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    caplog: pytest.LogCaptureFixture,
    imm_sim: ImmSimulator,
    entity_id: str,
    service: str,
    value_key: str,
    value: str,
    old: str,
) -> None:
    """A refused value does not stay in the field: the player's value is sent again.

    The player went to standby since the last poll, so it refuses the change
    (ClientNotPlayState): one log line, and a state write with the old value that
    makes the frontend redraw the field. On the old code nothing was written and the
    refusal logged a traceback.
    """
    assert await async_setup_component(hass, "websocket_api", {})
    target = PROGRAM_LABEL if entity_id == "text" else PROGRAM_PLAYLIST
    imm_sim.client(LOBBY_HOST).status = "standby"
    written: list[Event] = []
    hass.bus.async_listen(
        "state_changed",
        lambda event: (
            written.append(event) if event.data["entity_id"] == target else None
        ),
    )
    error = await _ws_call(
        hass,
        hass_ws_client,
        entity_id,
        service,
        {ATTR_ENTITY_ID: target, value_key: value},
    )
    await hass.async_block_till_done()
    assert error["translation_key"] == "imm_not_playing"
    assert [event.data["new_state"].state for event in written] == [old]
    assert hass.states.get(target).state == old
    _no_traceback(caplog)


async def test_cleared_label_is_sent_as_a_space(
    hass: HomeAssistant, imm_sim: ImmSimulator
) -> None:
    """The spec refuses an empty label text (ParameterNoText): a space clears it.

    On the old code the empty text went out as it was.
    """
    await hass.services.async_call(
        "text", "set_value", {ATTR_ENTITY_ID: PROGRAM_LABEL, "value": ""}, blocking=True
    )
    assert imm_sim.client(LOBBY_HOST).executed[-1] == ("set_label", 35, 2, " ")
    assert hass.states.get(PROGRAM_LABEL).state == ""

    await hass.services.async_call(
        DOMAIN, "set_label", {ATTR_ENTITY_ID: PLAYER, "text": ""}, blocking=True
    )
    assert imm_sim.client(LOBBY_HOST).executed[-1] == ("set_label", 35, 2, " ")


@pytest.mark.parametrize(
    ("service", "data", "key", "placeholder", "listed"),
    [
        (
            "start_program",
            {"program": "Welcome"},
            "unknown_program",
            "programs",
            "Program (35), Events (54)",
        ),
        (
            "start_partition",
            {"partition": "main", "playlist": 1},
            "unknown_partition",
            "partitions",
            "interaction_1 (1), TEX BLOCK (2)",
        ),
        (
            "start_partition",
            {"playlist": "Nope"},
            "unknown_playlist",
            "playlists",
            "Playlist_1 (1), Playlist_2 (2)",
        ),
        ("play_media", {"media": "missing.mp4"}, "unknown_media", "choices", "IM0.jpg"),
        # A program without labels, no label named: the error says it has none.
        (
            "set_label",
            {"program": "PDF", "text": "x"},
            "imm_no_label_partition",
            "partitions",
            "—",
        ),
    ],
)
async def test_not_found_names_what_the_player_has(
    hass: HomeAssistant,
    service: str,
    data: dict[str, Any],
    key: str,
    placeholder: str,
    listed: str,
) -> None:
    """An unknown name is answered with the names the player does have."""
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, service, {ATTR_ENTITY_ID: PLAYER, **data}, blocking=True
        )
    assert err.value.translation_key == key
    assert listed in err.value.translation_placeholders[placeholder]
    assert listed in str(err.value)


async def test_long_device_text_is_capped(
    hass: HomeAssistant, imm_sim: ImmSimulator
) -> None:
    """Names and values of 300 characters make 255-character states.

    On the old code schedule, program and sensor output went out whole: the state
    was refused (InvalidStateError) and the sensor stayed unknown.
    """
    client = imm_sim.client(LOBBY_HOST)
    assert client.schedule is not None
    client.schedule.name = "S" * 300
    program = client.schedule.program(35)
    assert program is not None
    program.name = "P" * 300
    client.sensor_values[("face", "age")] = "A" * 300
    coordinator = hass.config_entries.async_entries(DOMAIN)[0].runtime_data
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get("sensor.lobby_schedule").state == "S" * 255
    assert hass.states.get("sensor.lobby_playing_program").state == "P" * 255
    assert hass.states.get("sensor.lobby_face_age").state == "A" * 255


async def test_program_change_adds_no_preview_logbook_entry(
    hass: HomeAssistant,
) -> None:
    """A new program gives the preview a new URL, not a new state.

    The logbook lists state changes only (an attribute-only change is skipped): on
    the old code the state (a timestamp) changed on every program change, adding
    "Program preview changed to <time>" each time.
    """
    preview = "image.lobby_program_preview"
    before = hass.states.get(preview)
    changes: list[Event] = []
    hass.bus.async_listen(
        "state_changed",
        lambda event: (
            changes.append(event) if event.data["entity_id"] == preview else None
        ),
    )
    with patch("homeassistant.components.image._RND.getrandbits", return_value=0x1234):
        await hass.services.async_call(
            "media_player",
            "select_source",
            {ATTR_ENTITY_ID: PLAYER, "source": "Events"},
            blocking=True,
        )
    await hass.async_block_till_done()
    after = hass.states.get(preview)
    assert changes
    assert all(
        event.data["old_state"].state == event.data["new_state"].state
        for event in changes
    )
    assert after.state == before.state
    assert after.attributes["entity_picture"] != before.attributes["entity_picture"]


async def test_unknown_source_names_the_programs(hass: HomeAssistant) -> None:
    """The media player's source list refusal names the programs too."""
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "media_player",
            "select_source",
            {ATTR_ENTITY_ID: PLAYER, "source": "Welcome"},
            blocking=True,
        )
    assert str(err.value) == (
        "Lobby has no program “Welcome”. Its programs: PDF (13), Program (35), "
        "Events (54)"
    )
