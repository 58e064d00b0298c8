"""Run simulated Poly Trio phones: ``python -m simulators.trio --help``."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from ..common import loopback_arg, loopback_hosts, run_cli, run_until_signal
from .control import make_app
from .server import TrioSimulator
from .state import AuthMode, BusyMode, DefaultPasswordStyle, PhoneSpec


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m simulators.trio", description=__doc__
    )
    parser.add_argument(
        "--phone",
        type=loopback_arg,
        action="append",
        default=[],
        help="loopback address of a phone (repeatable); default: --count phones",
    )
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--first-host", type=loopback_arg, default="127.0.88.1")
    parser.add_argument("--port", type=int, default=18443)
    parser.add_argument("--password", default="Trio-Admin-1")
    parser.add_argument(
        "--cert-dir", help="keep each phone's certificate here across restarts"
    )
    parser.add_argument(
        "--auth", choices=[m.value for m in AuthMode], default=AuthMode.BASIC.value
    )
    parser.add_argument(
        "--busy", choices=[m.value for m in BusyMode], default=BusyMode.REJECT.value
    )
    parser.add_argument("--rest-disabled", action="store_true")
    parser.add_argument("--default-password", action="store_true")
    parser.add_argument(
        "--default-password-style",
        choices=[style.value for style in DefaultPasswordStyle],
        default=DefaultPasswordStyle.JSON.value,
        help="how 4010 is delivered: JSON Status, HTML naming it, or a bare page",
    )
    parser.add_argument(
        "--default-password-http-status",
        type=int,
        default=200,
        help="HTTP status of the 4010 refusal (401 or 403 with text/plain styles)",
    )
    parser.add_argument(
        "--dtmf-key",
        choices=["both", "Digits", "digits"],
        default="both",
        help="sendDTMF body key(s) the phone accepts",
    )
    parser.add_argument(
        "--require-ref",
        action="store_true",
        help="answer/hold/resume/ignore/reject refuse a body without Ref (4000)",
    )
    parser.add_argument("--processing-delay", type=float, default=0.05)
    parser.add_argument(
        "--control",
        type=int,
        metavar="PORT",
        help="serve the control API on 127.0.0.1:PORT",
    )
    return parser.parse_args(argv)


def build(args: argparse.Namespace) -> TrioSimulator:
    hosts = args.phone or loopback_hosts(args.first_host, args.count)
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
            default_password_style=DefaultPasswordStyle(args.default_password_style),
            default_password_http_status=args.default_password_http_status,
            dtmf_keys=("Digits", "digits")
            if args.dtmf_key == "both"
            else (args.dtmf_key,),
            require_ref=args.require_ref,
            processing_delay=args.processing_delay,
        )
        for index, host in enumerate(hosts)
    ]
    return TrioSimulator(
        specs,
        port=args.port,
        cert_dir=Path(args.cert_dir) if args.cert_dir else None,
    )


async def run(args: argparse.Namespace) -> None:
    sim = build(args)

    def announce(control_url: str | None) -> None:
        if control_url is not None:
            print(f"control API on {control_url}")
        for host in sim.hosts:
            print(f"phone https://{host}:{sim.port}  sha256 {sim.fingerprint(host)}")

    control = None if not args.control else (make_app(sim), "127.0.0.1", args.control)
    await run_until_signal(sim, announce, control)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    run_cli(lambda: run(args), level=logging.INFO)


if __name__ == "__main__":
    main()
