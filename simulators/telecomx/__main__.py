"""CLI: ``python -m simulators.telecomx --host 127.0.88.1 --port 8443``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .. import common
from .control import build_app
from .server import ScreenshotFault, TelecomXSimulator
from .state import PASSWORDS, Token


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m simulators.telecomx",
        description="Simulated TelecomX IPTV cloud API on a loopback address.",
    )
    parser.add_argument("--host", type=common.loopback_arg, default="127.0.88.1")
    parser.add_argument("--port", type=int, default=8088)
    parser.add_argument(
        "--token-file",
        help="keep persistent login tokens in this JSON file across restarts "
        "(scripts/develop: the account it added stays logged in)",
    )
    common.add_control_args(parser, 8098)
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
    parser.add_argument(
        "--screenshot-fault",
        choices=[fault.value for fault in ScreenshotFault],
        default=ScreenshotFault.NONE.value,
        help="serve damaged screenshots: cut in half, or a PNG signature + HTML",
    )
    parser.add_argument(
        "--ignore-offset",
        action="store_true",
        help="device and channel lists ignore offset (every page repeats)",
    )
    return parser


async def _run(args: argparse.Namespace) -> None:
    sim = TelecomXSimulator(
        args.host,
        args.port,
        time_scale=args.time_scale,
        extra_boxes=args.extra_boxes,
        bench_group=args.bench_group,
        screenshot_fault=args.screenshot_fault,
        ignore_offset=args.ignore_offset,
    )

    def announce(control_url: str | None) -> None:
        for email, password in PASSWORDS.items():
            level = sim.state.world.accounts[email].level
            print(f"{email}\t{password}\t{level}", flush=True)
        extra = "" if control_url is None else f", control {control_url}"
        print(f"TelecomX simulator: {sim.base_url}{extra}", flush=True)

    if args.token_file:
        _load_tokens(sim, Path(args.token_file))
    try:
        await common.run_until_signal(
            sim, announce, common.control_of(args, lambda: build_app(sim))
        )
    finally:
        if args.token_file:
            _save_tokens(sim, Path(args.token_file))


def _load_tokens(sim: TelecomXSimulator, path: Path) -> None:
    if not path.exists():
        return
    for item in json.loads(path.read_text()):
        sim.state.tokens[item["token"]] = Token(
            token=item["token"], email=item["email"], expires_at=None
        )


def _save_tokens(sim: TelecomXSimulator, path: Path) -> None:
    kept = [
        {"token": token.token, "email": token.email}
        for token in sim.state.tokens.values()
        if token.expires_at is None and token.valid
    ]
    path.write_text(json.dumps(kept))


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    args = _parser().parse_args(argv)
    common.run_cli(lambda: _run(args), verbose=args.verbose)


if __name__ == "__main__":
    main()
