"""Benchmark of the Poly Trio client against one simulated phone (``scripts/bench trio``).

The simulator runs in this process, in a thread with its own event loop, on loopback
(127.0.89.x by default) in its strict mode: a request that overlaps another gets HTTP 403,
and every request keeps the phone busy for ``--processing-delay`` seconds. One
``TrioClient`` (one lock, as Home Assistant will hold per phone) then runs:

1. ``commands``: N concurrent service-style commands (dial, mute, send DTMF, set
   config) fired at once. Every one must be carried out by the phone (its request
   log), none lost, no 403 surfaced to the caller.
2. ``poll loop``: call status + poll for status back to back for ``--window`` s,
   while a call is up (the coordinator's loop without its sleep).
3. ``commands + poll``: both at once through the same client (actions arriving while
   the coordinator polls).
4. ``+ 2nd controller``: the commands again while another client (another tool with
   its own connection, e.g. a monitoring system) polls the phone once a second: the
   phone answers 403 on the wire and our client must absorb every one.
5. ``push``: incoming calls injected, latency until the IncomingCallEvent arrives at
   a receiver on loopback and is parsed.

Finishes by itself in well under two minutes; exit status 1 if a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable, Coroutine
import concurrent.futures
import contextlib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
import statistics
import sys
import threading
import time
from typing import Any

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from custom_components.venue_av.protocol.trio import (
    CallState,
    IncomingCallEvent,
    NotificationEvent,
    TrioBusyError,
    TrioClient,
    TrioError,
    parse_events,
)
from simulators.trio import BusyMode, PhoneSpec, TrioSimulator

PASSWORD = "Trio-Admin-1"
COMMAND_PATHS = {
    "/api/v1/callctrl/dial": "dial",
    "/api/v1/callctrl/mute": "mute",
    "/api/v1/callctrl/sendDTMF": "send_dtmf",
    "/api/v1/mgmt/config/set": "set_config",
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/bench trio", description=__doc__)
    parser.add_argument("--host", default="127.0.89.1", help="phone address")
    parser.add_argument("--port", type=int, default=18643)
    parser.add_argument("--receiver", default="127.0.89.40", help="push receiver")
    parser.add_argument("--receiver-port", type=int, default=18690)
    parser.add_argument("--commands", type=int, default=100)
    parser.add_argument("--window", type=float, default=10.0, help="poll loop, s")
    parser.add_argument(
        "--processing-delay",
        type=float,
        default=0.05,
        help="seconds each request keeps the phone busy",
    )
    parser.add_argument("--push-calls", type=int, default=20)
    return parser.parse_args(argv)


# -- the simulator in its own thread and loop ------------------------------------


class SimThread:
    """Runs a ``TrioSimulator`` on an event loop of its own."""

    def __init__(self, sim: TrioSimulator) -> None:
        self.sim = sim
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> SimThread:
        self._thread.start()
        self.run_sync(self.sim.start())
        return self

    def __exit__(self, *exc: object) -> None:
        self.run_sync(self.sim.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)

    def run_sync(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(30)

    async def call(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` inside the simulator's loop (it may touch asyncio there)."""

        async def wrapper() -> Any:
            return fn()

        future: concurrent.futures.Future[Any] = asyncio.run_coroutine_threadsafe(
            wrapper(), self.loop
        )
        return await asyncio.wrap_future(future)


# -- measurements ------------------------------------------------------------------


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    failed: dict[str, int] = field(default_factory=dict)
    surfaced_403: int = 0
    wire_403: int = 0
    lost: int | None = None
    elapsed: float = 0.0
    note: str = ""
    show_rate: bool = True

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.failed.values()) + self.surfaced_403

    def add_failure(self, err: Exception) -> None:
        if isinstance(err, TrioBusyError):
            self.surfaced_403 += 1
            return
        kind = getattr(err, "kind", type(err).__name__)
        self.failed[kind] = self.failed.get(kind, 0) + 1

    def row(self) -> str:
        lat = sorted(self.latencies)
        p50 = statistics.median(lat) * 1000 if lat else float("nan")
        p95 = lat[max(0, round(0.95 * len(lat)) - 1)] * 1000 if lat else float("nan")
        rate = (
            f"{self.requests / self.elapsed:.1f}"
            if self.elapsed and self.show_rate
            else "-"
        )
        lost = "-" if self.lost is None else str(self.lost)
        return (
            f"{self.name:<27}{self.requests:>6}{len(lat):>6}{sum(self.failed.values()):>6}"
            f"{lost:>6}{self.wire_403:>6}{self.surfaced_403:>6}"
            f"{p50:>9.0f}{p95:>9.0f}{rate:>8}"
        )


HEADER = (
    f"{'scenario':<27}{'reqs':>6}{'ok':>6}{'fail':>6}{'lost':>6}{'403w':>6}{'403s':>6}"
    f"{'p50 ms':>9}{'p95 ms':>9}{'req/s':>8}"
)


async def timed(result: Result, action: Callable[[], Awaitable[object]]) -> bool:
    started = time.perf_counter()
    try:
        await action()
    except TrioError as err:
        result.add_failure(err)
        return False
    result.latencies.append(time.perf_counter() - started)
    return True


def command_mix(
    client: TrioClient, count: int
) -> list[Callable[[], Awaitable[object]]]:
    """Service-style commands: 1/10 dial, 3/10 mute, 3/10 DTMF, 3/10 set config."""
    actions: list[Callable[[], Awaitable[object]]] = []
    for i in range(count):
        slot = i % 10
        if slot == 0:
            actions.append(partial(client.dial, f"30{i:03d}"))
        elif slot <= 3:
            actions.append(partial(client.mute, i % 2 == 0))
        elif slot <= 6:
            actions.append(partial(client.send_dtmf, "0123456789*#"[i % 12]))
        else:
            values = {f"feature.sim.param{i % 40 + 1}": f"bench-{i}"}
            actions.append(partial(client.set_config, values))
    return actions


def expected_counts(count: int) -> dict[str, int]:
    counts = dict.fromkeys(COMMAND_PATHS.values(), 0)
    for i in range(count):
        slot = i % 10
        key = (
            "dial"
            if slot == 0
            else "mute"
            if slot <= 3
            else "send_dtmf"
            if slot <= 6
            else "set_config"
        )
        counts[key] += 1
    return counts


async def phone_log(st: SimThread, host: str) -> list[Any]:
    return list(await st.call(lambda: st.sim.requests(host)))


async def clear_log(st: SimThread) -> None:
    await st.call(st.sim.request_log.clear)


async def reset_calls(client: TrioClient) -> None:
    """Leave exactly one connected call (the commands need one)."""
    for old in await client.call_status_v2():
        await client.end_call(old.handle)
    await client.dial("2000")
    for _ in range(100):
        call = await client.call_status()
        if call is not None and call.state is CallState.CONNECTED:
            return
        await asyncio.sleep(0.05)
    raise RuntimeError("the benchmark call never connected")


async def run_commands(
    client: TrioClient, st: SimThread, host: str, name: str, count: int
) -> Result:
    result = Result(name)
    await clear_log(st)
    actions = command_mix(client, count)
    started = time.perf_counter()
    await asyncio.gather(*(timed(result, action) for action in actions))
    result.elapsed = time.perf_counter() - started
    log = await phone_log(st, host)
    carried = dict.fromkeys(COMMAND_PATHS.values(), 0)
    for record in log:
        key = COMMAND_PATHS.get(record.path)
        if key is not None and record.code == 2000:
            carried[key] += 1
    # Our own requests only (a second controller's 403s are its business).
    result.wire_403 = sum(
        1 for r in log if r.status == 403 and r.path != "/api/v1/mgmt/device/stats"
    )
    result.lost = sum(expected_counts(count).values()) - sum(carried.values())
    return result


async def poll_loop(
    client: TrioClient, result: Result, until: Callable[[], bool]
) -> None:
    while not until():
        await timed(result, client.call_status)
        await timed(result, client.poll_for_status)


async def scenario_poll(client: TrioClient, st: SimThread, window: float) -> Result:
    result = Result(f"poll loop ({window:g} s)")
    await clear_log(st)
    started = time.perf_counter()
    await poll_loop(client, result, lambda: time.perf_counter() - started >= window)
    result.elapsed = time.perf_counter() - started
    log = await phone_log(st, client.host)
    result.wire_403 = sum(1 for r in log if r.status == 403)
    return result


async def scenario_mixed(
    client: TrioClient, st: SimThread, count: int
) -> tuple[Result, Result]:
    polls = Result("  ... its poll loop", show_rate=False)
    done = asyncio.Event()
    poller = asyncio.create_task(poll_loop(client, polls, done.is_set))
    started = time.perf_counter()
    commands = await run_commands(
        client, st, client.host, "commands + poll loop", count
    )
    done.set()
    await poller
    polls.elapsed = time.perf_counter() - started
    return commands, polls


async def scenario_second_controller(
    client: TrioClient, other: TrioClient, st: SimThread, count: int
) -> Result:
    stop = asyncio.Event()
    other_requests = [0]

    async def monitor() -> None:
        while not stop.is_set():
            with contextlib.suppress(TrioError):
                await other.device_stats()
                other_requests[0] += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)

    task = asyncio.create_task(monitor())
    await asyncio.sleep(0.01)
    result = await run_commands(
        client, st, client.host, "commands + 2nd controller", count
    )
    stop.set()
    await task
    log = await phone_log(st, client.host)
    other_403 = sum(
        1 for r in log if r.status == 403 and r.path == "/api/v1/mgmt/device/stats"
    )
    result.note = (
        f"the 2nd controller got {other_requests[0]} answers "
        f"after {other_403} x 403 of its own"
    )
    return result


async def scenario_push(
    client: TrioClient,
    st: SimThread,
    *,
    url: str,
    runner_site: Receiver,
    calls: int,
) -> Result:
    host = client.host
    result = Result(f"push: incoming call ({calls}x)", show_rate=False)
    await client.set_config(
        client.notification_config(url, [NotificationEvent.INCOMING_CALL])
    )
    started = time.perf_counter()
    for index in range(calls):
        runner_site.arrived.clear()
        sent = time.perf_counter()
        handle = await st.call(partial(st.sim.inject_incoming, host, f"40{index:03d}"))
        try:
            async with asyncio.timeout(2):
                await runner_site.arrived.wait()
        except TimeoutError:
            result.failed["no_event"] = result.failed.get("no_event", 0) + 1
        else:
            event = runner_site.last
            if (
                isinstance(event, IncomingCallEvent)
                and event.calling_party_number == f"40{index:03d}"
            ):
                result.latencies.append(runner_site.at - sent)
            else:
                result.failed["wrong_event"] = result.failed.get("wrong_event", 0) + 1
        await client.reject(handle)
    result.elapsed = time.perf_counter() - started
    await client.set_config(client.notification_config(None))
    return result


@dataclass
class Receiver:
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    last: object = None
    at: float = 0.0


async def start_receiver(host: str, port: int) -> tuple[web.AppRunner, Receiver]:
    receiver = Receiver()

    async def hook(request: web.Request) -> web.Response:
        body = await request.read()
        for event in parse_events(body):
            if isinstance(event, IncomingCallEvent):
                receiver.last, receiver.at = event, time.perf_counter()
                receiver.arrived.set()
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook/{token}", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner, receiver


async def main_async(args: argparse.Namespace, st: SimThread) -> int:
    host = args.host
    runner, receiver = await start_receiver(args.receiver, args.receiver_port)
    results: list[Result] = []
    async with aiohttp.ClientSession() as session:
        client = TrioClient(
            host,
            session,
            password=PASSWORD,
            port=args.port,
            pinned_fingerprint=st.sim.fingerprint(host),
            busy_timeout=20.0,
        )
        other = TrioClient(
            host, session, password=PASSWORD, port=args.port, busy_timeout=20.0
        )
        await client.device_info()
        await reset_calls(client)
        commands = await run_commands(
            client, st, host, f"{args.commands} concurrent commands", args.commands
        )
        results.append(commands)
        await reset_calls(client)
        results.append(await scenario_poll(client, st, args.window))
        await reset_calls(client)
        results.extend(await scenario_mixed(client, st, args.commands))
        await reset_calls(client)
        second = await scenario_second_controller(client, other, st, args.commands)
        results.append(second)
        for call in await client.call_status_v2():
            await client.end_call(call.handle)
        url = f"http://{args.receiver}:{args.receiver_port}/hook/bench"
        results.append(
            await scenario_push(
                client, st, url=url, runner_site=receiver, calls=args.push_calls
            )
        )
    await runner.cleanup()

    results[3].note = "polls queue behind the burst (FIFO lock)"
    print(HEADER)
    for result in results:
        print(result.row())
    print(
        "latency = from the call to the answer, waiting for the client's lock included; "
        "lost = not carried out by the phone;\n403w = HTTP 403 on the wire (ours), "
        "403s = 403 surfaced to the caller; push latency = injection to parsed event"
    )
    for result in results:
        if result.note:
            print(f"note: {result.name.strip(' .')}: {result.note}")
    checks = []
    for result in (commands, results[2], second):
        ok = (
            len(result.latencies) == args.commands
            and result.lost == 0
            and result.surfaced_403 == 0
            and not result.failed
        )
        checks.append(ok)
        print(
            f"{result.name}: {len(result.latencies)}/{args.commands} done, "
            f"{result.lost} lost, {result.surfaced_403} surfaced 403s "
            f"({result.wire_403} absorbed on the wire) -> {'OK' if ok else 'FAIL'}"
        )
    return 0 if all(checks) else 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--ha" in argv:
        # The same phones in a real Home Assistant: scripts/lib/ha_trio_bench.py.
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import ha_trio_bench

        return ha_trio_bench.main([arg for arg in argv if arg != "--ha"])
    args = parse_args(argv)
    spec = PhoneSpec(
        host=args.host,
        mac="0004f2b0e001",
        password=PASSWORD,
        busy=BusyMode.REJECT,
        processing_delay=args.processing_delay,
        connect_delay=0.2,
    )
    started = time.perf_counter()
    print(
        f"Poly Trio benchmark: simulated phone https://{args.host}:{args.port} in the "
        f"simulator's own thread, strict 403 mode, {args.processing_delay * 1000:g} ms "
        "per request; one TrioClient"
    )
    with SimThread(TrioSimulator([spec], port=args.port)) as st:
        status = asyncio.run(main_async(args, st))
    print(f"total {time.perf_counter() - started:.1f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
