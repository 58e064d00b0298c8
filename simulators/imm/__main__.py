"""CLI: ``python -m simulators.imm --clients 2 --first-host 127.0.0.2``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from .control import start_control
from .server import ImmSimulator, check_loopback


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
        prog="python -m simulators.imm",
        description="Simulated IMM / SignageCMS clients on loopback addresses.",
    )
    parser.add_argument("--clients", type=int, default=1, help="number of clients")
    parser.add_argument(
        "--first-host", type=_loopback, default="127.0.77.1", help="first address"
    )
    parser.add_argument("--http-port", type=int, default=8085)
    parser.add_argument("--udp-port", type=int, default=8083)
    parser.add_argument(
        "--control",
        type=_address,
        default=("127.0.0.1", 8099),
        help="HOST:PORT of the JSON control API (default 127.0.0.1:8099)",
    )
    parser.add_argument("--no-control", action="store_true", help="no control API")
    parser.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        help="multiplies every playback duration / queue timeout",
    )
    parser.add_argument(
        "--broadcast",
        type=_loopback,
        metavar="ADDRESS",
        help="also answer probes sent to this loopback broadcast address "
        "(e.g. 127.255.255.255); every client replies from its own address",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser


async def _run(args: argparse.Namespace) -> None:
    sim = ImmSimulator.many(
        args.clients,
        first_host=args.first_host,
        http_port=args.http_port,
        udp_port=args.udp_port,
        time_scale=args.time_scale,
        broadcast_host=args.broadcast,
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
        for client in sim.clients:
            print(f"{client.host}\t{client.client_id}\t{client.name}", flush=True)
        extra = (
            ""
            if runner is None
            else f", control http://{args.control[0]}:{args.control[1]}"
        )
        print(
            f"IMM simulator: {len(sim.clients)} client(s), http {args.http_port}, "
            f"udp {args.udp_port}{extra}",
            flush=True,
        )
        await stop.wait()
    finally:
        if runner is not None:
            await runner.cleanup()
        await sim.stop()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    args = _parser().parse_args(argv)
    if args.clients < 1:
        raise SystemExit("--clients must be at least 1")
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    asyncio.run(_run(args))


if __name__ == "__main__":
    main()
