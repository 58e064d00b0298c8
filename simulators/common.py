"""Pieces shared by the device simulators (``imm``, ``trio``, ``telecomx``).

The three simulators have one shape on purpose: a simulator class with
``start``/``stop``/``set_fault``/``request_log``, the same fault names, a
loopback-only address check, a JSON control API on its own port and a CLI.
What is the same in all of them lives here; each family package re-exports
the public names (``from simulators.imm import FaultMode`` keeps working).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Collection, Coroutine, Iterable
import contextlib
from dataclasses import asdict
from enum import StrEnum
import ipaddress
import logging
import signal
import socket
from typing import Any, Protocol, Self

from aiohttp import web, web_server

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")


class FaultMode(StrEnum):
    """Injected failure of a simulated device (one set of names for all).

    Not every simulator has every mode: each passes the modes it supports to
    ``fault_mode``, which refuses the others with a ``ValueError``.
    """

    NONE = "none"
    DOWN = "down"  # listening socket(s) closed: connection refused; open ones aborted
    SLOW = "slow"  # answer after ``delay`` seconds (not scaled by any time scale)
    HTTP_500 = "http_500"
    MALFORMED = "malformed"  # status 200, a broken body (XML or JSON)
    TRUNCATED = "truncated"  # Content-Length larger than the body, then close
    OVERSIZED = "oversized"  # a valid-looking, very large body (IMM, TelecomX)


def fault_mode(
    value: FaultMode | str, supported: Collection[FaultMode] = tuple(FaultMode)
) -> FaultMode:
    """``value`` as a FaultMode (names case-insensitive), else ``ValueError``.

    A mode outside ``supported`` is refused with a message that names the
    modes this simulator has.
    """
    mode = FaultMode(value.lower() if isinstance(value, str) else value)
    if mode not in supported:
        names = ", ".join(m.value for m in supported)
        raise ValueError(f"fault {mode.value!r} is not simulated here (only {names})")
    return mode


# ------------------------------------------------------------------ addresses
def check_loopback(host: str) -> str:
    """Return ``host`` if it is an IPv4 loopback address, else raise."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError as err:
        raise ValueError(f"{host!r} is not an IPv4 address") from err
    if address not in LOOPBACK:
        raise ValueError(
            f"{host} is not in 127.0.0.0/8; the simulator is loopback-only"
        )
    return host


def loopback_hosts(first_host: str, count: int) -> list[str]:
    """``count`` consecutive loopback addresses, skipping .0 and .255."""
    current = int(ipaddress.IPv4Address(check_loopback(first_host)))
    hosts: list[str] = []
    while len(hosts) < count:
        if current & 0xFF not in (0, 255):
            hosts.append(check_loopback(str(ipaddress.IPv4Address(current))))
        current += 1
    return hosts


def listen_socket(host: str, port: int) -> socket.socket:
    """A non-blocking TCP socket listening on ``host:port`` (closed on error)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def close_listener(server: asyncio.Server | None, *socks: socket.socket | None) -> None:
    """Close a listening server and its socket(s), any of them None."""
    if server is not None:
        server.close()
    for sock in socks:
        if sock is not None:
            sock.close()


def abort_connections(server: web_server.Server | None) -> None:
    """Abort every open connection of an aiohttp low-level server."""
    if server is not None:
        for handler in list(server.connections):
            if handler.transport is not None:
                handler.transport.abort()


# ------------------------------------------------------------------ lifecycle
class Lifecycle:
    """``async with`` over ``start``/``stop`` and tracked background tasks.

    Subclasses set ``self._tasks = set()`` in ``__init__``.
    """

    _tasks: set[asyncio.Task[None]]

    async def start(self) -> None:
        raise NotImplementedError

    async def stop(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run ``coro`` as a task that ``stop`` cancels."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _cancel_tasks(self) -> None:
        """Cancel every tracked task and wait for them to end."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task


def append_capped(log: list[Any], record: Any, limit: int) -> None:
    """Append to a request log; past ``limit`` + 10 % drop the oldest to ``limit``."""
    log.append(record)
    if len(log) > limit * 1.1:
        del log[: len(log) - limit]


# ---------------------------------------------------------------- control API
async def json_body(request: web.Request) -> dict[str, Any]:
    """The JSON object of a control request (``{}`` without body), else 400."""
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="invalid JSON") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="expected a JSON object")
    return body


def fault_request(
    body: dict[str, Any], supported: Collection[FaultMode] = tuple(FaultMode)
) -> tuple[FaultMode, float]:
    """``mode`` (default none) and ``delay`` (default 0) of a fault request, else 400."""
    try:
        mode = fault_mode(str(body.get("mode", "none")), supported)
        delay = float(body.get("delay", 0.0))
    except (TypeError, ValueError) as err:
        raise web.HTTPBadRequest(text=str(err)) from None
    return mode, delay


def records_response(records: Iterable[Any]) -> web.Response:
    """A JSON list of dataclass records (request or notification logs)."""
    return web.json_response([asdict(r) for r in records])


async def serve_app(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Serve a control application on a loopback ``host:port``; returns the runner."""
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, check_loopback(host), port).start()
    return runner


# ------------------------------------------------------------------------ CLI
def loopback_arg(value: str) -> str:
    """argparse type: a loopback address."""
    try:
        return check_loopback(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def address_arg(value: str) -> tuple[str, int]:
    """argparse type: ``HOST:PORT`` with a loopback host."""
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit():
        raise argparse.ArgumentTypeError("expected HOST:PORT")
    return loopback_arg(host), int(port)


class _Runnable(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


async def run_until_signal(
    sim: _Runnable,
    announce: Callable[[str | None], None],
    control: tuple[web.Application, str, int] | None = None,
) -> None:
    """Start ``sim`` (and its control API), run until SIGINT/SIGTERM, stop.

    ``control`` is (control app, loopback host, port) or None; ``announce`` is
    called once everything listens, with the control API's URL (or None).
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await sim.start()
    runner: web.AppRunner | None = None
    try:
        url = None
        if control is not None:
            app, host, port = control
            runner = await serve_app(app, host, port)
            url = f"http://{host}:{port}"
        announce(url)
        await stop.wait()
    finally:
        if runner is not None:
            await runner.cleanup()
        await sim.stop()


def add_control_args(parser: argparse.ArgumentParser, port: int) -> None:
    """``--control HOST:PORT`` (default 127.0.0.1:``port``), ``--no-control``, ``-v``."""
    parser.add_argument(
        "--control",
        type=address_arg,
        default=("127.0.0.1", port),
        help=f"HOST:PORT of the JSON control API (default 127.0.0.1:{port})",
    )
    parser.add_argument("--no-control", action="store_true", help="no control API")
    parser.add_argument("-v", "--verbose", action="store_true")


def control_of(
    args: argparse.Namespace, make_app: Callable[[], web.Application]
) -> tuple[web.Application, str, int] | None:
    """The ``control`` argument of ``run_until_signal`` from ``add_control_args``."""
    return None if args.no_control else (make_app(), *args.control)


def run_cli(
    main: Callable[[], Coroutine[Any, Any, None]],
    *,
    verbose: bool = False,
    level: int | None = None,
) -> None:
    """Configure logging (DEBUG with ``verbose``, else ``level`` or WARNING), run."""
    if level is None:
        level = logging.DEBUG if verbose else logging.WARNING
    logging.basicConfig(level=level)
    asyncio.run(main())
