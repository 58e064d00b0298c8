"""Benchmark of the TelecomX client: list 5,000 boxes, one group action to 1,000.

The simulator runs in its own process (``python -m simulators.telecomx``) so the
peak memory measured here (tracemalloc, and the process's max RSS) is the client's.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
import resource
import subprocess
import sys
import time
import tracemalloc

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
    parser.add_argument("--boxes", type=int, default=5000)
    parser.add_argument("--group", type=int, default=1000)
    parser.add_argument("--port", type=int, default=18088)
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
