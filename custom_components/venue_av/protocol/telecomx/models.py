"""Typed, frozen models of TelecomX answers and the parsers that build them.

The API omits properties without a value, so every parser tolerates missing or
mistyped optional fields and raises only ``TelecomXResponseError`` for answers that
are not what the endpoint returns at all. Undocumented shapes (the device-list items
key, the health-sample envelope, the single-action id) are resolved in one function
each, named below.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
import json
import math
from typing import Any, Final

from ..enums import FallbackEnum
from .access import AccessLevel, allowed_action_types
from .actions import ActionType
from .errors import TelecomXResponseError

type JsonObject = Mapping[str, Any]

# UNKNOWN FACT: the key of the items in the paged device list is not documented.
# ``devices`` is likely; the other names are tried in order, then any list of objects.
DEVICE_ITEMS_KEYS: Final = ("devices", "items", "data", "results", "list")
CHANNEL_ITEMS_KEYS: Final = ("channels", "items", "data", "results", "list")
# UNKNOWN FACT: the envelope of the health samples (``/rtt``) is not documented: a
# bare list, or a list under one of these keys.
HEALTH_ITEMS_KEYS: Final = ("samples", "rtt", "data", "items", "results", "list")
# UNKNOWN FACT: the name of a health sample's timestamp.
HEALTH_TIME_KEYS: Final = ("date", "time", "timestamp", "created", "t")
# UNKNOWN FACT: how the single-device action answer names the queued action's id
# (needed to cancel it). Tried in order; ``action`` may also be an object with ``_id``.
ACTION_ID_KEYS: Final = ("actionId", "action", "_id", "id")
# UNKNOWN FACT: where the login answer lists the customer's features.
FEATURE_KEYS: Final = ("features", "customerFeatures")


class DeviceType(FallbackEnum):
    """Kind of device (only ``STB`` boxes take actions)."""

    STB = "stb"
    IOS = "ios"
    ANDROID = "android"
    WEB = "web"
    DRM = "drm"
    UNKNOWN = "unknown"


def _str(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _opt_str(value: object) -> str | None:
    text = _str(value)
    return text or None


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def _float(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "yes", "1", "on", "up"):
            return True
        if text in ("false", "no", "0", "off", "down"):
            return False
    return None


def _datetime(value: object) -> datetime | None:
    """Parse an ISO-8601 date (UTC when no offset); numbers are epoch milliseconds."""
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float)):
            return datetime.fromtimestamp(value / 1000, UTC)
        if isinstance(value, str) and value.strip():
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return None


def _id_of(value: object) -> str | None:
    """Return an id given as a string, or as an object with ``_id`` / ``id``."""
    if isinstance(value, Mapping):
        return _opt_str(value.get("_id")) or _opt_str(value.get("id"))
    return _opt_str(value)


def _ids(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in (_id_of(entry) for entry in value) if item)


def decode_json(raw: bytes, what: str) -> object:
    """Decode a JSON body; anything undecodable is a ``TelecomXResponseError``."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise TelecomXResponseError(f"TelecomX: {what} is not valid JSON") from None


def require_object(data: object, what: str) -> JsonObject:
    """Return ``data`` if it is a JSON object, else raise ``TelecomXResponseError``."""
    if not isinstance(data, Mapping):
        raise TelecomXResponseError(f"TelecomX: {what} is not a JSON object")
    return data


def page_items(data: object, keys: Iterable[str], what: str) -> list[JsonObject]:
    """Return the objects of a paged envelope (or of a bare list).

    Tries ``keys`` in order, then the only list of objects in the envelope. Items that
    are not objects are dropped.
    """
    items: object = None
    if isinstance(data, list):
        items = data
    elif isinstance(data, Mapping):
        for key in keys:
            if isinstance(data.get(key), list):
                items = data[key]
                break
        else:
            lists = [value for value in data.values() if isinstance(value, list)]
            if len(lists) == 1:
                items = lists[0]
            elif not lists:
                items = []
    if not isinstance(items, list):
        raise TelecomXResponseError(f"TelecomX: {what} without a list of items")
    return [item for item in items if isinstance(item, Mapping)]


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginResult:
    """The answer to a successful login (the token is kept out of ``repr``)."""

    token: str = field(repr=False)
    expires_in_minutes: int | None
    expires_at: datetime | None
    employee_id: str | None
    employee_name: str | None
    customer_id: str | None
    customer_name: str | None
    access_level: AccessLevel
    features: frozenset[str] | None

    @property
    def persistent(self) -> bool:
        """True for a token that does not expire (``expiresInMinutes: -1``)."""
        return self.expires_in_minutes is not None and self.expires_in_minutes < 0

    @property
    def allowed_action_types(self) -> frozenset[ActionType]:
        """The action types this account may use (see :mod:`.access`)."""
        return allowed_action_types(self.access_level, self.features)

    @classmethod
    def from_json(cls, data: object, *, now: datetime | None = None) -> LoginResult:
        """Build from the login answer; a missing token is an invalid response."""
        body = require_object(data, "login answer")
        token = body.get("token")
        if not isinstance(token, str) or not token:
            raise TelecomXResponseError("TelecomX: login answer without a token")
        minutes = _int(body.get("expiresInMinutes"))
        expires_at = None
        if minutes is not None and minutes >= 0:
            try:
                expires_at = (now or datetime.now(UTC)) + timedelta(minutes=minutes)
            except OverflowError:
                expires_at = None
        employee = body.get("employee")
        customer = body.get("customer")
        return cls(
            token=token,
            expires_in_minutes=minutes,
            expires_at=expires_at,
            employee_id=_id_of(employee),
            employee_name=_opt_str(employee.get("name"))
            if isinstance(employee, Mapping)
            else None,
            customer_id=_id_of(customer),
            customer_name=_opt_str(customer.get("name"))
            if isinstance(customer, Mapping)
            else None,
            access_level=AccessLevel.parse(_str(body.get("accessLevel"))),
            features=login_features(body),
        )


def login_features(body: JsonObject) -> frozenset[str] | None:
    """Find the customer's features in a login answer; None when not given.

    UNKNOWN FACT: looked for under ``customer`` first, then at the top level, under
    the names in ``FEATURE_KEYS``; a list of strings (or of objects with ``name``).
    """
    places: list[object] = [body.get("customer"), body]
    for place in places:
        if not isinstance(place, Mapping):
            continue
        for key in FEATURE_KEYS:
            value = place.get(key)
            if isinstance(value, list):
                names = (
                    _str(item.get("name")) if isinstance(item, Mapping) else _str(item)
                    for item in value
                )
                return frozenset(name.upper() for name in names if name)
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Device:
    """One device (set-top box or app) of the account."""

    device_id: str
    type: DeviceType
    mac: str | None
    name: str
    enabled: bool | None
    groups: tuple[str, ...]
    favorites: tuple[str, ...]
    list_mode: str | None
    # Not confirmed by the public docs: present only when the cloud sends them.
    last_comm: datetime | None
    model: str | None

    @classmethod
    def from_json(cls, data: object) -> Device:
        """Build from a device object; one without ``_id`` is an invalid response."""
        body = require_object(data, "device")
        device_id = _id_of(body.get("_id")) or _opt_str(body.get("id"))
        if not device_id:
            raise TelecomXResponseError("TelecomX: device without _id")
        mac = _opt_str(body.get("mac"))
        return cls(
            device_id=device_id,
            type=DeviceType.parse(_str(body.get("type"))),
            mac=mac,
            name=_str(body.get("name")) or mac or device_id,
            enabled=_bool(body.get("enabled")),
            groups=_ids(body.get("groups")),
            favorites=_ids(body.get("favorites")),
            list_mode=_opt_str(body.get("listMode")),
            last_comm=_datetime(body.get("lastComm")),
            model=_opt_str(body.get("model")),
        )

    @property
    def is_box(self) -> bool:
        """True for a set-top box (the only type that takes actions)."""
        return self.type is DeviceType.STB


@dataclass(frozen=True, slots=True, kw_only=True)
class Page[T]:
    """One page of a paged list: ``{offset, limit, total, <items>}``."""

    offset: int
    limit: int | None
    total: int | None
    items: tuple[T, ...]
    # Entries the page held, including any dropped as unusable (for paging).
    received: int


def parse_device_page(data: object) -> Page[Device]:
    """Parse one page of ``GET /iptv/device`` (items key: ``DEVICE_ITEMS_KEYS``)."""
    items = page_items(data, DEVICE_ITEMS_KEYS, "device list")
    envelope = data if isinstance(data, Mapping) else {}
    devices = []
    for item in items:
        try:
            devices.append(Device.from_json(item))
        except TelecomXResponseError:
            continue  # an entry without id cannot be addressed: skip it
    return Page(
        offset=_int(envelope.get("offset")) or 0,
        limit=_int(envelope.get("limit")),
        total=_int(envelope.get("total")),
        items=tuple(devices),
        received=len(items),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Channel:
    """A TV channel (``PLAYCHANNEL`` takes its ``channel_id``)."""

    channel_id: str
    number: int | None
    name: str
    hd: bool | None

    @classmethod
    def from_json(cls, data: object) -> Channel:
        """Build from a channel object."""
        body = require_object(data, "channel")
        channel_id = _id_of(body.get("_id")) or _opt_str(body.get("id"))
        if not channel_id:
            raise TelecomXResponseError("TelecomX: channel without _id")
        return cls(
            channel_id=channel_id,
            number=_int(body.get("number")),
            name=_str(body.get("name")) or channel_id,
            hd=_bool(body.get("hd")),
        )


def parse_channel_page(data: object) -> Page[Channel]:
    """Parse one page of ``GET /iptv/channel``."""
    items = page_items(data, CHANNEL_ITEMS_KEYS, "channel list")
    envelope = data if isinstance(data, Mapping) else {}
    channels = []
    for item in items:
        try:
            channels.append(Channel.from_json(item))
        except TelecomXResponseError:
            continue
    return Page(
        offset=_int(envelope.get("offset")) or 0,
        limit=_int(envelope.get("limit")),
        total=_int(envelope.get("total")),
        items=tuple(channels),
        received=len(items),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class HealthSample:
    """One health sample of a box (``/rtt``); every value may be absent."""

    time: datetime | None
    local_rtt: float | None
    local_packet_loss: float | None
    remote_rtt: float | None
    remote_packet_loss: float | None
    tunnel_up: bool | None
    bandwidth: float | None
    free_memory: float | None
    cpu_usage: float | None

    @classmethod
    def from_json(cls, data: object) -> HealthSample:
        """Build from one sample object."""
        body = require_object(data, "health sample")
        stamp = next(
            (body[key] for key in HEALTH_TIME_KEYS if body.get(key) is not None), None
        )
        return cls(
            time=_datetime(stamp),
            local_rtt=_float(body.get("localRTT")),
            local_packet_loss=_float(body.get("localPacketLoss")),
            remote_rtt=_float(body.get("remoteRTT")),
            remote_packet_loss=_float(body.get("remotePacketLoss")),
            tunnel_up=_bool(body.get("tunnelUp")),
            bandwidth=_float(body.get("bandwidth")),
            free_memory=_float(body.get("freeMemory")),
            cpu_usage=_float(body.get("cpuUsage")),
        )


def parse_health(data: object) -> tuple[HealthSample, ...]:
    """Parse the health samples answer (envelope: ``HEALTH_ITEMS_KEYS``)."""
    return tuple(
        HealthSample.from_json(item)
        for item in page_items(data, HEALTH_ITEMS_KEYS, "health samples")
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionResult:
    """What the cloud scheduled: never an assumed new state of the boxes.

    ``devices`` boxes got the action queued (carried out within 1-60 s), ``skipped``
    already had the same type queued. The single-device answer is not documented:
    counts it lacks are None, and ``action_id`` is the queued action when named.
    """

    success: bool
    devices: int | None
    skipped: int | None
    action_id: str | None = None

    @property
    def scheduled(self) -> bool:
        """True when the cloud accepted the action for at least one box."""
        return self.success and (self.devices is None or self.devices > 0)

    @classmethod
    def from_json(cls, data: object) -> ActionResult:
        """Build from ``{success, devices, skipped}`` (and an id, if any)."""
        body = require_object(data, "action answer")
        success = _bool(body.get("success"))
        return cls(
            # An answer with counts but no ``success`` is still an acceptance.
            success=success if success is not None else "devices" in body,
            devices=_int(body.get("devices")),
            skipped=_int(body.get("skipped")),
            action_id=action_id_of(body),
        )


def action_id_of(body: JsonObject) -> str | None:
    """Find the queued action's id in an action answer (``ACTION_ID_KEYS``)."""
    for key in ACTION_ID_KEYS:
        found = _id_of(body.get(key))
        if found:
            return found
    return None


def format_date(day: date) -> str:
    """Format the ``date`` query parameter of ``/rtt`` (yyyy-mm-dd)."""
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def parse_device(data: object) -> Device:
    """Parse ``GET /iptv/device/{id}``: the device object, or one wrapped in ``device``."""
    body = require_object(data, "device")
    inner = body.get("device")
    if "_id" not in body and isinstance(inner, Mapping):
        return Device.from_json(inner)
    return Device.from_json(body)
