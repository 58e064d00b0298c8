"""Telephony notification events of the simulated phones (notes §8), loopback only.

When a phone's ``apps.telNotification.URL`` is set (config/set) and the flag of an
event is "1", the phone POSTs the event's XML to that URL. Sending is fire-and-forget:
the REST handler only renders the document and queues it; one worker per phone posts
the queue in order with a short timeout, so a slow or dead receiver never delays a REST
answer (the queue is bounded; overflow is dropped and logged).

Network safety: a URL is used only when its host is an IP literal in 127.0.0.0/8
(no host names, so no DNS); redirects are not followed; proxies from the environment
are ignored. Anything else is refused and logged, never contacted.

What the notes mark UNKNOWN is a ``PhoneSpec`` field: the ``PolycomIPPhone`` wrapper
(``notification_wrapper``), the content type (``notification_content_type``, curl's
form default by inference), whether the firmware knows the parameters at all
(``knows_notification_params``), and the timeout (``notification_timeout``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import contextlib
from dataclasses import dataclass, field
from datetime import datetime
import ipaddress
import logging
import time
from typing import TYPE_CHECKING, Final
from xml.sax.saxutils import escape, quoteattr

import aiohttp
from yarl import URL

from ..common import LOOPBACK

if TYPE_CHECKING:
    from .state import PhoneState, SimCall

_LOGGER = logging.getLogger(__name__)

URL_PARAM: Final = "apps.telNotification.URL"
FLAG_PREFIX: Final = "apps.telNotification."
QUEUE_LIMIT: Final = 256

# Event element -> the flag that switches it on (notes §8.1/8.3).
FLAGS: Final = {
    "IncomingCallEvent": "incomingEvent",
    "OutgoingCallEvent": "outgoingEvent",
    "OffHookEvent": "offhookEvent",
    "OnHookEvent": "onhookEvent",
    "CallStateChangeEvent": "callStateChangeEvent",
    "LineRegistrationEvent": "lineRegistrationEvent",
    "LineUnregistrationEvent": "lineRegistrationEvent",  # (L) same flag
}

# Simulator call state -> (CallState attribute, CallInfo/CallState) (notes §8.3:
# "Hold" in the attribute, "CallHold" in CallInfo).
EVENT_STATES: Final = {
    "Dialing": ("Setup", "Setup"),
    "Connected": ("Connected", "Connected"),
    "Offering": ("Offering", "Offering"),
    "OnHold": ("Hold", "CallHold"),
}
DISCONNECTED: Final = "Disconnected"


@dataclass(frozen=True, slots=True)
class SimEvent:
    """One event as the phone state reports it, before rendering."""

    element: str  # "IncomingCallEvent", ...
    line: int = 1
    call: SimCall | None = None
    # CallStateChangeEvent: the call's state at the change; DISCONNECTED when gone.
    state: str = ""


@dataclass(frozen=True, slots=True)
class NotificationRecord:
    """One event the simulator handled (sent, refused, failed or dropped)."""

    host: str
    element: str
    url: str
    outcome: str  # "sent", "refused", "failed", "timeout", "dropped"
    status: int | None  # HTTP status of the receiver's answer
    at: float


def loopback_url(url: str) -> URL | None:
    """Return ``url`` parsed when it is http(s) to an IP literal in 127.0.0.0/8."""
    try:
        parsed = URL(url)
        host = parsed.host
        if parsed.scheme not in ("http", "https") or not host:
            return None
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    return parsed if address in LOOPBACK else None


def _el(name: str, text: object) -> str:
    return f"<{name}>{escape(str(text))}</{name}>"


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def render(state: PhoneState, event: SimEvent) -> bytes:
    """The XML document of ``event`` as the VVX documentation lays it out (§8.3)."""
    spec = state.spec
    head = _el("PhoneIP", spec.host) + _el("MACAddress", spec.mac)
    stamp = _el("TimeStamp", _now())
    own_uri = f"sip:{spec.number}@sip.example.net"
    element = event.element
    attributes = ""
    call = event.call
    if element in ("IncomingCallEvent", "OutgoingCallEvent") and call is not None:
        remote = (call.remote_name, call.remote_number)
        own = (spec.name, spec.number)
        calling, called = (
            (remote, own) if element == "IncomingCallEvent" else (own, remote)
        )
        inner = (
            head
            + _el("CallingPartyName", calling[0])
            + _el("CallingPartyNumber", calling[1])
            + _el("CalledPartyName", called[0])
            + _el("CalledPartyNumber", called[1])
            + stamp
        )
    elif element == "CallStateChangeEvent" and call is not None:
        attribute_state, info_state = EVENT_STATES.get(
            event.state, (DISCONNECTED, DISCONNECTED)
        )
        attributes = (
            f" CallReference={quoteattr(call.handle_v2)}"
            f" CallState={quoteattr(attribute_state)}"
        )
        others = [
            c
            for c in state.calls.values()
            if c.line == call.line and c.handle != call.handle
        ]
        alive = event.state in EVENT_STATES
        line_info = (
            _el("LineKeyNum", call.line)
            + _el("LineDirNum", spec.number)
            + _el("LineState", "Active" if alive or others else "Inactive")
        )
        if alive:
            calls = list(state.calls.values())
            index = calls.index(call) + 1 if call in calls else 1
            appearance = f"{index}{'*' if event.state == 'Connected' else ''}"
            remote_uri = call.remote_number
            if call.direction == "Outgoing":
                calling = (spec.name, own_uri)
                called = (call.remote_name, remote_uri)
            else:
                calling = (call.remote_name, remote_uri)
                called = (spec.name, own_uri)
            line_info += (
                "<CallInfo>"
                + _el("CallState", info_state)
                + _el("CallType", call.direction)
                + _el("UIAppearanceIndex", appearance)
                + _el("CalledPartyName", called[0])
                + _el("CalledPartyDirNum", called[1])
                + _el("CallingPartyName", calling[0])
                + _el("CallingPartyDirNum", calling[1])
                + _el("CallReference", call.handle_v2)
                + _el("CallDuration", int(time.monotonic() - call.started))
                + "</CallInfo>"
            )
        inner = (
            head
            + _el("LineNumber", call.line)
            + stamp
            + f"<CallLineInfo>{line_info}</CallLineInfo>"
        )
    elif element in ("LineRegistrationEvent", "LineUnregistrationEvent"):
        inner = head + _el("LineNumber", event.line) + stamp
    else:  # OffHookEvent, OnHookEvent
        inner = head + stamp
    document = f"<{element}{attributes}>{inner}</{element}>"
    if spec.notification_wrapper:
        document = f"<PolycomIPPhone>{document}</PolycomIPPhone>"
    return document.encode("utf-8")


@dataclass(slots=True)
class _Outbox:
    queue: asyncio.Queue[tuple[str, URL, bytes]] = field(
        default_factory=lambda: asyncio.Queue(QUEUE_LIMIT)
    )
    worker: asyncio.Task[None] | None = None


class Notifier:
    """Sends the events of every phone of one simulator (one ordered queue each)."""

    def __init__(self, record: Callable[[NotificationRecord], None]) -> None:
        self._record = record
        self._outboxes: dict[str, _Outbox] = {}
        # One session per phone, bound to the phone's address: a real phone's posts
        # come from its own address (Home Assistant's webhook checks that).
        self._sessions: dict[str, aiohttp.ClientSession] = {}
        self._running = False

    def start(self) -> None:
        """Accept events from now on (call inside the running loop)."""
        self._running = True

    async def stop(self) -> None:
        """Drop queued events, stop the workers, close the HTTP session."""
        self._running = False
        workers = [o.worker for o in self._outboxes.values() if o.worker is not None]
        self._outboxes.clear()
        for worker in workers:
            worker.cancel()
        for worker in workers:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await worker
        sessions = list(self._sessions.values())
        self._sessions.clear()
        for session in sessions:
            await session.close()

    def event(self, state: PhoneState, event: SimEvent) -> None:
        """Render and queue ``event`` if the phone is configured to send it."""
        if not self._running or not state.spec.knows_notification_params:
            return
        target = state.config.get(URL_PARAM, ("", ""))[0].strip()
        flag = FLAGS.get(event.element)
        if not target or flag is None:
            return
        if state.config.get(FLAG_PREFIX + flag, ("0", ""))[0].strip() != "1":
            return
        host = state.spec.host
        url = loopback_url(target)
        if url is None:
            _LOGGER.warning(
                "%s: notification URL is not an http(s) URL on 127.0.0.0/8: refused",
                host,
            )
            self._log(host, event.element, target, "refused")
            return
        outbox = self._outboxes.setdefault(host, _Outbox())
        try:
            outbox.queue.put_nowait((event.element, url, render(state, event)))
        except asyncio.QueueFull:
            self._log(host, event.element, target, "dropped")
            return
        if outbox.worker is None or outbox.worker.done():
            outbox.worker = asyncio.get_running_loop().create_task(
                self._work(state, outbox)
            )

    def _log(
        self, host: str, element: str, url: str, outcome: str, status: int | None = None
    ) -> None:
        self._record(
            NotificationRecord(
                host=host,
                element=element,
                url=url,
                outcome=outcome,
                status=status,
                at=time.time(),
            )
        )

    async def _work(self, state: PhoneState, outbox: _Outbox) -> None:
        host = state.spec.host
        while not outbox.queue.empty():
            element, url, body = outbox.queue.get_nowait()
            outcome, status = await self._post(state, url, body)
            self._log(host, element, str(url), outcome, status)

    async def _post(
        self, state: PhoneState, url: URL, body: bytes
    ) -> tuple[str, int | None]:
        host = state.spec.host
        session = self._sessions.get(host)
        if session is None:
            session = self._sessions[host] = aiohttp.ClientSession(
                trust_env=False,
                connector=aiohttp.TCPConnector(local_addr=(host, 0)),
            )
        headers = {
            "Content-Type": state.spec.notification_content_type,
            "User-Agent": f"Polycom/{state.spec.firmware} PolycomRealPresenceTrio",
        }
        try:
            async with (
                asyncio.timeout(state.spec.notification_timeout),
                session.post(
                    url,
                    data=body,
                    headers=headers,
                    ssl=False,  # loopback only; phones' CA list is UNKNOWN
                    allow_redirects=False,
                ) as response,
            ):
                await response.read()
                return "sent", response.status
        except TimeoutError:
            return "timeout", None
        except (aiohttp.ClientError, OSError, ValueError) as err:
            _LOGGER.debug("%s: notification failed (%s)", state.spec.host, err)
            return "failed", None
