"""Typed, frozen models of Poly Trio REST responses and the parsers that build them.

The phone sends every scalar as a string (``"1"``, ``"True"``, ``"0 Day 22:02:09"``).
Each parser takes the decoded ``data`` member, converts what it knows, tolerates
missing or oddly typed members (firmware versions differ, see notes §5) and raises only
``TrioResponseError`` when the shape is plainly not a response of that command.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
import json
import math
import re
from typing import Any, Self

from ..enums import FallbackEnum
from ..xml import to_int
from .errors import TrioResponseError

# -- wire value helpers ----------------------------------------------------------

type JsonObject = dict[str, Any]


def as_object(value: object, *, what: str) -> JsonObject:
    """Return ``value`` as a JSON object; anything else is not a valid response."""
    if isinstance(value, dict):
        return value
    raise TrioResponseError(f"{what}: expected an object in data")


def as_list(value: object, *, what: str) -> list[Any]:
    """Return ``value`` as a JSON array; ``None`` (absent) is an empty list."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise TrioResponseError(f"{what}: expected an array in data")


def _obj(value: object) -> JsonObject:
    """Return a nested object, tolerant: anything that is not an object is empty."""
    return value if isinstance(value, dict) else {}


def _objects(value: object) -> list[JsonObject]:
    """Return the objects of a nested array, tolerant: other entries are skipped."""
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def to_str(value: object) -> str:
    """Return a wire string, stripped; numbers are accepted, anything else is ""."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int | float):
        return str(value)
    return ""


def to_float(value: object) -> float | None:
    """Return a decimal given as text ("35.5"); None when absent or not a finite number."""
    if isinstance(value, bool):
        return None
    text = to_str(value)
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


_TRUE = frozenset({"true", "1", "yes", "on", "enabled", "enable", "active"})
_FALSE = frozenset({"false", "0", "no", "off", "disabled", "disable", "inactive"})


def to_bool(value: object) -> bool | None:
    """Return a boolean as the phone writes it ("True", "1", "enabled"); None if unrecognised."""
    if isinstance(value, bool):
        return value
    text = to_str(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


_CLOCK = re.compile(
    r"^\s*(?:(\d+)\s*days?\s*,?\s*|(\d+)\.)?(\d+):(\d{1,2}):(\d{1,2})\s*$", re.I
)
_UNITS = re.compile(
    r"(\d+)\s*(days?|hours?|hrs?|minutes?|mins?|seconds?|secs?)\b", re.IGNORECASE
)
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_duration(value: object) -> timedelta | None:
    """Parse the phone's durations; None when absent or unreadable.

    Accepts "0 Day 22:02:09", "20 Days 16:11:42", "1 day 1:41:50", "3.02:24:46",
    "4 mins 49 secs", "26 secs", "Active call duration 1 hour 2 mins" and plain
    seconds ("409").
    """
    text = to_str(value)
    if not text:
        return None
    seconds = to_int(text)
    if seconds is not None:
        return timedelta(seconds=seconds) if 0 <= seconds < 10**9 else None
    match = _CLOCK.match(text)
    if match is not None:
        days = int(match.group(1) or match.group(2) or 0)
        hours, minutes, secs = (int(match.group(i)) for i in (3, 4, 5))
        total = days * 86400 + hours * 3600 + minutes * 60 + secs
        return timedelta(seconds=total) if total < 10**9 else None
    parts = _UNITS.findall(text)
    if not parts:
        return None
    total = sum(int(n) * _UNIT_SECONDS[unit[0].lower()] for n, unit in parts)
    return timedelta(seconds=total) if total < 10**9 else None


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?")


def parse_time(value: object) -> datetime | None:
    """Find an ISO-8601 time in the text ("Time of last call 2025-08-03T10:35:57").

    The phone sends local times without zone; the result is naive.
    """
    match = _ISO.search(to_str(value))
    if match is None:
        return None
    try:
        return datetime.fromisoformat(match.group(0).replace(" ", "T"))
    except ValueError:
        return None


def _uptime_object(value: object) -> timedelta | None:
    """``{"Days": "1", "Hours": "2", "Minutes": "3", "Seconds": "4"}`` (v2, 5.7.0)."""
    parts = _obj(value)
    if not parts:
        return None
    numbers = [to_int(parts.get(key)) or 0 for key in ("Days", "Hours", "Minutes")]
    numbers.append(to_int(parts.get("Seconds")) or 0)
    days, hours, minutes, seconds = numbers
    total = days * 86400 + hours * 3600 + minutes * 60 + seconds
    return timedelta(seconds=total) if 0 <= total < 10**9 else None


def _get(data: Mapping[str, Any], *names: str) -> object:
    """Return the first member present under any of ``names`` (spelling varies by firmware)."""
    for name in names:
        if name in data:
            return data[name]
    return None


# -- envelope --------------------------------------------------------------------


def parse_json(body: bytes, *, what: str) -> JsonObject:
    """Decode a response body into its top-level object; no body text in errors."""
    try:
        decoded = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise TrioResponseError(f"{what}: malformed JSON") from None
    if not isinstance(decoded, dict):
        raise TrioResponseError(f"{what}: response is not a JSON object")
    return decoded


def parse_status(envelope: Mapping[str, Any], *, what: str) -> int:
    """Return ``Status`` as a number; it is a string on devices, a number in the manual."""
    value = envelope.get("Status")
    if value is None:
        value = envelope.get("status")
    code = to_int(value)
    if code is None:
        raise TrioResponseError(f"{what}: response without a valid Status")
    return code


# -- enums -----------------------------------------------------------------------


class CallState(FallbackEnum):
    """State of a call (callStatus v1/v2, notification events); list incomplete (§4.39)."""

    DIALTONE = "dialtone"
    DIALING = "dialing"
    SETUP = "setup"
    PROCEEDING = "proceeding"
    RINGBACK = "ringback"
    OFFERING = "offering"
    RINGING = "ringing"
    CONNECTED = "connected"
    HOLD = "hold"
    ON_HOLD = "onhold"
    HELD = "held"
    CALL_HOLD = "callhold"
    CALL_HELD = "callheld"
    CONFERENCE = "callconference"
    # Notification events only (notes §8.3): conference hold and a shared line's call.
    CALL_CONF_HOLD = "callconfhold"
    CALL_CONF_HELD = "callconfheld"
    CALL_REMOTE_ACTIVE = "callremoteactive"
    DISCONNECTED = "disconnected"
    FREE = "free"
    UNKNOWN = "unknown"

    @property
    def on_hold(self) -> bool:
        """Held by us or by the far end."""
        return self in _HOLD_STATES

    @property
    def ringing_in(self) -> bool:
        """An incoming call waiting to be answered."""
        return self in (CallState.OFFERING, CallState.RINGING)


_HOLD_STATES = frozenset(
    {
        CallState.HOLD,
        CallState.ON_HOLD,
        CallState.HELD,
        CallState.CALL_HOLD,
        CallState.CALL_HELD,
        CallState.CALL_CONF_HOLD,
        CallState.CALL_CONF_HELD,
    }
)


class CallDirection(FallbackEnum):
    """``Type`` of a call."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"
    UNKNOWN = "unknown"


class MediaDirection(FallbackEnum):
    """``Media Direction`` of a v2 call."""

    SENDRECV = "sendrecv"
    SENDONLY = "sendonly"
    RECVONLY = "recvonly"
    INACTIVE = "inactive"
    UNKNOWN = "unknown"


class RegistrationState(FallbackEnum):
    """Registration of a line (lineInfo) or SIP user (sipStatus)."""

    REGISTERED = "registered"
    UNREGISTERED = "unregistered"
    REGISTERING = "registering"
    FAILED = "failed"
    UNKNOWN = "unknown"


class PhoneState(FallbackEnum):
    """``State`` of pollForStatus; only Idle and Active are documented (notes §4.25)."""

    IDLE = "idle"
    ACTIVE = "active"
    RINGING = "ringing"
    ERROR = "error"
    UNKNOWN = "unknown"


class ConfigSource(FallbackEnum):
    """Where a configuration value came from."""

    DEFAULT = "default"
    DEVICE = "device"
    WEB = "web"
    CONFIG = "config"
    LOCAL = "local"
    UNKNOWN = "unknown"


class TransferType(FallbackEnum):
    """The phone's transfer type setting (``Safe`` is unconfirmed)."""

    CONSULTATIVE = "consultative"
    BLIND = "blind"
    SAFE = "safe"
    UNKNOWN = "unknown"

    @property
    def wire(self) -> str:
        """The value as the phone writes it ("Consultative")."""
        return self.value.capitalize()


class DialType(StrEnum):
    """``Type`` of a dial request (manual: SIP, TEL, H323; default TEL)."""

    SIP = "SIP"
    TEL = "TEL"
    H323 = "H323"


class CallLogKind(StrEnum):
    """The lists of the call log, also the path suffix of the filtered variants."""

    MISSED = "missed"
    RECEIVED = "received"
    PLACED = "placed"


class ConfigResetTarget(StrEnum):
    """Sub-targets of configReset (none = everything)."""

    LOCAL = "local"
    WEB = "web"
    DEVICE = "device"
    CLOUD = "cloud"


class TouchType(StrEnum):
    """``Type`` of simulateTouch."""

    TAP = "Tap"
    SWIPE = "Swipe"


# -- device ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceInfo:
    """Device info, v1 (``/api/v1/mgmt/device/info``) or v2 (``/api/v2/...``).

    v1 fields: model, firmware, device type, vendor, uptime, IPv4/IPv6, MAC. v2 adds
    the firmware parts, IP stack and the shutdown/ready flags (None on v1).
    """

    model: str
    firmware: str
    device_type: str
    vendor: str
    mac_address: str
    ipv4_address: str
    ipv6_address: str
    uptime: timedelta | None
    uptime_text: str = ""
    firmware_bootblock: str = ""
    firmware_updater: str = ""
    preferred_network: str = ""
    ip_stack: str = ""
    app_state: str = ""
    ready_to_use: bool | None = None
    can_apply_shutdown_request: bool | None = None
    intend_to_shutdown: bool | None = None
    attached_hardware: JsonObject = field(default_factory=dict, compare=False)

    @classmethod
    def from_data(cls, data: object) -> Self:
        """Build from ``data`` of v1 or v2 (the 5.7.0 v1 anomaly is v2-shaped)."""
        info = as_object(data, what="device info")
        firmware_obj = _obj(info.get("Firmware"))
        uptime_raw = _get(info, "UpTimeSinceLastReboot", "UpTime")
        uptime = (
            _uptime_object(uptime_raw)
            if isinstance(uptime_raw, dict)
            else parse_duration(uptime_raw)
        )
        firmware = to_str(info.get("FirmwareRelease")) or to_str(
            firmware_obj.get("Application")
        )
        return cls(
            model=to_str(_get(info, "ModelNumber", "ModelNumber ")),
            firmware=firmware,
            device_type=to_str(info.get("DeviceType")),
            vendor=to_str(info.get("DeviceVendor")),
            mac_address=normalize_mac(to_str(_get(info, "MACAddress", "MacAddress"))),
            ipv4_address=to_str(_get(info, "IPV4Address", "IPAddress")),
            ipv6_address=to_str(_get(info, "IPV6Address", "IPv6Address")),
            uptime=uptime,
            uptime_text=uptime_raw if isinstance(uptime_raw, str) else "",
            firmware_bootblock=to_str(firmware_obj.get("BootBlock")),
            firmware_updater=to_str(firmware_obj.get("Updater")),
            preferred_network=to_str(info.get("PreferredNetwork")),
            ip_stack=to_str(info.get("IPStack")),
            app_state=to_str(info.get("AppState")),
            ready_to_use=to_bool(info.get("ReadyToUse")),
            can_apply_shutdown_request=to_bool(info.get("CanApplyShutdownRequest")),
            intend_to_shutdown=to_bool(info.get("IntendToShutdown")),
            attached_hardware=_obj(info.get("AttachedHardware")),
        )


def normalize_mac(value: str) -> str:
    """Return a MAC as 12 lower-case hex digits (the phone's own format) or as given."""
    digits = re.sub(r"[^0-9a-fA-F]", "", value)
    return digits.lower() if len(digits) == 12 else value.strip().lower()


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkInfo:
    """``/api/v1/mgmt/network/info``."""

    dhcp: bool | None
    dhcp_server: str
    ipv4_address: str
    ipv6_address: str
    subnet_mask: str
    default_gateway: str
    dns_server: str
    alternate_dns_server: str
    dns_domain: str
    sntp_address: str
    lan_port_active: bool | None
    lan_speed_mbps: int | None
    lldp: bool | None
    cdp: bool | None
    vlan_id: int | None
    vlan_discovery_mode: str
    provisioning_server: str
    provisioning_server_type: str
    provisioning_user: str
    upgrade_server: str
    ztp: bool | None

    @classmethod
    def from_data(cls, data: object) -> Self:
        """Build from ``data`` (CDP spelled either way, notes §4.5)."""
        info = as_object(data, what="network info")
        speed = re.match(r"\s*(\d+)", to_str(info.get("LANSpeed")))
        return cls(
            dhcp=to_bool(info.get("DHCP")),
            dhcp_server=to_str(info.get("DHCPServer")),
            ipv4_address=to_str(_get(info, "IPV4Address", "IPv4Address")),
            ipv6_address=to_str(_get(info, "IPV6Address", "IPv6Address")),
            subnet_mask=to_str(info.get("SubnetMask")),
            default_gateway=to_str(info.get("DefaultGateway")),
            dns_server=to_str(info.get("DNSServer")),
            alternate_dns_server=to_str(info.get("AlternateDNSServer")),
            dns_domain=to_str(info.get("DNSDomain")),
            sntp_address=to_str(info.get("SNTPAddress")),
            lan_port_active=to_bool(info.get("LANPortStatus")),
            lan_speed_mbps=int(speed.group(1)) if speed else None,
            lldp=to_bool(info.get("LLDP")),
            cdp=to_bool(_get(info, "CDPCompatibility", "CDPCompability", "CDP")),
            vlan_id=to_int(info.get("VLANID")),
            vlan_discovery_mode=to_str(info.get("VLANDiscoveryMode")),
            provisioning_server=to_str(info.get("ProvServerAddress")),
            provisioning_server_type=to_str(info.get("ProvServerType")),
            provisioning_user=to_str(info.get("ProvServerUser")),
            upgrade_server=to_str(info.get("UpgradeServer")),
            ztp=to_bool(info.get("ZTPStatus")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkStats:
    """``/api/v1/mgmt/network/stats``: packet counters since boot."""

    rx_packets: int | None
    tx_packets: int | None
    uptime: timedelta | None

    @classmethod
    def from_data(cls, data: object) -> Self:
        """Build from ``data``."""
        stats = as_object(data, what="network statistics")
        return cls(
            rx_packets=to_int(stats.get("RxPackets")),
            tx_packets=to_int(stats.get("TxPackets")),
            uptime=parse_duration(stats.get("UpTime")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceStats:
    """``/api/v1/mgmt/device/stats``: CPU in percent, memory in bytes."""

    cpu_current: float | None
    cpu_average: float | None
    memory_total: int | None
    memory_used: int | None
    memory_free: int | None
    memory_cached: int | None
    memory_reclaimable: int | None
    ram_disk_size: int | None

    @classmethod
    def from_data(cls, data: object) -> Self:
        """Build from ``data`` (``RAMDiskSize`` top level or under Memory)."""
        stats = as_object(data, what="device statistics")
        cpu = _obj(stats.get("CPU"))
        memory = _obj(stats.get("Memory"))
        ram_disk = stats.get("RAMDiskSize", memory.get("RAMDiskSize"))
        return cls(
            cpu_current=to_float(cpu.get("Current")),
            cpu_average=to_float(cpu.get("Average")),
            memory_total=to_int(memory.get("Total")),
            memory_used=to_int(memory.get("Used")),
            memory_free=to_int(memory.get("Free")),
            memory_cached=to_int(memory.get("Cached")),
            memory_reclaimable=to_int(memory.get("SReclaim")),
            ram_disk_size=to_int(ram_disk),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class RunningConfig:
    """``/api/v1/mgmt/device/runningConfig``: display strings grouped by section."""

    groups: dict[str, dict[str, str]]

    @classmethod
    def from_data(cls, data: object) -> Self:
        """Build from ``data``; non-object groups and non-scalar values are skipped."""
        config = as_object(data, what="running config")
        return cls(
            groups={
                str(name): {
                    str(key): to_str(value)
                    for key, value in group.items()
                    if not isinstance(value, dict | list)
                }
                for name, group in config.items()
                if isinstance(group, dict)
            }
        )

    def get(self, group: str, key: str) -> str | None:
        """One value, None when absent."""
        return self.groups.get(group, {}).get(key)


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigValue:
    """One configuration parameter as config/get reports it."""

    name: str
    value: str
    source: ConfigSource


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigValues:
    """The merged answers of one or more config/get requests."""

    values: dict[str, ConfigValue]
    # Names the phone rejected (``InvalidParams``, 5.8+; exact shape unknown).
    invalid: tuple[str, ...] = ()

    @classmethod
    def from_envelope(cls, envelope: Mapping[str, Any]) -> Self:
        """Build from the whole response (``InvalidParams`` sits beside ``data``)."""
        data = envelope.get("data")
        values: dict[str, ConfigValue] = {}
        if data is not None:
            for name, entry in as_object(data, what="config get").items():
                item = _obj(entry)
                values[str(name)] = ConfigValue(
                    name=str(name),
                    value=to_str(_get(item, "Value", "value")),
                    source=ConfigSource.parse(to_str(_get(item, "Source", "source"))),
                )
        return cls(values=values, invalid=parse_invalid_params(envelope))

    def merged(self, other: ConfigValues) -> ConfigValues:
        """Both answers together (for batched requests)."""
        return ConfigValues(
            values={**self.values, **other.values},
            invalid=self.invalid
            + tuple(n for n in other.invalid if n not in self.invalid),
        )

    def get(self, name: str) -> str | None:
        """Return the value of ``name``, None when the phone did not report it."""
        entry = self.values.get(name)
        return None if entry is None else entry.value


def parse_invalid_params(envelope: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the rejected names of config/get: UNKNOWN shape, array or object of names.

    POSH reads "the values" of ``InvalidParams``; accept an array of names, an
    object whose values are names, or a single string.
    """
    raw = _get(envelope, "InvalidParams", "invalidParams")
    if isinstance(raw, str):
        items: list[object] = [raw]
    elif isinstance(raw, dict):
        items = list(raw.values())
    elif isinstance(raw, list):
        items = raw
    else:
        return ()
    return tuple(name for name in (to_str(item) for item in items) if name)


@dataclass(frozen=True, slots=True, kw_only=True)
class PollStatus:
    """``/api/v1/mgmt/pollForStatus``."""

    state: PhoneState
    state_text: str
    state_data: str
    last_call: datetime | None
    active_call_duration: timedelta | None

    @classmethod
    def from_data(cls, data: object) -> Self:
        """Build from ``data``."""
        status = as_object(data, what="poll for status")
        state_text = to_str(status.get("State"))
        state_data = to_str(status.get("StateData"))
        state = PhoneState.parse(state_text)
        if state is PhoneState.UNKNOWN and "error" in state_text.lower():
            state = PhoneState.ERROR
        return cls(
            state=state,
            state_text=state_text,
            state_data=state_data,
            last_call=parse_time(state_data) if state is PhoneState.IDLE else None,
            active_call_duration=(
                parse_duration(state_data) if state is PhoneState.ACTIVE else None
            ),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class UiXml:
    """``/api/v1/mgmt/uixml``: the current screen, payload type UNKNOWN (notes §4.28)."""

    text: str

    @classmethod
    def from_data(cls, data: object) -> Self:
        """Keep text as is, render anything else as JSON text."""
        if isinstance(data, str):
            return cls(text=data)
        return cls(text="" if data is None else json.dumps(data, sort_keys=True))

    def shows(self, label: str) -> bool:
        """Whether ``label`` ("End Call", "Resume") appears on screen."""
        return label.lower() in self.text.lower()


@dataclass(frozen=True, slots=True, kw_only=True)
class CommunicationInfo:
    """``/api/v1/mgmt/media/communicationInfo``."""

    communication_types: tuple[str, ...]
    far_end_muted: tuple[bool | None, ...]
    phone_muted: bool | None

    @classmethod
    def from_data(cls, data: object) -> Self:
        """Build from ``data``."""
        info = as_object(data, what="communication info")
        types = info.get("CommunicationType")
        far_end = info.get("FarEndMuteState")
        return cls(
            communication_types=tuple(
                to_str(item) for item in (types if isinstance(types, list) else [])
            ),
            far_end_muted=tuple(
                to_bool(item) for item in (far_end if isinstance(far_end, list) else [])
            ),
            phone_muted=to_bool(info.get("PhoneMuteState")),
        )

    @property
    def two_way_audio(self) -> bool:
        """The first stream sends and receives."""
        return bool(self.communication_types) and self.communication_types[0] == "RxTx"


@dataclass(frozen=True, slots=True, kw_only=True)
class LocationInfo:
    """``/api/v1/mgmt/location/info``: schema UNKNOWN beyond four fields."""

    country: str
    state: str
    street_group: str
    house_number: str
    fields: dict[str, str]

    @classmethod
    def from_data(cls, data: object) -> Self:
        """Build from ``data``; every scalar member is kept in ``fields``."""
        info = as_object(data, what="location info")
        return cls(
            country=to_str(info.get("Country")),
            state=to_str(info.get("State")),
            street_group=to_str(info.get("StreetGroup")),
            house_number=to_str(info.get("House Number")),
            fields={
                str(key): to_str(value)
                for key, value in info.items()
                if not isinstance(value, dict | list)
            },
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class PairedComponent:
    """One component of a paired device (camera, audio, display)."""

    component_type: str
    name: str
    detail: str
    serial_number: str
    uri: str

    @classmethod
    def from_data(cls, data: JsonObject) -> Self:
        """Build from one ``ComponentList`` entry."""
        return cls(
            component_type=to_str(data.get("componentType")),
            name=to_str(data.get("componentName")),
            detail=to_str(data.get("componentDetail")),
            serial_number=to_str(data.get("componentSerialNumber")),
            uri=to_str(data.get("componentUri")),
        )


def parse_paired_devices(data: object) -> tuple[tuple[PairedComponent, ...], ...]:
    """``/api/v1/mgmt/mrpair/info``: the components of each connected device."""
    info = as_object(data, what="paired devices")
    return tuple(
        tuple(
            PairedComponent.from_data(component)
            for component in _objects(device.get("ComponentList"))
        )
        for device in _objects(info.get("ConnectedDeviceList"))
    )


# -- lines and registration -----------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CallServer:
    """One call server of a v2 line."""

    address: str
    port: int | None
    working: bool | None

    @classmethod
    def from_data(cls, data: JsonObject) -> Self:
        """Build from one ``CallServers`` entry (schema UNKNOWN beyond ``Working``)."""
        return cls(
            address=to_str(_get(data, "Address", "ProxyAddress", "Server")),
            port=to_int(data.get("Port")),
            working=to_bool(data.get("Working")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Line:
    """One line of lineInfo v1 or v2 (v2-only fields are empty on v1 and vice versa)."""

    line_number: int | None
    registration: RegistrationState
    label: str
    sip_address: str = ""
    user_id: str = ""
    line_type: str = ""
    protocol: str = ""
    proxy_address: str = ""
    port: int | None = None
    call_servers: tuple[CallServer, ...] = ()
    do_not_disturb: bool | None = None
    active: bool | None = None

    @classmethod
    def from_data(cls, data: JsonObject) -> Self:
        """Build from one array entry."""
        return cls(
            line_number=to_int(_get(data, "LineNumber", "Line")),
            registration=RegistrationState.parse(
                to_str(data.get("RegistrationStatus"))
            ),
            label=to_str(data.get("Label")),
            sip_address=to_str(data.get("SIPAddress")),
            user_id=to_str(_get(data, "UserID", "Username")),
            line_type=to_str(data.get("LineType")),
            protocol=to_str(data.get("Protocol")),
            proxy_address=to_str(data.get("ProxyAddress")),
            port=to_int(data.get("Port")),
            call_servers=tuple(
                CallServer.from_data(item) for item in _objects(data.get("CallServers"))
            ),
            do_not_disturb=to_bool(data.get("DoNotDisturb")),
            active=to_bool(data.get("Active")),
        )

    @property
    def registered(self) -> bool:
        """The line is registered with its call server."""
        return self.registration is RegistrationState.REGISTERED


def parse_lines(data: object) -> tuple[Line, ...]:
    """LineInfo v1/v2: an array of lines (a single object is taken as one line)."""
    if isinstance(data, dict):
        data = [data]
    return tuple(
        Line.from_data(item) for item in _objects(as_list(data, what="line info"))
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SipEvent:
    """One SIP event (subscription, registration) of a SIP user."""

    type: str
    registration_state: RegistrationState
    call_id: str
    expires: int | None

    @classmethod
    def from_data(cls, data: JsonObject) -> Self:
        """Build from one ``Events`` entry."""
        return cls(
            type=to_str(data.get("Type")),
            registration_state=RegistrationState.parse(
                to_str(data.get("RegistrationState"))
            ),
            call_id=to_str(data.get("CallID")),
            expires=to_int(data.get("Expires")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SipUser:
    """One SIP user (line) of sipStatus."""

    name: str
    line_number: int | None
    total_calls: int | None
    events: tuple[SipEvent, ...]

    @property
    def registration(self) -> RegistrationState:
        """State of the first register event (CEN), UNKNOWN without one."""
        for event in self.events:
            if "register" in event.type.lower():
                return event.registration_state
        return RegistrationState.UNKNOWN


@dataclass(frozen=True, slots=True, kw_only=True)
class SipStatus:
    """``/api/v1/webCallControl/sipStatus``."""

    uuid: str
    users: tuple[SipUser, ...]

    @classmethod
    def from_data(cls, data: object) -> Self:
        """Build from ``data``."""
        status = as_object(data, what="SIP status")
        return cls(
            uuid=to_str(status.get("UUID")),
            users=tuple(
                SipUser(
                    name=to_str(user.get("Name")),
                    line_number=to_int(user.get("LineNumber")),
                    total_calls=to_int(user.get("TotalCalls")),
                    events=tuple(
                        SipEvent.from_data(event)
                        for event in _objects(user.get("Events"))
                    ),
                )
                for user in _objects(status.get("User"))
            ),
        )


# -- calls -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Call:
    """A call of callStatus v1 (one call) or v2 (every call).

    ``handle`` is kept exactly as the phone wrote it ("0x49d9ed8" on v1, "41c2c008"
    on v2): commands must send it back unchanged as ``Ref``.
    """

    handle: str
    state: CallState
    state_text: str
    direction: CallDirection
    protocol: str
    line: int | None
    remote_name: str
    remote_number: str
    duration: timedelta | None
    # v2 only (and 5.7 v1):
    ringing: bool | None = None
    muted: bool | None = None
    media_direction: MediaDirection | None = None
    remote_ip: str = ""
    rtp_port: int | None = None
    rtcp_port: int | None = None
    appearance: int | None = None
    active: bool | None = None
    sequence: int | None = None
    start_time: datetime | None = None

    @classmethod
    def from_data(cls, data: JsonObject) -> Self:
        """Build from a v1 ``data`` object or one v2 array entry."""
        state_text = to_str(data.get("CallState"))
        appearance_text = to_str(data.get("UIAppearanceIndex"))
        media = data.get("Media Direction")
        return cls(
            handle=to_str(data.get("CallHandle")),
            state=CallState.parse(state_text),
            state_text=state_text,
            direction=CallDirection.parse(to_str(data.get("Type"))),
            protocol=to_str(data.get("Protocol")),
            line=to_int(_get(data, "LineId", "LineID", "LineNumber")),
            remote_name=to_str(data.get("RemotePartyName")),
            remote_number=to_str(data.get("RemotePartyNumber")),
            duration=parse_duration(_get(data, "DurationInSeconds", "DurationSeconds")),
            ringing=to_bool(data.get("Ringing")),
            muted=to_bool(data.get("Muted")),
            media_direction=(
                None if media is None else MediaDirection.parse(to_str(media))
            ),
            remote_ip=to_str(data.get("Remote Connection IP")),
            rtp_port=to_int(data.get("RTPPort")),
            rtcp_port=to_int(data.get("RTCPPort")),
            appearance=to_int(appearance_text.rstrip("*")),
            active=appearance_text.endswith("*") if appearance_text else None,
            sequence=to_int(data.get("CallSequence")),
            start_time=parse_time(data.get("StartTime")),
        )


def parse_call_v1(data: object) -> Call | None:
    """CallStatus v1 ``data``; an object without a handle or state means no call."""
    call = Call.from_data(as_object(data, what="call status"))
    return call if call.handle or call.state_text else None


def parse_calls_v2(data: object) -> tuple[Call, ...]:
    """CallStatus v2 ``data``: every call ([] when idle; one object is one call)."""
    if isinstance(data, dict):
        data = [data] if data else []
    return tuple(
        Call.from_data(item) for item in _objects(as_list(data, what="call status v2"))
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class CallLogEntry:
    """One call of the call log."""

    kind: CallLogKind
    line: int | None
    start_time: datetime | None
    remote_name: str
    remote_number: str
    duration: timedelta | None

    @classmethod
    def from_data(cls, kind: CallLogKind, data: JsonObject) -> Self:
        """Build from one list entry ("Duration": "4 mins 49 secs", "" = none)."""
        return cls(
            kind=kind,
            line=to_int(data.get("LineNumber")),
            start_time=parse_time(data.get("StartTime")),
            remote_name=to_str(data.get("RemotePartyName")),
            remote_number=to_str(data.get("RemotePartyNumber")),
            duration=parse_duration(data.get("Duration")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CallLogs:
    """``/api/v1/mgmt/callLogs``: missed, received and placed calls."""

    missed: tuple[CallLogEntry, ...] = ()
    received: tuple[CallLogEntry, ...] = ()
    placed: tuple[CallLogEntry, ...] = ()

    @classmethod
    def from_data(cls, data: object) -> Self:
        """Build from the full log (an object with three arrays)."""
        logs = as_object(data, what="call logs")
        return cls(
            **{
                kind.value: parse_call_log_list(
                    kind, _get(logs, kind.value.capitalize(), kind.value)
                )
                for kind in CallLogKind
            }
        )


def parse_call_log_list(kind: CallLogKind, data: object) -> tuple[CallLogEntry, ...]:
    """One list of the log (the filtered paths return the bare array, notes §4.16)."""
    if isinstance(data, dict):
        # Some firmware may wrap the filtered list like the full log.
        data = _get(data, kind.value.capitalize(), kind.value)
    if not isinstance(data, list):
        return ()
    return tuple(CallLogEntry.from_data(kind, item) for item in _objects(data))


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaStream:
    """One audio or video stream of a media session."""

    ref: str
    category: str
    rx_codec: str
    tx_codec: str
    packets_sent: int | None
    packets_received: int | None
    packets_expected: int | None
    packets_lost: int | None
    octets_sent: int | None
    octets_received: int | None
    jitter: float | None
    max_jitter: float | None
    latency: float | None
    rx_mos_cq: float | None
    tx_mos_cq: float | None
    rx_mos_lq: float | None
    tx_mos_lq: float | None
    video_rx_framerate: float | None = None
    video_tx_framerate: float | None = None
    video_rx_bitrate_kbps: float | None = None
    video_tx_bitrate_kbps: float | None = None

    @classmethod
    def from_data(cls, data: JsonObject) -> Self:
        """Build from one ``Streams`` entry."""
        return cls(
            ref=to_str(data.get("Ref")),
            category=to_str(data.get("Category")),
            rx_codec=to_str(data.get("RxCodec")),
            tx_codec=to_str(data.get("TxCodec")),
            packets_sent=to_int(data.get("PacketsSent")),
            packets_received=to_int(data.get("PacketsReceived")),
            packets_expected=to_int(data.get("PacketsExpected")),
            packets_lost=to_int(data.get("PacketsLost")),
            octets_sent=to_int(data.get("OctetsSent")),
            octets_received=to_int(data.get("OctetsReceived")),
            jitter=to_float(data.get("Jitter")),
            max_jitter=to_float(data.get("MaxJitter")),
            latency=to_float(data.get("Latency")),
            rx_mos_cq=to_float(data.get("RxMOSCQ")),
            tx_mos_cq=to_float(data.get("TxMOSCQ")),
            rx_mos_lq=to_float(data.get("RxMOSLQ")),
            tx_mos_lq=to_float(data.get("TxMOSLQ")),
            video_rx_framerate=to_float(data.get("VideoRxFramerate")),
            video_tx_framerate=to_float(data.get("VideoTxFramerate")),
            video_rx_bitrate_kbps=to_float(data.get("VideoRxActBitrateKbps")),
            video_tx_bitrate_kbps=to_float(data.get("VideoTxActBitrateKbps")),
        )

    @property
    def is_video(self) -> bool:
        """Category "1:Video"."""
        return "video" in self.category.lower()


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaSession:
    """One media session of sessionStats; ``ref`` equals the call's handle."""

    ref: str
    srtp: bool | None
    h235: bool | None
    streams: tuple[MediaStream, ...]

    @classmethod
    def from_data(cls, data: JsonObject) -> Self:
        """Build from one array entry."""
        return cls(
            ref=to_str(data.get("Ref")),
            srtp=to_bool(data.get("SRTPCall")),
            h235=to_bool(data.get("H235Call")),
            streams=tuple(
                MediaStream.from_data(item) for item in _objects(data.get("Streams"))
            ),
        )


def parse_sessions(data: object) -> tuple[MediaSession, ...]:
    """SessionStats ``data``: an array (idle shape UNKNOWN: absent, [] or {} are none)."""
    if isinstance(data, dict):
        data = [data] if data else []
    return tuple(
        MediaSession.from_data(item)
        for item in _objects(as_list(data, what="session stats"))
    )


def parse_transfer_type(data: object) -> TransferType:
    """transferType/get ``data``: ``{"Type": "Consultative"}``."""
    return TransferType.parse(to_str(as_object(data, what="transfer type").get("Type")))


def parse_presence(envelope: Mapping[str, Any]) -> str:
    """getPresence: top-level ``Presence`` (or under ``data``); value set UNKNOWN."""
    value = envelope.get("Presence")
    if value is None:
        data = envelope.get("data")
        value = data.get("Presence") if isinstance(data, dict) else data
    return to_str(value)
