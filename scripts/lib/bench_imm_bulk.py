"""Bulk onboarding of IMM players in a real Home Assistant (``scripts/bench imm-bulk``).

1. ONE simulator process (``python -m simulators.imm``) plays N clients (200 by
   default) on consecutive loopback addresses from 127.0.100.1 (HTTP 8085, UDP 8083).
2. A real Home Assistant (``python -m homeassistant -c <tmp> --skip-pip``, http on
   127.0.0.1 and a free port, no default_config, fresh config dir) whose ``venue_av:``
   YAML points discovery at those N addresses (no broadcast: nothing leaves
   127.0.0.0/8).
3. Over the REST API, as the UI does: the venue_av flow, menu "imm" (the probe lists
   the N players), "Add all N players found", then the interaction key is submitted.

Measured: the wall time from that submit until the answer (the flow's summary) and
until Home Assistant lists N loaded venue_av entries (polled every 50 ms after the
answer). Repeated ``--runs`` times, each in a fresh config dir.

Everything stops by itself; hass and the simulator are killed even on failure.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
import shutil
import signal
import statistics
import sys
import tempfile
import time
from typing import Any

import aiohttp

# scripts/lib: bench imm's simulator and Home Assistant processes, devhass's REST client.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_imm
from bench_imm import INTEGRATION_DIR, KEY, Hass, Simulator, free_port
import devhass
from devhass import DevHassError, HassApi

SUBMIT_TIMEOUT = aiohttp.ClientTimeout(total=600)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/bench imm-bulk", description=__doc__)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the config dirs")
    return parser.parse_args(argv)


def write_config(config_dir: Path, port: int, hosts: list[str]) -> None:
    yaml = devhass.configuration_yaml(
        port=port,
        discovery_targets=hosts,
        frontend_dev_repo=str(config_dir / "no-frontend"),
    )
    # devhass logs venue_av at debug (every request): measured at the default level.
    quiet = yaml.replace(
        "custom_components.venue_av: debug", "custom_components.venue_av: warning"
    )
    if quiet == yaml:
        raise RuntimeError("devhass.configuration_yaml changed: check the bench")
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "configuration.yaml").write_text(quiet)
    devhass.prepare_config_dir(
        config_dir, INTEGRATION_DIR, port=port, discovery_targets=hosts
    )


async def loaded_entries(api: HassApi) -> int:
    entries = await api.config_entries()
    return sum(1 for entry in entries if entry["state"] == "loaded")


async def one_run(
    n: int, sim: Simulator, config_dir: Path, session: aiohttp.ClientSession
) -> tuple[float, float, dict[str, Any]]:
    """(seconds to the flow's answer, seconds to N loaded entries, the summary)."""
    hass = Hass(config_dir, free_port())
    write_config(config_dir, hass.port, sim.hosts)
    api = HassApi(session, hass.base_url)
    hass.start()
    try:
        await api.wait_until_up(300, alive=hass.alive, interval=0.25)
        api.token = await bench_imm.login(api)
        flow = await api._start_imm_flow()  # noqa: SLF001 - devhass's own flow start
        if flow.get("step_id") != "imm":
            raise DevHassError(f"expected the discovery list: {flow}")
        listed = devhass.select_options(flow, "client")
        if len(listed) != n + 2:  # the players, "all" and "manual"
            raise DevHassError(f"{len(listed) - 2} of {n} players listed")
        flow = await api.post(
            f"/api/config/config_entries/flow/{flow['flow_id']}", {"client": "all"}
        )
        if flow.get("step_id") != "imm_bulk":
            raise DevHassError(f"expected the bulk key form: {flow}")
        started = time.monotonic()
        async with session.post(
            f"{api.base_url}/api/config/config_entries/flow/{flow['flow_id']}",
            json={"interaction_key": KEY},
            headers={"Authorization": f"Bearer {api.token}"},
            timeout=SUBMIT_TIMEOUT,
        ) as resp:
            result: dict[str, Any] = await resp.json()
        answered = time.monotonic() - started
        if result.get("reason") != "imm_bulk_done":
            raise DevHassError(f"expected the summary: {result}")
        while (loaded := await loaded_entries(api)) < n:
            if time.monotonic() - started > 600:
                raise DevHassError(f"{loaded} of {n} entries loaded after 600 s")
            await asyncio.sleep(0.05)
        return answered, time.monotonic() - started, result
    finally:
        hass.stop()


async def main_async(args: argparse.Namespace) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="venue-av-bench-imm-bulk-"))
    print(f"bench imm-bulk: work dir {workdir}", flush=True)
    failed = False
    answers: list[float] = []
    loads: list[float] = []
    try:
        async with aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=120)
        ) as session:
            sim = Simulator(args.clients, workdir)
            await sim.start(session)
            try:
                for run in range(1, args.runs + 1):
                    answered, loaded, result = await one_run(
                        args.clients, sim, workdir / f"hass-{run}", session
                    )
                    added = result["description_placeholders"]["added_count"]
                    answers.append(answered)
                    loads.append(loaded)
                    print(
                        f"  run {run}: summary after {answered:.2f} s ({added} added), "
                        f"{args.clients} entries loaded after {loaded:.2f} s",
                        flush=True,
                    )
            finally:
                bench_imm.stop(sim.proc)
    except (DevHassError, RuntimeError, aiohttp.ClientError, TimeoutError) as err:
        print(f"bench imm-bulk FAILED: {type(err).__name__}: {err}", file=sys.stderr)
        failed = True
    finally:
        bench_imm.stop_all()
    if loads:
        print(
            f"bulk add of {args.clients} players, submit -> {args.clients}th entry "
            f"loaded: median {statistics.median(loads):.2f} s, "
            f"min {min(loads):.2f} s, max {max(loads):.2f} s over {len(loads)} runs "
            f"(summary answered: median {statistics.median(answers):.2f} s)"
        )
    if not args.keep and not failed:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"kept {workdir} (hass.out and simulator logs inside)")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def on_signal(signum: int, _frame: object) -> None:
        bench_imm.stop_all()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    try:
        return asyncio.run(main_async(args))
    except KeyboardInterrupt:
        return 130
    finally:
        bench_imm.stop_all()


if __name__ == "__main__":
    raise SystemExit(main())
