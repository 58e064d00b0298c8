"""Network side of the IMM simulator: HTTP/1.1 (8085) and UDP probe (8083).

Every simulated client binds its own loopback address.  HTTP is served by a
minimal keep-alive HTTP/1.1 server on raw asyncio protocols (one listening
socket per host, a few hundred bytes of state per connection), which gives
exact control over the fault modes (refused connections, truncated bodies).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
import dataclasses
from dataclasses import dataclass, field
import logging
import socket
import time
from typing import Any, Self
from urllib.parse import parse_qsl, unquote, urlsplit

from .. import common
from ..common import LOOPBACK, FaultMode, check_loopback, loopback_hosts
from . import api, xmlgen
from .state import BLOCKING_SCOPES, SENSOR_TRIGGERS, ClientSpec, SimulatedClient

_LOGGER = logging.getLogger(__name__)

MAX_HEAD = 64 * 1024
MAX_BODY = 1024 * 1024
IDLE_TIMEOUT = 60.0
_REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
}


@dataclass(slots=True, frozen=True)
class RequestRecord:
    """One HTTP request served by the simulator."""

    host: str
    method: str
    path: str
    params: dict[str, str]
    status: int
    code: int | None
    at: float


@dataclass(slots=True)
class _Host:
    """Sockets and fault state of one simulated client."""

    client: SimulatedClient
    fault: FaultMode = FaultMode.NONE
    delay: float = 0.0
    server: asyncio.Server | None = None
    listen_sock: socket.socket | None = None
    udp: asyncio.DatagramTransport | None = None
    udp_sock: socket.socket | None = None
    connections: set[_HttpProtocol] = field(default_factory=set)

    @property
    def host(self) -> str:
        return self.client.host


@dataclass(slots=True)
class _Request:
    method: str
    target: str
    keep_alive: bool
    error: int | None = None


class _HttpProtocol(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection to a simulated client."""

    def __init__(self, sim: ImmSimulator, host: _Host) -> None:
        self._sim = sim
        self._host = host
        self._buffer = bytearray()
        self._busy = False
        self._closed = False
        self.transport: asyncio.Transport | None = None
        self._idle: asyncio.TimerHandle | None = None
        self._pending: asyncio.TimerHandle | None = None

    # asyncio callbacks ------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self._host.connections.add(self)
        if self._host.fault is FaultMode.DOWN:
            transport.abort()
            return
        self._touch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        self._host.connections.discard(self)
        for handle in (self._idle, self._pending):
            if handle is not None:
                handle.cancel()

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        self._touch()
        self._process()

    # helpers ----------------------------------------------------------------
    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()

    def _touch(self) -> None:
        if self._idle is not None:
            self._idle.cancel()
        loop = asyncio.get_running_loop()
        self._idle = loop.call_later(IDLE_TIMEOUT, self._on_idle)

    def _on_idle(self) -> None:
        if not self._busy and self.transport is not None:
            self.transport.close()

    def _process(self) -> None:
        while not self._busy and not self._closed:
            request = self._parse()
            if request is None:
                return
            if self._host.fault is FaultMode.DOWN:
                self.abort()
                return
            if request.error is not None:
                self._respond_error(request)
                return
            if self._host.fault is FaultMode.SLOW and self._host.delay > 0:
                self._busy = True
                loop = asyncio.get_running_loop()
                self._pending = loop.call_later(
                    self._host.delay, self._answer_later, request
                )
                return
            self._answer(request)

    def _answer_later(self, request: _Request) -> None:
        self._pending = None
        self._busy = False
        if self._closed:
            return
        if self._host.fault is FaultMode.DOWN:
            self.abort()
            return
        self._answer(request)
        self._process()

    def _parse(self) -> _Request | None:
        buffer = self._buffer
        while buffer[:2] == b"\r\n":
            del buffer[:2]
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(buffer) > MAX_HEAD:
                buffer.clear()
                return _Request("GET", "", False, 431)
            return None
        head = bytes(buffer[:end]).decode("latin-1")
        lines = head.split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            buffer.clear()
            return _Request("GET", "", False, 400)
        method, target, version = parts
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                buffer.clear()
                return _Request(method, target, False, 400)
            headers[name.strip().lower()] = value.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            buffer.clear()
            return _Request(method, target, False, 501)
        try:
            length = int(headers.get("content-length", "0"))
        except ValueError:
            buffer.clear()
            return _Request(method, target, False, 400)
        if length < 0 or length > MAX_BODY:
            buffer.clear()
            return _Request(method, target, False, 413)
        total = end + 4 + length
        if len(buffer) < total:
            return None
        del buffer[:total]
        connection = headers.get("connection", "").lower()
        if version == "HTTP/1.0":
            keep_alive = "keep-alive" in connection
        else:
            keep_alive = "close" not in connection
        return _Request(method, target, keep_alive)

    def _respond_error(self, request: _Request) -> None:
        status = request.error or 400
        self._sim.record_request(
            host=self._host.host,
            method=request.method,
            path="",
            params={},
            status=status,
            code=None,
        )
        self._write(status, b"", api.TEXT_CONTENT_TYPE, keep_alive=False, head=False)

    def _answer(self, request: _Request) -> None:
        path, params = _split_target(request.target)
        head = request.method == "HEAD"
        if request.method not in ("GET", "HEAD"):
            response = api.ApiResponse(405, b"", api.TEXT_CONTENT_TYPE)
        else:
            response = self._faulted(path, params)
        self._sim.record_request(
            host=self._host.host,
            method=request.method,
            path=path,
            params=params,
            status=response.status,
            code=response.code,
        )
        if self._host.fault is FaultMode.TRUNCATED and response.status == 200:
            self._write_truncated(response)
            return
        self._write(
            response.status,
            response.body,
            response.content_type,
            keep_alive=request.keep_alive,
            head=head,
        )

    def _faulted(self, path: str, params: dict[str, str]) -> api.ApiResponse:
        match self._host.fault:
            case FaultMode.HTTP_500:
                return api.ApiResponse(
                    500, b"Internal Server Error", api.TEXT_CONTENT_TYPE
                )
            case FaultMode.MALFORMED:
                return api.ApiResponse(200, xmlgen.malformed().encode())
            case FaultMode.OVERSIZED:
                return api.ApiResponse(200, xmlgen.oversized())
            case FaultMode.TRUNCATED:
                response = api.handle(self._host.client, path, params)
                response.code = None
                return response
        return api.handle(self._host.client, path, params)

    def _write(
        self,
        status: int,
        body: bytes,
        content_type: str,
        *,
        keep_alive: bool,
        head: bool,
        length: int | None = None,
    ) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        lines = [
            f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}",
            "Server: IMM-Simulator",
            f"Content-Type: {content_type}",
            f"Content-Length: {len(body) if length is None else length}",
        ]
        if not keep_alive:
            lines.append("Connection: close")
        header = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        transport.write(header if head else header + body)
        if not keep_alive:
            transport.close()

    def _write_truncated(self, response: api.ApiResponse) -> None:
        sent = response.body[: len(response.body) // 2]
        self._write(
            200,
            sent,
            response.content_type,
            keep_alive=True,
            head=False,
            length=len(response.body) + 4096,
        )
        if self.transport is not None:
            self.transport.close()


def _split_target(target: str) -> tuple[str, dict[str, str]]:
    """Path and query parameters (first value wins).

    Tolerates the spec's own typo ``configuration.xml&interaction_key=0000``.
    """
    parts = urlsplit(target)
    path, query = unquote(parts.path), parts.query
    if not query and "&" in path:
        path, _, query = path.partition("&")
    params: dict[str, str] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        params.setdefault(key, value)
    return path, params


class _UdpProtocol(asyncio.DatagramProtocol):
    def __init__(
        self, sim: ImmSimulator, host: _Host | None, sock: socket.socket | None
    ) -> None:
        self._sim = sim
        self._host = host
        self._sock = sock

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.DatagramTransport)
        if self._host is None:
            return
        if self._host.udp_sock is self._sock:
            self._host.udp = transport
        else:  # closed again (DOWN) before the endpoint was attached
            transport.abort()

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        if data.rstrip(b" \t\r\n\x00") != b"IMM":
            return
        hosts = [self._host] if self._host is not None else self._sim.entries()
        for host in hosts:
            self._sim.on_probe(host, addr)

    def error_received(self, exc: Exception) -> None:
        _LOGGER.debug("UDP error: %s", exc)


class ImmSimulator(common.Lifecycle):
    """Any number of simulated IMM clients, each on its own loopback address."""

    def __init__(
        self,
        clients: Iterable[ClientSpec],
        http_port: int = 8085,
        udp_port: int = 8083,
        time_scale: float = 1.0,
        *,
        broadcast_host: str | None = None,
        log_limit: int = 100_000,
        blocking_scope: str | None = None,
        sensor_trigger: str | None = None,
    ) -> None:
        """Simulate ``clients``.

        ``blocking_scope`` ("client", the default, or "partition") and
        ``sensor_trigger`` ("change", the default, or "every_push") override the
        clients' specs: the two behaviours the spec leaves open (see the package
        docstring). Both are also per client ``SimulatedClient`` fields, editable
        through the control API.
        """
        if blocking_scope is not None and blocking_scope not in BLOCKING_SCOPES:
            raise ValueError(f"blocking_scope must be one of {sorted(BLOCKING_SCOPES)}")
        if sensor_trigger is not None and sensor_trigger not in SENSOR_TRIGGERS:
            raise ValueError(f"sensor_trigger must be one of {sorted(SENSOR_TRIGGERS)}")
        overrides = {
            name: value
            for name, value in (
                ("blocking_scope", blocking_scope),
                ("sensor_trigger", sensor_trigger),
            )
            if value is not None
        }
        clients = [dataclasses.replace(spec, **overrides) for spec in clients]
        self.http_port = http_port
        self.udp_port = udp_port
        self.time_scale = time_scale
        self.broadcast_host = (
            check_loopback(broadcast_host) if broadcast_host is not None else None
        )
        self.log_limit = log_limit
        self._hosts: dict[str, _Host] = {}
        for spec in clients:
            check_loopback(spec.host)
            if spec.host in self._hosts:
                raise ValueError(f"duplicate simulated client host {spec.host}")
            client = SimulatedClient(spec=spec, time_scale=time_scale)
            self._hosts[spec.host] = _Host(client=client)
        self.request_log: list[RequestRecord] = []
        self.request_count = 0
        self.udp_probe_count = 0
        self._broadcast: asyncio.DatagramTransport | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._timers: set[asyncio.TimerHandle] = set()
        self._running = False

    @classmethod
    def many(cls, n: int, first_host: str = "127.0.77.1", **kw: Any) -> Self:
        """``n`` clients on consecutive loopback addresses from ``first_host``.

        Client ``i`` (1-based) gets id ``0011AABB%04X`` and name ``IMM Client i``.
        """
        specs = [
            ClientSpec(host=host, client_id=f"0011AABB{i:04X}", name=f"IMM Client {i}")
            for i, host in enumerate(loopback_hosts(first_host, n), start=1)
        ]
        return cls(specs, **kw)

    # ---------------------------------------------------------------- access
    @property
    def clients(self) -> list[SimulatedClient]:
        """All simulated clients, in creation order."""
        return [h.client for h in self._hosts.values()]

    @property
    def hosts(self) -> list[str]:
        """All client addresses, in creation order."""
        return list(self._hosts)

    def client(self, host: str) -> SimulatedClient:
        """The client bound to ``host`` (KeyError if none)."""
        return self._hosts[host].client

    def entries(self) -> list[_Host]:
        """Internal per-host records (sockets, fault state)."""
        return list(self._hosts.values())

    def fault(self, host: str) -> tuple[FaultMode, float]:
        """Current fault mode and delay of a client."""
        entry = self._hosts[host]
        return entry.fault, entry.delay

    # ------------------------------------------------------------- lifecycle
    async def start(self) -> None:
        """Bind HTTP and UDP on every client's own address."""
        if self._running:
            return
        self._running = True
        try:
            for entry in self._hosts.values():
                if entry.fault is not FaultMode.DOWN:
                    await self._open(entry)
            if self.broadcast_host is not None:
                await self._open_broadcast(self.broadcast_host)
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        """Close every socket and cancel every timer."""
        self._running = False
        for entry in self._hosts.values():
            self._close(entry)
            entry.client.close()
        if self._broadcast is not None:
            self._broadcast.abort()
            self._broadcast = None
        for handle in self._timers:
            handle.cancel()
        self._timers.clear()
        await self._cancel_tasks()
        await asyncio.sleep(0)

    def reset(self) -> None:
        """All clients, faults, the log and the counters back to initial."""
        for host in self._hosts:
            self.set_fault(FaultMode.NONE, host)
        for entry in self._hosts.values():
            entry.client.reset()
        self.request_log.clear()
        self.request_count = 0
        self.udp_probe_count = 0

    # ----------------------------------------------------------------- faults
    def set_fault(
        self, mode: FaultMode | str, host: str | None = None, delay: float = 0.0
    ) -> None:
        """Set a fault mode for one client (``host``) or all (``None``).

        ``delay`` (seconds, for SLOW) is not multiplied by ``time_scale``.
        DOWN closes the listening sockets and open connections at once; leaving
        DOWN rebinds the sockets synchronously (connections queue in the
        backlog until the server is attached a moment later).
        """
        mode = common.fault_mode(mode)
        entries = [self._hosts[host]] if host is not None else self._hosts.values()
        for entry in entries:
            was_down = entry.fault is FaultMode.DOWN
            entry.fault = mode
            entry.delay = max(delay, 0.0)
            if not self._running:
                continue
            if mode is FaultMode.DOWN and not was_down:
                self._close(entry)
            elif was_down and mode is not FaultMode.DOWN:
                self._reopen(entry)

    # -------------------------------------------------------------- internals
    def _bind(self, entry: _Host) -> None:
        tcp = common.listen_socket(entry.host, self.http_port)
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            udp.bind((entry.host, self.udp_port))
            udp.setblocking(False)
        except OSError:
            tcp.close()
            udp.close()
            raise
        entry.listen_sock, entry.udp_sock = tcp, udp

    async def _attach(self, entry: _Host) -> None:
        loop = asyncio.get_running_loop()
        tcp, udp = entry.listen_sock, entry.udp_sock
        if tcp is None or udp is None:
            return
        server = await loop.create_server(
            lambda: _HttpProtocol(self, entry), sock=tcp, backlog=128
        )
        if entry.listen_sock is not tcp:  # closed again meanwhile
            server.close()
            return
        entry.server = server
        if entry.udp_sock is not udp:
            return
        await loop.create_datagram_endpoint(
            lambda: _UdpProtocol(self, entry, udp), sock=udp
        )

    async def _open(self, entry: _Host) -> None:
        self._bind(entry)
        await self._attach(entry)

    def _reopen(self, entry: _Host) -> None:
        try:
            self._bind(entry)
        except OSError:
            _LOGGER.exception("Cannot rebind %s", entry.host)
            return
        self._spawn(self._attach(entry))

    def _close(self, entry: _Host) -> None:
        if entry.udp is not None:
            entry.udp.abort()
            entry.udp = None
        common.close_listener(entry.server, entry.listen_sock, entry.udp_sock)
        entry.server = entry.listen_sock = entry.udp_sock = None
        for connection in list(entry.connections):
            connection.abort()

    async def _open_broadcast(self, address: str) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((address, self.udp_port))
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(
            lambda: _UdpProtocol(self, None, None), sock=sock
        )
        self._broadcast = transport

    def on_probe(self, entry: _Host, addr: tuple[str | Any, int]) -> None:
        if entry.fault is FaultMode.DOWN or entry.udp is None:
            return
        self.udp_probe_count += 1
        if entry.fault is FaultMode.SLOW and entry.delay > 0:
            loop = asyncio.get_running_loop()
            holder: list[asyncio.TimerHandle] = []

            def fire() -> None:
                self._timers.discard(holder[0])
                self._send_probe_reply(entry, addr)

            holder.append(loop.call_later(entry.delay, fire))
            self._timers.add(holder[0])
            return
        self._send_probe_reply(entry, addr)

    def _send_probe_reply(self, entry: _Host, addr: tuple[str | Any, int]) -> None:
        if entry.udp is None or entry.fault is FaultMode.DOWN:
            return
        if entry.fault is FaultMode.MALFORMED:
            payload = xmlgen.malformed()
        else:
            payload = xmlgen.imm_client(entry.client)
        entry.udp.sendto(payload.encode(), addr)

    def record_request(
        self,
        *,
        host: str,
        method: str,
        path: str,
        params: dict[str, str],
        status: int,
        code: int | None,
    ) -> None:
        self.request_count += 1
        if "interaction_key" in params:
            params = {**params, "interaction_key": "***"}
        common.append_capped(
            self.request_log,
            RequestRecord(host, method, path, params, status, code, time.time()),
            self.log_limit,
        )


__all__ = [
    "LOOPBACK",
    "FaultMode",
    "ImmSimulator",
    "RequestRecord",
    "check_loopback",
    "loopback_hosts",
]
