"""Benchmarks of TelecomX: the client alone, and Home Assistant with 1,000 boxes.

``scripts/bench iptv``: list 5,000 boxes, one group action to 1,000 (client only).
``scripts/bench iptv --ha``: a real Home Assistant with one account of 1,000 boxes in
20 named groups (see ``_bench_ha``).

The simulator runs in its own process (``python -m simulators.telecomx``) so the
peak memory measured here (tracemalloc, and the process's max RSS) is the client's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from pathlib import Path
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from custom_components.venue_av.protocol.telecomx import (
    Action,
    TelecomXClient,
)
from simulators.telecomx.state import PASSWORDS, oid

HOST = "127.0.88.9"
DEFAULT_WORLD_DEVICES = 17  # enabled devices of the default world (ADMIN sees all)


async def _bench(port: int, boxes: int, group_size: int) -> None:
    requests = 0

    async def on_request(*_: object) -> None:
        nonlocal requests
        requests += 1

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_request)
    async with aiohttp.ClientSession(trace_configs=[trace]) as session:
        client = TelecomXClient(session, base_url=f"http://{HOST}:{port}")
        email = "admin@telecomx.example"
        await client.login(email, PASSWORDS[email], persist=True)

        requests = 0
        tracemalloc.start()
        started = time.perf_counter()
        devices = await client.devices()
        listed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"list:   {len(devices)} devices in {listed * 1000:.0f} ms, "
            f"{requests} requests, peak {peak / 1024 / 1024:.1f} MiB (tracemalloc)"
        )

        requests = 0
        tracemalloc.start()
        started = time.perf_counter()
        result = await client.group_action(
            oid("group", 8), Action.show_message("Benchmark: lunch is ready.")
        )
        acted = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"action: scheduled {result.devices}, skipped {result.skipped} in "
            f"{acted * 1000:.0f} ms, {requests} request(s), "
            f"peak {peak / 1024 / 1024:.2f} MiB (tracemalloc)"
        )
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"client process max RSS {rss:.0f} MiB", flush=True)
        if len(devices) != boxes or result.devices != group_size:
            raise SystemExit("unexpected counts")


def main() -> None:
    parser = argparse.ArgumentParser(prog="scripts/bench iptv")
    parser.add_argument("--boxes", type=int, default=None)
    parser.add_argument("--group", type=int, default=1000)
    parser.add_argument("--port", type=int, default=18088)
    parser.add_argument(
        "--ha",
        action="store_true",
        help="Home Assistant figures (1,000 boxes, 20 groups)",
    )
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--window", type=float, default=180.0)
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--keep", action="store_true", help="keep the config dir")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--control-port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve(args.port, args.control_port, args.boxes or 1000, args.groups)
        return
    if args.ha:
        args.boxes = args.boxes or 1000
        raise SystemExit(asyncio.run(_bench_ha(args)))
    args.boxes = args.boxes or 5000
    root = Path(__file__).resolve().parents[2]
    sim = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulators.telecomx",
            "--host",
            HOST,
            "--port",
            str(args.port),
            "--no-control",
            "--extra-boxes",
            str(args.boxes - DEFAULT_WORLD_DEVICES),
            "--bench-group",
            str(args.group),
            "--time-scale",
            "0.001",
        ],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert sim.stdout is not None
        for line in sim.stdout:
            if line.startswith("TelecomX simulator:"):
                break
        else:
            raise SystemExit("simulator did not start")
        asyncio.run(_bench(args.port, args.boxes, args.group))
    finally:
        sim.terminate()
        sim.wait(timeout=10)


# -- Home Assistant figures (``scripts/bench iptv --ha``) ------------------------------
#
# One simulator process (``--serve``: this file, the simulator's world regrouped into
# GROUPS groups of the same size) and one real Home Assistant (bench_imm's helpers,
# devhass's REST client) in which the MANAGER account is added through the config flow
# (menu "telecomx", step "telecomx" with e-mail, password and the API URL in advanced
# mode), the groups named through the options flow, then restarted. Measured: start-up
# until every enabled entity has a state, entity count, RSS, CPU of a polling window
# scaled to an hour, device-list requests per poll (pages), the longest loop callback
# (bench_loop_probe), and the cloud requests of one message to a whole group (by its
# group device, then by its boxes' devices).

MANAGER_EMAIL = "manager@aurora.example"
AURORA_BOXES = 10  # the enabled STBs of Hotel Aurora in the default world


def _serve(port: int, control: int, boxes: int, groups: int) -> None:
    """Run the simulator with ``boxes`` Aurora boxes regrouped into ``groups`` groups."""
    from simulators import common
    from simulators.telecomx import TelecomXSimulator
    from simulators.telecomx.control import build_app
    from simulators.telecomx.state import Group, oid

    sim = TelecomXSimulator(
        HOST, port, time_scale=0.001, extra_boxes=boxes - AURORA_BOXES
    )
    world = sim.state.world
    aurora = oid("customer", 2)
    mine = sorted(
        (
            b
            for b in world.boxes.values()
            if b.customer_id == aurora and b.enabled and b.type == "STB"
        ),
        key=lambda b: b.mac,
    )
    ids = [oid("group", 100 + n) for n in range(groups)]
    for n, group_id in enumerate(ids):
        world.groups[group_id] = Group(group_id, aurora, f"Bench {n + 1:02d}")
    size = -(-len(mine) // groups)
    for index, box in enumerate(mine):
        box.groups = [ids[index // size]]

    def announce(control_url: str | None) -> None:
        print(f"TelecomX simulator: {sim.base_url}, control {control_url}", flush=True)

    common.run_cli(
        lambda: common.run_until_signal(
            sim, announce, (build_app(sim), "127.0.0.1", control)
        )
    )


async def _requests(
    session: aiohttp.ClientSession, control: str
) -> list[dict[str, Any]]:
    async with session.get(f"{control}/requests") as resp:
        records: list[dict[str, Any]] = await resp.json()
        return records


async def _clear(session: aiohttp.ClientSession, control: str) -> None:
    async with session.delete(f"{control}/requests") as resp:
        resp.raise_for_status()


async def _bench_ha(args: argparse.Namespace) -> int:
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_imm as bi  # the real-Home-Assistant helpers (read-only reuse)
    from devhass import HassApi

    workdir = Path(tempfile.mkdtemp(prefix="bench-iptv-"))
    port, control_port = bi.free_port(), bi.free_port()
    control = f"http://127.0.0.1:{control_port}"
    sim = bi.spawn(
        [sys.executable, str(Path(__file__).resolve()), "--serve", "--port", str(port),
         "--control-port", str(control_port), "--boxes", str(args.boxes),
         "--groups", str(args.groups)],
        workdir / "simulator.log",
    )  # fmt: skip
    hass = bi.Hass(workdir / "hass", bi.free_port())
    bi.write_config(hass.config_dir, hass.port, "")
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(200):
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(f"{control}/state") as resp:
                        if resp.status == 200:
                            state = await resp.json()
                            break
                await asyncio.sleep(0.3)
            else:
                raise SystemExit("simulator did not start")
            groups = {
                g["_id"]: g["name"]
                for g in state["groups"]
                if g["name"].startswith("Bench ")
            }
            api = HassApi(session, hass.base_url)
            hass.start()
            await api.wait_until_up(300, alive=hass.alive, interval=0.25)
            api.token = await bi.login(api)

            flow = await api.post(
                "/api/config/config_entries/flow",
                {"handler": "venue_av", "show_advanced_options": True},
            )
            flow = await api.post(
                f"/api/config/config_entries/flow/{flow['flow_id']}",
                {"next_step_id": "telecomx"},
            )
            started = time.monotonic()
            flow = await api.post(
                f"/api/config/config_entries/flow/{flow['flow_id']}",
                {"email": MANAGER_EMAIL, "password": PASSWORDS[MANAGER_EMAIL],
                 "api_url": f"http://{HOST}:{port}"},
            )  # fmt: skip
            if flow.get("type") != "create_entry":
                raise SystemExit(f"flow did not create the entry: {flow}")
            entry_id = flow["result"]["entry_id"]
            options = await api.post(
                "/api/config/config_entries/options/flow", {"handler": entry_id}
            )
            await api.post(
                f"/api/config/config_entries/options/flow/{options['flow_id']}",
                {"poll_interval": 60, "ungrouped_boxes": True, **groups},
            )
            first = await bi.wait_ready(api, hass, "venue_av", 1, 300)
            entities = 0
            while True:  # entities settle after the options reload
                await asyncio.sleep(2)
                now = await bi.count_ready(api, "venue_av")
                if now == entities:
                    break
                entities = now
            print(
                f"  flow + options: {entities} entities in "
                f"{time.monotonic() - started:.1f} s (first after {first:.1f} s); restarting",
                flush=True,
            )
            hass.stop()
            hass.start()
            await api.wait_until_up(300, alive=hass.alive, interval=0.25)
            startup = await bi.wait_ready(api, hass, "venue_av", entities, 300)
            await api.wait_until_running(300)
            setup = (await bi.setup_info(api)).get("venue_av", float("nan"))
            await asyncio.sleep(args.warmup)

            await _clear(session, control)
            await bi.probe_stats(api, reset="1")
            cpu0, t0 = bi.cpu_seconds(hass.pid), time.monotonic()
            await asyncio.sleep(args.window)
            cpu1, t1 = bi.cpu_seconds(hass.pid), time.monotonic()
            loop = await bi.probe_stats(api, reset="1")
            rss = bi.rss_mb(hass.pid)
            log = await _requests(session, control)
            lists = [r for r in log if r["path"] == "/iptv/device"]
            channel_reads = [r for r in log if r["path"] == "/iptv/channel"]
            polls = len({round(r["at"] / 10) for r in lists}) or 1

            # One message to a whole group: by its group device, then by all its boxes.
            group_id, group_name = next(
                iter(sorted(groups.items(), key=lambda g: g[1]))
            )
            await _clear(session, control)
            notify = "notify." + group_name.lower().replace(" ", "_") + "_message"
            await api.call_service(
                "venue_av", "iptv_send_message",
                {"entity_id": notify, "message": "Bench: lunch is ready."},
            )  # fmt: skip
            by_group = [
                r
                for r in await _requests(session, control)
                if r["path"].endswith("/action")
            ]
            # A message to every box, by the "all boxes" group device.
            await _clear(session, control)
            await api.call_service(
                "venue_av",
                "iptv_send_message",
                {
                    "entity_id": "notify.hotel_aurora_all_boxes_message",
                    "message": "Bench: the bar is open.",
                },
            )
            by_all = [
                r
                for r in await _requests(session, control)
                if r["path"].endswith("/action")
            ]
            async with session.get(f"{control}/boxes") as resp:
                members = [
                    b["name"] for b in await resp.json() if group_id in b["groups"]
                ]
            players = [
                "media_player." + name.lower().replace(" ", "_") for name in members
            ]
            await _clear(session, control)
            await api.call_service(
                "venue_av", "iptv_send_message",
                {"entity_id": players, "message": "Bench: dinner is ready."},
            )  # fmt: skip
            by_boxes = [
                r
                for r in await _requests(session, control)
                if r["path"].endswith("/action")
            ]
        figures = {
            "boxes": args.boxes,
            "groups": len(groups),
            "entities": entities,
            "startup_s": round(startup, 1),
            "integration_setup_s": round(setup, 1),
            "rss_mb": round(rss),
            "window_s": round(t1 - t0),
            "cpu_s_per_hour": round((cpu1 - cpu0) * 3600 / (t1 - t0), 1),
            "device_list_requests": len(lists),
            "polls_in_window": polls,
            "pages_per_poll": round(len(lists) / polls, 2),
            "channel_list_requests": len(channel_reads),
            "max_loop_callback_ms": loop["max_callback_ms"],
            "max_loop_callback": loop["max_callback_what"],
            "callbacks_over_50ms": loop["callbacks_over_50ms"],
            f"requests_for_one_message to all {args.boxes} boxes": len(by_all),
            f"requests_for_one_group_message ({group_name}, by group device)": len(
                by_group
            ),
            f"requests_for_one_message to the {len(members)} box devices of {group_name}": len(
                by_boxes
            ),
        }
        for name, value in figures.items():
            print(f"  {name}: {value}")
        return 0
    finally:
        hass.stop()
        bi.stop(sim)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
