"""Smoke tests of the IMM signage-client simulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import io
import xml.etree.ElementTree as ET

import aiohttp
from PIL import Image
import pytest
import pytest_socket

from simulators.imm import ClientSpec, FaultMode, ImmSimulator

HOSTS = ["127.0.79.1", "127.0.79.2"]
HTTP_PORT = 18085
UDP_PORT = 18083


@pytest.fixture
async def sim(socket_enabled: None) -> AsyncIterator[ImmSimulator]:
    pytest_socket.socket_allow_hosts([*HOSTS, "127.0.0.1"])
    simulator = ImmSimulator(
        [
            ClientSpec(host=HOSTS[0], client_id="0011AABB0001", name="Lobby"),
            ClientSpec(host=HOSTS[1], client_id="0011AABB0002", name="Bar"),
        ],
        http_port=HTTP_PORT,
        udp_port=UDP_PORT,
        time_scale=0.01,
    )
    async with simulator:
        yield simulator


class _Probe(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.replies: asyncio.Queue[tuple[bytes, tuple[str, int]]] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.replies.put_nowait((data, addr))


async def _get(host: str, path: str) -> tuple[int, bytes]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://{host}:{HTTP_PORT}/interaction/{path}") as resp,
    ):
        return resp.status, await resp.read()


async def test_schedule_probe_and_fault(sim: ImmSimulator) -> None:
    for host in HOSTS:
        status, body = await _get(host, "schedule.xml")
        assert status == 200
        root = ET.fromstring(body)
        assert root.get("code") == "0"
        ids = [p.get("id") for p in root.iter("program")]
        assert ids == ["13", "35", "54"]

    status, body = await _get(HOSTS[0], "program/35.jpg")
    assert status == 200
    assert Image.open(io.BytesIO(body)).size == (320, 180)

    loop = asyncio.get_running_loop()
    transport, probe = await loop.create_datagram_endpoint(
        _Probe, local_addr=("127.0.0.1", 0)
    )
    try:
        for host in HOSTS:
            transport.sendto(b"IMM", (host, UDP_PORT))
            data, addr = await asyncio.wait_for(probe.replies.get(), 2)
            assert addr == (host, UDP_PORT)
            client = ET.fromstring(data).find("imm_client")
            assert client is not None
            assert client.findtext("id") == sim.client(host).client_id
        assert sim.udp_probe_count == 2
    finally:
        transport.close()

    sim.set_fault(FaultMode.DOWN, HOSTS[0])
    with pytest.raises(aiohttp.ClientConnectionError):
        await _get(HOSTS[0], "schedule.xml")
    assert (await _get(HOSTS[1], "schedule.xml"))[0] == 200
    sim.set_fault(FaultMode.NONE)
    assert (await _get(HOSTS[0], "schedule.xml"))[0] == 200
    assert sim.request_count == len(sim.request_log) == 5


async def test_queue_and_sensor_events(sim: ImmSimulator) -> None:
    host = HOSTS[0]
    client = sim.client(host)
    action = "action?interaction_key=0000&type="

    async def code(query: str) -> str | None:
        return ET.fromstring((await _get(host, action + query))[1]).get("code")

    part = "start_partition&program_id=35&partition_id=1"
    assert await code(f"{part}&playlist_id=1&behavior=exactly_once") == "0"
    assert await code(f"{part}&playlist_id=2") == "6"
    assert await code(f"{part}&playlist_id=2&collision=queue&queue_timeout=100") == "7"
    await asyncio.sleep(0.3)  # 10 s duration x 0.01
    assert client.executed == [
        ("start_partition", 35, 1, 1),
        ("revert_partition", 35, 1, 2),
        ("start_partition", 35, 1, 2),
    ]
    assert await code("start_program&program_id=54") == "0"
    _, body = await _get(host, action + "sensor&name=rfid&output=id&value=001")
    assert ET.fromstring(body).attrib == {
        "code": "0",
        "message": "Success",
        "eventmapping_id": "13",
    }
    assert client.partition_playlists[1] == 2
