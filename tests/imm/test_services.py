"""Actions against simulated players: what was sent, what came back, what failed."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.venue_av.const import DOMAIN
from custom_components.venue_av.imm.const import EVENT_IMM
from simulators.imm import FaultMode, ImmSimulator

from ..helpers import device_id_of
from .conftest import BAR_HOST, BAR_ID, LOBBY_HOST, LOBBY_ID, imm_entry

PLAYER = "media_player.lobby"


async def _call(
    hass: HomeAssistant, service: str, data: dict, *, response: bool = False
) -> dict | None:
    return await hass.services.async_call(
        DOMAIN,
        service,
        {"entity_id": PLAYER, **data},
        blocking=True,
        return_response=response,
    )


@pytest.mark.parametrize(
    ("service", "data", "executed"),
    [
        ("start_program", {"program": "PDF"}, ("start_program", 13)),
        ("start_program", {"program": 54, "duration": 30}, ("start_program", 54)),
        ("start_partition", {"playlist": "Playlist_1"}, ("start_partition", 35, 1, 1)),
        (
            "start_partition",
            {"program": "Program", "partition": "interaction_1", "playlist": 1},
            ("start_partition", 35, 1, 1),
        ),
        ("stop_partition", {}, ("stop_partition", 35, 1)),
        ("set_label", {"text": "Happy hour"}, ("set_label", 35, 2, "Happy hour")),
        ("play_media", {"media": "IM0.jpg"}, ("play_media", 35, 1, 442)),
        ("play_media", {"media": 403, "duration": 5}, ("play_media", 35, 1, 403)),
        (
            "play_web",
            {"url": "https://www.example.com/"},
            ("play_web", 35, 1, "https://www.example.com/"),
        ),
        (
            "play_stream",
            {"url": "rtsp://127.0.0.1:8554/live"},
            ("play_stream", 35, 1, "rtsp://127.0.0.1:8554/live"),
        ),
        (
            "play_youtube",
            {"url": "https://www.youtube.com/watch?v=8CmRIp3y9j4"},
            ("play_youtube", 35, 1, "https://www.youtube.com/watch?v=8CmRIp3y9j4"),
        ),
    ],
)
async def test_commands(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    imm_sim: ImmSimulator,
    service: str,
    data: dict,
    executed: tuple,
) -> None:
    """Each action sends the command the player carries out."""
    response = await _call(hass, service, data, response=True)
    assert imm_sim.client(LOBBY_HOST).executed[-1] == executed
    assert response == {
        "results": [
            {
                "device_id": device_id_of(hass, init_integration.entry_id),
                "name": "Lobby",
                "result": "done",
                "message": "Success",
            }
        ]
    }


@pytest.mark.usefixtures("init_integration")
async def test_blocking_playback_and_queue(
    hass: HomeAssistant, imm_sim: ImmSimulator
) -> None:
    """A blocking playback refuses, forces or queues the next command as asked."""
    await _call(
        hass,
        "start_partition",
        {"playlist": "Playlist_1", "behavior": "exactly_once"},
    )
    with pytest.raises(
        HomeAssistantError, match="last playback is not finished"
    ) as err:
        await _call(hass, "start_partition", {"playlist": "Playlist_2"})
    assert err.value.translation_key == "imm_last_playback_not_finished"

    response = await _call(
        hass,
        "start_partition",
        {"playlist": "Playlist_2", "collision": "queue", "queue_timeout": 30},
        response=True,
    )
    assert response["results"][0]["result"] == "queued"

    await _call(
        hass, "start_partition", {"playlist": "Playlist_2", "collision": "force"}
    )
    assert imm_sim.client(LOBBY_HOST).executed[-1] == ("start_partition", 35, 1, 2)


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"program": "Nope"}, "unknown_program"),
        ({"playlist": "Nope"}, "unknown_playlist"),
        ({"partition": "Nope", "playlist": 1}, "unknown_partition"),
    ],
)
async def test_unknown_names(hass: HomeAssistant, data: dict, key: str) -> None:
    """Names that the schedule does not know fail before anything is sent."""
    service = "start_program" if "program" in data else "start_partition"
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, service, data)
    assert err.value.translation_key == key


@pytest.mark.usefixtures("init_integration")
async def test_unknown_media(hass: HomeAssistant) -> None:
    """A media name not in the partition is refused."""
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "play_media", {"media": "missing.mp4"})
    assert err.value.translation_key == "unknown_media"


@pytest.mark.usefixtures("init_integration")
async def test_web_media_of_a_playlist(
    hass: HomeAssistant, imm_sim: ImmSimulator
) -> None:
    """Web items of a playlist have no id or name: they are played by their URL."""
    await _call(hass, "play_media", {"media": "http://www.google.com/"})
    assert imm_sim.client(LOBBY_HOST).executed[-1] == (
        "play_web",
        35,
        1,
        "http://www.google.com/",
    )


@pytest.mark.usefixtures("init_integration")
async def test_start_schedule(hass: HomeAssistant, imm_sim: ImmSimulator) -> None:
    """Back to the schedule after a program override."""
    await _call(hass, "start_program", {"program": "PDF"})
    assert hass.states.get(PLAYER).attributes["source"] == "PDF"
    await _call(hass, "start_schedule", {})
    assert imm_sim.client(LOBBY_HOST).executed[-1] == ("start_schedule",)
    assert hass.states.get(PLAYER).attributes["source"] == "Program"


@pytest.mark.usefixtures("init_integration")
async def test_device_errors_are_translated(
    hass: HomeAssistant, imm_sim: ImmSimulator
) -> None:
    """Error codes become translated messages; nothing raw reaches the user."""
    imm_sim.client(LOBBY_HOST).status = "standby"
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "set_label", {"program": "Program", "text": "x"})
    assert err.value.translation_key == "imm_not_playing"
    assert "not playing" in str(err.value)


@pytest.mark.usefixtures("init_integration")
async def test_program_not_matched(hass: HomeAssistant) -> None:
    """Labels of a program that is not playing cannot be set."""
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "set_label", {"program": "Events", "text": "x"})
    assert err.value.translation_key == "imm_program_not_matched"


@pytest.mark.usefixtures("init_integration")
async def test_connection_error(hass: HomeAssistant, imm_sim: ImmSimulator) -> None:
    """An unreachable player gives a clear error, not a traceback."""
    imm_sim.set_fault(FaultMode.DOWN, host=LOBBY_HOST)
    # The player went off and a poll has noticed (its pooled connection is gone): the
    # action meets a refused connection, so nothing was sent. An action sent on a
    # connection that then breaks honestly says it may have been carried out instead
    # (tests/imm/test_at_most_once.py).
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    await entry.runtime_data.async_refresh()
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "start_schedule", {})
    assert err.value.translation_key == "cannot_connect"


@pytest.mark.usefixtures("init_integration")
async def test_wrong_key_starts_reauth(
    hass: HomeAssistant, imm_sim: ImmSimulator
) -> None:
    """A rejected key fails the action and opens reauth."""
    imm_sim.client(LOBBY_HOST).key = "9999"
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "start_schedule", {})
    assert err.value.translation_key == "invalid_key"
    await hass.async_block_till_done()
    assert [
        flow["context"]["source"] for flow in hass.config_entries.flow.async_progress()
    ] == ["reauth"]


@pytest.mark.usefixtures("init_integration")
async def test_push_sensor(hass: HomeAssistant, imm_sim: ImmSimulator) -> None:
    """Pushed values trigger event mappings: response data and bus events."""
    events = []
    hass.bus.async_listen(EVENT_IMM, events.append)

    response = await _call(
        hass,
        "push_sensor",
        {"sensor": "face", "output": "age", "value": "23"},
        response=True,
    )
    assert response["results"][0]["triggered"] == []
    response = await _call(
        hass,
        "push_sensor",
        {"sensor": "face", "output": "gender", "value": "male"},
        response=True,
    )
    triggered = response["results"][0]["triggered"]
    assert [item["mapping_id"] for item in triggered] == [11]
    assert triggered[0]["result"] == "Success"
    await hass.async_block_till_done()
    mapping_events = [
        event.data
        for event in events
        if event.data["type"] == "event_mapping_triggered"
    ]
    assert mapping_events[0]["mapping_id"] == 11
    assert mapping_events[0]["event"] == "Young Man"
    assert mapping_events[0]["program_id"] == 13

    # The value shows up as a sensor of its own, and goes away with the output.
    assert hass.states.get("sensor.lobby_face_age").state == "23"
    await _call(hass, "push_sensor", {"sensor": "face", "output": "age", "value": ""})
    await hass.async_block_till_done()
    assert hass.states.get("sensor.lobby_face_age") is None


@pytest.mark.usefixtures("init_integration")
async def test_get_event_script(hass: HomeAssistant) -> None:
    """The event script comes back as response data."""
    response = await _call(hass, "get_event_script", {}, response=True)
    script = response["results"][0]["event_script"]
    assert script["name"] == "MyEventScript"
    assert [mapping["mapping_id"] for mapping in script["mappings"]][:2] == [11, 12]


@pytest.mark.usefixtures("init_integration")
async def test_set_configuration(hass: HomeAssistant, imm_sim: ImmSimulator) -> None:
    """An administrator can point a player at another server."""
    await _call(
        hass, "set_configuration", {"server_ip": "127.0.0.9", "server_port": 8080}
    )
    assert imm_sim.client(LOBBY_HOST).executed[-1] == (
        "config",
        LOBBY_ID,
        "127.0.0.9",
        8080,
    )
    with pytest.raises(ServiceValidationError):
        await _call(hass, "set_configuration", {})


async def test_fleet(hass: HomeAssistant, imm_sim: ImmSimulator) -> None:
    """One call drives every targeted player; failures name the player."""
    entries = [imm_entry(), imm_entry(BAR_HOST, BAR_ID, "Bar")]
    for entry in entries:
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    devices = [device_id_of(hass, item.entry_id) for item in entries]

    response = await hass.services.async_call(
        DOMAIN,
        "start_program",
        {"device_id": devices, "program": "PDF"},
        blocking=True,
        return_response=True,
    )
    assert [item["name"] for item in response["results"]] == ["Bar", "Lobby"]
    for host in (LOBBY_HOST, BAR_HOST):
        assert imm_sim.client(host).executed[-1] == ("start_program", 13)

    imm_sim.set_fault(FaultMode.HTTP_500, host=BAR_HOST)
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN, "start_schedule", {"device_id": devices}, blocking=True
        )
    assert err.value.translation_key == "fleet_failed"
    assert "Bar" in str(err.value)
    assert imm_sim.client(LOBBY_HOST).executed[-1] == ("start_schedule",)


async def test_no_target(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An action that targets no player says so."""
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "start_schedule",
            {"entity_id": "media_player.nothing"},
            blocking=True,
        )
    assert err.value.translation_key == "no_target"
