"""Network side of the Poly Trio simulator: one HTTPS listener per simulated phone.

Each phone binds its own loopback address with a self-signed certificate whose CN is
its MAC. Requests go through the rules of the notes in this order: fault mode, REST
API disabled (404, before authentication), authentication (401 with a Basic or Digest
challenge), the one-at-a-time rule (403 or queue), size (413), content type (400),
default password (4010), then the command.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable, Iterable
import contextlib
from dataclasses import dataclass, field
import hashlib
import json
import logging
import os
from pathlib import Path
import re
import socket
import ssl
import time
from typing import Any, Self

from aiohttp import web
from aiohttp.web_server import Server

from .. import common
from ..common import LOOPBACK, FaultMode, check_loopback
from . import cert
from .notify import NotificationRecord, Notifier
from .state import (
    CALL_NOT_FOUND,
    INVALID_INPUT,
    OK,
    URLS_NOT_CONFIGURED,
    AuthMode,
    BusyMode,
    DefaultPasswordStyle,
    Json,
    PhoneSpec,
    PhoneState,
)

_LOGGER = logging.getLogger(__name__)

USERNAME = "Polycom"
REALM = "Polycom SoundPoint IP Telephone"
SECRET_KEYS = frozenset({"password", "authorization", "lockcode"})
HEADERS = {
    "Server": "Polycom SoundPoint IP Telephone HTTPd",
    "X-Frame-Options": "SAMEORIGIN",
    "Cache-Control": "no-store",
}


#: The faults a simulated phone has (no OVERSIZED: its answers are small).
SUPPORTED_FAULTS = (
    FaultMode.NONE,
    FaultMode.DOWN,
    FaultMode.SLOW,
    FaultMode.HTTP_500,
    FaultMode.MALFORMED,
    FaultMode.TRUNCATED,
)


@dataclass(slots=True, frozen=True)
class RequestRecord:
    """One HTTP request served by the simulator (never the password)."""

    host: str
    method: str
    path: str
    query: dict[str, str]
    auth: str | None  # "basic" / "digest" / None: the scheme the client used
    content_type: str
    body: Any  # decoded JSON with secret members redacted, None without body
    status: int  # HTTP status
    code: int | None  # API Status
    at: float


def _redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: "**REDACTED**" if str(k).lower() in SECRET_KEYS else _redact(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_redact(v) for v in value]
    return value


@dataclass(slots=True)
class _Phone:
    state: PhoneState
    cert_pem: bytes = b""
    key_pem: bytes = b""
    context: ssl.SSLContext | None = None
    fault: FaultMode = FaultMode.NONE
    delay: float = 0.0
    rebooting: bool = False
    listen_sock: socket.socket | None = None
    server: asyncio.Server | None = None
    web_server: Server | None = None
    in_flight: int = 0
    queue: asyncio.Lock = field(default_factory=asyncio.Lock)
    nonce: str = ""
    opaque: str = ""
    nonce_counts: dict[str, int] = field(default_factory=dict)

    @property
    def host(self) -> str:
        return self.state.spec.host

    @property
    def down(self) -> bool:
        return self.fault is FaultMode.DOWN or self.rebooting

    def new_certificate(self) -> None:
        self.cert_pem, self.key_pem = cert.make_certificate(self.state.spec.mac)
        self.context = cert.server_context(self.cert_pem, self.key_pem)

    def kept_certificate(self, folder: Path) -> None:
        """The certificate kept in ``folder`` (made and kept there the first time).

        A real phone keeps its certificate across restarts; a pinned fingerprint
        must still match after scripts/develop restarts the simulator.
        """
        cert_file = folder / f"{self.state.spec.host}.crt"
        key_file = folder / f"{self.state.spec.host}.key"
        if cert_file.exists() and key_file.exists():
            self.cert_pem, self.key_pem = cert_file.read_bytes(), key_file.read_bytes()
            self.context = cert.server_context(self.cert_pem, self.key_pem)
            return
        self.new_certificate()
        folder.mkdir(parents=True, exist_ok=True)
        cert_file.write_bytes(self.cert_pem)
        key_file.write_bytes(self.key_pem)
        key_file.chmod(0o600)

    def rotate_nonce(self) -> None:
        self.nonce = os.urandom(16).hex()
        self.opaque = os.urandom(8).hex()
        self.nonce_counts.clear()


Handler = Callable[[PhoneState, Any, dict[str, str]], tuple[int, Json]]


def _simple(code: int) -> Json:
    return {"Status": str(code)}


class TrioSimulator(common.Lifecycle):
    """Any number of simulated Poly Trio phones, each on its own loopback address."""

    def __init__(
        self,
        phones: Iterable[PhoneSpec],
        port: int = 443,
        *,
        log_limit: int = 100_000,
        cert_dir: Path | None = None,
    ) -> None:
        self.port = port
        self.log_limit = log_limit
        self.cert_dir = cert_dir
        self._phones: dict[str, _Phone] = {}
        for spec in phones:
            check_loopback(spec.host)
            if spec.host in self._phones:
                raise ValueError(f"duplicate simulated phone host {spec.host}")
            phone = _Phone(state=PhoneState(spec))
            phone.rotate_nonce()
            self._phones[spec.host] = phone
        self.request_log: list[RequestRecord] = []
        # Telephony notification events handled (sent, refused, failed, dropped).
        self.notification_log: list[NotificationRecord] = []
        self._notifier = Notifier(self._record_notification)
        for phone in self._phones.values():
            phone.state.listener = self._notifier.event
        self._tasks: set[asyncio.Task[None]] = set()
        self._running = False
        self._routes = self._build_routes()

    @classmethod
    def many(cls, n: int, first_host: str = "127.0.88.1", **kw: Any) -> Self:
        """``n`` phones on consecutive loopback addresses from ``first_host``."""
        specs = [
            PhoneSpec(
                host=host,
                mac=f"0004f2{i + 1:06x}",
                name=f"Trio {i + 1}",
                number=f"{1001 + i}",
            )
            for i, host in enumerate(common.loopback_hosts(first_host, n))
        ]
        return cls(specs, **kw)

    # ---------------------------------------------------------------- access
    @property
    def hosts(self) -> list[str]:
        """All phone addresses, in creation order."""
        return list(self._phones)

    def phone(self, host: str) -> PhoneState:
        """The state of the phone bound to ``host`` (KeyError if none)."""
        return self._phones[host].state

    def fingerprint(self, host: str) -> str:
        """SHA-256 fingerprint of the phone's current certificate."""
        return cert.fingerprint(self._phones[host].cert_pem)

    def fault_mode(self, host: str) -> FaultMode:
        """Current fault mode of a phone."""
        return self._phones[host].fault

    def requests(self, host: str | None = None) -> list[RequestRecord]:
        """The request log, of one phone or all."""
        return [r for r in self.request_log if host is None or r.host == host]

    def notifications(self, host: str | None = None) -> list[NotificationRecord]:
        """The telephony notification events handled, of one phone or all."""
        return [r for r in self.notification_log if host is None or r.host == host]

    def _record_notification(self, record: NotificationRecord) -> None:
        common.append_capped(self.notification_log, record, self.log_limit)

    # ------------------------------------------------------------- lifecycle
    async def start(self) -> None:
        """Generate certificates and listen on every phone's address."""
        if self._running:
            return
        self._running = True
        self._notifier.start()
        try:
            for phone in self._phones.values():
                if not phone.cert_pem and self.cert_dir is not None:
                    phone.kept_certificate(self.cert_dir)
                elif not phone.cert_pem:
                    phone.new_certificate()
                if not phone.down:
                    await self._open(phone)
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        """Close every socket and cancel every timer."""
        self._running = False
        await self._notifier.stop()
        for phone in self._phones.values():
            self._close(phone)
            phone.state.close()
        await self._cancel_tasks()
        await asyncio.sleep(0)

    def reset(self) -> None:
        """Every phone, fault and the log back to initial (certificates are kept)."""
        for host, phone in self._phones.items():
            self.set_fault(FaultMode.NONE, host)
            phone.rebooting = False
            phone.state.reset()
        self.request_log.clear()
        self.notification_log.clear()

    # ----------------------------------------------------------------- control
    def set_fault(
        self, mode: FaultMode | str, host: str | None = None, delay: float = 0.0
    ) -> None:
        """Set a fault mode for one phone (``host``) or all (``None``).

        OVERSIZED is not simulated for phones: it raises ``ValueError``.
        """
        mode = common.fault_mode(mode, SUPPORTED_FAULTS)
        phones = [self._phones[host]] if host is not None else self._phones.values()
        for phone in phones:
            was_down = phone.down
            phone.fault = mode
            phone.delay = max(delay, 0.0)
            self._apply_down(phone, was_down)

    def inject_incoming(
        self, host: str, number: str, name: str = "", line: int = 1
    ) -> str:
        """Offer an incoming call to a phone; return its v2 handle."""
        return self._phones[host].state.incoming(number, name, line).handle_v2

    def remote_hangup(self, host: str, handle: str | None = None) -> bool:
        """The far end hangs up (one call by handle, or any)."""
        return self._phones[host].state.remote_hangup(handle)

    def set_registered(self, host: str, registered: bool) -> None:
        """Switch the line registration of a phone."""
        self._phones[host].state.registered = registered

    def rotate_nonce(self, host: str) -> None:
        """Start a new Digest nonce (the next request gets ``stale=true``)."""
        self._phones[host].rotate_nonce()

    async def new_certificate(self, host: str) -> str:
        """Give the phone a new certificate (as after a factory reset or swap)."""
        phone = self._phones[host]
        phone.new_certificate()
        if self._running and not phone.down:
            self._close(phone)
            await self._open(phone)
        return self.fingerprint(host)

    # -------------------------------------------------------------- sockets
    def _apply_down(self, phone: _Phone, was_down: bool) -> None:
        if not self._running:
            return
        if phone.down and not was_down:
            self._close(phone)
        elif was_down and not phone.down:
            try:
                self._bind(phone)
            except OSError:
                _LOGGER.exception("Cannot rebind %s", phone.host)
                return
            self._spawn(self._attach(phone))

    def _bind(self, phone: _Phone) -> None:
        phone.listen_sock = common.listen_socket(phone.host, self.port)

    async def _attach(self, phone: _Phone) -> None:
        sock = phone.listen_sock
        if sock is None:
            return
        web_server = Server(
            lambda request: self._handle(phone, request),
            access_log=None,
            handler_cancellation=True,
        )
        server = await asyncio.get_running_loop().create_server(
            web_server, sock=sock, ssl=phone.context, backlog=128
        )
        if phone.listen_sock is not sock:  # closed again meanwhile
            server.close()
            return
        phone.server, phone.web_server = server, web_server

    async def _open(self, phone: _Phone) -> None:
        self._bind(phone)
        await self._attach(phone)

    def _close(self, phone: _Phone) -> None:
        common.close_listener(phone.server, phone.listen_sock)
        common.abort_connections(phone.web_server)
        phone.server, phone.listen_sock, phone.web_server = None, None, None

    def _go_down_for(self, phone: _Phone, seconds: float) -> None:
        """Restart/reboot: unreachable for ``seconds``, then back with a fresh boot."""

        async def cycle() -> None:
            await asyncio.sleep(0.05)  # let the 2000 answer leave first
            if phone.state.registered:  # a graceful restart unregisters (notes §8.3)
                phone.state.registration_events(registered=False)
            was_down = phone.down
            phone.rebooting = True
            self._apply_down(phone, was_down)
            await asyncio.sleep(seconds)
            phone.state.calls.clear()
            phone.state.boot = time.monotonic()
            phone.state.restarts += 1
            phone.rebooting = False
            self._apply_down(phone, True)
            if phone.state.registered:
                phone.state.registration_events(registered=True)

        self._spawn(cycle())

    # ------------------------------------------------------------- requests
    def _record(self, record: RequestRecord) -> None:
        common.append_capped(self.request_log, record, self.log_limit)

    async def _handle(
        self, phone: _Phone, request: web.BaseRequest
    ) -> web.StreamResponse:
        started = time.time()
        state = phone.state
        scheme: str | None = None
        body: Any = None
        status, code = 200, None

        def done(
            response: web.StreamResponse, api: int | None = None
        ) -> web.StreamResponse:
            self._record(
                RequestRecord(
                    host=phone.host,
                    method=request.method,
                    path=request.path,
                    query=dict(request.query),
                    auth=scheme,
                    content_type=request.headers.get("Content-Type", ""),
                    body=body,
                    status=response.status,
                    code=api,
                    at=started,
                )
            )
            return response

        if phone.down:
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError
        if phone.fault is FaultMode.SLOW and phone.delay > 0:
            await asyncio.sleep(phone.delay)
        under_api = request.path.startswith("/api/")
        if under_api and not state.rest_enabled:
            return done(_html(404, "404 Not Found"))
        scheme, authorized, stale = self._check_auth(phone, request)
        if not authorized:
            return done(self._challenge(phone, stale))
        if state.busy is BusyMode.REJECT and phone.in_flight > 0:
            return done(_html(403, "403 Forbidden"))
        async with contextlib.AsyncExitStack() as stack:
            if state.busy is BusyMode.QUEUE:
                await stack.enter_async_context(phone.queue)
            phone.in_flight += 1
            stack.callback(self._leave, phone)
            await asyncio.sleep(state.processing_delay)
            length = request.content_length or 0
            if length > state.spec.max_request_bytes:
                return done(_html(413, "413 Request Entity Too Large"))
            raw = await request.read()
            if len(raw) > state.spec.max_request_bytes:
                return done(_html(413, "413 Request Entity Too Large"))
            if raw:
                try:
                    body = _redact(json.loads(raw))
                    decoded = json.loads(raw)
                except ValueError:
                    decoded = None
                    body = "<invalid JSON>"
            else:
                decoded = None
            if phone.fault is FaultMode.HTTP_500:
                return done(_html(500, "500 Internal Server Error"))
            if phone.fault is FaultMode.MALFORMED:
                return done(_raw(200, b'{"Status": "2000", "data": {"Model'))
            if phone.fault is FaultMode.TRUNCATED:
                return done(await _truncated(request))
            if (
                request.method == "POST"
                and state.spec.require_json_content_type
                and "application/json"
                not in request.headers.get("Content-Type", "").lower()
            ):
                return done(_html(400, "400 Bad Request"))
            route = self._route(state, request.method, request.path)
            if route is None or not under_api:
                return done(_html(404, "404 Not Found"))
            if state.default_password:
                return done(_default_password(state), 4010)
            if state.forced_http_status is not None:
                return done(_html(state.forced_http_status, "forced"))
            if state.forced_status is not None:
                forced = state.forced_status
                return done(_json(200, {"Status": forced}), int(forced))
            if raw and decoded is None:
                return done(_json(200, _simple(INVALID_INPUT)), INVALID_INPUT)
            data = decoded.get("data") if isinstance(decoded, dict) else None
            status, payload = route(state, data, dict(request.query))
            code = int(payload.get("Status", OK))
            if code == OK and request.path in (
                "/api/v1/mgmt/safeRestart",
                "/api/v1/mgmt/safeReboot",
            ):
                self._go_down_for(phone, state.spec.restart_downtime)
            return done(_json(status, payload), code)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _leave(phone: _Phone) -> None:
        phone.in_flight -= 1

    def _check_auth(
        self, phone: _Phone, request: web.BaseRequest
    ) -> tuple[str | None, bool, bool]:
        """Return (scheme used, authorized, stale nonce)."""
        header = request.headers.get("Authorization", "")
        kind, _, rest = header.partition(" ")
        kind = kind.lower()
        password = phone.state.spec.password
        if kind == "basic":
            if phone.state.auth is not AuthMode.BASIC:
                return "basic", False, False
            try:
                user, _, given = base64.b64decode(rest).decode().partition(":")
            except ValueError:
                return "basic", False, False
            return "basic", user == USERNAME and given == password, False
        if kind == "digest":
            if phone.state.auth is AuthMode.BASIC:
                return "digest", False, False
            ok, stale = _verify_digest(phone, request.method, rest, password)
            return "digest", ok, stale
        return None, False, False

    def _challenge(self, phone: _Phone, stale: bool) -> web.Response:
        response = _html(401, "401 Unauthorized<br>Authorization failed.")
        if phone.state.auth is AuthMode.BASIC:
            response.headers["WWW-Authenticate"] = 'Basic realm="API Authentication"'
        else:
            algorithm = (
                "SHA-256" if phone.state.auth is AuthMode.DIGEST_SHA256 else "MD5"
            )
            value = (
                f'Digest realm="{REALM}", nonce="{phone.nonce}", qop="auth", '
                f'algorithm={algorithm}, opaque="{phone.opaque}"'
            )
            if stale:
                value += ", stale=true"
            response.headers["WWW-Authenticate"] = value
        return response

    # ---------------------------------------------------------------- routes
    def _build_routes(self) -> dict[tuple[str, str], Handler]:
        def get(view: Callable[[PhoneState], Any]) -> Handler:
            return lambda state, _data, _query: (
                200,
                {"Status": "2000", "data": view(state)},
            )

        def post(action: Callable[[PhoneState, Any], int]) -> Handler:
            def run(
                state: PhoneState, data: Any, _query: dict[str, str]
            ) -> tuple[int, Json]:
                return 200, _simple(
                    action(state, data if isinstance(data, dict) else {})
                )

            return run

        def record(name: str) -> Handler:
            def run(
                state: PhoneState, data: Any, _query: dict[str, str]
            ) -> tuple[int, Json]:
                state.actions.append(
                    (name, _redact(data) if isinstance(data, dict) else {})
                )
                return 200, _simple(OK)

            return run

        def call_status_v1(
            state: PhoneState, _data: Any, _query: dict[str, str]
        ) -> tuple[int, Json]:
            if not state.calls:
                return 200, _simple(CALL_NOT_FOUND)
            return 200, {
                "Status": "2000",
                "data": state.call_v1(next(iter(state.calls.values()))),
            }

        def call_status_v2(
            state: PhoneState, _data: Any, query: dict[str, str]
        ) -> tuple[int, Json]:
            return 200, {"Status": "2000", "data": state.calls_v2(query)}

        def config_get(
            state: PhoneState, data: Any, _query: dict[str, str]
        ) -> tuple[int, Json]:
            code, extra = state.get_config(data)
            return 200, {"Status": str(code), **extra}

        def config_set(
            state: PhoneState, data: Any, _query: dict[str, str]
        ) -> tuple[int, Json]:
            return 200, _simple(state.set_config(data))

        def presence(
            state: PhoneState, _data: Any, _query: dict[str, str]
        ) -> tuple[int, Json]:
            return 200, {"Presence": "Available", "Status": "2000"}

        def set_transfer(
            state: PhoneState, data: Any, _query: dict[str, str]
        ) -> tuple[int, Json]:
            value = data.get("Type") if isinstance(data, dict) else None
            if value not in ("Consultative", "Blind", "Safe"):
                return 200, _simple(INVALID_INPUT)
            state.transfer_type = value
            return 200, _simple(OK)

        def export(
            state: PhoneState, data: Any, _query: dict[str, str]
        ) -> tuple[int, Json]:
            if not isinstance(data, dict) or not data.get("URL"):
                return 200, _simple(URLS_NOT_CONFIGURED)
            state.actions.append(("export_configuration", data))
            return 200, _simple(OK)

        def resets(name: str) -> Handler:
            def run(
                state: PhoneState, data: Any, _query: dict[str, str]
            ) -> tuple[int, Json]:
                state.actions.append((name, {}))
                if name == "factoryReset":
                    state.rest_enabled = False  # inference (notes §4.4)
                return 200, _simple(OK)

            return run

        v1 = "/api/v1/mgmt"
        routes: dict[tuple[str, str], Handler] = {
            ("POST", f"{v1}/safeRestart"): resets("safeRestart"),
            ("POST", f"{v1}/safeReboot"): resets("safeReboot"),
            ("POST", f"{v1}/configReset"): resets("configReset"),
            ("POST", f"{v1}/factoryReset"): resets("factoryReset"),
            ("GET", f"{v1}/network/info"): get(PhoneState.network_info),
            ("GET", f"{v1}/device/info"): get(PhoneState.device_info),
            ("GET", "/api/v2/mgmt/device/info"): get(PhoneState.device_info_v2),
            ("GET", f"{v1}/network/stats"): get(PhoneState.network_stats),
            ("POST", f"{v1}/config/get"): config_get,
            ("POST", f"{v1}/config/set"): config_set,
            ("GET", f"{v1}/pollForStatus"): get(PhoneState.poll),
            ("GET", f"{v1}/transferType/get"): get(lambda s: {"Type": s.transfer_type}),
            ("GET", f"{v1}/uixml"): get(PhoneState.uixml),
            ("GET", f"{v1}/device/stats"): get(PhoneState.device_stats),
            ("GET", f"{v1}/device/runningConfig"): get(_running_config),
            ("POST", f"{v1}/simulateTouch"): record("simulateTouch"),
            ("POST", f"{v1}/simulateKeyEvent"): record("simulateKeyEvent"),
            ("POST", f"{v1}/simulateTextInput"): record("simulateTextInput"),
            ("POST", f"{v1}/skype/signIn"): record("skypeSignIn"),
            ("POST", f"{v1}/skype/signOut"): record("skypeSignOut"),
            ("GET", f"{v1}/media/communicationInfo"): get(
                PhoneState.communication_info
            ),
            ("GET", f"{v1}/location/info"): get(_location),
            ("GET", f"{v1}/media/sessionStats"): get(PhoneState.session_stats),
            ("POST", f"{v1}/updateConfiguration"): record("updateConfiguration"),
            ("GET", f"{v1}/lineInfo"): get(PhoneState.line_info),
            ("GET", "/api/v2/mgmt/lineInfo"): get(PhoneState.line_info_v2),
            ("GET", f"{v1}/mrpair/info"): get(_paired),
            ("GET", f"{v1}/callLogs"): get(lambda s: s.log_view(None)),
            ("GET", f"{v1}/callLogs/missed"): get(lambda s: s.log_view("Missed")),
            ("GET", f"{v1}/callLogs/received"): get(lambda s: s.log_view("Received")),
            ("GET", f"{v1}/callLogs/placed"): get(lambda s: s.log_view("Placed")),
            ("GET", f"{v1}/getPresence"): presence,
            ("POST", f"{v1}/network/uploadBgCapture"): record("uploadBgCapture"),
            ("GET", "/api/v1/webCallControl/sipStatus"): get(PhoneState.sip_status),
            ("GET", "/api/v1/webCallControl/callStatus"): call_status_v1,
            ("GET", "/api/v2/webCallControl/callStatus"): call_status_v2,
            ("POST", "/api/v1/callctrl/dial"): post(PhoneState.dial),
            ("POST", "/api/v1/callctrl/endCall"): post(PhoneState.end_call),
            ("POST", "/api/v1/callctrl/mute"): post(PhoneState.mute),
            ("POST", "/api/v1/callctrl/transferCall"): post(PhoneState.transfer),
            ("POST", "/api/v1/callctrl/sendDTMF"): post(PhoneState.send_dtmf),
            ("POST", "/api/v1/callctrl/holdCall"): post(PhoneState.hold),
            ("POST", "/api/v1/callctrl/resumeCall"): post(PhoneState.resume),
            ("POST", "/api/v1/callctrl/answerCall"): post(PhoneState.answer),
            ("POST", "/api/v1/callctrl/ignoreCall"): post(PhoneState.ignore),
            ("POST", "/api/v1/callctrl/rejectCall"): post(PhoneState.reject),
        }
        for target in ("local", "web", "device", "cloud"):
            routes[("POST", f"{v1}/configReset/{target}")] = resets(
                f"configReset/{target}"
            )
        # Commands whose path is UNKNOWN: looked up through the phone's spec.
        self._uncertain: dict[str, Handler] = {
            "set_transfer_type_path": set_transfer,
            "web_sign_in_path": record("webSignIn"),
            "web_sign_in_cancel_path": record("webSignInCancel"),
            "simulate_hook_path": record("simulateHook"),
            "export_configuration_path": export,
        }
        return routes

    def _route(self, state: PhoneState, method: str, path: str) -> Handler | None:
        route = self._routes.get((method, path))
        if route is not None:
            return route
        if method != "POST":
            return None
        for attribute, handler in self._uncertain.items():
            if getattr(state.spec, attribute) == path:
                return handler
        return None


def _running_config(state: PhoneState) -> Json:
    return {
        "Network": {
            "IPAddress": state.spec.host,
            "SubnetMask": "255.255.255.0",
            "IPGateway": "192.0.2.1",
            "IPStack": "IPv4 Only",
            "VLAN": "",
            "VLANFiltering": "Disabled",
            "CDP": "Enabled",
            "LLDP": "Enabled",
            "StormFilterPPS": "38",
        },
        "DHCP": {"Feature": "Enabled", "OfferTimeout": "1"},
        "DNS": {"Feature": "Enabled", "PrimaryServer": "192.0.2.53", "Domain": ""},
        "Provisioning": {"Server": "prov.example.net", "ServerType": "HTTPS"},
        "Syslog": {"Server": "", "Transport": "UDP", "RenderLevel": "4"},
        "SNTP": {
            "Server": "pool.ntp.org",
            "GMTOffsetSeconds": "0",
            "GMTOffsetHours": "0",
        },
    }


def _location(_state: PhoneState) -> Json:
    return {
        "Country": "CH",
        "State": "ZH",
        "StreetGroup": "Main Street",
        "House Number": "1",
    }


def _paired(_state: PhoneState) -> Json:
    return {
        "ConnectedDeviceList": [
            {
                "ComponentList": [
                    {
                        "componentType": "cameraSrc",
                        "componentName": "EagleEye Mini",
                        "componentDetail": "USB",
                        "componentSerialNumber": "8G1234",
                        "componentUri": "usb://camera",
                    }
                ]
            }
        ]
    }


def _verify_digest(
    phone: _Phone, method: str, params_text: str, password: str
) -> tuple[bool, bool]:
    """Check a Digest ``Authorization``; return (ok, stale)."""
    params = {
        k.lower(): v[1:-1] if v.startswith('"') else v
        for k, v in re.findall(
            r'([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)', params_text
        )
    }
    algorithm = params.get("algorithm", "MD5").upper()
    expected_algorithm = (
        "SHA-256" if phone.state.auth is AuthMode.DIGEST_SHA256 else "MD5"
    )
    if algorithm.removesuffix("-SESS") != expected_algorithm:
        return False, False
    hasher = hashlib.sha256 if expected_algorithm == "SHA-256" else hashlib.md5

    def h(text: str) -> str:
        return hasher(text.encode()).hexdigest()

    if params.get("username") != USERNAME or params.get("realm") != REALM:
        return False, False
    nonce, nc, cnonce = (
        params.get("nonce", ""),
        params.get("nc", ""),
        params.get("cnonce", ""),
    )
    ha1 = h(f"{USERNAME}:{REALM}:{password}")
    if algorithm.endswith("-SESS"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{params.get('uri', '')}")
    if params.get("qop") != "auth":
        return False, False
    expected = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
    if params.get("response") != expected:
        return False, False
    if nonce != phone.nonce:
        return False, True  # right password, old nonce
    try:
        count = int(nc, 16)
    except ValueError:
        return False, False
    if count <= phone.nonce_counts.get(cnonce, 0):
        return False, False  # replay
    phone.nonce_counts[cnonce] = count
    return True, False


def _default_password(state: PhoneState) -> web.Response:
    """The 4010 refusal in the phone's configured style (DefaultPasswordStyle)."""
    status = state.default_password_http_status
    match state.default_password_style:
        case DefaultPasswordStyle.TEXT:
            return _html(status, "4010 Default Password Not Allowed")
        case DefaultPasswordStyle.PLAIN:
            return _html(status, f"{status} Forbidden")
        case _:
            return _json(status, _simple(4010))


def _json(status: int, payload: Json) -> web.Response:
    return _raw(status, json.dumps(payload).encode())


def _raw(status: int, body: bytes) -> web.Response:
    response = web.Response(status=status, body=body, headers=HEADERS)
    response.headers["Content-Type"] = "application/json"
    return response


def _html(status: int, text: str) -> web.Response:
    response = web.Response(
        status=status,
        body=f"<html><body>{text}</body></html>".encode(),
        headers=HEADERS,
    )
    response.headers["Content-Type"] = "text/html"
    return response


async def _truncated(request: web.BaseRequest) -> web.StreamResponse:
    response = web.StreamResponse(status=200, headers=HEADERS)
    response.headers["Content-Type"] = "application/json"
    response.content_length = 400
    await response.prepare(request)
    await response.write(b'{"Status": "2000", "data": {"ModelNumber": "Tr')
    await asyncio.sleep(0.01)
    if request.transport is not None:
        request.transport.abort()
    return response


__all__ = [
    "LOOPBACK",
    "SUPPORTED_FAULTS",
    "FaultMode",
    "RequestRecord",
    "TrioSimulator",
    "check_loopback",
]
