"""Venue AV against hand-made ``rest`` sensors, IMM players at scale (``scripts/bench imm``).

One invocation, for each N (50, 200, 500 by default):

1. ONE simulator process (``python -m simulators.imm``) plays N clients on consecutive
   loopback addresses from 127.0.100.1 (HTTP 8085, UDP 8083 on each address; its
   control API on 127.0.0.1 and a free port).
2. **rest**: a real Home Assistant (``python -m homeassistant -c <tmp> --skip-pip``, http
   on 127.0.0.1 and a free port, no default_config) whose YAML polls every client's
   configuration.xml, program.xml and sensor.xml every 10 s with the ``rest``
   integration, sensors extracting status, free space, program and the number of
   sensor values through templates (the rest integration turns XML into JSON with
   xmltodict: ``value_json.response.imm_client.status``).
3. **venue_av**: another Home Assistant (fresh config dir) in which the same clients are
   added through the real config flow over the REST API (menu, "imm", "manual",
   host + key), then restarted: the start-up time is that of a Home Assistant with N
   entries. Discovery is restricted to nothing (``broadcast_discovery: false``, no
   targets): no probe leaves 127.0.0.0/8.
4. **floor** (venue_av's Home Assistant, same entities): polling paused on every entry
   (``pref_disable_polling``, as the UI's "enable polling" switch does; the entries
   reload once, then nothing polls), one full garbage collection forced as a loop
   callback, the same window measured again: what the loop costs without our polls.

Each variant is measured after a warm-up over a fixed window: CPU of the hass process
(utime+stime from /proc/<pid>/stat), device requests served (the simulator's
request_count), CPU ms per 1,000 device requests, the longest loop callback and the
worst timer lateness (``bench_loop_probe``, a bench-only custom component: no asyncio
debug mode), full-GC pauses, RSS, start-up time until every client's entities exist,
clients fresh at the end (the simulator's request log: every client polled within the
last two intervals) and entities unavailable. Also: one UDP probe round
(``protocol.imm.discovery.probe``) against the 500 clients' loopback addresses, and a
py-spy profile of the last venue_av window (top 20 by own samples).

Everything stops by itself; hass and the simulator are killed even on failure.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
import contextlib
from dataclasses import dataclass, field
import json
import os
from pathlib import Path
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any

import aiohttp

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import devhass  # noqa: E402  (scripts/lib/devhass.py, shared with scripts/develop)
from devhass import DevHassError, HassApi  # noqa: E402

PY = sys.executable
FIRST_HOST = "127.0.100.1"
HTTP_PORT = 8085
UDP_PORT = 8083
INTERVAL = 10.0  # both variants poll every 10 s
KEY = "0000"
PROBE_SOURCE = Path(__file__).resolve().parent / "bench_loop_probe.py"
# Written into the throwaway config dir only: the repo keeps a single manifest.json
# (hassfest validates every one it finds).
PROBE_MANIFEST = {
    "domain": "bench_loop_probe",
    "name": "Venue AV bench: event-loop probe",
    "codeowners": [],
    "dependencies": ["http"],
    "documentation": "https://github.com/",
    "iot_class": "local_polling",
    "version": "0.0.1",
}
INTEGRATION_DIR = REPO / "custom_components" / "venue_av"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/bench imm", description=__doc__)
    parser.add_argument("--clients", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("--window", type=float, default=60.0, help="seconds (>= 30)")
    parser.add_argument("--warmup", type=float, default=25.0, help="seconds")
    parser.add_argument("--floor-window", type=float, default=30.0, help="seconds")
    parser.add_argument(
        "--variants",
        nargs="+",
        default=["rest", "venue_av"],
        choices=["rest", "venue_av"],
    )
    parser.add_argument("--no-floor", action="store_true")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--profile-seconds", type=float, default=30.0)
    parser.add_argument("--discovery-clients", type=int, default=500)
    parser.add_argument("--flow-concurrency", type=int, default=16)
    parser.add_argument(
        "--output", type=Path, help="write the markdown report here (docs/bench-imm.md)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the config dirs")
    return parser.parse_args(argv)


# -- processes --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


PROCESSES: list[subprocess.Popen[bytes]] = []


def spawn(args: list[str], log: Path, cwd: Path = REPO) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        proc = subprocess.Popen(
            args,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    PROCESSES.append(proc)
    return proc


def stop(proc: subprocess.Popen[bytes] | None, timeout: float = 30.0) -> None:
    """SIGTERM, then SIGKILL; only the processes this bench started (by pid)."""
    if proc is None:
        return
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            proc.wait(10)
    if proc in PROCESSES:
        PROCESSES.remove(proc)


def stop_all() -> None:
    for proc in list(PROCESSES):  # noqa: PERF101 - stop() removes from it
        stop(proc, timeout=15)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of the whole line (11 and 12 after the name)
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- the simulator ----------------------------------------------------------------------


@dataclass
class Simulator:
    n: int
    workdir: Path
    proc: subprocess.Popen[bytes] | None = None
    control: str = ""
    hosts: list[str] = field(default_factory=list)

    async def start(self, session: aiohttp.ClientSession) -> None:
        port = free_port()
        self.control = f"http://127.0.0.1:{port}"
        log = self.workdir / f"simulator-{self.n}.log"
        self.proc = spawn(
            [
                PY, "-m", "simulators.imm",
                "--clients", str(self.n),
                "--first-host", FIRST_HOST,
                "--http-port", str(HTTP_PORT),
                "--udp-port", str(UDP_PORT),
                "--control", f"127.0.0.1:{port}",
            ],
            log,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"simulator exited: {log.read_text()[-2000:]}")
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with session.get(f"{self.control}/clients") as resp:
                    if resp.status == 200:
                        self.hosts = [c["host"] for c in await resp.json()]
                        break
            if time.monotonic() > deadline:
                raise RuntimeError("simulator did not start in 60 s")
            await asyncio.sleep(0.3)
        if len(self.hosts) != self.n:
            raise RuntimeError(
                f"simulator plays {len(self.hosts)} clients, not {self.n}"
            )

    async def stats(self, session: aiohttp.ClientSession) -> dict[str, Any]:
        async with session.get(f"{self.control}/stats") as resp:
            result: dict[str, Any] = await resp.json()
            return result

    async def last_poll_per_host(
        self, session: aiohttp.ClientSession, limit: int
    ) -> dict[str, float]:
        """When each client last answered configuration.xml (from the request log)."""
        async with session.get(f"{self.control}/log?limit={limit}") as resp:
            records = await resp.json()
        last: dict[str, float] = {}
        for rec in records:
            if rec["path"].endswith("/configuration.xml") and rec["status"] == 200:
                last[rec["host"]] = max(last.get(rec["host"], 0.0), rec["at"])
        return last


# -- Home Assistant ---------------------------------------------------------------------


def rest_yaml(hosts: list[str]) -> str:
    """What a user writes by hand: three resources per player, templates on xmltodict."""
    lines = ["rest:"]
    for i, host in enumerate(hosts, start=1):
        base = f"http://{host}:{HTTP_PORT}/interaction"
        name = f"imm_rest_{i}"
        lines += [
            f"  - resource: {base}/configuration.xml?interaction_key={KEY}",
            "    scan_interval: 10",
            "    timeout: 10",
            "    sensor:",
            f"      - name: {name}_status",
            '        value_template: "{{ value_json.response.imm_client.status }}"',
            f"      - name: {name}_free_space",
            "        unit_of_measurement: GB",
            "        value_template: >-",
            "          {{ value_json.response.imm_client.free_space"
            " .split(' ')[0] | float(0) }}",
            f"  - resource: {base}/program.xml?interaction_key={KEY}",
            "    scan_interval: 10",
            "    timeout: 10",
            "    sensor:",
            f"      - name: {name}_program",
            "        value_template: >-",
            "          {{ value_json.response.program['@name']"
            " if value_json.response.program is defined else 'standby' }}",
            f"  - resource: {base}/sensor.xml?interaction_key={KEY}",
            "    scan_interval: 10",
            "    timeout: 10",
            "    sensor:",
            f"      - name: {name}_sensor_values",
            "        value_template: >-",
            "          {% set s = value_json.response.sensor | default([]) %}"
            "{{ (s if s is list else [s]) | count }}",
        ]
    return "\n".join(lines) + "\n"


def write_config(config_dir: Path, port: int, extra: str) -> None:
    base = devhass.configuration_yaml(
        port=port,
        discovery_targets=[],
        frontend_dev_repo=str(config_dir / "no-frontend"),
    )
    # devhass logs venue_av at debug (every request) for scripts/develop's e2e use;
    # measured here at the product's default level.
    quiet = base.replace(
        "custom_components.venue_av: debug", "custom_components.venue_av: warning"
    )
    if quiet == base or "broadcast_discovery: false" not in quiet:
        raise RuntimeError("devhass.configuration_yaml changed: check bench_imm.py")
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "configuration.yaml").write_text(
        quiet + "bench_loop_probe:\n" + extra
    )
    devhass.prepare_config_dir(
        config_dir, INTEGRATION_DIR, port=port, discovery_targets=[]
    )
    probe = config_dir / "custom_components" / "bench_loop_probe"
    probe.mkdir(parents=True, exist_ok=True)
    (probe / "__init__.py").write_text(PROBE_SOURCE.read_text())
    (probe / "manifest.json").write_text(json.dumps(PROBE_MANIFEST, indent=2))


@dataclass
class Hass:
    config_dir: Path
    port: int
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.started_at = time.monotonic()
        self.proc = spawn(
            [PY, "-m", "homeassistant", "-c", str(self.config_dir), "--skip-pip"],
            self.config_dir / "hass.out",
            # Not the repository: ``python -m`` puts the working directory first on
            # sys.path, and the repo's own custom_components package would hide the
            # config dir's (the probe would not load).
            cwd=self.config_dir,
        )

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        stop(self.proc, timeout=60)
        self.proc = None


async def probe_stats(api: HassApi, **query: str) -> dict[str, Any]:
    q = "&".join(f"{k}={v}" for k, v in query.items())
    result: dict[str, Any] = await api.get(f"/api/bench_loop_probe?{q}")
    return result


async def count_ready(api: HassApi, variant: str) -> int:
    if variant == "rest":
        template = (
            "{{ states.sensor | selectattr('entity_id', 'match', 'sensor.imm_rest_')"
            " | rejectattr('state', 'in', ['unavailable', 'unknown']) | list | count }}"
        )
    else:
        template = (
            "{{ expand(integration_entities('venue_av'))"
            " | rejectattr('state', 'eq', 'unavailable') | list | count }}"
        )
    return int((await api.render_template(template)).strip())


async def count_unavailable(api: HassApi, variant: str) -> int:
    if variant == "rest":
        template = (
            "{{ states.sensor | selectattr('entity_id', 'match', 'sensor.imm_rest_')"
            " | selectattr('state', 'in', ['unavailable', 'unknown']) | list | count }}"
        )
    else:
        template = (
            "{{ expand(integration_entities('venue_av'))"
            " | selectattr('state', 'eq', 'unavailable') | list | count }}"
        )
    return int((await api.render_template(template)).strip())


async def wait_ready(
    api: HassApi, hass: Hass, variant: str, expected: int, timeout: float
) -> float:
    """Seconds from process start until ``expected`` entities have a state."""
    deadline = time.monotonic() + timeout
    last = -1
    while time.monotonic() < deadline:
        if not hass.alive():
            raise DevHassError("Home Assistant exited")
        with contextlib.suppress(DevHassError, aiohttp.ClientError, TimeoutError):
            last = await count_ready(api, variant)
            if last >= expected:
                return time.monotonic() - hass.started_at
        await asyncio.sleep(0.25)
    raise DevHassError(
        f"only {last} of {expected} {variant} entities after {timeout} s"
    )


async def setup_info(api: HassApi) -> dict[str, float]:
    try:
        rows = await api.ws_command({"type": "integration/setup_info"})
    except (DevHassError, aiohttp.ClientError, TimeoutError):
        return {}
    return {row["domain"]: row["seconds"] for row in rows}


# -- one measured window ----------------------------------------------------------------


@dataclass
class Figures:
    variant: str
    n: int
    window: float = 0.0
    cpu: float = 0.0
    requests: int = 0
    sim_cpu: float = 0.0
    max_callback_ms: float = 0.0
    max_callback_what: str = ""
    callbacks_over_50ms: int = 0
    max_late_ms: float = 0.0
    gc2_max_ms: float = 0.0
    gc2_count: int = 0
    rss_mb: float = 0.0
    startup_s: float = float("nan")
    setup_s: float = float("nan")
    entities: int = 0
    fresh: int = 0
    unavailable: int = 0
    note: str = ""

    @property
    def cpu_per_1k(self) -> float:
        return self.cpu / self.requests * 1e6 if self.requests else float("nan")

    @property
    def requests_per_s(self) -> float:
        return self.requests / self.window if self.window else float("nan")


async def measure_window(  # noqa: PLR0917
    api: HassApi,
    hass: Hass,
    sim: Simulator,
    session: aiohttp.ClientSession,
    fig: Figures,
    window: float,
    *,
    force_full_gc: bool = False,
) -> None:
    await probe_stats(api, reset="1")
    s0 = await sim.stats(session)
    c0, t0 = cpu_seconds(hass.pid), time.monotonic()
    if force_full_gc:
        await asyncio.sleep(window / 2)
        await probe_stats(api, collect="1")
        await asyncio.sleep(window / 2)
    else:
        await asyncio.sleep(window)
    c1, t1 = cpu_seconds(hass.pid), time.monotonic()
    s1 = await sim.stats(session)
    loop = await probe_stats(api, reset="1")
    fig.window = t1 - t0
    fig.cpu = c1 - c0
    fig.requests = s1["request_count"] - s0["request_count"]
    fig.sim_cpu = s1["cpu_seconds"] - s0["cpu_seconds"]
    fig.max_callback_ms = loop["max_callback_ms"]
    fig.max_callback_what = loop["max_callback_what"]
    fig.callbacks_over_50ms = loop["callbacks_over_50ms"]
    fig.max_late_ms = loop["max_timer_late_ms"]
    fig.gc2_max_ms = loop["gc_max_ms"][2]
    fig.gc2_count = loop["gc_count"][2]
    fig.rss_mb = rss_mb(hass.pid)


async def freshness(
    api: HassApi, sim: Simulator, session: aiohttp.ClientSession, fig: Figures
) -> None:
    limit = min(100_000, sim.n * 3 * 4 + 2000)
    last = await sim.last_poll_per_host(session, limit)
    now = time.time()
    fig.fresh = sum(1 for h in sim.hosts if now - last.get(h, 0.0) <= 2 * INTERVAL)
    fig.unavailable = await count_unavailable(api, fig.variant)


# -- variants ---------------------------------------------------------------------------


# Loaded by the config on purpose; anything that could leave loopback must not be.
FORBIDDEN = {"cloud", "zeroconf", "ssdp", "dhcp", "bluetooth", "default_config"}


async def check_components(api: HassApi) -> None:
    config = await api.get("/api/config")
    components = set(config.get("components", []))
    if config.get("recovery_mode") or components & FORBIDDEN:
        raise DevHassError(
            f"unexpected components {sorted(components & FORBIDDEN)} or recovery mode"
        )


async def login(api: HassApi) -> str:
    await api.onboard()
    await api.wait_until_running(300)
    await check_components(api)
    return await api.create_long_lived_token("bench imm")


async def run_rest(
    args: argparse.Namespace, n: int, sim: Simulator, workdir: Path,
    session: aiohttp.ClientSession,
) -> Figures:  # fmt: skip
    fig = Figures("rest", n)
    hass = Hass(workdir / f"rest-{n}", free_port())
    write_config(hass.config_dir, hass.port, rest_yaml(sim.hosts))
    api = HassApi(session, hass.base_url)
    hass.start()
    try:
        await api.wait_until_up(300, alive=hass.alive, interval=0.25)
        api.token = await login(api)
        fig.entities = 4 * n
        fig.startup_s = await wait_ready(api, hass, "rest", 4 * n, 300)
        fig.setup_s = (await setup_info(api)).get("rest", float("nan"))
        print(f"  rest: {4 * n} entities after {fig.startup_s:.1f} s", flush=True)
        await asyncio.sleep(args.warmup)
        await measure_window(api, hass, sim, session, fig, args.window)
        await freshness(api, sim, session, fig)
    finally:
        hass.stop()
    return fig


async def add_entries(api: HassApi, hosts: list[str], concurrency: int) -> float:
    started = time.monotonic()
    gate = asyncio.Semaphore(concurrency)

    async def add(host: str) -> None:
        async with gate:
            for attempt in range(3):
                try:
                    await api.add_imm_client(host=host, key=KEY)
                except DevHassError:
                    if attempt == 2:
                        raise
                    await asyncio.sleep(1)
                else:
                    return

    await asyncio.gather(*(add(h) for h in hosts))
    return time.monotonic() - started


async def run_venue_av(
    args: argparse.Namespace, n: int, sim: Simulator, workdir: Path,
    session: aiohttp.ClientSession, *, profile: Path | None,
) -> tuple[Figures, Figures | None]:  # fmt: skip
    fig = Figures("venue_av", n)
    hass = Hass(workdir / f"venue_av-{n}", free_port())
    write_config(hass.config_dir, hass.port, "")
    api = HassApi(session, hass.base_url)
    hass.start()
    try:
        # 1. a fresh Home Assistant; the N clients through the config flow
        await api.wait_until_up(300, alive=hass.alive, interval=0.25)
        api.token = await login(api)
        took = await add_entries(api, sim.hosts, args.flow_concurrency)
        entries = await api.config_entries()
        loaded = sum(1 for e in entries if e["state"] == "loaded")
        if loaded != n:
            raise DevHassError(f"{loaded} of {n} entries loaded after the flows")
        fig.entities = await count_ready(api, "venue_av")
        print(
            f"  venue_av: {n} entries through the config flow in {took:.1f} s "
            f"({fig.entities} entities); restarting",
            flush=True,
        )
        hass.stop()
        # 2. the start-up of a Home Assistant with N entries
        hass.start()
        await api.wait_until_up(300, alive=hass.alive, interval=0.25)
        fig.startup_s = await wait_ready(api, hass, "venue_av", fig.entities, 300)
        await api.wait_until_running(300)
        fig.setup_s = (await setup_info(api)).get("venue_av", float("nan"))
        print(
            f"  venue_av: {fig.entities} entities after {fig.startup_s:.1f} s "
            f"(integration setup {fig.setup_s:.1f} s)",
            flush=True,
        )
        await asyncio.sleep(args.warmup)
        await measure_window(api, hass, sim, session, fig, args.window)
        await freshness(api, sim, session, fig)
        if profile is not None:
            await run_profile(hass.pid, args.profile_seconds, profile)
        floor = None
        if not args.no_floor:
            floor = await measure_floor(args, api, hass, sim, session, n, fig.entities)
    finally:
        hass.stop()
    return fig, floor


async def measure_floor(  # noqa: PLR0917
    args: argparse.Namespace, api: HassApi, hass: Hass, sim: Simulator,
    session: aiohttp.ClientSession, n: int, entities: int,
) -> Figures:  # fmt: skip
    """Same Home Assistant, same entities, no polling; one forced full collection."""
    floor = Figures("floor", n, entities=entities)
    entries = await api.config_entries()
    gate = asyncio.Semaphore(8)

    async def pause(entry_id: str) -> None:
        async with gate:
            await api.ws_command(
                {
                    "type": "config_entries/update",
                    "entry_id": entry_id,
                    "pref_disable_polling": True,
                }
            )

    await asyncio.gather(*(pause(e["entry_id"]) for e in entries))
    # Changing the preference reloads each entry once (one refresh each); then quiet.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        entries = await api.config_entries()
        if all(e["state"] == "loaded" and e["pref_disable_polling"] for e in entries):
            break
        await asyncio.sleep(1)
    await wait_ready(api, hass, "venue_av", entities, 300)
    await asyncio.sleep(15)
    await measure_window(
        api, hass, sim, session, floor, args.floor_window, force_full_gc=True
    )
    floor.note = "polling paused; one full gc.collect() forced mid-window"
    return floor


# -- discovery --------------------------------------------------------------------------


async def discovery_round(hosts: list[str]) -> tuple[int, float]:
    from custom_components.venue_av.protocol.imm.discovery import probe

    started = time.monotonic()
    found = await probe(
        hosts,
        port=UDP_PORT,
        timeout=2.0,
        bind_host="127.0.0.1",
        expected=len(hosts),
    )
    took = time.monotonic() - started
    ids = {c.client_id for c in found}
    return len(ids), took


# -- profile ----------------------------------------------------------------------------


async def run_profile(pid: int, seconds: float, out: Path) -> None:
    spy = Path(PY).with_name("py-spy")
    if not spy.exists():
        print("  (py-spy not installed in .venv: no profile)", flush=True)
        return
    proc = await asyncio.create_subprocess_exec(
        str(spy), "record", "--pid", str(pid), "--duration", str(int(seconds)),
        "--rate", "100", "--nonblocking", "--format", "raw", "-o", str(out),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        _, err = await asyncio.wait_for(proc.communicate(), seconds + 60)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        return
    if proc.returncode != 0:
        print(f"  py-spy failed: {err.decode()[-500:]}", flush=True)


_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^:()]*)(?::\d+)?\)$")


def _short(frame: str) -> str:
    match = _FRAME.match(frame)
    if not match:
        return frame
    path = match["file"]
    for marker in ("site-packages/", "python3.13/", "custom_components/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{match['func']} ({path})"


def profile_table(raw: Path, top: int = 20) -> list[str]:
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_short(f) for f in stack.split(";") if f]
        if not frames:
            continue
        samples += count
        own[frames[-1]] += count
        for frame in set(frames):
            total[frame] += count
    if not samples:
        return ["(no samples)"]
    rows = [
        f"py-spy, {samples} samples (100 Hz, non-blocking) of the busy threads",
        "",
        "| # | function (file) | own % | incl. % |",
        "|---|---|---:|---:|",
    ]
    for i, (frame, count) in enumerate(own.most_common(top), start=1):
        rows.append(
            f"| {i} | `{frame}` | {100 * count / samples:.1f} | "
            f"{100 * total[frame] / samples:.1f} |"
        )
    return rows


METHOD = """\
How (see `scripts/lib/bench_imm.py`): one simulator process plays the N clients on
127.0.100.x (HTTP 8085, UDP 8083); Home Assistant runs as a real process
(`python -m homeassistant --skip-pip`, http on 127.0.0.1, no default_config), once
with hand-written `rest` YAML (configuration.xml, program.xml and sensor.xml of every
client every 10 s; templates over the xmltodict JSON: status, free space, program,
number of sensor values) and once with the clients added as venue_av entries through
the real config flow, then restarted (start-up = process start until every entity has
a state). Each is measured after the warm-up over the window: hass CPU from
/proc/<pid>/stat, device requests from the simulator's count; the longest loop callback
and the worst lateness of a 0.1 s timer come from a bench-only custom component that
wraps `asyncio.events.Handle._run` (no asyncio debug mode); full GCs through
`gc.callbacks`. Fresh = the simulator's log shows the client's configuration.xml
answered within the last 20 s (two intervals). Floor = venue_av's Home Assistant with
the same entities and polling paused on every entry (`pref_disable_polling`), one full
`gc.collect()` forced as a loop callback mid-window: the longest callback a full
collection of this heap causes with none of our polls.
"""

# -- report -----------------------------------------------------------------------------


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def table(
    n: int, rest: Figures | None, ours: Figures | None, floor: Figures | None
) -> list[str]:
    def cell(fig: Figures | None, fmt: str, attr: str) -> str:
        if fig is None:
            return "-"
        value = getattr(fig, attr)
        return fmt.format(value)

    rows: list[tuple[str, str, str, bool]] = [
        ("CPU ms per 1,000 device requests", "{:.0f}", "cpu_per_1k", True),
        ("hass CPU s in window", "{:.1f}", "cpu", True),
        ("device requests in window", "{:d}", "requests", True),
        ("device requests / s", "{:.1f}", "requests_per_s", True),
        ("longest loop callback, ms", "{:.1f}", "max_callback_ms", True),
        ("callbacks > 50 ms", "{:d}", "callbacks_over_50ms", False),
        ("worst timer lateness, ms", "{:.1f}", "max_late_ms", True),
        ("full GCs / longest, ms", "", "", False),
        ("hass RSS, MB", "{:.0f}", "rss_mb", True),
        ("entities", "{:d}", "entities", False),
        ("start-up until all entities exist, s", "{:.1f}", "startup_s", True),
        ("integration setup (HA's setup_info), s", "{:.1f}", "setup_s", False),
        ("clients fresh (polled within 20 s)", "{:d}", "fresh", False),
        ("entities unavailable/unknown at the end", "{:d}", "unavailable", False),
        ("simulator CPU s in window", "{:.1f}", "sim_cpu", False),
    ]
    out = [
        f"### N = {n} clients",
        "",
        "| | rest (YAML) | venue_av | venue_av / rest | floor (venue_av, no polling) |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, fmt, attr, with_ratio in rows:
        if not attr:

            def gcs(f: Figures | None) -> str:
                return "-" if f is None else f"{f.gc2_count} / {f.gc2_max_ms:.0f}"

            out.append(f"| {label} | {gcs(rest)} | {gcs(ours)} | | {gcs(floor)} |")
            continue
        r = (
            ratio(getattr(ours, attr), getattr(rest, attr))
            if with_ratio and rest and ours
            else ""
        )
        f_cell = (
            cell(floor, fmt, attr)
            if attr
            in {
                "cpu",
                "requests",
                "max_callback_ms",
                "callbacks_over_50ms",
                "max_late_ms",
                "rss_mb",
                "entities",
                "sim_cpu",
            }
            else ""
        )
        out.append(
            f"| {label} | {cell(rest, fmt, attr)} | {cell(ours, fmt, attr)} | {r} | {f_cell} |"
        )
    whats = [
        f"{f.variant}: `{f.max_callback_what}`"
        for f in (rest, ours, floor)
        if f is not None and f.max_callback_what
    ]
    if whats:
        out += ["", "Longest callback ran: " + "; ".join(whats) + "."]
    return out


async def main_async(args: argparse.Namespace) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="venue-av-bench-imm-"))
    print(f"bench imm: work dir {workdir}", flush=True)
    report: list[str] = []
    results: dict[int, tuple[Figures | None, Figures | None, Figures | None]] = {}
    discovery: tuple[int, float, int] | None = None
    profile_lines: list[str] = []
    started = time.monotonic()
    failed = False
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=64)
    try:
        async with aiohttp.ClientSession(
            timeout=timeout, connector=connector
        ) as session:
            ns = sorted(args.clients)
            for n in ns:
                print(f"== N = {n}", flush=True)
                sim = Simulator(n, workdir)
                await sim.start(session)
                try:
                    if n == args.discovery_clients:
                        # Three rounds; the worst is reported.
                        rounds = [await discovery_round(sim.hosts) for _ in range(3)]
                        found = min(r[0] for r in rounds)
                        worst = max(r[1] for r in rounds)
                        discovery = (found, worst, n)
                        print(
                            f"  discovery: {found}/{n} clients, worst of 3 rounds "
                            f"{worst:.2f} s",
                            flush=True,
                        )
                    rest = ours = floor = None
                    if "rest" in args.variants:
                        rest = await run_rest(args, n, sim, workdir, session)
                    if "venue_av" in args.variants:
                        raw = (
                            workdir / f"profile-{n}.txt"
                            if n == ns[-1] and not args.no_profile
                            else None
                        )
                        ours, floor = await run_venue_av(
                            args, n, sim, workdir, session, profile=raw
                        )
                        if raw is not None and raw.exists():
                            profile_lines = profile_table(raw)
                    results[n] = (rest, ours, floor)
                    for line in table(n, rest, ours, floor):
                        print(line)
                    print(flush=True)
                finally:
                    stop(sim.proc)
    except (DevHassError, RuntimeError, aiohttp.ClientError, TimeoutError) as err:
        print(f"bench imm FAILED: {type(err).__name__}: {err}", file=sys.stderr)
        failed = True
    finally:
        stop_all()
    elapsed = time.monotonic() - started
    report += [
        "# IMM at scale: venue_av against hand-made `rest` sensors",
        "",
        f"From one `scripts/bench imm` run ({time.strftime('%Y-%m-%d %H:%M')}, "
        f"{os.cpu_count()} cores, {elapsed / 60:.1f} min; window {args.window:g} s "
        f"after {args.warmup:g} s warm-up, floor window {args.floor_window:g} s): "
        f"`scripts/bench imm {' '.join(sys.argv[1:])}`".rstrip()
        + ".",
        "",
        METHOD,
    ]
    for n, (rest, ours, floor) in results.items():
        report += [*table(n, rest, ours, floor), ""]
    summary = [
        "### Summary",
        "",
        "| N | rest CPU ms / 1k req | venue_av CPU ms / 1k req | ratio | "
        "venue_av longest callback ms | floor ms | start-up s | fresh |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, (rest, ours, floor) in results.items():
        summary.append(
            f"| {n} | {rest.cpu_per_1k:.0f} | {ours.cpu_per_1k:.0f} | "
            f"{ratio(ours.cpu_per_1k, rest.cpu_per_1k)} | {ours.max_callback_ms:.0f} | "
            f"{floor.max_callback_ms if floor else float('nan'):.0f} | "
            f"{ours.startup_s:.1f} | {ours.fresh}/{n} |"
            if rest and ours
            else f"| {n} | - | - | - | - | - | - | - |"
        )
    report += [*summary, ""]
    if discovery is not None:
        found, worst, n = discovery
        report += [
            "### Discovery",
            "",
            f"One UDP probe round (`protocol.imm.discovery.probe`, unicast to each of "
            f"the {n} loopback addresses): **{found}/{n} found, {worst:.2f} s** "
            "(worst of 3 rounds; returns once all expected clients answered).",
            "",
        ]
    if profile_lines:
        report += [f"### Profile of the venue_av run, N = {max(results)}", ""]
        report += [*profile_lines, ""]
    text = "\n".join(report)
    print(text)
    if args.output is not None and not failed:
        args.output.write_text(text)
        print(f"written to {args.output}")
    if not args.keep and not failed:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"kept {workdir} (hass.out and simulator logs inside)")
    return 1 if failed else 0


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    missing = [m for m in ("xmltodict", "jsonpath") if not _importable(m)]
    if missing and "rest" in args.variants:
        # Home Assistant runs with --skip-pip: the rest integration's requirements
        # must be in .venv already.
        raise SystemExit(
            "the rest baseline needs jsonpath==0.82.2 xmltodict==0.13.0 in .venv "
            "(.venv/bin/python -m pip install jsonpath==0.82.2 xmltodict==0.13.0)"
        )
    if args.window < 30:
        raise SystemExit("--window must be at least 30 s")

    def on_signal(signum: int, _frame: object) -> None:
        stop_all()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    try:
        return asyncio.run(main_async(args))
    except KeyboardInterrupt:
        return 130
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())
