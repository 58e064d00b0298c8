"""Command APIs of the IMM client against the simulator: what goes on the wire and
what the player then does (``SimulatedClient.executed``).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from custom_components.venue_av.protocol.imm import (
    ActionResult,
    Behavior,
    ClientStatus,
    Collision,
    EventMappingResult,
    ImmAuthenticationError,
    ImmClient,
    ImmFailureError,
    ImmParameterError,
    ImmPlaybackBusyError,
    SensorPushResult,
)
from simulators.imm import ImmSimulator
from simulators.imm.model import Event, EventMapping, SensorCondition

from .conftest import BAR, LOBBY, wait_until

SUCCESS = ActionResult(code=0, message="Success")


def _last_params(sim: ImmSimulator) -> dict[str, str]:
    return sim.request_log[-1].params


async def test_play_and_stop(client: ImmClient, sim: ImmSimulator) -> None:
    simulated = sim.client(LOBBY)
    # Already playing: success, nothing happens.
    assert await client.play() == SUCCESS
    assert simulated.executed == []
    assert _last_params(sim) == {"type": "play", "interaction_key": "***"}

    result = await client.stop()
    assert result == SUCCESS
    assert result.queued is False
    assert simulated.status == "standby"
    assert _last_params(sim) == {"type": "stop", "interaction_key": "***"}
    assert (await client.configuration()).status is ClientStatus.STANDBY

    assert await client.play() == SUCCESS
    assert simulated.status == "playing"
    assert simulated.executed == [("stop",), ("play",)]


async def test_start_schedule(client: ImmClient, sim: ImmSimulator) -> None:
    simulated = sim.client(LOBBY)
    await client.start_program(54)
    assert (await client.program()).is_breaking is True
    assert await client.start_schedule() == SUCCESS
    assert _last_params(sim) == {"type": "start_schedule", "interaction_key": "***"}
    assert simulated.current_program_id == 35
    assert (await client.program()).is_breaking is False
    # Resumes from standby too.
    await client.stop()
    await client.start_schedule()
    assert simulated.status == "playing"
    assert simulated.executed == [
        ("start_program", 54),
        ("start_schedule",),
        ("stop",),
        ("start_schedule",),
    ]


async def test_start_program_parameters(client: ImmClient, sim: ImmSimulator) -> None:
    result = await client.start_program(
        13,
        behavior=Behavior.EXACTLY_ONCE,
        collision=Collision.QUEUE,
        queue_timeout=10,
        duration=5,
    )
    assert result == SUCCESS
    assert _last_params(sim) == {
        "type": "start_program",
        "program_id": "13",
        "behavior": "exactly_once",
        "collision": "queue",
        "queue_timeout": "10",
        "duration": "5",
        "interaction_key": "***",
    }
    simulated = sim.client(LOBBY)
    # exactly_once: plays for 5 s (x time scale), then back to the scheduled program.
    await wait_until(lambda: len(simulated.executed) == 2)
    assert simulated.executed == [("start_program", 13), ("revert_program", 35)]


async def test_start_program_defaults_send_nothing_optional(
    client: ImmClient, sim: ImmSimulator
) -> None:
    await client.start_program(54)
    assert _last_params(sim) == {
        "type": "start_program",
        "program_id": "54",
        "interaction_key": "***",
    }


async def test_start_program_in_standby_starts_playing(
    client: ImmClient, sim: ImmSimulator
) -> None:
    await client.stop()
    await client.start_program(13)
    assert sim.client(LOBBY).status == "playing"
    assert (await client.program()).program_id == 13


@pytest.mark.parametrize(("force", "wire"), [(True, "true"), (False, "false")])
async def test_start_program_obsolete_force(
    client: ImmClient, sim: ImmSimulator, force: bool, wire: str
) -> None:
    simulated = sim.client(LOBBY)
    await client.start_program(13, behavior=Behavior.AT_LEAST_ONCE, duration=100)
    assert simulated.blocked
    if force:
        assert await client.start_program(54, force=force) == SUCCESS
        assert simulated.executed == [("start_program", 13), ("start_program", 54)]
    else:
        with pytest.raises(ImmPlaybackBusyError):
            await client.start_program(54, force=force)
        assert simulated.executed == [("start_program", 13)]
    assert _last_params(sim)["force"] == wire
    assert "collision" not in _last_params(sim)


async def test_start_partition(client: ImmClient, sim: ImmSimulator) -> None:
    result = await client.start_partition(
        35,
        1,
        1,
        behavior=Behavior.AT_MOST_ONCE,
        collision=Collision.FORCE,
        queue_timeout=3,
        force=True,
    )
    assert result == SUCCESS
    assert _last_params(sim) == {
        "type": "start_partition",
        "program_id": "35",
        "partition_id": "1",
        "playlist_id": "1",
        "behavior": "at_most_once",
        "force": "true",
        "collision": "force",
        "queue_timeout": "3",
        "interaction_key": "***",
    }
    simulated = sim.client(LOBBY)
    assert simulated.partition_playlists[1] == 1
    # at_most_once: back to the default playlist (2) after the default 10 s.
    await wait_until(lambda: len(simulated.executed) == 2)
    assert simulated.executed == [
        ("start_partition", 35, 1, 1),
        ("revert_partition", 35, 1, 2),
    ]


async def test_stop_partition(client: ImmClient, sim: ImmSimulator) -> None:
    result = await client.stop_partition(
        35, 1, collision=Collision.QUEUE, queue_timeout=10, force=False
    )
    assert result == SUCCESS
    assert _last_params(sim) == {
        "type": "stop_partition",
        "program_id": "35",
        "partition_id": "1",
        "force": "false",
        "collision": "queue",
        "queue_timeout": "10",
        "interaction_key": "***",
    }
    assert sim.client(LOBBY).executed == [("stop_partition", 35, 1)]
    assert (await client.program()).partitions[0].current_playlist_id is None


async def test_set_label(client: ImmClient, sim: ImmSimulator) -> None:
    text = "Hello World & <friends> ü"
    assert await client.set_label(35, 2, text) == SUCCESS
    assert _last_params(sim) == {
        "type": "set_label",
        "program_id": "35",
        "partition_id": "2",
        "text": text,
        "interaction_key": "***",
    }
    assert sim.client(LOBBY).executed == [("set_label", 35, 2, text)]
    label = (await client.program()).partition(2)
    assert label is not None
    assert label.text == text
    # An empty text is still sent. The spec allows two readings: it clears the label
    # (the simulator's choice) or it counts as missing (ParameterNoText, 3006).
    try:
        await client.set_label(35, 2, "")
    except ImmParameterError as err:
        assert err.code == 3006  # noqa: PT017
        expected = text
    else:
        expected = ""
    assert _last_params(sim)["text"] == ""
    label = (await client.program()).partition(2)
    assert label is not None
    assert label.text == expected


async def test_play_media(client: ImmClient, sim: ImmSimulator) -> None:
    result = await client.play_media(
        35,
        1,
        442,
        behavior=Behavior.REPEAT,
        collision=Collision.IGNORE,
        queue_timeout=2,
        duration=7,
        force=False,
    )
    assert result == SUCCESS
    assert _last_params(sim) == {
        "type": "play_media",
        "program_id": "35",
        "partition_id": "1",
        "media_id": "442",
        "behavior": "repeat",
        "force": "false",
        "collision": "ignore",
        "queue_timeout": "2",
        "duration": "7",
        "interaction_key": "***",
    }
    simulated = sim.client(LOBBY)
    assert simulated.executed == [("play_media", 35, 1, 442)]
    assert simulated.partition_content[1] == ("media", "442")
    # ad-hoc content: no current playlist
    assert (await client.program()).partitions[0].current_playlist_id is None


@pytest.mark.parametrize(
    ("method", "url", "content"),
    [
        ("play_web", "http://www.google.com/?q=a&b=c", "web"),
        ("play_stream", "rtsp://127.0.0.1:8554/movie", "stream"),
        ("play_youtube", "https://www.youtube.com/watch?v=8CmRIp3y9j4", "youtube"),
    ],
)
async def test_play_url(
    client: ImmClient, sim: ImmSimulator, method: str, url: str, content: str
) -> None:
    play: Callable[..., object] = getattr(client, method)
    extra = {} if method == "play_youtube" else {"duration": 4}
    result = await play(  # type: ignore[misc]
        35,
        1,
        url,
        behavior=Behavior.AT_LEAST_ONCE,
        collision=Collision.QUEUE,
        queue_timeout=9,
        force=True,
        **extra,
    )
    assert result == SUCCESS
    expected = {
        "type": method,
        "program_id": "35",
        "partition_id": "1",
        "url": url,
        "behavior": "at_least_once",
        "force": "true",
        "collision": "queue",
        "queue_timeout": "9",
        "interaction_key": "***",
    }
    if extra:
        expected["duration"] = "4"
    assert _last_params(sim) == expected
    simulated = sim.client(LOBBY)
    assert simulated.executed == [(method, 35, 1, url)]
    assert simulated.partition_content[1] == (content, url)


# -- sensors -------------------------------------------------------------------


async def test_push_sensor_nothing_happened(
    client: ImmClient, sim: ImmSimulator
) -> None:
    result = await client.push_sensor("face", "age", "45")
    assert result == SensorPushResult()
    assert result.nothing_happened is True
    assert result.triggered == ()
    assert sim.request_log[-1].code == 8
    assert _last_params(sim) == {
        "type": "sensor",
        "name": "face",
        "output": "age",
        "value": "45",
        "interaction_key": "***",
    }


async def test_push_sensor_single_result(client: ImmClient, sim: ImmSimulator) -> None:
    await client.start_program(54)
    result = await client.push_sensor("rfid", "id", "001")
    assert result.nothing_happened is False
    (triggered,) = result.triggered
    assert triggered == EventMappingResult(mapping_id=13, code=0, message="Success")
    assert triggered.name == "Success"
    assert triggered.succeeded is True
    assert triggered.queued is False
    simulated = sim.client(LOBBY)
    assert simulated.executed[-2:] == [("event", "13"), ("start_partition", 54, 1, 2)]


async def test_push_sensor_single_failed_mapping(client: ImmClient) -> None:
    # The mapping targets program 54 while 35 plays: the mapping fails (2002), the
    # push itself does not.
    result = await client.push_sensor("rfid", "id", "002")
    (triggered,) = result.triggered
    assert triggered.mapping_id == 14
    assert triggered.code == 2002
    assert triggered.name == "ProgramNotMatched"
    assert triggered.succeeded is False


async def test_push_sensor_multiple_results(
    client: ImmClient, sim: ImmSimulator
) -> None:
    simulated = sim.client(LOBBY)
    assert simulated.event_script is not None
    door = [SensorCondition(name="door", output="state", op="eq", value="open")]
    simulated.event_script.mappings = [
        EventMapping(
            id="333",
            priority=1,
            program_id=54,
            behavior="exactly_once",
            collision="ignore",
            event=Event(name="Door A", sensors=door),
        ),
        EventMapping(
            id="328",
            priority=2,
            program_id=13,
            behavior="repeat",
            collision="queue",
            queue_timeout=100,
            event=Event(name="Door B", sensors=door),
        ),
    ]
    result = await client.push_sensor("door", "state", "open")
    assert sim.request_log[-1].code == 9
    assert result.triggered == (
        EventMappingResult(mapping_id=333, code=0, message="Success"),
        EventMappingResult(mapping_id=328, code=7, message="Action has been queued"),
    )
    assert [t.name for t in result.triggered] == ["Success", "ActionQueued"]
    assert [t.succeeded for t in result.triggered] == [True, True]
    assert [t.queued for t in result.triggered] == [False, True]
    # The queued mapping runs when the blocking one has ended (10 s x time scale).
    await wait_until(lambda: ("start_program", 13) in simulated.executed)
    assert simulated.executed == [
        ("event", "333"),
        ("start_program", 54),
        ("event", "328"),
        ("revert_program", 35),
        ("start_program", 13),
    ]


async def test_push_sensor_empty_value_removes(
    client: ImmClient, sim: ImmSimulator
) -> None:
    await client.push_sensor("face", "age", "23")
    await client.push_sensor("face", "gender", "male")  # fires mapping 11
    assert len(await client.sensor_status()) == 2
    result = await client.push_sensor("face", "age", "")
    assert result.nothing_happened is True
    assert _last_params(sim)["value"] == ""
    values = await client.sensor_status()
    assert [(v.sensor, v.output, v.value) for v in values] == [
        ("face", "gender", "male")
    ]


async def test_push_sensor_errors(
    client: ImmClient, make_client: Callable[..., ImmClient]
) -> None:
    # An error without eventmapping_id is an error of the push itself.
    with pytest.raises(ImmFailureError):
        await client.push_sensor("", "age", "1")
    with pytest.raises(ImmAuthenticationError):
        await make_client(BAR).push_sensor("face", "age", "1")
