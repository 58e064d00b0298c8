"""A user's path with a Poly Trio through a real Home Assistant process.

Starts ``python -m homeassistant`` on 127.0.0.1 with a minimal configuration and an
in-process Trio simulator on 127.0.0.1:18443 (the simulator posts its call events from
127.0.0.1, the phone's own address here, so push reaches the webhook), onboards, adds
the phone through the config flow, rings it and answers and ends the call by actions.
Everything stays on 127.0.0.0/8.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
import subprocess
from typing import Any

import aiohttp
import pytest
import pytest_socket

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

SIM_HOST = "127.0.0.1"
SIM_PORT = 18443
PASSWORD = "Trio-Admin-1"


pytestmark = [pytest.mark.e2e, pytest.mark.timeout(OVERALL_TIMEOUT + 90)]


async def _scenario(
    api: Any, proc: subprocess.Popen[bytes], log: Path, sim: TrioSimulator
) -> None:
    def alive() -> bool:
        return hass_alive(proc, log)

    await api.wait_until_up(OVERALL_TIMEOUT, alive=alive)
    assert await api.onboard() is True
    await api.wait_until_running(OVERALL_TIMEOUT)
    # Where the phone posts its call events (Settings > System > Network).
    await api.set_core_config({"internal_url": api.base_url})

    # Settings > Devices & services > Add integration > Venue AV > Poly Trio phone.
    flow = await api.post(
        "/api/config/config_entries/flow",
        {"handler": "venue_av", "show_advanced_options": False},
    )
    assert "trio" in flow["menu_options"]
    flow = await api.post(
        f"/api/config/config_entries/flow/{flow['flow_id']}", {"next_step_id": "trio"}
    )
    assert flow["step_id"] == "trio"
    result = await api.post(
        f"/api/config/config_entries/flow/{flow['flow_id']}",
        {"host": SIM_HOST, "port": SIM_PORT, "password": PASSWORD, "verify_tls": False},
    )
    assert result["type"] == "create_entry", result
    entry_id = result["result"]["entry_id"]
    for _ in range(100):
        entries = {e["entry_id"]: e for e in await api.config_entries()}
        if entries[entry_id]["state"] == "loaded":
            break
        await asyncio.sleep(0.2)
    assert entries[entry_id]["state"] == "loaded", entries[entry_id]
    entities = (await api.entity_ids_by_entry())[entry_id]
    (call_state,) = [e for e in entities if e.endswith("_call_state")]

    # The phone points its telephony notifications at Home Assistant's webhook.
    state = sim.phone(SIM_HOST)
    for _ in range(100):
        if state.config["apps.telNotification.URL"][0]:
            break
        await asyncio.sleep(0.1)
    assert state.config["apps.telNotification.URL"][0].startswith(api.base_url)

    sim.inject_incoming(SIM_HOST, "5551234", "Front Desk")
    ringing = await api.wait_for_state(
        call_state, lambda s: s["state"] == "ringing", 10
    )
    assert ringing["state"] == "ringing"
    await api.call_service("venue_av", "trio_answer_call", {"entity_id": call_state})
    await api.wait_for_state(call_state, lambda s: s["state"] == "connected", 10)
    assert [call.state for call in state.calls.values()] == ["Connected"]
    await api.call_service("venue_av", "trio_end_call", {"entity_id": call_state})
    await api.wait_for_state(call_state, lambda s: s["state"] == "idle", 10)
    assert state.calls == {}


async def test_user_adds_a_phone_and_controls_a_call(
    tmp_path: Path,
    socket_enabled: None,
    processes: list[subprocess.Popen[bytes]],  # noqa: F811
) -> None:
    """Onboard, add the phone through the config flow, ring, answer and end a call."""
    pytest_socket.socket_allow_hosts(["127.0.0.1"], allow_unix_socket=True)
    config_dir = tmp_path / "config"
    port = _free_port()
    devhass.prepare_config_dir(
        config_dir,
        REPO / "custom_components" / "venue_av",
        port=port,
        discovery_targets=[],
    )
    log_path = tmp_path / "hass.log"
    sim = TrioSimulator(
        [PhoneSpec(host=SIM_HOST, mac="0004f2e2e001", password=PASSWORD)],
        port=SIM_PORT,
    )
    await sim.start()
    proc: subprocess.Popen[bytes] | None = None
    failed = True
    try:
        proc = start_hass(config_dir, log_path, processes)
        async with (
            asyncio.timeout(OVERALL_TIMEOUT),
            aiohttp.ClientSession() as session,
        ):
            api = devhass.HassApi(session, f"http://127.0.0.1:{port}")
            await _scenario(api, proc, log_path, sim)
        failed = False
    finally:
        if proc is not None:
            await _stop(proc)
        await sim.stop()
        if failed:
            print(f"--- last {LOG_TAIL} lines of {log_path} ---")
            print(_log_tail(log_path))
    assert_stopped_cleanly(proc, log_path)
