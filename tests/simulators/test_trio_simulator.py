"""The Trio simulator's control API and command line (out-of-process use)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web
import pytest
import pytest_socket

from simulators.trio import TrioSimulator
from simulators.trio.__main__ import build, parse_args
from simulators.trio.control import make_app

HOSTS = ["127.0.88.21", "127.0.88.22"]
PORT = 18444
CONTROL = 18480


@pytest.fixture
async def control(socket_enabled: None) -> AsyncIterator[tuple[TrioSimulator, str]]:
    pytest_socket.socket_allow_hosts([*HOSTS, "127.0.0.1"])
    sim = build(
        parse_args(
            [
                "--count",
                "2",
                "--first-host",
                HOSTS[0],
                "--port",
                str(PORT),
                "--auth",
                "digest",
                "--busy",
                "queue",
                "--processing-delay",
                "0",
            ]
        )
    )
    runner = web.AppRunner(make_app(sim))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", CONTROL).start()
    async with sim:
        yield sim, f"http://127.0.0.1:{CONTROL}"
    await runner.cleanup()


async def test_control_api(control: tuple[TrioSimulator, str]) -> None:
    sim, base = control
    host = HOSTS[0]
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base}/phones") as response:
            phones = await response.json()
        assert [p["host"] for p in phones] == HOSTS
        assert phones[0]["fingerprint"] == sim.fingerprint(host)
        async with session.post(
            f"{base}/phones/{host}/incoming", json={"number": "2000", "name": "A"}
        ) as response:
            handle = (await response.json())["handle"]
        assert sim.phone(host).calls
        async with session.post(
            f"{base}/phones/{host}/hangup", json={"handle": handle}
        ) as response:
            assert (await response.json())["ok"] is True
        assert not sim.phone(host).calls
        async with session.post(
            f"{base}/phones/{host}/fault", json={"mode": "http_500"}
        ) as response:
            assert response.status == 200
        assert sim.fault_mode(host).value == "http_500"
        async with session.post(
            f"{base}/phones/{host}/settings",
            json={
                "rest_enabled": False,
                "default_password": True,
                "auth": "basic",
                "busy": "reject",
                "registered": False,
                "processing_delay": 0.01,
            },
        ) as response:
            assert response.status == 200
        assert sim.phone(host).registered is False
        async with session.post(f"{base}/phones/{host}/certificate") as response:
            assert (await response.json())["fingerprint"] == sim.fingerprint(host)
        async with session.get(f"{base}/phones/{host}/log") as response:
            assert await response.json() == []
        # A notification URL outside loopback is refused, never contacted.
        sim.phone(host).config["apps.telNotification.URL"] = (
            "http://192.0.2.1/",
            "web",
        )
        sim.phone(host).config["apps.telNotification.incomingEvent"] = ("1", "web")
        sim.inject_incoming(host, "2001")
        async with session.get(f"{base}/phones/{host}/notifications") as response:
            records = await response.json()
        assert [(r["element"], r["outcome"]) for r in records] == [
            ("IncomingCallEvent", "refused")
        ]
        async with session.delete(f"{base}/phones/{host}/log") as response:
            assert response.status == 200
        async with session.post(f"{base}/reset") as response:
            assert response.status == 200
        assert sim.phone(host).rest_enabled is True
        async with session.get(f"{base}/phones/127.0.0.9/log") as response:
            assert response.status == 404


def test_loopback_only() -> None:
    with pytest.raises(ValueError):
        TrioSimulator.many(1, first_host="10.0.0.1")
