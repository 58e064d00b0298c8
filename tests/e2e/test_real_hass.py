"""A user's path through a real Home Assistant process, over its REST API.

Starts ``python -m homeassistant`` (the interpreter running the tests, so the same
Home Assistant version) on 127.0.0.1 with a minimal configuration, an in-process IMM
simulator on 127.0.90.1, onboards, adds the client through the config flow, calls
actions and watches the media player follow. Everything stays on 127.0.0.0/8.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
import importlib.util
import os
from pathlib import Path
import signal
import socket
import subprocess
import sys
import time
from types import ModuleType
from typing import Any

import aiohttp
import pytest
import pytest_socket

from simulators.imm import ImmSimulator

REPO = Path(__file__).resolve().parents[2]
SIM_HOST = "127.0.90.1"
SIM_HTTP_PORT = 8085  # the integration always uses the IMM default port
SIM_UDP_PORT = 8083
OVERALL_TIMEOUT = 120  # the whole scenario, start of Home Assistant included
STOP_TIMEOUT = 30
LOG_TAIL = 80


def _load_devhass() -> ModuleType:
    """``scripts/lib/devhass.py``, shared with ``scripts/develop``."""
    name = "venue_av_devhass"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name, REPO / "scripts" / "lib" / "devhass.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


devhass = _load_devhass()

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(OVERALL_TIMEOUT + 90)]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _log_tail(path: Path, lines: int = LOG_TAIL) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as err:
        return f"(no log: {err})"
    return "\n".join(text.splitlines()[-lines:])


def start_hass(
    config_dir: Path, log_path: Path, processes: list[subprocess.Popen[bytes]]
) -> subprocess.Popen[bytes]:
    """``python -m homeassistant`` on ``config_dir``, logging to ``log_path``.

    Killed at teardown by the ``processes`` fixture whatever happens.
    """
    with log_path.open("wb") as log:
        # cwd: the config dir, so that the repo's custom_components/ is not the
        # one first on sys.path.
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "homeassistant",
                "-c",
                str(config_dir),
                "--skip-pip",
            ],
            cwd=config_dir,
            # Not measured by pytest-cov: its subprocess hook would write data
            # files with other settings (no pyproject.toml in the config dir).
            env={
                key: value
                for key, value in os.environ.items()
                if not key.startswith("COV_CORE_")
            },
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    processes.append(proc)
    return proc


def hass_alive(proc: subprocess.Popen[bytes], log: Path) -> bool:
    """Running, and not in recovery mode (which does not load the integration)."""
    return proc.poll() is None and "Activating recovery mode" not in log.read_text(
        errors="replace"
    )


def assert_stopped_cleanly(proc: subprocess.Popen[bytes], log_path: Path) -> None:
    """Home Assistant stopped cleanly and logged no error of the integration."""
    assert proc.returncode == 0, _log_tail(log_path)
    errors = [
        line
        for line in log_path.read_text(errors="replace").splitlines()
        if " ERROR " in line and "venue_av" in line
    ]
    assert not errors, "\n".join(errors)


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes killed at teardown whatever happened (even a pytest-timeout)."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


async def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM, wait without blocking the loop (the simulator lives on it), SIGKILL."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while proc.poll() is None and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


async def _scenario(
    api: Any, proc: subprocess.Popen[bytes], log: Path, sim: ImmSimulator
) -> None:
    client = sim.client(SIM_HOST)

    def alive() -> bool:
        return hass_alive(proc, log)

    await api.wait_until_up(OVERALL_TIMEOUT, alive=alive)
    assert await api.onboard() is True
    steps = await api.onboarding_steps()  # None only after a restart
    assert steps is None or all(steps.values()), steps
    await api.wait_until_running(OVERALL_TIMEOUT)

    # Settings > Devices & services > Add integration > Venue AV > IMM: the flow
    # probes the discovery targets (UDP, here the simulator) and offers the client.
    assert client.client_id in await api.discovered_imm_clients()
    entry = await api.add_imm_client(client_id=client.client_id, host=SIM_HOST)
    assert entry["title"] == client.name
    entry_id = entry["entry_id"]
    for _ in range(100):
        entries = {e["entry_id"]: e for e in await api.config_entries()}
        if entries[entry_id]["state"] == "loaded":
            break
        await asyncio.sleep(0.2)
    assert entries[entry_id]["state"] == "loaded", entries[entry_id]

    entities = (await api.entity_ids_by_entry())[entry_id]
    players = [e for e in entities if e.startswith("media_player.")]
    assert len(players) == 1, entities
    player = players[0]

    # The scheduled program 35 "Program" plays.
    state = await api.wait_for_state(
        player, lambda s: s["attributes"].get("source") == "Program", 30
    )
    assert state["state"] == "playing"
    assert set(state["attributes"]["source_list"]) == {"PDF", "Program", "Events"}

    # A source chosen in the media player card.
    await api.call_service(
        "media_player", "select_source", {"entity_id": player, "source": "PDF"}
    )
    state = await api.wait_for_state(
        player, lambda s: s["attributes"].get("source") == "PDF", 30
    )
    assert state["attributes"]["media_title"] == "PDF"
    assert ("start_program", 13) in client.executed

    # The integration's own action, as an automation would call it.
    await api.call_service(
        "venue_av", "start_program", {"entity_id": player, "program": "Events"}
    )
    state = await api.wait_for_state(
        player, lambda s: s["attributes"].get("source") == "Events", 30
    )
    assert state["attributes"]["media_title"] == "Events"
    assert ("start_program", 54) in client.executed
    assert client.executed.index(("start_program", 13)) < client.executed.index(
        ("start_program", 54)
    )


async def test_user_adds_client_and_starts_programs(
    tmp_path: Path,
    socket_enabled: None,
    processes: list[subprocess.Popen[bytes]],
) -> None:
    """Onboard, add the client through the config flow, switch programs by actions."""
    pytest_socket.socket_allow_hosts(["127.0.0.1", SIM_HOST], allow_unix_socket=True)
    config_dir = tmp_path / "config"
    port = _free_port()
    devhass.prepare_config_dir(
        config_dir,
        REPO / "custom_components" / "venue_av",
        port=port,
        discovery_targets=[SIM_HOST],
        probe_port=SIM_UDP_PORT,
    )
    log_path = tmp_path / "hass.log"
    sim = ImmSimulator.many(
        1, first_host=SIM_HOST, http_port=SIM_HTTP_PORT, udp_port=SIM_UDP_PORT
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
