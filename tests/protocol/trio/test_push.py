"""Telephony notification events: switched on through SetConfig, posted by the
simulator during calls to a receiver on loopback, parsed by our parser."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
import time

from aiohttp import web
import pytest

from custom_components.venue_av.protocol.trio import (
    CallDirection,
    CallState,
    CallStateChangeEvent,
    IncomingCallEvent,
    LineRegistrationEvent,
    NotificationEvent,
    OnHookEvent,
    OutgoingCallEvent,
    TrioClient,
    TrioEvent,
    parse_events,
)
from simulators.trio import NotificationRecord, TrioSimulator

from .conftest import BASIC, PORT, RECEIVER, SPARE, spec
from .test_commands import wait_for_state

RECEIVER_PORT = 18490


@dataclass
class Receiver:
    """A tiny webhook: records every POST (raw body, as Home Assistant will read it)."""

    url: str
    posts: list[tuple[str, str, bytes]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def events(self) -> list[TrioEvent]:
        return [e for _path, _ctype, body in self.posts for e in parse_events(body)]

    async def wait_for(self, count: int, timeout: float = 3.0) -> list[TrioEvent]:
        async with asyncio.timeout(timeout):
            while len(self.events()) < count:
                self.arrived.clear()
                await self.arrived.wait()
        return self.events()


@pytest.fixture
async def receiver(allow_hosts: None) -> AsyncIterator[Receiver]:
    rx = Receiver(url=f"http://{RECEIVER}:{RECEIVER_PORT}/hook/s3cr3t-token")

    async def hook(request: web.Request) -> web.Response:
        # Never request.post(): the body is XML whatever the content type says.
        rx.posts.append(
            (
                request.path,
                request.headers.get("Content-Type", ""),
                await request.read(),
            )
        )
        rx.arrived.set()
        return web.Response(status=204)

    async def slow(request: web.Request) -> web.Response:
        await request.read()
        await rx.release.wait()
        return web.Response(status=200)

    async def redirect(_request: web.Request) -> web.Response:
        raise web.HTTPTemporaryRedirect("http://192.0.2.1/elsewhere")

    app = web.Application()
    app.router.add_post("/hook/{token}", hook)
    app.router.add_post("/slow", slow)
    app.router.add_post("/redirect", redirect)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, RECEIVER, RECEIVER_PORT).start()
    yield rx
    rx.release.set()
    await runner.cleanup()


def kinds(events: list[TrioEvent]) -> list[str]:
    out = []
    for event in events:
        if isinstance(event, CallStateChangeEvent):
            out.append(f"State:{event.state_text}")
        elif isinstance(event, LineRegistrationEvent):
            out.append("Registered" if event.registered else "Unregistered")
        else:
            out.append(type(event).__name__.removesuffix("Event"))
    return out


async def settle(sim: TrioSimulator, seconds: float = 0.2) -> None:
    await asyncio.sleep(seconds)


async def wait_log(sim: TrioSimulator, count: int) -> list[NotificationRecord]:
    async with asyncio.timeout(5):
        while len(sim.notifications(BASIC)) < count:
            await asyncio.sleep(0.02)
    return sim.notifications(BASIC)


async def test_events_during_calls(
    client: TrioClient, sim: TrioSimulator, receiver: Receiver
) -> None:
    assert await client.notification_support() is True
    settings = await client.notification_settings()
    assert (settings.url, settings.events, settings.enabled) == ("", frozenset(), False)
    assert settings.known_events == set(NotificationEvent)
    await client.set_config(client.notification_config(receiver.url))
    settings = await client.notification_settings()
    assert settings.enabled
    assert settings.url == receiver.url
    assert settings.events == set(NotificationEvent)

    # An outgoing call: dial, connect, hold, resume, end.
    await client.dial("2000")
    await wait_for_state(client, CallState.CONNECTED)
    (call,) = await client.call_status_v2()
    await client.hold(call.handle)
    await client.resume(call.handle)
    await client.end_call(call.handle)
    outgoing = await receiver.wait_for(8)
    assert kinds(outgoing) == [
        "OffHook",
        "OutgoingCall",
        "State:Setup",
        "State:Connected",
        "State:Hold",
        "State:Connected",
        "State:Disconnected",
        "OnHook",
    ]
    placed = outgoing[1]
    assert isinstance(placed, OutgoingCallEvent)
    assert placed.called_party_number == "2000"
    assert placed.calling_party_number == sim.phone(BASIC).spec.number
    changes = [e for e in outgoing if isinstance(e, CallStateChangeEvent)]
    # CallReference is the v2 CallHandle: events correlate with call status.
    assert {e.call_reference for e in changes} == {call.handle}
    assert [e.state for e in changes] == [
        CallState.SETUP,
        CallState.CONNECTED,
        CallState.HOLD,
        CallState.CONNECTED,
        CallState.DISCONNECTED,
    ]
    held = changes[2].call
    assert held is not None
    assert held.state is CallState.CALL_HOLD
    assert held.direction is CallDirection.OUTGOING
    assert changes[1].call is not None
    assert changes[1].call.active is True
    assert changes[-1].call is None
    assert changes[-1].line_state == "Inactive"
    for event in outgoing:
        assert event.mac_address == sim.phone(BASIC).spec.mac
        assert event.phone_ip == BASIC
        assert event.timestamp is not None
        assert event.timestamp.tzinfo is not None

    # An incoming call: offered, answered, the far end hangs up.
    handle = sim.inject_incoming(BASIC, "3000", "Bob")
    first = await receiver.wait_for(10)
    ringing = first[8]
    assert isinstance(ringing, IncomingCallEvent)
    assert (ringing.calling_party_number, ringing.calling_party_name) == ("3000", "Bob")
    offered = first[9]
    assert isinstance(offered, CallStateChangeEvent)
    assert offered.call_reference == handle
    assert offered.state.ringing_in
    await client.answer(handle)
    sim.remote_hangup(BASIC, handle)
    incoming = (await receiver.wait_for(14))[8:]
    assert kinds(incoming) == [
        "IncomingCall",
        "State:Offering",
        "OffHook",
        "State:Connected",
        "State:Disconnected",
        "OnHook",
    ]
    # A rejected call never went off hook.
    rejected = sim.inject_incoming(BASIC, "4000")
    await client.reject(rejected)
    assert kinds((await receiver.wait_for(17))[14:]) == [
        "IncomingCall",
        "State:Offering",
        "State:Disconnected",
    ]
    # Every post went to the configured path, and the log agrees.
    assert {path for path, _c, _b in receiver.posts} == {"/hook/s3cr3t-token"}
    log = await wait_log(sim, 17)
    assert {(r.outcome, r.status) for r in log} == {("sent", 204)}
    assert receiver.posts[0][1] == "application/x-www-form-urlencoded"


async def test_selected_events_and_switching_off(
    client: TrioClient, sim: TrioSimulator, receiver: Receiver
) -> None:
    await client.set_config(
        client.notification_config(
            receiver.url, [NotificationEvent.INCOMING_CALL, NotificationEvent.ONHOOK]
        )
    )
    handle = sim.inject_incoming(BASIC, "3000", "Bob")
    await client.answer(handle)
    await client.end_call(handle)
    events = await receiver.wait_for(2)
    await settle(sim)
    assert kinds(receiver.events()) == ["IncomingCall", "OnHook"]
    assert [type(e) for e in events] == [IncomingCallEvent, OnHookEvent]
    # Off: URL "" and every flag 0 -> nothing is posted any more.
    await client.set_config(client.notification_config(None))
    assert not (await client.notification_settings()).enabled
    handle = sim.inject_incoming(BASIC, "3001")
    await client.reject(handle)
    # Flags on but URL empty: still nothing.
    await client.set_config({"apps.telNotification.incomingEvent": "1"})
    sim.inject_incoming(BASIC, "3002")
    await settle(sim)
    assert len(receiver.events()) == 2
    assert len(sim.notifications(BASIC)) == 2


async def test_registration_events(
    client: TrioClient, sim: TrioSimulator, receiver: Receiver
) -> None:
    await client.set_config(
        client.notification_config(receiver.url, [NotificationEvent.LINE_REGISTRATION])
    )
    sim.set_registered(BASIC, False)
    sim.set_registered(BASIC, False)  # no change, no event
    sim.set_registered(BASIC, True)
    events = await receiver.wait_for(2)
    assert kinds(events) == ["Unregistered", "Registered"]
    assert all(isinstance(e, LineRegistrationEvent) and e.line == 1 for e in events)
    # A restart unregisters gracefully, then registers again after the downtime.
    await client.restart()
    assert kinds(await receiver.wait_for(4)) == [
        "Unregistered",
        "Registered",
        "Unregistered",
        "Registered",
    ]


@pytest.mark.parametrize(
    ("content_type", "wrapper"),
    [
        ("application/x-www-form-urlencoded", False),
        ("text/xml; charset=utf-8", True),
        ("application/xml", False),
        ("application/octet-stream", True),
        ("", True),
        ("application/json", False),
    ],
)
async def test_odd_content_types_and_bare_events(
    allow_hosts: None,
    receiver: Receiver,
    make_client: Callable[..., TrioClient],
    content_type: str,
    wrapper: bool,
) -> None:
    phone = spec(
        SPARE, notification_content_type=content_type, notification_wrapper=wrapper
    )
    async with TrioSimulator([phone], port=PORT) as sim:
        client = make_client(SPARE)
        await client.set_config(client.notification_config(receiver.url))
        sim.inject_incoming(SPARE, "5000", "Eve")
        events = await receiver.wait_for(2)
    assert kinds(events) == ["IncomingCall", "State:Offering"]
    (_path, received_type, body) = receiver.posts[0]
    assert received_type == content_type
    assert body.startswith(b"<PolycomIPPhone>") is wrapper


async def test_phone_without_push(
    allow_hosts: None, receiver: Receiver, make_client: Callable[..., TrioClient]
) -> None:
    async with TrioSimulator(
        [spec(SPARE, knows_notification_params=False)], port=PORT
    ) as sim:
        client = make_client(SPARE)
        assert await client.notification_support() is False
        settings = await client.notification_settings()
        assert not settings.supported
        assert not settings.enabled
        # config/set takes any name, but this firmware does not act on them.
        await client.set_config(client.notification_config(receiver.url))
        sim.inject_incoming(SPARE, "5000")
        await settle(sim)
        # A phone that refuses the whole request for unknown names: polling too.
        sim.phone(SPARE).forced_status = 4000
        assert await client.notification_support() is False
        sim.phone(SPARE).forced_status = 4004
        assert await client.notification_support() is False
    assert receiver.posts == []
    assert sim.notifications() == []


@pytest.mark.parametrize(
    "url",
    [
        "http://192.0.2.1:18490/hook/x",  # not loopback
        "https://10.0.0.1/hook",
        "http://localhost:18490/hook/x",  # a name: never resolved
        "http://[::1]:18490/hook/x",  # loopback, but not 127.0.0.0/8
        "ftp://127.0.88.40/hook",
        "not a url",
        "http://",
    ],
)
async def test_only_loopback_targets(
    client: TrioClient, sim: TrioSimulator, receiver: Receiver, url: str
) -> None:
    await client.set_config(
        {"apps.telNotification.URL": url, "apps.telNotification.offhookEvent": "1"}
    )
    await client.dial("2000")
    await settle(sim)
    log = sim.notifications(BASIC)
    assert [(r.element, r.outcome, r.status) for r in log] == [
        ("OffHookEvent", "refused", None)
    ]
    assert receiver.posts == []


async def test_redirects_are_not_followed(
    client: TrioClient, sim: TrioSimulator, receiver: Receiver
) -> None:
    await client.set_config(
        client.notification_config(
            f"http://{RECEIVER}:{RECEIVER_PORT}/redirect", [NotificationEvent.OFFHOOK]
        )
    )
    await client.dial("2000")
    await settle(sim)
    assert [(r.outcome, r.status) for r in sim.notifications(BASIC)] == [("sent", 307)]


async def test_slow_or_dead_receiver_never_blocks_rest(
    client: TrioClient, sim: TrioSimulator, receiver: Receiver
) -> None:
    sim.phone(BASIC).spec.notification_timeout = 0.3
    await client.set_config(
        client.notification_config(f"http://{RECEIVER}:{RECEIVER_PORT}/slow")
    )
    started = time.monotonic()
    await client.dial("2000")
    await wait_for_state(client, CallState.CONNECTED)
    (call,) = await client.call_status_v2()
    await client.end_call(call.handle)
    assert time.monotonic() - started < 1.0  # 6 events queued behind 0.3 s waits
    await wait_log(sim, 6)
    assert {r.outcome for r in sim.notifications(BASIC)} == {"timeout"}
    # Nobody listening at all: failed quickly, in order, nothing blocks.
    await client.set_config(
        client.notification_config(f"http://{RECEIVER}:1/nothing-here")
    )
    sim.phone(BASIC).spec.notification_timeout = 2.0
    sim.inject_incoming(BASIC, "3000")
    failed = (await wait_log(sim, 8))[6:]
    assert [(r.element, r.outcome) for r in failed] == [
        ("IncomingCallEvent", "failed"),
        ("CallStateChangeEvent", "failed"),
    ]
    # A reset forgets the log; stop() with events still queued is clean.
    sim.reset()
    assert sim.notifications() == []


async def test_event_queue_is_bounded(
    client: TrioClient, sim: TrioSimulator, receiver: Receiver
) -> None:
    await client.set_config(
        client.notification_config(
            f"http://{RECEIVER}:{RECEIVER_PORT}/slow", [NotificationEvent.INCOMING_CALL]
        )
    )
    for index in range(300):
        sim.inject_incoming(BASIC, str(index))
    dropped = [r for r in sim.notifications(BASIC) if r.outcome == "dropped"]
    assert len(dropped) == 300 - 256  # the worker has not even started yet
    receiver.release.set()
