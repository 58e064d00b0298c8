"""Run simulated Poly Trio phones: ``python -m simulators.trio --help``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import logging

from aiohttp import web

from .control import make_app
from .server import TrioSimulator
from .state import AuthMode, BusyMode, PhoneSpec


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m simulators.trio", description=__doc__
    )
    parser.add_argument(
        "--phone",
        action="append",
        default=[],
        help="loopback address of a phone (repeatable); default: --count phones",
    )
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--first-host", default="127.0.88.1")
    parser.add_argument("--port", type=int, default=18443)
    parser.add_argument("--password", default="Trio-Admin-1")
    parser.add_argument(
        "--auth", choices=[m.value for m in AuthMode], default=AuthMode.BASIC.value
    )
    parser.add_argument(
        "--busy", choices=[m.value for m in BusyMode], default=BusyMode.REJECT.value
    )
    parser.add_argument("--rest-disabled", action="store_true")
    parser.add_argument("--default-password", action="store_true")
    parser.add_argument("--processing-delay", type=float, default=0.05)
    parser.add_argument(
        "--control",
        type=int,
        metavar="PORT",
        help="serve the control API on 127.0.0.1:PORT",
    )
    return parser.parse_args(argv)


def build(args: argparse.Namespace) -> TrioSimulator:
    hosts = args.phone or [
        str(ipaddress.IPv4Address(args.first_host) + i) for i in range(args.count)
    ]
    specs = [
        PhoneSpec(
            host=host,
            mac=f"0004f2{index + 1:06x}",
            name=f"Trio {index + 1}",
            number=str(1001 + index),
            password=args.password,
            auth=AuthMode(args.auth),
            busy=BusyMode(args.busy),
            rest_enabled=not args.rest_disabled,
            default_password=args.default_password,
            processing_delay=args.processing_delay,
        )
        for index, host in enumerate(hosts)
    ]
    return TrioSimulator(specs, port=args.port)


async def run(args: argparse.Namespace) -> None:
    sim = build(args)
    await sim.start()
    runner: web.AppRunner | None = None
    if args.control:
        runner = web.AppRunner(make_app(sim), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", args.control).start()
        print(f"control API on http://127.0.0.1:{args.control}")
    for host in sim.hosts:
        print(f"phone https://{host}:{sim.port}  sha256 {sim.fingerprint(host)}")
    try:
        await asyncio.Event().wait()
    finally:
        if runner is not None:
            await runner.cleanup()
        await sim.stop()


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(parse_args(argv)))


if __name__ == "__main__":
    main()
