"""HTTP side of the TelecomX simulator (aiohttp.web on a loopback address)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
import json
import logging
import socket
import time
from typing import Any

from aiohttp import web

from .. import common
from ..common import FaultMode, check_loopback
from .state import ApiError, CloudState, Executed

_LOGGER = logging.getLogger(__name__)

SECRET_NAMES = frozenset(
    {"token", "password", "smskey", "authenticatortoken", "authorization"}
)
REDACTED = "**REDACTED**"
OVERSIZED_BYTES = 17 * 1024 * 1024


@dataclass(slots=True, frozen=True)
class RequestRecord:
    """One API request served (secrets redacted, login bodies never kept)."""

    method: str
    path: str
    params: dict[str, str]
    status: int
    code: str | None  # error code of the answer, if any
    account: str | None  # e-mail of the authenticated account
    fault: str | None
    at: float


def _redact(query: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, raw in query.items():
        value = REDACTED if name.lower() in SECRET_NAMES else raw
        out[name] = f"{out[name]},{value}" if name in out else value
    return out


def _error(
    status: int, code: str, message: str, path: str, *, as_list: bool
) -> web.Response:
    entry = {"code": code, "message": message, "status": status, "path": path}
    body = {"error": [entry] if as_list else entry}
    return web.json_response(body, status=status)


def _stamp(value: float) -> str:
    return (
        datetime.fromtimestamp(value, UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


class ScreenshotFault(StrEnum):
    """How screenshots are damaged (answers that only look right)."""

    NONE = "none"
    # The PNG cut off halfway (a proxy or the cloud gave up mid-transfer).
    TRUNCATED = "truncated"
    # The PNG signature followed by an HTML error page instead of the image.
    HTML_TAIL = "html_tail"


def damage_screenshot(png: bytes, fault: ScreenshotFault) -> bytes:
    """Return ``png`` as the screenshot fault ``fault`` serves it."""
    match fault:
        case ScreenshotFault.TRUNCATED:
            return png[: len(png) // 2]
        case ScreenshotFault.HTML_TAIL:
            return (
                png[:8]
                + b"<html><body><h1>502 Bad Gateway</h1>"
                + b"<p>The screenshot service failed.</p></body></html>"
            )
        case _:
            return png


class TelecomXSimulator(common.Lifecycle):
    """The simulated TelecomX cloud on one loopback address and port."""

    def __init__(
        self,
        host: str = "127.0.88.1",
        port: int = 0,
        *,
        time_scale: float = 1.0,
        extra_boxes: int = 0,
        bench_group: int = 0,
        token_minutes: float = 15.0,
        items_key: str = "devices",
        seed: int = 5,
        log_limit: int = 100_000,
        screenshot_fault: ScreenshotFault | str = ScreenshotFault.NONE,
        ignore_offset: bool = False,
    ) -> None:
        """Create the simulator (started by ``start``).

        Fault switches (also ``/settings`` of the control API and CLI flags):
        ``screenshot_fault`` damages every screenshot served (``ScreenshotFault``);
        ``ignore_offset`` makes the device and channel lists ignore ``offset``, so
        every page repeats the first one.
        """
        self.host = check_loopback(host)
        self.port = port
        self.items_key = items_key
        self.log_limit = log_limit
        self.state = CloudState(
            time_scale=time_scale,
            extra_boxes=extra_boxes,
            bench_group=bench_group,
            token_minutes=token_minutes,
            seed=seed,
        )
        self.request_log: list[RequestRecord] = []
        self.request_count = 0
        self.fault = FaultMode.NONE
        self.fault_delay = 0.0
        self.fault_count: int | None = None
        self.error_as_list = False
        self.blacklisted = False
        self._screenshot_fault = ScreenshotFault(screenshot_fault)
        self._ignore_offset = ignore_offset
        self.screenshot_fault = self._screenshot_fault
        self.ignore_offset = ignore_offset
        self._injected: list[tuple[int, bytes, str, str | None]] = []
        self._runner: web.AppRunner | None = None
        self._server: asyncio.Server | None = None
        self._sock: socket.socket | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    # -- access --
    @property
    def base_url(self) -> str:
        """``http://host:port`` of the API."""
        return f"http://{self.host}:{self.port}"

    @property
    def time_scale(self) -> float:
        return self.state.time_scale

    @time_scale.setter
    def time_scale(self, value: float) -> None:
        self.state.time_scale = value

    def executed(self, box_id: str) -> list[Executed]:
        """What one box actually carried out, in order."""
        return list(self.state.box(box_id).executed)

    def requests(self, path: str | None = None) -> list[RequestRecord]:
        """The request log, optionally only requests to ``path``."""
        return [r for r in self.request_log if path is None or r.path == path]

    # -- lifecycle --
    async def start(self) -> None:
        """Bind the API on ``host:port`` (port 0: any free port)."""
        if self._runner is not None:
            return
        app = web.Application(middlewares=[self._middleware])
        _routes(app, self)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        self._bind()
        await self._attach()

    async def stop(self) -> None:
        """Close the socket, cancel the queue and every task."""
        self.state.close()
        self._close()
        await self._cancel_tasks()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def reset(self) -> None:
        """World, tokens, queue, faults and log back to initial."""
        self.set_fault(FaultMode.NONE)
        self.state.reset()
        self.request_log.clear()
        self.request_count = 0
        self.error_as_list = False
        self.blacklisted = False
        self.screenshot_fault = self._screenshot_fault
        self.ignore_offset = self._ignore_offset
        self._injected.clear()

    # -- faults --
    def set_fault(
        self, mode: FaultMode | str, delay: float = 0.0, count: int | None = None
    ) -> None:
        """Switch the fault mode; ``count`` requests later it returns to NONE."""
        mode = common.fault_mode(mode)
        was_down = self.fault is FaultMode.DOWN
        self.fault, self.fault_delay = mode, max(delay, 0.0)
        self.fault_count = count if mode is not FaultMode.NONE else None
        if self._runner is None:
            return
        if mode is FaultMode.DOWN and not was_down:
            self._close()
        elif was_down and mode is not FaultMode.DOWN:
            self._bind()
            self._spawn(self._attach())

    def inject_error(
        self,
        status: int,
        code: str,
        message: str = "",
        *,
        as_list: bool = False,
        count: int = 1,
    ) -> None:
        """Answer the next ``count`` API requests with this error body."""
        entry = {"code": code, "message": message, "status": status}
        body = json.dumps({"error": [entry] if as_list else entry}).encode()
        self.inject_response(status, body, code=code, count=count)

    def inject_response(
        self,
        status: int,
        body: bytes,
        *,
        content_type: str = "application/json",
        code: str | None = None,
        count: int = 1,
    ) -> None:
        """Answer the next ``count`` API requests with exactly this (any) body."""
        self._injected.extend([(status, body, content_type, code)] * count)

    # -- sockets --
    def _bind(self) -> None:
        sock = common.listen_socket(self.host, self.port)
        self.port = sock.getsockname()[1]
        self._sock = sock

    async def _attach(self) -> None:
        sock = self._sock
        if sock is None or self._runner is None:
            return
        server = await asyncio.get_running_loop().create_server(
            self._runner.server, sock=sock, backlog=128
        )
        if self._sock is not sock:
            server.close()
            return
        self._server = server

    def _close(self) -> None:
        common.close_listener(self._server, self._sock)
        self._server, self._sock = None, None
        if self._runner is not None:
            common.abort_connections(self._runner.server)

    # -- request handling --
    def record(
        self,
        request: web.Request,
        status: int,
        code: str | None,
        fault: FaultMode | None,
    ) -> None:
        self.request_count += 1
        common.append_capped(
            self.request_log,
            RequestRecord(
                method=request.method,
                path=request.path,
                params=_redact(request.query),
                status=status,
                code=code,
                account=request.get("account_email"),
                fault=None if fault in (None, FaultMode.NONE) else fault.value,
                at=time.time(),
            ),
            self.log_limit,
        )

    @web.middleware
    async def _middleware(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        fault, delay = self.fault, self.fault_delay
        if fault is not FaultMode.NONE and self.fault_count is not None:
            self.fault_count -= 1
            if self.fault_count <= 0:
                self.set_fault(FaultMode.NONE)
        if fault is FaultMode.DOWN:
            self.record(request, 0, None, fault)
            if request.transport is not None:
                request.transport.abort()
            raise ConnectionResetError("simulated cloud is down")
        if fault is FaultMode.SLOW:
            await asyncio.sleep(delay)
        if fault is FaultMode.HTTP_500:
            self.record(request, 500, "internal_error", fault)
            return _error(
                500, "internal_error", "Internal error", request.path,
                as_list=self.error_as_list,
            )  # fmt: skip
        if fault is FaultMode.MALFORMED:
            # The cloud does its work; only the answer is broken.
            with contextlib.suppress(ApiError):
                await self._handle(request, handler)
            self.record(request, 200, None, fault)
            return web.Response(
                body=b'{"success": true, "devices": 3, "skipped"',
                content_type="application/json",
            )
        if fault is FaultMode.OVERSIZED:
            self.record(request, 200, None, fault)
            filler = b"0," * (OVERSIZED_BYTES // 2)
            return web.Response(
                body=b'{"offset": 0, "limit": 500, "total": 1, "devices": [' + filler
                + b'0]}',
                content_type="application/json",
            )  # fmt: skip
        if self._injected:
            status, body, content_type, code = self._injected.pop(0)
            self.record(request, status, code, None)
            return web.Response(status=status, body=body, content_type=content_type)
        try:
            response = await self._handle(request, handler)
        except ApiError as err:
            self.record(request, err.status, err.code, fault)
            return _error(
                err.status, err.code, err.message, request.path,
                as_list=self.error_as_list,
            )  # fmt: skip
        except web.HTTPException as err:
            self.record(request, err.status, None, fault)
            raise
        self.record(request, response.status, None, fault)
        if fault is FaultMode.TRUNCATED and isinstance(response, web.Response):
            return await self._truncated(request, response)
        return response

    async def _handle(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        if self.blacklisted:
            raise ApiError(403, "blacklisted", "IP address is blacklisted")
        return await handler(request)

    async def _truncated(
        self, request: web.Request, response: web.Response
    ) -> web.StreamResponse:
        body = response.body if isinstance(response.body, bytes) else b""
        stream = web.StreamResponse(status=response.status)
        stream.content_type = response.content_type
        stream.content_length = len(body) + 64
        await stream.prepare(request)
        await stream.write(body[: len(body) // 2])
        if request.transport is not None:
            request.transport.close()
        return stream

    # -- helpers for handlers --
    def account(self, request: web.Request) -> Any:
        account = self.state.authenticate(
            request.headers.get("Authorization"), request.query.get("token")
        )
        request["account_email"] = account.email
        return account


def _multi(request: web.Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for name, value in request.query.items():
        params.setdefault(name, []).append(value)
    return params


def _when(value: str | None) -> float:
    """Seconds from now until ``when`` (ISO-8601 or epoch ms); 0 if past/absent."""
    if not value:
        return 0.0
    try:
        if value.isdigit():
            at = int(value) / 1000
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            at = parsed.timestamp()
    except (ValueError, OverflowError):
        raise ApiError(422, "when", "When is invalid") from None
    return max(0.0, at - time.time())


def _routes(app: web.Application, sim: TelecomXSimulator) -> None:
    state = sim.state

    async def login(request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "format_error", "Body is not JSON") from None
        answer = state.login(body)
        request["account_email"] = answer["employee"]["email"]
        return web.json_response(answer)

    async def validate(request: web.Request) -> web.Response:
        simple = request.query.get("simple", "").lower() == "true"
        try:
            account = sim.account(request)
        except ApiError:
            if simple:
                return web.Response(status=403)
            raise
        if simple:
            return web.Response(status=200)
        return web.json_response({"valid": True, "accessLevel": account.level})

    async def logout(request: web.Request) -> web.Response:
        state.logout(sim.account(request))
        return web.json_response({"success": True})

    async def device_list(request: web.Request) -> web.Response:
        account = sim.account(request)
        offset, limit, boxes = state.list_devices(account, dict(request.query))
        if sim.ignore_offset:
            offset = 0
        return web.json_response(
            {
                "offset": offset,
                "limit": limit,
                "total": len(boxes),
                sim.items_key: [b.to_json() for b in boxes[offset : offset + limit]],
            }
        )

    async def group_action(request: web.Request) -> web.Response:
        account = sim.account(request)
        params = _multi(request)
        group = (params.get("group") or [""])[0]
        if not group:
            raise ApiError(404, "group", "Not found")
        reseller = (params.get("reseller") or [None])[0]
        kind = state.check_type(account, params)
        boxes, customers = state.target_boxes(account, group, reseller)
        state.check_features(account, customers)
        values = state.validate_params(kind, params)
        scheduled = skipped = 0
        for box in boxes:
            if state.schedule(box, kind, values, "group") is None:
                skipped += 1
            else:
                scheduled += 1
        return web.json_response(
            {"success": True, "devices": scheduled, "skipped": skipped}
        )

    async def device_get(request: web.Request) -> web.Response:
        account = sim.account(request)
        box = state.visible_box(account, request.match_info["device"])
        return web.json_response(box.to_json())

    async def device_action(request: web.Request) -> web.Response:
        account = sim.account(request)
        box = state.visible_box(account, request.match_info["device"])
        params = _multi(request)
        kind = state.check_type(account, params)
        state.check_features(account, {box.customer_id})
        values = state.validate_params(kind, params)
        if box.type != "STB":
            raise ApiError(
                409,
                "device_type",
                "Actions can only be performed on devices of type STB",
            )
        not_before = _when(request.query.get("when"))
        queued = state.schedule(box, kind, values, "device", not_before=not_before)
        if queued is None:
            existing = state.queued_of_type(box, kind)
            return web.json_response(
                {
                    "success": True,
                    "devices": 0,
                    "skipped": 1,
                    "actionId": existing.action_id if existing else None,
                }
            )
        return web.json_response(
            {"success": True, "devices": 1, "skipped": 0, "actionId": queued.action_id}
        )

    async def cancel(request: web.Request) -> web.Response:
        account = sim.account(request)
        box = state.visible_box(account, request.match_info["device"])
        state.cancel(box, request.match_info["action"])
        return web.json_response({"success": True})

    async def screenshot(request: web.Request) -> web.Response:
        account = sim.account(request)
        box = state.visible_box(account, request.match_info["device"])
        if box.screenshot is None:
            raise ApiError(404, "screenshot", "Not found")
        return web.Response(
            body=damage_screenshot(box.screenshot, sim.screenshot_fault),
            content_type="image/png",
        )

    async def rtt(request: web.Request) -> web.Response:
        account = sim.account(request)
        box = state.visible_box(account, request.match_info["device"])
        return web.json_response(state.health(box, request.query.get("date")))

    async def channels(request: web.Request) -> web.Response:
        sim.account(request)
        try:
            offset = max(0, int(request.query.get("offset", "0")))
            limit = int(request.query.get("limit", "100"))
        except ValueError:
            raise ApiError(422, "limit", "Limit is invalid") from None
        if not 1 <= limit <= 500:
            raise ApiError(422, "limit", "Limit is invalid")
        if sim.ignore_offset:
            offset = 0
        items = state.world.channels
        return web.json_response(
            {
                "offset": offset,
                "limit": limit,
                "total": len(items),
                "channels": items[offset : offset + limit],
            }
        )

    async def not_found(request: web.Request) -> web.Response:
        raise ApiError(404, "not_found", "Not found")

    app.router.add_post("/auth/login", login)
    app.router.add_get("/auth/validateToken", validate)
    app.router.add_get("/auth/logout", logout)
    app.router.add_get("/iptv/device", device_list)
    app.router.add_get("/iptv/device/action", group_action)
    app.router.add_get("/iptv/device/{device}", device_get)
    app.router.add_get("/iptv/device/{device}/action", device_action)
    app.router.add_delete("/iptv/device/{device}/action/{action}", cancel)
    app.router.add_get("/iptv/device/{device}/screenshot", screenshot)
    app.router.add_get("/iptv/device/{device}/rtt", rtt)
    app.router.add_get("/iptv/channel", channels)
    app.router.add_route("*", "/{tail:.*}", not_found)


__all__ = ["FaultMode", "RequestRecord", "TelecomXSimulator", "check_loopback"]
