"""The whole venue as ``scripts/develop`` builds it, checked over REST and WebSocket.

A real ``hass`` process, the three simulators (two signage players, a Poly Trio phone,
the TelecomX cloud with its hotel), and the very provisioning code ``scripts/develop``
runs (``scripts/lib/devhass.py``): every device added through the real config flows, the
IPTV groups named in the options, the example dashboard installed. Then: every entity
the dashboard shows exists with a state, every configured device has entities with
values, and one action per family reaches its simulator.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
import subprocess
from types import SimpleNamespace
from typing import Any

import aiohttp
from aiohttp import web
from homeassistant.util.yaml import load_yaml_dict
import pytest
import pytest_socket

from simulators.imm import ImmSimulator
from simulators.telecomx import TelecomXSimulator
from simulators.telecomx.control import build_app
from simulators.trio import PhoneSpec, TrioSimulator

from .test_real_hass import (
    LOG_TAIL,
    OVERALL_TIMEOUT,
    REPO,
    _free_port,
    _log_tail,
    _stop,
    assert_stopped_cleanly,
    devhass,
    hass_alive,
    processes,  # noqa: F401 - the fixture, used by name
    start_hass,
)

IMM_FIRST = "127.0.93.1"  # and .2
PHONE = "127.0.93.5"
CLOUD = "127.0.93.6"
DASHBOARD = REPO / "examples" / "dashboard.yaml"

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(OVERALL_TIMEOUT + 120)]


def _dashboard_entities(node: Any) -> set[str]:
    """Every entity id the dashboard names (cards, rows, action targets)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("entity", "entity_id") and isinstance(value, str):
                found.add(value)
            elif key == "entities" and isinstance(value, list):
                found.update(item for item in value if isinstance(item, str))
            found |= _dashboard_entities(value)
    elif isinstance(node, list):
        for item in node:
            found |= _dashboard_entities(item)
    return found


async def _scenario(
    api: Any,
    proc: subprocess.Popen[bytes],
    log: Path,
    config_dir: Path,
    sims: tuple[ImmSimulator, TrioSimulator, TelecomXSimulator],
    control: str,
) -> None:
    imm, trio, cloud = sims

    def alive() -> bool:
        return hass_alive(proc, log)

    await api.wait_until_up(OVERALL_TIMEOUT, alive=alive)
    assert await api.onboard() is True
    await api.wait_until_running(OVERALL_TIMEOUT)

    # What scripts/develop's first start does, with the same code.
    for _ in range(30):
        players = await api.add_discovered_imm_clients(limit=2)
        if players:
            break
        await asyncio.sleep(1)
    args = SimpleNamespace(
        config=str(config_dir),
        trio=f"{PHONE}:{trio.port}",
        trio_password="Trio-Admin-1",
        telecomx_url=cloud.base_url,
        telecomx_email="manager@aurora.example",
        telecomx_password="manager-pass",
        telecomx_control=control,
        dashboard=str(DASHBOARD),
    )
    await devhass._provision_phone_and_account(api, args)
    await devhass._install_dashboard(api, args)

    entries = await api.config_entries()
    assert sorted(entry["title"] for entry in entries) == [
        "Hotel Aurora",
        "IMM Client 1",
        "IMM Client 2",
        "Trio 1",
    ]
    assert {entry["state"] for entry in entries} == {"loaded"}

    # Every configured device has entities with values.
    states = {state["entity_id"]: state for state in await api.get("/api/states")}
    for entry_id, entity_ids in (await api.entity_ids_by_entry()).items():
        shown = [states[e] for e in entity_ids if e in states]
        assert shown, entry_id
        assert any(s["state"] not in ("unknown", "unavailable") for s in shown)

    # The dashboard as installed: every entity it shows exists.
    saved = await api.ws_command({"type": "lovelace/config", "url_path": "venue-av"})
    assert saved == load_yaml_dict(str(DASHBOARD))
    missing = sorted(e for e in _dashboard_entities(saved) if e not in states)
    assert not missing, f"the dashboard names entities that do not exist: {missing}"

    # One action per family reaches its simulator.
    imm.request_log.clear()
    await api.call_service(
        "venue_av",
        "start_program",
        {"entity_id": "media_player.imm_client_1", "program": "Events"},
    )
    assert any(r.params.get("type") == "start_program" for r in imm.request_log)

    await api.call_service(
        "venue_av",
        "trio_dial",
        {"entity_id": "sensor.trio_1_call_state", "destination": "1002"},
    )
    assert any(r.path.endswith("/callctrl/dial") for r in trio.requests(PHONE))

    cloud.request_log.clear()
    answer = await api.post(
        "/api/services/venue_av/iptv_send_message?return_response",
        {"entity_id": "notify.first_floor_message", "message": "Breakfast until 10:30"},
    )
    assert answer["service_response"]["boxes_scheduled"] == 4
    assert [r.path for r in cloud.request_log if r.path.endswith("/action")] == [
        "/iptv/device/action"
    ]


async def test_whole_venue(
    tmp_path: Path,
    socket_enabled: None,
    processes: list[subprocess.Popen[bytes]],  # noqa: F811
) -> None:
    """scripts/develop's venue in a real Home Assistant: populated, and it acts."""
    imm_hosts = [IMM_FIRST, "127.0.93.2"]
    pytest_socket.socket_allow_hosts(
        ["127.0.0.1", *imm_hosts, PHONE, CLOUD], allow_unix_socket=True
    )
    udp_port = _free_port()
    config_dir = tmp_path / "config"
    port = _free_port()
    devhass.prepare_config_dir(
        config_dir,
        REPO / "custom_components" / "venue_av",
        port=port,
        discovery_targets=imm_hosts,
        probe_port=udp_port,
    )
    log_path = tmp_path / "hass.log"
    imm = ImmSimulator.many(
        2, IMM_FIRST, http_port=8085, udp_port=udp_port, time_scale=0.02
    )
    trio = TrioSimulator([PhoneSpec(host=PHONE, name="Trio 1")], port=_free_port())
    cloud = TelecomXSimulator(CLOUD, 0, time_scale=0.002)
    control_port = _free_port()
    runner = web.AppRunner(build_app(cloud))
    proc: subprocess.Popen[bytes] | None = None
    failed = True
    try:
        async with imm:
            await trio.start()
            await cloud.start()
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", control_port).start()
            proc = start_hass(config_dir, log_path, processes)
            async with (
                asyncio.timeout(OVERALL_TIMEOUT + 60),
                aiohttp.ClientSession() as session,
            ):
                api = devhass.HassApi(session, f"http://127.0.0.1:{port}")
                await _scenario(
                    api,
                    proc,
                    log_path,
                    config_dir,
                    (imm, trio, cloud),
                    f"127.0.0.1:{control_port}",
                )
            failed = False
    finally:
        if proc is not None:
            await _stop(proc)
        await runner.cleanup()
        cloud.state.close()
        await cloud.stop()
        await trio.stop()
        if failed:
            print(f"--- last {LOG_TAIL} lines of {log_path} ---")
            print(_log_tail(log_path))
    assert_stopped_cleanly(proc, log_path)
