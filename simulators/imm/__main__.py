"""CLI: ``python -m simulators.imm --clients 2 --first-host 127.0.0.2``."""

from __future__ import annotations

import argparse

from .. import common
from .control import build_app
from .server import ImmSimulator


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m simulators.imm",
        description="Simulated IMM / SignageCMS clients on loopback addresses.",
    )
    parser.add_argument("--clients", type=int, default=1, help="number of clients")
    parser.add_argument(
        "--first-host",
        type=common.loopback_arg,
        default="127.0.77.1",
        help="first address",
    )
    parser.add_argument("--http-port", type=int, default=8085)
    parser.add_argument("--udp-port", type=int, default=8083)
    common.add_control_args(parser, 8099)
    parser.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        help="multiplies every playback duration / queue timeout",
    )
    parser.add_argument(
        "--broadcast",
        type=common.loopback_arg,
        metavar="ADDRESS",
        help="also answer probes sent to this loopback broadcast address "
        "(e.g. 127.255.255.255); every client replies from its own address",
    )
    parser.add_argument(
        "--blocking-scope",
        choices=["client", "partition"],
        default="client",
        help="a blocking playback blocks every command of the client (default) "
        "or only commands for its own partition",
    )
    parser.add_argument(
        "--sensor-trigger",
        choices=["change", "every_push"],
        default="change",
        help="an event mapping fires when its event starts matching (default) "
        "or on every push of one of its sensors while it matches",
    )
    return parser


async def _run(args: argparse.Namespace) -> None:
    sim = ImmSimulator.many(
        args.clients,
        first_host=args.first_host,
        http_port=args.http_port,
        udp_port=args.udp_port,
        time_scale=args.time_scale,
        broadcast_host=args.broadcast,
        blocking_scope=args.blocking_scope,
        sensor_trigger=args.sensor_trigger,
    )

    def announce(control_url: str | None) -> None:
        for client in sim.clients:
            print(f"{client.host}\t{client.client_id}\t{client.name}", flush=True)
        extra = "" if control_url is None else f", control {control_url}"
        print(
            f"IMM simulator: {len(sim.clients)} client(s), http {args.http_port}, "
            f"udp {args.udp_port}{extra}",
            flush=True,
        )

    await common.run_until_signal(
        sim, announce, common.control_of(args, lambda: build_app(sim))
    )


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    args = _parser().parse_args(argv)
    if args.clients < 1:
        raise SystemExit("--clients must be at least 1")
    common.run_cli(lambda: _run(args), verbose=args.verbose)


if __name__ == "__main__":
    main()
