"""Coordinators of a Poly Trio: where calls become Home Assistant state and events.

Two cadences share one client (the phone processes one request at a time; the
client's lock queues requests in order): call state every couple of seconds (every
second during a call), statistics every few minutes. A poll never waits behind another
poll of the same phone: it is skipped and caught up right after, so a user's action
waits for one request at most. Pushed telephony events update the same data at once;
polling stays the source of truth.
"""

from __future__ import annotations

from collections.abc import Callable
import contextlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
import time
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.util import dt as dt_util

from ..const import CONF_POLL_INTERVAL, DOMAIN, LOGGER
from ..coordinator import VenueAVCoordinator
from ..protocol.trio import (
    DEFAULT_PORT,
    Call,
    CallDirection,
    CallState,
    CallStateChangeEvent,
    DeviceInfo,
    DeviceStats,
    Line,
    LineRegistrationEvent,
    NetworkStats,
    NotificationEventType,
    RegistrationState,
    TrioAuthenticationError,
    TrioCertificateMismatchError,
    TrioClient,
    TrioDefaultPasswordError,
    TrioDeviceError,
    TrioError,
    TrioRestApiDisabledError,
    TrioUnsupportedCommandError,
)
from .const import (
    ACTIVE_POLL_INTERVAL,
    CONF_FINGERPRINT,
    CONF_PASSWORD,
    CONF_VERIFY_TLS,
    DEFAULT_POLL_INTERVAL,
    EVENT_CALL_ANSWERED,
    EVENT_CALL_ENDED,
    EVENT_INCOMING_CALL,
    EVENT_MISSED_CALL,
    EVENT_OUTGOING_CALL,
    EVENT_TRIO,
    SLOW_PARTS_INTERVAL,
    STATS_INTERVAL,
)

# Repair issues, each with the fix spelled out in its translation.
ISSUE_REST_API_DISABLED = "rest_api_disabled"
ISSUE_DEFAULT_PASSWORD = "default_password"  # noqa: S105 - an issue id
ISSUE_CERTIFICATE_CHANGED = "certificate_changed"
ISSUES = (ISSUE_REST_API_DISABLED, ISSUE_DEFAULT_PASSWORD, ISSUE_CERTIFICATE_CHANGED)

# States of a call that is up (talking or held), as opposed to ringing or dialling.
_UP_STATES = frozenset(
    {CallState.CONNECTED, CallState.CONFERENCE, CallState.CALL_REMOTE_ACTIVE}
)
_GONE_STATES = frozenset({CallState.DISCONNECTED, CallState.FREE})


def issue_id(entry: ConfigEntry[Any], issue: str) -> str:
    """Repair issue id of one phone."""
    return f"trio_{issue}_{entry.entry_id}"


def call_key(handle: str) -> str:
    """One form of a call handle: v1 says "0x41", v2 and events "00000041"."""
    text = handle.strip().lower().removeprefix("0x")
    try:
        return f"{int(text, 16):08x}"
    except ValueError:
        return text


def is_up(call: Call) -> bool:
    """Whether the call is connected or held (answered, not ringing)."""
    return call.state in _UP_STATES or call.state.on_hold


@dataclass(frozen=True, slots=True, kw_only=True)
class TrioData:
    """Calls, lines and mute of one phone after a poll or a pushed event."""

    calls: tuple[Call, ...] = ()
    lines: tuple[Line, ...] = ()
    muted: bool | None = None

    @property
    def current_call(self) -> Call | None:
        """The call the phone shows as active, else the connected one, else any."""
        for call in self.calls:
            if call.active:
                return call
        for call in self.calls:
            if call.state in _UP_STATES:
                return call
        return self.calls[0] if self.calls else None

    @property
    def ringing_call(self) -> Call | None:
        """An incoming call waiting to be answered."""
        return next((call for call in self.calls if call.state.ringing_in), None)

    @property
    def held_call(self) -> Call | None:
        """A call on hold."""
        return next((call for call in self.calls if call.state.on_hold), None)

    @property
    def in_call(self) -> bool:
        """Whether a call is dialling, connected or held (not only ringing)."""
        return any(not call.state.ringing_in for call in self.calls)


@dataclass(frozen=True, slots=True, kw_only=True)
class TrioStats:
    """What changes slowly: device info, CPU and memory, packet counters."""

    info: DeviceInfo
    device: DeviceStats | None
    network: NetworkStats | None
    # When the phone booted, from its uptime; kept steady between polls.
    booted_at: datetime | None


@dataclass(slots=True)
class _CallMemory:
    """What the coordinator remembers of a call while it lasts."""

    direction: CallDirection
    answered: bool
    started: datetime
    remote_name: str
    remote_number: str
    line: int | None


@dataclass(slots=True)
class PollGate:
    """One poll of a phone at a time: polls arriving meanwhile are skipped.

    The phone answers one request at a time; a second poll queued on the client's
    lock would only delay a user's action behind it.
    """

    busy: bool = False
    # Run when the running poll ends (a skipped call-state poll catches up).
    on_idle: list[Callable[[], None]] = field(default_factory=list)

    def release(self) -> None:
        """End the running poll and run what waited for it."""
        self.busy = False
        waiting, self.on_idle = self.on_idle, []
        for run in waiting:
            run()


def make_client(hass: HomeAssistant, entry: ConfigEntry[Any]) -> TrioClient:
    """The client of an entry's phone: pinned certificate, or verification chosen."""
    return TrioClient(
        entry.data[CONF_HOST],
        # The request's own setting (pin or False) wins; True needs a verifying session.
        async_get_clientsession(
            hass, verify_ssl=entry.data.get(CONF_VERIFY_TLS, False)
        ),
        password=entry.data[CONF_PASSWORD],
        port=entry.data.get(CONF_PORT, DEFAULT_PORT),
        pinned_fingerprint=entry.data.get(CONF_FINGERPRINT),
        verify_tls=entry.data.get(CONF_VERIFY_TLS, False),
    )


class _TrioCoordinatorBase[DataT](VenueAVCoordinator[DataT, TrioClient]):
    """Error mapping and repair issues shared by both cadences."""

    family = "trio"
    auth_translation_key = "trio_invalid_auth"

    async def async_refresh(self) -> None:
        """Refresh, unless a poll of this phone runs: then skip (and catch up after).

        Home Assistant 2026 serialises refreshes of one coordinator behind a lock, so
        a second refresh would wait there instead of reaching the gate: it goes
        through the gate first (which records the catch-up and changes nothing).
        """
        if self.gate.busy and self.data is not None:
            await self._async_update_data()
            return
        await super().async_refresh()

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        client: TrioClient,
        gate: PollGate,
        *,
        name: str,
        interval: timedelta,
    ) -> None:
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} trio {entry.data[CONF_HOST]} {name}",
            # Polls that change nothing write no entity state: the models compare by
            # value.
            always_update=False,
            update_interval=interval,
        )
        self.client = client
        self.gate = gate

    def _failed(self, err: TrioError) -> Exception:
        """The coordinator's error for ``err``, raising the repair issue it calls for."""
        if isinstance(err, TrioAuthenticationError):
            return ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="trio_invalid_auth",
                translation_placeholders={"name": self.device_name},
            )
        issue = None
        if isinstance(err, TrioRestApiDisabledError):
            issue = ISSUE_REST_API_DISABLED
        elif isinstance(err, TrioDefaultPasswordError):
            issue = ISSUE_DEFAULT_PASSWORD
        elif isinstance(err, TrioCertificateMismatchError):
            issue = ISSUE_CERTIFICATE_CHANGED
        if issue is not None:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue_id(self.config_entry, issue),
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key=f"trio_{issue}",
                translation_placeholders={
                    "name": self.device_name,
                    "host": self.config_entry.data[CONF_HOST],
                },
            )
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="update_failed",
            translation_placeholders={"name": self.device_name, "error": str(err)},
        )

    def _succeeded(self) -> None:
        for issue in ISSUES:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id(self.config_entry, issue))


class TrioCoordinator(_TrioCoordinatorBase[TrioData]):
    """Call state of one phone: polled, and updated at once by pushed events."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        client: TrioClient,
        gate: PollGate,
    ) -> None:
        """Poll at the interval of the options (faster during calls)."""
        self.idle_interval = timedelta(
            seconds=entry.options.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL)
        )
        super().__init__(
            hass, entry, client, gate, name="calls", interval=self.idle_interval
        )
        self._calls: dict[str, _CallMemory] = {}
        self._slow_parts_read_at: float | None = None
        self._catch_up_pending = False
        self._device_id: str | None = None
        self.event_listeners: list[Callable[[str, dict[str, Any]], None]] = []
        # Pushed events received and accepted (diagnostics).
        self.pushed_events = 0

    @property
    def device_id(self) -> str | None:
        """Device registry id of the phone (for events and triggers)."""
        if self._device_id is None:
            devices = dr.async_entries_for_config_entry(
                dr.async_get(self.hass), self.config_entry.entry_id
            )
            self._device_id = devices[0].id if devices else None
        return self._device_id

    def call_started(self, call: Call) -> datetime | None:
        """When the call started (steady for the call's lifetime)."""
        memory = self._calls.get(call_key(call.handle))
        return None if memory is None else memory.started

    @callback
    def async_add_event_listener(
        self, listener: Callable[[str, dict[str, Any]], None]
    ) -> CALLBACK_TYPE:
        """Call ``listener(type, data)`` for every call event; returns the remover."""
        self.event_listeners.append(listener)
        return lambda: self.event_listeners.remove(listener)

    async def _async_update_data(self) -> TrioData:
        if self.gate.busy and self.data is not None:
            # Another poll of this phone runs: do not queue behind it, catch up after.
            if not self._catch_up_pending:
                self._catch_up_pending = True
                self.gate.on_idle.append(self._catch_up)
            return self.data
        self.gate.busy = True
        pushes_before = self.pushed_events
        try:
            data = await self._poll()
        except TrioError as err:
            raise self._failed(err) from err
        finally:
            self.gate.release()
        self._succeeded()
        if self.data is not None and self.pushed_events != pushes_before:
            # An event pushed during the poll may be newer than the poll's answer:
            # keep the pushed state and look again, rather than step back in time.
            self._catch_up()
            return self.data
        self._track(data.calls, first=self.data is None)
        self.update_interval = (
            ACTIVE_POLL_INTERVAL if data.calls else self.idle_interval
        )
        return data

    @callback
    def _catch_up(self) -> None:
        self._catch_up_pending = False
        self._async_poll_soon("venue_av trio catch-up poll")

    @callback
    def _async_poll_soon(self, name: str) -> None:
        """One more poll in the background (none while Home Assistant stops)."""
        if self.hass.is_stopping:
            return
        self.config_entry.async_create_background_task(
            self.hass, self.async_refresh(), name
        )

    async def _poll(self) -> TrioData:
        calls = await self.client.call_status_v2()
        previous = self.data or TrioData()
        now = time.monotonic()
        if (
            calls
            or previous.calls
            or self._slow_parts_read_at is None
            or now - self._slow_parts_read_at >= SLOW_PARTS_INTERVAL.total_seconds()
        ):
            # lineInfo v2 lists lines in order without their numbers.
            lines = tuple(
                line
                if line.line_number is not None
                else replace(line, line_number=index)
                for index, line in enumerate(await self.client.line_info_v2(), 1)
            )
            muted = (await self.client.communication_info()).phone_muted
            self._slow_parts_read_at = now
        else:
            lines, muted = previous.lines, previous.muted
        return TrioData(calls=calls, lines=lines, muted=muted)

    # -- events -------------------------------------------------------------------

    def _track(self, calls: tuple[Call, ...], *, first: bool = False) -> None:
        """Fire the call events that the step from the known calls to ``calls`` means.

        Pushed events and polls both land here, keyed by the call's handle, so a call
        seen by both fires each event once. Calls present at start-up fire nothing.
        """
        seen: set[str] = set()
        for call in calls:
            key = call_key(call.handle)
            seen.add(key)
            memory = self._calls.get(key)
            if memory is None:
                memory = self._calls[key] = _CallMemory(
                    direction=call.direction,
                    answered=is_up(call),
                    started=_start_of(call),
                    remote_name=call.remote_name,
                    remote_number=call.remote_number,
                    line=call.line,
                )
                if first:
                    continue
                outgoing = call.direction is CallDirection.OUTGOING
                self._fire(
                    EVENT_OUTGOING_CALL if outgoing else EVENT_INCOMING_CALL,
                    key,
                    memory,
                )
                if memory.answered:
                    self._fire(EVENT_CALL_ANSWERED, key, memory)
                continue
            memory.remote_name = call.remote_name or memory.remote_name
            memory.remote_number = call.remote_number or memory.remote_number
            if not memory.answered and is_up(call):
                memory.answered = True
                self._fire(EVENT_CALL_ANSWERED, key, memory)
        for key in [key for key in self._calls if key not in seen]:
            memory = self._calls.pop(key)
            missed = (
                memory.direction is not CallDirection.OUTGOING and not memory.answered
            )
            self._fire(EVENT_MISSED_CALL if missed else EVENT_CALL_ENDED, key, memory)

    def _fire(self, event_type: str, key: str, memory: _CallMemory) -> None:
        data: dict[str, Any] = {
            "call_reference": key,
            "direction": memory.direction.value,
            "remote_name": memory.remote_name,
            "remote_number": memory.remote_number,
            "line": memory.line,
        }
        for listener in list(self.event_listeners):
            listener(event_type, data)
        self.hass.bus.async_fire(
            EVENT_TRIO,
            {
                "device_id": self.device_id,
                "name": self.device_name,
                "type": event_type,
                **data,
            },
        )

    # -- push -----------------------------------------------------------------------

    @callback
    def async_handle_push(self, events: tuple[NotificationEventType, ...]) -> None:
        """Apply pushed telephony events at once; a poll confirms them later."""
        # The webhook is registered after the first refresh: data is there.
        current = data = self.data
        refresh = False
        for event in events:
            self.pushed_events += 1
            if isinstance(event, CallStateChangeEvent) and event.call_reference:
                data = replace(data, calls=_apply_state_change(data.calls, event))
            elif isinstance(event, LineRegistrationEvent):
                data = replace(data, lines=_apply_registration(data.lines, event))
            else:
                # Incoming/outgoing call, hook changes: what they tell (parties, the
                # call's handle) arrives in a state change or the next poll.
                refresh = True
        if data is not current:
            self._track(data.calls)
            self.update_interval = (
                ACTIVE_POLL_INTERVAL if data.calls else self.idle_interval
            )
            self.async_set_updated_data(data)
        if refresh:
            self._async_poll_soon("venue_av trio pushed event poll")


class TrioStatsCoordinator(_TrioCoordinatorBase[TrioStats]):
    """Device info, CPU, memory and packet counters of one phone (slow cadence)."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        client: TrioClient,
        gate: PollGate,
    ) -> None:
        """Poll every few minutes."""
        super().__init__(
            hass, entry, client, gate, name="statistics", interval=STATS_INTERVAL
        )

    async def _async_update_data(self) -> TrioStats:
        if self.gate.busy and self.data is not None:
            return self.data  # statistics can wait for the next interval
        self.gate.busy = True
        try:
            info = await self.client.device_info()
            device: DeviceStats | None = None
            network: NetworkStats | None = None
            # Statistics a firmware may lack (a refusal, an unknown path: its device
            # info answered, so the API itself is on) mean "unknown".
            with contextlib.suppress(*_OPTIONAL_REFUSALS):
                device = await self.client.device_stats()
            with contextlib.suppress(*_OPTIONAL_REFUSALS):
                network = await self.client.network_stats()
        except TrioError as err:
            raise self._failed(err) from err
        finally:
            self.gate.release()
        self._succeeded()
        return TrioStats(
            info=info,
            device=device,
            network=network,
            booted_at=self._booted_at(info.uptime),
        )

    def _booted_at(self, uptime: timedelta | None) -> datetime | None:
        if uptime is None:
            return None
        booted = (dt_util.utcnow() - uptime).replace(microsecond=0)
        previous = None if self.data is None else self.data.booted_at
        # Uptime and clock drift by a second or two between polls: not a reboot.
        if previous is not None and abs(booted - previous) < timedelta(minutes=1):
            return previous
        return booted


_OPTIONAL_REFUSALS = (
    TrioDeviceError,
    TrioRestApiDisabledError,
    TrioUnsupportedCommandError,
)


def _start_of(call: Call) -> datetime:
    """When a call started: the phone's start time, else its duration back from now."""
    if call.start_time is not None:
        start = call.start_time
        if start.tzinfo is None:
            # The phone writes its local time without an offset.
            start = start.replace(tzinfo=dt_util.get_default_time_zone())
        return start
    now = dt_util.utcnow().replace(microsecond=0)
    return now - call.duration if call.duration is not None else now


def _apply_state_change(
    calls: tuple[Call, ...], event: CallStateChangeEvent
) -> tuple[Call, ...]:
    """The calls after a pushed state change of one of them."""
    key = call_key(event.call_reference)
    others = tuple(call for call in calls if call_key(call.handle) != key)
    if event.state in _GONE_STATES:
        return others
    existing = next((call for call in calls if call_key(call.handle) == key), None)
    info = event.call
    if existing is not None:
        return (
            *others,
            replace(
                existing,
                state=event.state,
                state_text=event.state_text,
                ringing=event.state.ringing_in,
            ),
        )
    direction = info.direction if info is not None else CallDirection.UNKNOWN
    outgoing = direction is CallDirection.OUTGOING
    name = number = ""
    if info is not None:
        name = info.called_party_name if outgoing else info.calling_party_name
        number = info.called_party_number if outgoing else info.calling_party_number
    return (
        *others,
        Call(
            handle=key,
            state=event.state,
            state_text=event.state_text,
            direction=direction,
            protocol="",
            line=event.line,
            remote_name=name,
            remote_number=number.removeprefix("sip:"),
            duration=info.duration if info is not None else None,
            ringing=event.state.ringing_in,
        ),
    )


def _apply_registration(
    lines: tuple[Line, ...], event: LineRegistrationEvent
) -> tuple[Line, ...]:
    state = (
        RegistrationState.REGISTERED
        if event.registered
        else RegistrationState.UNREGISTERED
    )
    return tuple(
        replace(line, registration=state)
        if event.line is None or line.line_number == event.line
        else line
        for line in lines
    )


@dataclass(slots=True, kw_only=True)
class TrioRuntime:
    """What a loaded phone entry holds: its client, both cadences and push state."""

    client: TrioClient
    calls: TrioCoordinator
    stats: TrioStatsCoordinator
    # The address(es) the phone posts events from; the webhook accepts no other.
    phone_addresses: frozenset[str] = frozenset()
    # The webhook URL the phone was pointed at; None while push is off.
    push_url: str | None = None

    @property
    def device_name(self) -> str:
        """The phone's name for messages (what action fan-out needs)."""
        return self.calls.device_name


type TrioConfigEntry = ConfigEntry[TrioRuntime]
