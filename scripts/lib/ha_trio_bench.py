"""Poly Trio phones in a real Home Assistant (``scripts/bench trio --ha``).

One simulator process plays ``--phones`` phones on 127.0.90.x plus one on 127.0.0.1;
a throwaway Home Assistant (``bench_imm``'s config and event-loop probe) adds them all
through the config flow, with instant call events on. Figures:

* incoming call at the phone -> ``venue_av_trio_event`` on the bus (websocket), with
  push (the phone on 127.0.0.1: the simulator posts from 127.0.0.1, and the webhook
  accepts posts from the phone's own address only) and with polling alone (a phone on
  127.0.90.x, whose posts the webhook therefore refuses);
* idle: Home Assistant CPU per phone per hour, requests per second to an idle phone;
* all phones ringing at once: time until every call state sensor shows it; the event
  loop's longest callback and callbacks of 50 ms or more over the whole run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from pathlib import Path
import shutil
import statistics
import sys
import tempfile
import time
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_imm
from devhass import HassApi

PASSWORD = "Trio-Admin-1"
PORT = 18443
PUSH_HOST = "127.0.0.1"
FIRST_HOST = "127.0.90.1"


def hosts(n: int) -> list[str]:
    return [f"127.0.90.{i}" for i in range(1, n + 1)]


async def add_phone(api: HassApi, host: str) -> None:
    flow = await api.post(
        "/api/config/config_entries/flow",
        {"handler": "venue_av", "show_advanced_options": False},
    )
    flow = await api.post(
        f"/api/config/config_entries/flow/{flow['flow_id']}", {"next_step_id": "trio"}
    )
    result = await api.post(
        f"/api/config/config_entries/flow/{flow['flow_id']}",
        {"host": host, "port": PORT, "password": PASSWORD, "verify_tls": False},
    )
    if result.get("type") != "create_entry":
        raise RuntimeError(f"{host}: {result}")


class Events:
    """``venue_av_trio_event`` s as they arrive over the websocket, with their time."""

    def __init__(self) -> None:
        self.seen: list[tuple[float, dict[str, Any]]] = []
        self.arrived = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self, session: aiohttp.ClientSession, api: HassApi) -> None:
        ws = await session.ws_connect(f"{api.base_url}/api/websocket")
        await ws.receive_json()
        await ws.send_json({"type": "auth", "access_token": api.token})
        await ws.receive_json()
        await ws.send_json(
            {"id": 1, "type": "subscribe_events", "event_type": "venue_av_trio_event"}
        )

        async def read() -> None:
            async for message in ws:
                data = json.loads(message.data)
                if data.get("type") == "event":
                    self.seen.append((time.monotonic(), data["event"]["data"]))
                    self.arrived.set()

        self._task = asyncio.create_task(read())

    async def wait(self, name: str, kind: str, since: float, timeout: float) -> float:
        async with asyncio.timeout(timeout):
            while True:
                for at, data in self.seen:
                    if at >= since and data["name"] == name and data["type"] == kind:
                        return at
                self.arrived.clear()
                await self.arrived.wait()


async def call_latency(
    session: aiohttp.ClientSession,
    control: str,
    events: Events,
    host: str,
    *,
    name: str,
    calls: int,
) -> list[float]:
    latencies = []
    for _ in range(calls):
        t0 = time.monotonic()
        await session.post(f"{control}/phones/{host}/incoming", json={"number": "5551"})
        at = await events.wait(name, "incoming_call", t0, 30)
        latencies.append(at - t0)
        t1 = time.monotonic()
        await session.post(f"{control}/phones/{host}/hangup", json={})
        await events.wait(name, "missed_call", t1, 30)
        await asyncio.sleep(0.5)
    return latencies


def summary(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    return (
        f"median {statistics.median(ms):.0f} ms, p95 "
        f"{ms[max(0, int(len(ms) * 0.95) - 1)]:.0f} ms, max {ms[-1]:.0f} ms"
    )


async def run(args: argparse.Namespace, workdir: Path) -> int:
    phones = hosts(args.phones)
    control_port = bench_imm.free_port()
    control = f"http://127.0.0.1:{control_port}"
    sim = bench_imm.spawn(
        [
            bench_imm.PY,
            "-m",
            "simulators.trio",
            "--phone",
            PUSH_HOST,
            *[arg for host in phones for arg in ("--phone", host)],
            "--port",
            str(PORT),
            "--processing-delay",
            str(args.processing_delay),
            "--control",
            str(control_port),
        ],
        workdir / "sim.out",
    )
    hass = bench_imm.Hass(workdir / "hass", bench_imm.free_port())
    bench_imm.write_config(hass.config_dir, hass.port, "")
    async with aiohttp.ClientSession() as session:
        api = HassApi(session, hass.base_url)
        hass.start()
        try:
            await api.wait_until_up(300, alive=hass.alive, interval=0.25)
            await api.onboard()
            await api.wait_until_running(300)
            api.token = await api.create_long_lived_token("bench trio")
            await api.set_core_config({"internal_url": hass.base_url})
            started = time.monotonic()
            await add_phone(api, PUSH_HOST)
            gate = asyncio.Semaphore(8)

            async def add(host: str) -> None:
                async with gate:
                    await add_phone(api, host)

            await asyncio.gather(*(add(host) for host in phones))
            print(
                f"{len(phones) + 1} phones added in {time.monotonic() - started:.1f} s"
            )
            events = Events()
            await events.start(session, api)
            await asyncio.sleep(args.warmup)
            await bench_imm.probe_stats(api, reset="1")

            push = await call_latency(
                session, control, events, PUSH_HOST, name="Trio 1", calls=args.calls
            )
            poll = await call_latency(
                session, control, events, phones[0], name="Trio 2", calls=args.calls
            )
            print(f"incoming call -> HA event, push:         {summary(push)}")
            print(f"incoming call -> HA event, polling only: {summary(poll)}")

            await asyncio.sleep(3)
            log0 = len(
                await (await session.get(f"{control}/phones/{phones[-1]}/log")).json()
            )
            c0, t0 = bench_imm.cpu_seconds(hass.pid), time.monotonic()
            await asyncio.sleep(args.window)
            c1, t1 = bench_imm.cpu_seconds(hass.pid), time.monotonic()
            log1 = len(
                await (await session.get(f"{control}/phones/{phones[-1]}/log")).json()
            )
            per_phone_hour = (c1 - c0) / (t1 - t0) * 3600 / (len(phones) + 1)
            print(
                f"idle: HA CPU {per_phone_hour:.1f} s per phone per hour "
                f"({(c1 - c0) / (t1 - t0) * 100:.1f} % of a core for {len(phones) + 1}); "
                f"{(log1 - log0) / (t1 - t0):.2f} requests/s to an idle phone"
            )

            t0 = time.monotonic()
            await asyncio.gather(
                *(
                    session.post(
                        f"{control}/phones/{host}/incoming", json={"number": "7"}
                    )
                    for host in phones
                )
            )
            entities = await api.entity_ids_by_entry()
            sensors = [
                e for ids in entities.values() for e in ids if e.endswith("_call_state")
            ]
            async with asyncio.timeout(60):
                while True:
                    states = await api.get("/api/states")
                    ringing = sum(
                        1
                        for s in states
                        if s["entity_id"] in sensors and s["state"] == "ringing"
                    )
                    if ringing >= len(phones):
                        break
                    await asyncio.sleep(0.1)
            print(
                f"{len(phones)} phones ringing at once: all call states fresh after "
                f"{time.monotonic() - t0:.2f} s"
            )
            loop = await bench_imm.probe_stats(api, reset="1")
            print(
                f"event loop over the run: longest callback {loop['max_callback_ms']:.1f} ms "
                f"({loop['max_callback_what']}), callbacks >= 50 ms: "
                f"{loop['callbacks_over_50ms']}, worst timer lateness "
                f"{loop['max_timer_late_ms']:.1f} ms"
            )
        finally:
            hass.stop()
            bench_imm.stop(sim)
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/bench trio --ha", description=__doc__
    )
    parser.add_argument("--phones", type=int, default=50)
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=15.0)
    parser.add_argument("--processing-delay", type=float, default=0.02)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench-trio-ha-"))
    print(f"work directory {workdir}")
    try:
        return asyncio.run(run(args, workdir))
    finally:
        if not args.keep:
            with contextlib.suppress(OSError):
                shutil.rmtree(workdir)
