"""CLI: ``python -m simulators.telecomx --host 127.0.88.1 --port 8443``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from .control import start_control
from .server import TelecomXSimulator, check_loopback
from .state import PASSWORDS


def _address(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit():
        raise argparse.ArgumentTypeError("expected HOST:PORT")
    try:
        return check_loopback(host), int(port)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _loopback(value: str) -> str:
    try:
        return check_loopback(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m simulators.telecomx",
        description="Simulated TelecomX IPTV cloud API on a loopback address.",
    )
    parser.add_argument("--host", type=_loopback, default="127.0.88.1")
    parser.add_argument("--port", type=int, default=8088)
    parser.add_argument(
        "--control",
        type=_address,
        default=("127.0.0.1", 8098),
        help="HOST:PORT of the JSON control API (default 127.0.0.1:8098)",
    )
    parser.add_argument("--no-control", action="store_true", help="no control API")
    parser.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        help="multiplies action delays (1-60 s) and token lifetimes",
    )
    parser.add_argument(
        "--extra-boxes", type=int, default=0, help="more boxes in group Bulk"
    )
    parser.add_argument(
        "--bench-group",
        type=int,
        default=0,
        help="put the first N extra boxes in group Bench too",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser


async def _run(args: argparse.Namespace) -> None:
    sim = TelecomXSimulator(
        args.host,
        args.port,
        time_scale=args.time_scale,
        extra_boxes=args.extra_boxes,
        bench_group=args.bench_group,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await sim.start()
    runner = None
    try:
        if not args.no_control:
            runner = await start_control(sim, *args.control)
        for email, password in PASSWORDS.items():
            level = sim.state.world.accounts[email].level
            print(f"{email}\t{password}\t{level}", flush=True)
        extra = (
            ""
            if runner is None
            else f", control http://{args.control[0]}:{args.control[1]}"
        )
        print(f"TelecomX simulator: {sim.base_url}{extra}", flush=True)
        await stop.wait()
    finally:
        if runner is not None:
            await runner.cleanup()
        await sim.stop()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    asyncio.run(_run(args))


if __name__ == "__main__":
    main()
