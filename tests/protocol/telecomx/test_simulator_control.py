"""The simulator's control API (for out-of-process use) and its CLI parser."""

from __future__ import annotations

import aiohttp
import pytest

from custom_components.venue_av.protocol.telecomx import Action, TelecomXConnectionError
from simulators.telecomx import TelecomXSimulator
from simulators.telecomx.__main__ import _parser
from simulators.telecomx.control import start_control

from .conftest import MANAGER, SIM_HOST, Login


async def test_control_api(
    login: Login, sim: TelecomXSimulator, session: aiohttp.ClientSession
) -> None:
    runner = await start_control(sim, SIM_HOST, 0)
    try:
        port = runner.addresses[0][1]
        control = f"http://{SIM_HOST}:{port}"
        client = await login(MANAGER)
        async with session.post(f"{control}/settings", json={"timeScale": 1.0}) as r:
            assert r.status == 200
        lobby = sim.state.group_id("Lobby")
        await client.group_action(lobby, Action.show_message("Hello"))
        async with session.get(f"{control}/state") as r:
            state = await r.json()
        assert state["pending"] == 3
        assert {a["email"] for a in state["accounts"]} >= {MANAGER}
        assert "password" not in str(state)
        async with session.post(f"{control}/flush") as r:
            assert (await r.json())["executed"] == 3
        box = sim.state.box_by_name("Lobby left")
        async with session.get(f"{control}/boxes/{box.device_id}/executed") as r:
            executed = await r.json()
        assert executed[0]["type"] == "MESSAGE"
        assert executed[0]["params"] == {"message": "Hello"}
        async with session.get(f"{control}/boxes/nope/executed") as r:
            assert r.status == 404
        async with session.get(f"{control}/boxes") as r:
            assert len(await r.json()) == len(sim.state.world.boxes)
        async with session.get(f"{control}/requests") as r:
            log = await r.json()
        assert log[-1]["path"] == "/iptv/device/action"
        assert client.token not in str(log)
        async with session.post(f"{control}/fault", json={"mode": "http_500"}) as r:
            assert (await r.json())["fault"] == "http_500"
        with pytest.raises(TelecomXConnectionError):
            await client.device_page()
        async with session.post(f"{control}/fault", json={"mode": "bogus"}) as r:
            assert r.status == 400
        async with session.post(f"{control}/fault", json={}) as r:
            assert (await r.json())["fault"] == "none"
        async with session.post(
            f"{control}/error", json={"status": 409, "code": "conflict"}
        ) as r:
            assert r.status == 200
        async with session.post(f"{control}/tokens/expire", json={}) as r:
            assert (await r.json())["expired"] >= 1
        async with session.post(
            f"{control}/settings",
            json={"errorAsList": True, "blacklisted": False, "itemsKey": "devices"},
        ) as r:
            assert r.status == 200
        async with session.post(f"{control}/settings", data=b"[1]") as r:
            assert r.status == 400
        async with session.delete(f"{control}/requests") as r:
            assert r.status == 200
        assert sim.request_log == []
        async with session.post(f"{control}/reset") as r:
            assert r.status == 200
        assert sim.state.tokens == {}
    finally:
        await runner.cleanup()


def test_cli_parser() -> None:
    args = _parser().parse_args(
        ["--host", "127.0.88.2", "--port", "9000", "--control", "127.0.0.1:9001"]
    )
    assert (args.host, args.port, args.control) == (
        "127.0.88.2",
        9000,
        ("127.0.0.1", 9001),
    )
    with pytest.raises(SystemExit):
        _parser().parse_args(["--host", "10.0.0.1"])
