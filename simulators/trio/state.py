"""Mutable state of one simulated Poly Trio: calls, lines, configuration, logs.

Synchronous and deterministic apart from two timers (an outgoing call connects after
``connect_delay``; restart/reboot bring the phone back after ``restart_downtime``).
Everything the notes mark UNKNOWN is a field of ``PhoneSpec`` or a constant here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
import itertools
import math
import time
from typing import Any

from .notify import DISCONNECTED, SimEvent

# Call state strings: only "Connected" and "Offering" are captured; the rest of the
# v1/v2 vocabulary is UNKNOWN (notes §4.39), so these are configurable constants.
STATE_DIALING = "Dialing"
STATE_CONNECTED = "Connected"
STATE_OFFERING = "Offering"
STATE_HOLD = "OnHold"

OK = 2000
INVALID_INPUT = 4000
LINE_NOT_REGISTERED = 4002
NOT_ALLOWED = 4003
LINE_NOT_FOUND = 4005
URLS_NOT_CONFIGURED = 4006
CALL_NOT_FOUND = 4007
INPUT_SIZE = 4009
MAX_CONFIG_NAMES = 20

Json = dict[str, Any]


class AuthMode(StrEnum):
    """How the simulated phone authenticates requests."""

    BASIC = "basic"
    DIGEST = "digest"  # RFC 7616, MD5, qop=auth
    DIGEST_SHA256 = "digest-sha256"


class DefaultPasswordStyle(StrEnum):
    """How the phone refuses requests while its admin password is the default (4010).

    The delivery is UNKNOWN (notes §1.3, §7.3): ``JSON`` answers ``{"Status":
    "4010"}`` (under ``default_password_http_status``, 200 by default); ``TEXT``
    answers that HTTP status with an HTML page naming the default password;
    ``PLAIN`` answers it with a bare HTML error page that names nothing.
    """

    JSON = "json"
    TEXT = "text"
    PLAIN = "plain"


class BusyMode(StrEnum):
    """What happens to a request that overlaps another (manual: 403 or queued)."""

    REJECT = "reject"
    QUEUE = "queue"


@dataclass(slots=True)
class PhoneSpec:
    """Static description of a simulated phone (what ``reset`` returns to)."""

    host: str
    mac: str = "0004f2fe3ab0"
    password: str = "Trio-Admin-1"  # noqa: S105 - simulator default
    model: str = "Trio 8800"
    firmware: str = "5.9.2.3446"
    number: str = "1001"
    name: str = "Room Phone"
    lines: int = 1
    registered: bool = True
    auth: AuthMode = AuthMode.BASIC
    busy: BusyMode = BusyMode.REJECT
    rest_enabled: bool = True
    default_password: bool = False
    # HTTP status carrying the 4010 refusal (UNKNOWN: 200 assumed) and its body
    # (DefaultPasswordStyle; with TEXT or PLAIN use 401 or 403).
    default_password_http_status: int = 200
    default_password_style: DefaultPasswordStyle = DefaultPasswordStyle.JSON
    # sendDTMF body keys the firmware accepts ("Digits" in three sources, "digits"
    # in one; notes §4.15): both by default, or only one of them.
    dtmf_keys: tuple[str, ...] = ("Digits", "digits")
    # Whether answer/hold/resume/ignore/reject need "Ref" (notes §4.20, UNKNOWN):
    # False picks the current call, True answers 4000 without one.
    require_ref: bool = False
    # Seconds each API request keeps the phone busy (so overlaps really happen).
    processing_delay: float = 0.02
    connect_delay: float = 0.2
    restart_downtime: float = 3.0
    max_request_bytes: int = 20 * 1024
    require_json_content_type: bool = True
    # Spelling of the CDP key in network/info (UNKNOWN for 5.9).
    cdp_key: str = "CDPCompatibility"
    # RAMDiskSize top level (MIV) or under Memory (PPM).
    ram_disk_top_level: bool = True
    # Whether the firmware knows apps.telNotification.* (Trio: UNKNOWN): without
    # them config/get reports the names invalid and no events are posted.
    knows_notification_params: bool = True
    # Telephony notification POSTs (notes §8.2/8.3, UNKNOWN on the Trio): the
    # <PolycomIPPhone> wrapper, the Content-Type (curl's default by inference), the
    # seconds the phone waits for the receiver.
    notification_wrapper: bool = True
    notification_content_type: str = "application/x-www-form-urlencoded"
    notification_timeout: float = 2.0
    # Paths of the commands the notes cannot confirm; None = answer 404.
    set_transfer_type_path: str | None = "/api/v1/mgmt/transferType/set"
    web_sign_in_path: str | None = "/api/v1/mgmt/webSignIn"
    web_sign_in_cancel_path: str | None = "/api/v1/mgmt/webSignInCancel"
    simulate_hook_path: str | None = "/api/v1/mgmt/simulateHook"
    export_configuration_path: str | None = "/api/v1/mgmt/config/export"


def default_config(spec: PhoneSpec) -> dict[str, tuple[str, str]]:
    """Configuration parameters known to the phone: name -> (value, source)."""
    config = {
        "apps.restapi.enabled": ("1", "web"),
        "device.local.deviceName": (spec.name, "device"),
        "video.callRate": ("2048", "default"),
        "reg.1.address": (spec.number, "config"),
        "reg.1.label": (spec.name, "config"),
        "voice.volume.persist.handset": ("0", "default"),
        "diags.pcap.enabled": ("0", "default"),
        "diags.pcap.background.enabled": ("0", "default"),
        "httpd.ta.enabled": ("1", "default"),
        "up.backlight.idleIntensity": ("1", "default"),
    }
    for index in range(1, 41):
        config[f"feature.sim.param{index}"] = (str(index), "default")
    if spec.knows_notification_params:
        config["apps.telNotification.URL"] = ("", "default")
        for flag in (
            "incomingEvent",
            "outgoingEvent",
            "offhookEvent",
            "onhookEvent",
            "callStateChangeEvent",
            "lineRegistrationEvent",
        ):
            config[f"apps.telNotification.{flag}"] = ("0", "default")
    return config


@dataclass(slots=True)
class SimCall:
    """One call on the simulated phone."""

    handle: int
    direction: str  # "Incoming" / "Outgoing"
    state: str
    remote_name: str
    remote_number: str
    line: int
    sequence: int
    started: float
    start_time: datetime
    ringing: bool = False
    answered: bool = False
    dtmf: list[str] = field(default_factory=list)

    @property
    def handle_v1(self) -> str:
        return f"0x{self.handle:x}"

    @property
    def handle_v2(self) -> str:
        return f"{self.handle:08x}"


@dataclass(slots=True)
class LogEntry:
    line: int
    start_time: datetime
    remote_name: str
    remote_number: str
    duration: float | None


def duration_text(seconds: float | None) -> str:
    """Call-log duration as the phone writes it ("4 mins 49 secs", "26 secs")."""
    if seconds is None:
        return ""
    total = int(seconds)
    minutes, secs = divmod(total, 60)
    return f"{minutes} mins {secs} secs" if minutes else f"{secs} secs"


def uptime_text(seconds: float, *, day_word: str = "Day") -> str:
    """Uptime "0 Day 22:02:09" (device/info) or "1 day 1:41:50" (network/stats)."""
    total = int(seconds)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    word = f"{day_word}s" if days > 1 and day_word == "Day" else day_word
    return f"{days} {word} {hours}:{minutes:02d}:{secs:02d}"


class PhoneState:
    """Calls, lines, configuration and logs of one simulated phone."""

    def __init__(self, spec: PhoneSpec) -> None:
        self.spec = spec
        self._timers: set[asyncio.TimerHandle] = set()
        # Receives every telephony event (the simulator posts the enabled ones).
        self.listener: Callable[[PhoneState, SimEvent], None] | None = None
        self.reset()

    def reset(self) -> None:
        """Back to the spec's state; pending timers are cancelled."""
        self.close()
        spec = self.spec
        self.rest_enabled = spec.rest_enabled
        self.default_password = spec.default_password
        self.default_password_http_status = spec.default_password_http_status
        self.default_password_style = DefaultPasswordStyle(spec.default_password_style)
        self.dtmf_keys = tuple(spec.dtmf_keys)
        self.require_ref = spec.require_ref
        self.auth = AuthMode(spec.auth)
        self.busy = BusyMode(spec.busy)
        self._registered = spec.registered
        self.processing_delay = spec.processing_delay
        # Test hooks: answer every API request with this Status (str or int kept
        # as given, to test both wire forms) or with this HTTP status.
        self.forced_status: int | str | None = None
        self.forced_http_status: int | None = None
        self.config = default_config(spec)
        self.calls: dict[int, SimCall] = {}
        self.muted = False
        self.transfer_type = "Consultative"
        self.logs: dict[str, list[LogEntry]] = {
            "Missed": [],
            "Received": [],
            "Placed": [],
        }
        self.actions: list[tuple[str, Json]] = []
        self.boot = time.monotonic()
        self.restarts = 0
        self._handles = itertools.count(0x41C2C008)
        self._sequence = itertools.count(1)

    def close(self) -> None:
        for timer in getattr(self, "_timers", ()):
            timer.cancel()
        self._timers = set()

    # --------------------------------------------------------------- events
    def _emit(self, element: str, call: SimCall | None = None, **kw: Any) -> None:
        if self.listener is not None:
            self.listener(self, SimEvent(element, call=call, **kw))

    def _change(self, call: SimCall, state: str | None = None) -> None:
        """A call state change event (state: the call's current one by default)."""
        self._emit(
            "CallStateChangeEvent",
            call,
            line=call.line,
            state=call.state if state is None else state,
        )

    @property
    def off_hook(self) -> bool:
        """Whether a call is in progress on our side (placed or answered)."""
        return any(c.state != STATE_OFFERING for c in self.calls.values())

    def _hook(self, was_off_hook: bool) -> None:
        """Offhook/onhook event when the hook state changed."""
        if self.off_hook and not was_off_hook:
            self._emit("OffHookEvent")
        elif was_off_hook and not self.off_hook:
            self._emit("OnHookEvent")

    @property
    def registered(self) -> bool:
        """Line registration (setting it posts (un)registration events)."""
        return self._registered

    @registered.setter
    def registered(self, value: bool) -> None:
        if value == self._registered:
            return
        self._registered = value
        self.registration_events(registered=value)

    def registration_events(self, *, registered: bool) -> None:
        """One (un)registration event per line (restart: off, then on again)."""
        element = "LineRegistrationEvent" if registered else "LineUnregistrationEvent"
        for line in range(1, self.spec.lines + 1):
            self._emit(element, line=line)

    def _later(self, delay: float, callback: Any, *args: Any) -> None:
        loop = asyncio.get_running_loop()
        holder: list[asyncio.TimerHandle] = []

        def fire() -> None:
            self._timers.discard(holder[0])
            callback(*args)

        holder.append(loop.call_later(delay, fire))
        self._timers.add(holder[0])

    # ---------------------------------------------------------------- calls
    def _new_call(
        self, direction: str, state: str, name: str, number: str, line: int
    ) -> SimCall:
        call = SimCall(
            handle=next(self._handles),
            direction=direction,
            state=state,
            remote_name=name,
            remote_number=number,
            line=line,
            sequence=next(self._sequence),
            started=time.monotonic(),
            start_time=datetime.now().replace(microsecond=0),
        )
        self.calls[call.handle] = call
        return call

    def find(self, ref: object) -> SimCall | None:
        """The call for a ``Ref`` given as "0x41c2c008" or "41c2c008"."""
        if not isinstance(ref, str):
            return None
        try:
            handle = int(ref.strip().lower().removeprefix("0x"), 16)
        except ValueError:
            return None
        return self.calls.get(handle)

    def _pick(self, ref: object, *states: str) -> SimCall | None:
        if ref is not None and ref != "":
            return self.find(ref)
        for call in self.calls.values():
            if call.state in states:
                return call
        return None

    def dial(self, data: Json) -> int:
        dest = data.get("Dest")
        if not isinstance(dest, str) or not dest.strip():
            return INVALID_INPUT
        line_raw = data.get("Line", "1")
        try:
            line = int(str(line_raw))
        except ValueError:
            return INVALID_INPUT
        call_type = str(data.get("Type", "TEL")).upper()
        if call_type not in {"SIP", "TEL", "H323"}:
            return INVALID_INPUT
        if not 1 <= line <= self.spec.lines:
            return LINE_NOT_FOUND
        if not self.registered:
            return LINE_NOT_REGISTERED
        was_off_hook = self.off_hook
        call = self._new_call("Outgoing", STATE_DIALING, "", dest.strip(), line)
        self._hook(was_off_hook)
        self._emit("OutgoingCallEvent", call, line=line)
        self._change(call)
        self._later(self.spec.connect_delay, self._connect, call.handle)
        return OK

    def _connect(self, handle: int) -> None:
        call = self.calls.get(handle)
        if call is not None and call.state == STATE_DIALING:
            call.state = STATE_CONNECTED
            call.answered = True
            call.started = time.monotonic()
            self._change(call)

    def incoming(self, number: str, name: str = "", line: int = 1) -> SimCall:
        """A call offered to the phone (ringing) from ``number``."""
        call = self._new_call("Incoming", STATE_OFFERING, name, number, line)
        call.ringing = True
        self._emit("IncomingCallEvent", call, line=line)
        self._change(call)
        return call

    def _finish(self, call: SimCall, *, missed: bool = False) -> None:
        was_off_hook = self.off_hook
        self.calls.pop(call.handle, None)
        self._change(call, DISCONNECTED)
        self._hook(was_off_hook)
        duration = time.monotonic() - call.started if call.answered else None
        entry = LogEntry(
            line=call.line,
            start_time=call.start_time,
            remote_name=call.remote_name,
            remote_number=call.remote_number,
            duration=duration,
        )
        if call.direction == "Outgoing":
            self.logs["Placed"].append(entry)
        elif missed or not call.answered:
            self.logs["Missed"].append(entry)
        else:
            self.logs["Received"].append(entry)
        if not self.calls:
            self.muted = False

    def remote_hangup(self, ref: str | None = None) -> bool:
        """The far end hangs up ``ref`` (default: any call)."""
        call = self.find(ref) if ref else next(iter(self.calls.values()), None)
        if call is None:
            return False
        self._finish(call)
        return True

    def end_call(self, data: Json) -> int:
        if "Ref" not in data:
            return INVALID_INPUT
        call = self.find(data["Ref"])
        if call is None:
            return CALL_NOT_FOUND
        if call.state == STATE_HOLD:
            return NOT_ALLOWED  # manual: "Like in case of call is on hold"
        self._finish(call)
        return OK

    def answer(self, data: Json) -> int:
        if self.require_ref and not data.get("Ref"):
            return INVALID_INPUT
        call = self._pick(data.get("Ref"), STATE_OFFERING)
        if call is None:
            return CALL_NOT_FOUND
        if call.state != STATE_OFFERING:
            return NOT_ALLOWED
        was_off_hook = self.off_hook
        call.state = STATE_CONNECTED
        call.ringing = False
        call.answered = True
        call.started = time.monotonic()
        self._hook(was_off_hook)
        self._change(call)
        return OK

    def ignore(self, data: Json) -> int:
        if self.require_ref and not data.get("Ref"):
            return INVALID_INPUT
        call = self._pick(data.get("Ref"), STATE_OFFERING)
        if call is None:
            return CALL_NOT_FOUND
        if call.state != STATE_OFFERING:
            return NOT_ALLOWED
        call.ringing = False  # silenced locally, still offered
        return OK

    def reject(self, data: Json) -> int:
        if self.require_ref and not data.get("Ref"):
            return INVALID_INPUT
        call = self._pick(data.get("Ref"), STATE_OFFERING)
        if call is None:
            return CALL_NOT_FOUND
        if call.state != STATE_OFFERING:
            return NOT_ALLOWED
        self._finish(call, missed=True)
        return OK

    def hold(self, data: Json) -> int:
        if self.require_ref and not data.get("Ref"):
            return INVALID_INPUT
        call = self._pick(data.get("Ref"), STATE_CONNECTED)
        if call is None:
            return CALL_NOT_FOUND
        if call.state != STATE_CONNECTED:
            return NOT_ALLOWED
        call.state = STATE_HOLD
        self._change(call)
        return OK

    def resume(self, data: Json) -> int:
        if self.require_ref and not data.get("Ref"):
            return INVALID_INPUT
        call = self._pick(data.get("Ref"), STATE_HOLD)
        if call is None:
            return CALL_NOT_FOUND
        if call.state != STATE_HOLD:
            return NOT_ALLOWED
        call.state = STATE_CONNECTED
        self._change(call)
        return OK

    def mute(self, data: Json) -> int:
        state = str(data.get("state", "")).strip()
        if state not in {"0", "1"}:
            return INVALID_INPUT
        if not self.calls:
            return CALL_NOT_FOUND
        self.muted = state == "1"
        return OK

    def transfer(self, data: Json) -> int:
        dest = data.get("TransferDest")
        if "Ref" not in data or not isinstance(dest, str) or not dest:
            return INVALID_INPUT
        call = self.find(data["Ref"])
        if call is None:
            return CALL_NOT_FOUND
        self.actions.append(("transfer", {"Ref": call.handle_v1, "To": dest}))
        self._finish(call)  # blind transfer: the call leaves this phone
        return OK

    def send_dtmf(self, data: Json) -> int:
        digits = next((data[k] for k in self.dtmf_keys if k in data), None)
        if not isinstance(digits, str) or not digits:
            return INVALID_INPUT
        if not set(digits) <= set("0123456789*#"):
            return INVALID_INPUT
        call = self._pick(None, STATE_CONNECTED)
        if call is None:
            return CALL_NOT_FOUND
        call.dtmf.append(digits)
        return OK

    # ----------------------------------------------------------------- config
    def get_config(self, names: object) -> tuple[int, Json]:
        if not isinstance(names, list) or not names:
            return INVALID_INPUT, {}
        if len(names) > MAX_CONFIG_NAMES:
            return INPUT_SIZE, {}
        data: Json = {}
        invalid: list[str] = []
        for name in names:
            if not isinstance(name, str):
                return INVALID_INPUT, {}
            if name in self.config:
                value, source = self.config[name]
                data[name] = {"Value": value, "Source": source}
            else:
                invalid.append(name)
        extra: Json = {"data": data}
        if invalid:
            extra["InvalidParams"] = invalid
        return OK, extra

    def set_config(self, values: object) -> int:
        if not isinstance(values, dict) or not values:
            return INVALID_INPUT
        if len(values) > MAX_CONFIG_NAMES:
            return INPUT_SIZE
        if not all(isinstance(v, str | int) for v in values.values()):
            return INVALID_INPUT
        for name, value in values.items():
            self.config[str(name)] = (str(value), "web")
        if "apps.restapi.enabled" in values:
            self.rest_enabled = str(values["apps.restapi.enabled"]) == "1"
        return OK

    # ------------------------------------------------------------------ views
    def uptime(self) -> float:
        return time.monotonic() - self.boot

    def call_v1(self, call: SimCall) -> Json:
        return {
            "CallHandle": call.handle_v1,
            "Type": call.direction,
            "Protocol": "Sip",
            "CallState": call.state,
            "LineId": str(call.line),
            "RemotePartyName": call.remote_name,
            "RemotePartyNumber": call.remote_number,
            "DurationInSeconds": str(int(time.monotonic() - call.started)),
        }

    def call_v2(self, call: SimCall, index: int, active: bool) -> Json:
        return {
            "Ringing": "1" if call.ringing else "0",
            "Media Direction": "sendonly" if call.state == STATE_HOLD else "sendrecv",
            "Protocol": "SIP",
            "Muted": "1" if self.muted else "0",
            "RTPPort": str(2222 + 2 * index),
            "RTCPPort": str(2223 + 2 * index),
            "Remote Connection IP": "192.0.2.10",
            "CallState": call.state,
            "RemotePartyNumber": call.remote_number,
            "RemotePartyName": call.remote_name,
            "CallHandle": call.handle_v2,
            "Type": call.direction,
            "UIAppearanceIndex": f"{index + 1}{'*' if active else ''}",
            "StartTime": call.start_time.isoformat(),
            "LineID": str(call.line),
            "CallSequence": str(call.sequence),
            "DurationSeconds": str(int(time.monotonic() - call.started)),
        }

    def calls_v2(self, query: dict[str, str]) -> list[Json]:
        calls = list(self.calls.values())
        active = next(
            (c.handle for c in calls if c.state == STATE_CONNECTED),
            calls[0].handle if calls else None,
        )
        result = [
            self.call_v2(call, index, call.handle == active)
            for index, call in enumerate(calls)
        ]
        if "handle" in query:
            result = [c for c in result if c["CallHandle"] == query["handle"].lower()]
        if "line" in query:
            result = [c for c in result if c["LineID"] == query["line"]]
            if "sequence" in query:
                result = [c for c in result if c["CallSequence"] == query["sequence"]]
        return result

    def poll(self) -> Json:
        if self.calls:
            call = next(iter(self.calls.values()))
            seconds = int(time.monotonic() - call.started)
            return {
                "State": "Active",
                "StateData": f"Active call duration {duration_text(seconds)}",
            }
        last = max(
            (e.start_time for entries in self.logs.values() for e in entries),
            default=None,
        )
        when = last.isoformat() if last else "1970-01-01T00:00:00"
        return {"State": "Idle", "StateData": f"Time of last call {when}"}

    def log_view(self, kind: str | None) -> Any:
        def entry(e: LogEntry) -> Json:
            return {
                "LineNumber": str(e.line),
                "StartTime": e.start_time.isoformat(),
                "RemotePartyName": e.remote_name,
                "RemotePartyNumber": e.remote_number,
                "Duration": duration_text(e.duration),
            }

        if kind is not None:
            return [entry(e) for e in self.logs[kind]]
        return {name: [entry(e) for e in items] for name, items in self.logs.items()}

    def device_info(self) -> Json:
        return {
            "ModelNumber": self.spec.model,
            "FirmwareRelease": self.spec.firmware,
            "DeviceType": "hardwareEndpoint",
            "DeviceVendor": "Polycom",
            "UpTimeSinceLastReboot": uptime_text(self.uptime()),
            "IPV4Address": self.spec.host,
            "IPV6Address": "::",
            "MACAddress": self.spec.mac,
            "AttachedHardware": {},
        }

    def device_info_v2(self) -> Json:
        total = int(self.uptime())
        days, rest = divmod(total, 86400)
        hours, rest = divmod(rest, 3600)
        minutes, seconds = divmod(rest, 60)
        return {
            "DeviceType": "HardwareEndpoint",
            "PreferredNetwork": "IPv4",
            "Firmware": {
                "BootBlock": "3.0.6.0002 (65290-001)",
                "Application": self.spec.firmware,
                "Updater": self.spec.firmware,
            },
            "DeviceVendor": "Polycom",
            "UpTime": {
                "Days": str(days),
                "Hours": str(hours),
                "Minutes": str(minutes),
                "Seconds": str(seconds),
            },
            "ModelNumber": self.spec.model,
            "IPAddress": self.spec.host,
            "IPStack": "IPv4 Only",
            "IPv6LinkAddress": "::",
            "IPv6Address": "::",
            "IPv6ULAAddress": "::",
            "AppState": "AppStateCall" if self.calls else "AppStateMenu",
            "MACAddress": self.spec.mac,
            "AttachedHardware": {},
            "CanApplyShutdownRequest": "True",
            "ReadyToUse": "True",
            "IntendToShutdown": "False",
        }

    def network_info(self) -> Json:
        return {
            "DHCP": "enabled",
            "DHCPServer": "192.0.2.1",
            "DHCPBootServerUseOption": "Custom+Option66",
            "DHCPBootServerOption": "160",
            "DHCPBootServerOptionType": "String",
            "DHCPOption60Format": "ASCII String",
            "IPV4Address": self.spec.host,
            "IPV6Address": "::",
            "DefaultGateway": "192.0.2.1",
            "SubnetMask": "255.255.255.0",
            "DNSServer": "192.0.2.53",
            "AlternateDNSServer": "",
            "DNSDomain": "example.net",
            "SNTPAddress": "pool.ntp.org",
            "LANPortStatus": "active",
            "LANSpeed": "1000Mbps",
            "LLDP": "enabled",
            self.spec.cdp_key: "enabled",
            "VLANID": "",
            "VLANDiscoveryMode": "Fixed",
            "VLANIDOption": "129",
            "ProvServerAddress": "prov.example.net",
            "ProvServerType": "HTTPS",
            "ProvServerUser": "prov",
            "UpgradeServer": "",
            "ZTPStatus": "disabled",
        }

    def network_stats(self) -> Json:
        up = self.uptime()
        return {
            "RxPackets": str(1000 + int(up * 57)),
            "TxPackets": str(800 + int(up * 41)),
            "UpTime": uptime_text(up, day_word="day"),
        }

    def device_stats(self) -> Json:
        up = self.uptime()
        current = 30 + 10 * math.sin(up / 7)
        memory: Json = {
            "Total": "1039306752",
            "Used": str(700_000_000 + int(up * 1000) % 50_000_000),
            "Free": "239306752",
            "Cached": "100000000",
            "SReclaim": "20000000",
            "ComAS": "900000000",
        }
        data: Json = {
            "CPU": {"Current": f"{current:.1f}", "Average": "32.9"},
            "Memory": memory,
        }
        if self.spec.ram_disk_top_level:
            data["RAMDiskSize"] = "67108864"
        else:
            memory["RAMDiskSize"] = "67108864"
        return data

    def line_info(self) -> list[Json]:
        return [
            {
                "LineNumber": str(line),
                "RegistrationStatus": (
                    "registered" if self.registered else "unregistered"
                ),
                "LineType": "private",
                "SIPAddress": f"{self.spec.number}@sip.example.net",
                "Label": self.spec.name,
                "UserID": self.spec.number,
                "Protocol": "SIP",
                "ProxyAddress": "sip.example.net",
                "Port": "5060",
            }
            for line in range(1, self.spec.lines + 1)
        ]

    def line_info_v2(self) -> list[Json]:
        return [
            {
                "Label": self.spec.name,
                "RegistrationStatus": (
                    "registered" if self.registered else "unregistered"
                ),
                "Username": self.spec.number,
                "CallServers": [
                    {
                        "Address": "sip.example.net",
                        "Port": "5060",
                        "Working": "True" if self.registered else "False",
                    }
                ],
                "DoNotDisturb": "False",
                "Active": "True" if line == 1 else "False",
            }
            for line in range(1, self.spec.lines + 1)
        ]

    def sip_status(self) -> Json:
        return {
            "UUID": f"00000000-0000-0000-0000-{self.spec.mac}",
            "TotalUser": "1",
            "User": [
                {
                    "Name": self.spec.number,
                    "GRUUID": "",
                    "LineNumber": "1",
                    "TotalCalls": str(len(self.calls)),
                    "TotalEvents": "1",
                    "Events": [
                        {
                            "Type": "Register",
                            "RegistrationState": (
                                "Registered" if self.registered else "Registering"
                            ),
                            "CallID": "",
                            "Expires": "3600",
                        }
                    ],
                }
            ],
        }

    def session_stats(self) -> list[Json]:
        sessions = []
        for call in self.calls.values():
            if call.state not in (STATE_CONNECTED, STATE_HOLD):
                continue
            seconds = time.monotonic() - call.started
            sessions.append(
                {
                    "Ref": call.handle_v1,
                    "SRTPCall": "False",
                    "H235Call": "False",
                    "Streams": [
                        {
                            "Ref": call.handle_v1,
                            "Category": "0:Voice",
                            "RxCodec": "3:G.722.1",
                            "TxCodec": "3:G.722.1",
                            "PacketsSent": str(int(seconds * 50)),
                            "PacketsReceived": str(int(seconds * 50)),
                            "PacketsExpected": str(int(seconds * 50)),
                            "PacketsLost": "0",
                            "OctetsSent": str(int(seconds * 4000)),
                            "OctetsReceived": str(int(seconds * 4000)),
                            "Jitter": "2",
                            "MaxJitter": "7",
                            "Latency": "12",
                            "RxMOSCQ": "4.2",
                            "TxMOSCQ": "4.1",
                            "RxMOSLQ": "4.3",
                            "TxMOSLQ": "4.3",
                        }
                    ],
                }
            )
        return sessions

    def communication_info(self) -> Json:
        return {
            "CommunicationType": ["RxTx" for _ in self.calls],
            "FarEndMuteState": [],
            "PhoneMuteState": "True" if self.muted else "False",
        }

    def uixml(self) -> str:
        if any(c.state == STATE_HOLD for c in self.calls.values()):
            label = "Resume"
        elif self.calls:
            label = "End Call"
        else:
            label = "New Call"
        return f'<Screen><SoftKey label="{label}"/></Screen>'
