"""A TelecomX account through a real Home Assistant process, over its REST API.

Starts ``python -m homeassistant`` on 127.0.0.1, an in-process TelecomX simulator on
127.0.91.1, onboards, adds the MANAGER account through the config flow (menu
"telecomx", API URL in advanced mode), names the "Floor 1" group in the options and
sends one message to the floor: one group action, every box of the floor shows it.
Everything stays on 127.0.0.0/8. Reuses the IMM end-to-end test's process helpers.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
import subprocess
from typing import Any

import aiohttp
import pytest
import pytest_socket

from simulators.telecomx import PASSWORDS, TelecomXSimulator

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

SIM_HOST = "127.0.91.1"
EMAIL = "manager@aurora.example"

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(OVERALL_TIMEOUT + 90)]


async def _scenario(
    api: Any, proc: subprocess.Popen[bytes], log: Path, sim: TelecomXSimulator
) -> None:
    def alive() -> bool:
        return hass_alive(proc, log)

    await api.wait_until_up(OVERALL_TIMEOUT, alive=alive)
    assert await api.onboard() is True
    await api.wait_until_running(OVERALL_TIMEOUT)

    # Add integration > Venue AV > IPTV account (advanced mode shows the API URL).
    flow = await api.post(
        "/api/config/config_entries/flow",
        {"handler": "venue_av", "show_advanced_options": True},
    )
    assert flow["type"] == "menu"
    assert "telecomx" in flow["menu_options"]
    flow = await api.post(
        f"/api/config/config_entries/flow/{flow['flow_id']}",
        {"next_step_id": "telecomx"},
    )
    assert flow["step_id"] == "telecomx"
    flow = await api.post(
        f"/api/config/config_entries/flow/{flow['flow_id']}",
        {"email": EMAIL, "password": PASSWORDS[EMAIL], "api_url": sim.base_url},
    )
    assert flow["type"] == "create_entry", flow
    assert flow["title"] == "Hotel Aurora"
    entry_id = flow["result"]["entry_id"]

    # Options: name Floor 1 (group ids are offered as fields).
    floor = sim.state.group_id("Floor 1")
    options = await api.post(
        "/api/config/config_entries/options/flow", {"handler": entry_id}
    )
    assert options["step_id"] == "telecomx_options"
    options = await api.post(
        f"/api/config/config_entries/options/flow/{options['flow_id']}",
        {"poll_interval": 60, "ungrouped_boxes": True, floor: "First floor"},
    )
    assert options["type"] == "create_entry", options

    notify = "notify.first_floor_message"
    await api.wait_for_state(notify, lambda s: s["state"] != "unavailable", 30)
    sim.request_log.clear()
    answer = await api.post(
        "/api/services/venue_av/iptv_send_message?return_response",
        {"entity_id": notify, "message": "Breakfast until 10:30", "notify": "sound"},
    )
    response = answer["service_response"]
    assert response["boxes_scheduled"] == 4, response
    actions = [r for r in sim.request_log if r.path.endswith("/action")]
    assert [(r.path, r.params["group"]) for r in actions] == [
        ("/iptv/device/action", floor)
    ]
    await sim.state.wait_idle()
    for room in ("Room 101", "Room 102", "Room 103", "Room 104"):
        assert [e.type for e in sim.state.box_by_name(room).executed] == ["MESSAGE"]


async def test_account_message_to_a_floor(
    tmp_path: Path,
    socket_enabled: None,
    processes: list[subprocess.Popen[bytes]],  # noqa: F811
) -> None:
    """Onboard, add the account, name a group, message the floor in one request."""
    pytest_socket.socket_allow_hosts(["127.0.0.1", SIM_HOST], allow_unix_socket=True)
    config_dir = tmp_path / "config"
    port = _free_port()
    devhass.prepare_config_dir(
        config_dir,
        REPO / "custom_components" / "venue_av",
        port=port,
        discovery_targets=[],
    )
    log_path = tmp_path / "hass.log"
    sim = TelecomXSimulator(SIM_HOST, 0, time_scale=0.002)
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
        sim.state.close()
        await sim.stop()
        if failed:
            print(f"--- last {LOG_TAIL} lines of {log_path} ---")
            print(_log_tail(log_path))
    assert_stopped_cleanly(proc, log_path)
