"""Query APIs of the IMM client against the simulator: schedule, program, previews,
event script, sensor status and configuration.
"""

from __future__ import annotations

import io

import aiohttp
from lxml import etree
from PIL import Image
import pytest

from custom_components.venue_av.protocol.imm import (
    ClientInfo,
    ClientStatus,
    DataSize,
    ImmClient,
    ImmFailureError,
    ImmNotFoundError,
    ImmNotPlayingError,
    MediaType,
    MqttStatus,
    PartitionType,
    Position,
    ServerStatus,
)
from simulators.imm import ImmSimulator

from .conftest import HTTP_PORT, LOBBY, LOBBY_ID


async def test_schedule(client: ImmClient) -> None:
    schedule = await client.schedule()

    assert schedule.name == "Venue Day"
    assert schedule.activation_time == "2024-05-01 08:00"
    assert schedule.creation_time == "2024-04-30 17:12:45"
    assert [p.program_id for p in schedule.programs] == [13, 35, 54]
    assert schedule.program(999) is None

    pdf = schedule.program(13)
    assert pdf is not None
    assert pdf.name == "PDF"
    assert pdf.partitions == ()
    assert pdf.position == Position(x=0, y=0, width=1920, height=1080)
    assert pdf.is_breaking is None  # only program.xml says so

    program = schedule.program(35)
    assert program is not None
    interaction = program.partition(1)
    assert interaction is not None
    assert interaction.type is PartitionType.INTERACTION
    assert interaction.major is True
    assert interaction.default_playlist_id == 2
    assert interaction.position == Position(x=0, y=0, width=500, height=600)
    assert [pl.playlist_id for pl in interaction.playlists] == [1, 2]
    assert interaction.playlist(99) is None
    playlist = interaction.playlist(1)
    assert playlist is not None
    assert playlist.name == "Playlist_1"
    assert [(m.media_id, m.type) for m in playlist.media] == [
        (403, MediaType.VIDEO),
        (442, MediaType.IMAGE),
        (422, MediaType.FLASH),
        (None, MediaType.WEB),
    ]
    assert [m.has_preview for m in playlist.media] == [True, True, False, False]
    web = playlist.media[3]
    assert web.name == ""
    assert web.content == "http://www.google.com/"

    label = program.partition(2)
    assert label is not None
    assert label.type is PartitionType.LABEL
    assert label.text == "TEXT"
    assert label.major is False
    assert label.playlists == ()
    assert program.partition(7) is None

    events = schedule.program(54)
    assert events is not None
    side = events.partition(3)
    assert side is not None
    assert side.major is False
    assert side.default_playlist_id == 4


async def test_schedule_reflects_label_changes(client: ImmClient) -> None:
    await client.set_label(35, 2, "Happy hour")
    schedule = await client.schedule()
    program = schedule.program(35)
    assert program is not None
    label = program.partition(2)
    assert label is not None
    assert label.text == "Happy hour"


async def test_schedule_not_found(client: ImmClient, sim: ImmSimulator) -> None:
    sim.client(LOBBY).schedule = None
    with pytest.raises(ImmNotFoundError) as err:
        await client.schedule()
    assert err.value.code == 1001
    assert err.value.name == "ScheduleNotFound"


async def test_program(client: ImmClient) -> None:
    program = await client.program()
    assert program.program_id == 35
    assert program.name == "Program"
    assert program.is_breaking is False
    assert program.position == Position(x=0, y=0, width=1920, height=1080)
    interaction = program.partition(1)
    assert interaction is not None
    assert interaction.current_playlist_id == 2
    assert interaction.playlists == ()
    label = program.partition(2)
    assert label is not None
    assert label.text == "TEXT"
    assert label.current_playlist_id is None


async def test_program_follows_commands(client: ImmClient) -> None:
    await client.start_program(54)
    program = await client.program()
    assert program.program_id == 54
    assert program.is_breaking is True
    assert [p.partition_id for p in program.partitions] == [1, 2, 3]

    await client.start_partition(54, 1, 3)
    await client.stop_partition(54, 3)
    program = await client.program()
    first, _, side = program.partitions
    assert first.current_playlist_id == 3
    assert side.current_playlist_id is None  # stopped: attribute empty

    await client.start_program(13)
    program = await client.program()
    assert program.program_id == 13
    assert program.partitions == ()


async def test_program_in_standby(client: ImmClient) -> None:
    await client.stop()
    with pytest.raises(ImmNotPlayingError) as err:
        await client.program()
    assert err.value.code == 3
    assert err.value.kind == "not_playing"


async def test_program_not_found(client: ImmClient, sim: ImmSimulator) -> None:
    sim.client(LOBBY).current_program_id = 777
    with pytest.raises(ImmNotFoundError) as err:
        await client.program()
    assert err.value.code == 1002


def _decode_jpeg(body: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(body)) as image:
        assert image.format == "JPEG"
        image.load()
        return image.size


async def test_program_preview(client: ImmClient) -> None:
    body = await client.program_preview(35)
    assert body.startswith(b"\xff\xd8")
    assert _decode_jpeg(body) == (320, 180)
    other = await client.program_preview(13)
    assert other != body


async def test_media_preview(client: ImmClient) -> None:
    for media_id in (403, 442, 507):
        body = await client.media_preview(media_id)
        assert _decode_jpeg(body) == (320, 180)


@pytest.mark.parametrize(
    ("kind", "item_id"),
    [
        ("program", 999),
        ("media", 422),  # flash: only video and image media have a preview
        ("media", 999),
    ],
)
async def test_preview_not_found(client: ImmClient, kind: str, item_id: int) -> None:
    fetch = client.program_preview if kind == "program" else client.media_preview
    with pytest.raises(ImmNotFoundError) as err:
        await fetch(item_id)
    assert err.value.code == 404
    assert err.value.name == "NotFound"
    assert err.value.kind == "not_found"


async def test_event_script(client: ImmClient, session: aiohttp.ClientSession) -> None:
    # The simulator answers like the spec's example: a bare ``<eventscrip>`` root.
    async with session.get(
        f"http://{LOBBY}:{HTTP_PORT}/interaction/eventscript.xml"
    ) as response:
        assert etree.fromstring(await response.read()).tag == "eventscrip"
    script = await client.event_script()
    assert script.name == "MyEventScript"
    assert [m.mapping_id for m in script.mappings] == [11, 12, 13, 14, 15]
    assert script.mapping(99) is None

    young_man = script.mapping(11)
    assert young_man is not None
    assert young_man.priority == 3
    assert young_man.program_id == 13
    assert young_man.starts_partition is False
    assert young_man.behavior == "repeat"
    assert young_man.collision == "queue"
    assert young_man.queue_timeout == 10
    assert young_man.event_name == "Young Man"
    assert young_man.logic_concat == "and"
    assert [(c.sensor, c.output, c.op, c.value) for c in young_man.conditions] == [
        ("face", "gender", "eq", "male"),
        ("face", "age", "lt", "30"),
    ]

    rfid = script.mapping(13)
    assert rfid is not None
    assert rfid.starts_partition is True
    assert (rfid.program_id, rfid.partition_id, rfid.playlist_id) == (54, 1, 2)
    assert rfid.logic_concat == "and"  # attribute omitted: "and"

    crowd = script.mapping(15)
    assert crowd is not None
    assert crowd.logic_concat == "or"
    assert crowd.collision == "force"
    assert len(crowd.conditions) == 2


async def test_event_script_missing(client: ImmClient, sim: ImmSimulator) -> None:
    sim.client(LOBBY).event_script = None
    with pytest.raises(ImmFailureError) as err:
        await client.event_script()
    assert err.value.code == 1


async def test_sensor_status(client: ImmClient) -> None:
    assert await client.sensor_status() == ()
    await client.push_sensor("face", "age", "23")
    await client.push_sensor("face", "gender", "male")
    values = await client.sensor_status()
    assert [(v.sensor, v.output, v.value) for v in values] == [
        ("face", "age", "23"),
        ("face", "gender", "male"),
    ]


async def test_configuration(client: ImmClient) -> None:
    info = await client.configuration()
    assert isinstance(info, ClientInfo)
    assert info.client_id == LOBBY_ID
    assert info.name == "Lobby"
    assert info.version == "WISE-PaaS/SignageCMS Client 1.8.4"
    assert info.model == "WISE-PaaS/SignageCMS Client"
    assert info.firmware == "1.8.4"
    assert info.status is ClientStatus.PLAYING
    assert info.schedule == "Venue Day"
    assert info.program == "Program"
    assert info.free_space == DataSize(value=94.38, unit="GB")
    assert info.free_space_text == "94.38 GB"
    assert info.server_ip == "127.0.0.1"
    assert info.server_port == 80
    assert info.server_status is ServerStatus.READY
    assert info.mqtt_status is MqttStatus.CONNECTED


async def test_configuration_reflects_state(
    client: ImmClient, sim: ImmSimulator
) -> None:
    simulated = sim.client(LOBBY)
    simulated.server_status = "unrecognizedclient"
    simulated.mqtt_status = "connecting"
    simulated.free_space = "1.17 TB"
    await client.stop()
    info = await client.configuration()
    assert info.status is ClientStatus.STANDBY
    assert info.program == ""  # nothing plays in standby
    assert info.server_status is ServerStatus.UNRECOGNIZED_CLIENT
    assert info.mqtt_status is MqttStatus.CONNECTING
    assert info.free_space == DataSize(value=1.17, unit="TB")


async def test_set_configuration(client: ImmClient, sim: ImmSimulator) -> None:
    info = await client.set_configuration(
        client_id="CAFE00000001", server_ip="10.0.0.5", server_port=8080
    )
    assert info.client_id == "CAFE00000001"
    assert info.server_ip == "10.0.0.5"
    assert info.server_port == 8080
    assert sim.client(LOBBY).executed == [("config", "CAFE00000001", "10.0.0.5", 8080)]
    record = sim.request_log[-1]
    assert record.params == {
        "type": "config",
        "id": "CAFE00000001",
        "server_ip": "10.0.0.5",
        "server_port": "8080",
        "interaction_key": "***",
    }

    # Only what is given is sent (and changed).
    info = await client.set_configuration(server_port=81)
    assert info.client_id == "CAFE00000001"
    assert info.server_port == 81
    assert sim.request_log[-1].params == {
        "type": "config",
        "server_port": "81",
        "interaction_key": "***",
    }
    assert (await client.configuration()).server_port == 81


async def test_set_configuration_refused(client: ImmClient) -> None:
    with pytest.raises(ImmFailureError):
        await client.set_configuration(server_port=70000)
