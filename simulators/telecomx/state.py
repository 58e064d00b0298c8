"""World, accounts, tokens and the action queue of the simulated TelecomX cloud.

Everything here is synchronous and independent of HTTP; the only asynchronous part
is the execution of queued actions, scheduled with ``loop.call_later`` (delays are
multiplied by ``time_scale``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
import hashlib
import random
import re
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

from . import png

# -- static vocabulary (from the spec) --------------------------------------------

ACTION_TYPES = (
    "MESSAGE",
    "VIDEO",
    "PLAYCHANNEL",
    "SWITCH_OFF",
    "CHANNELS",
    "UI",
    "REBOOT",
    "DVB",
    "SCREENSHOT",
    "SPEEDTEST",
    "MANAGEMENT",
    "SCRIPT",
    "JS",
    "FIRMWARE",
    "PLAYRADIOCHANNEL",
    "UIDEBUG",
    "VOLUME",
    "EMULATEKEYS",
)
REMOTE_KEYS = frozenset(
    [
        "NOOP",
        "POWER",
        "MUTE",
        "MIC",
        "CLOCK",
        "NUM1",
        "NUM2",
        "NUM3",
        "NUM4",
        "NUM5",
        "NUM6",
        "NUM7",
        "NUM8",
        "NUM9",
        "NUM0",
        "MENU",
        "BACK",
        "CHANNEL_PREV",
        "CHANNEL_NEXT",
        "EXIT",
        "REFRESH",
        "DELETE",
        "UP",
        "DOWN",
        "LEFT",
        "RIGHT",
        "OK",
        "PAGE_NEXT",
        "PAGE_PREV",
        "NEXT",
        "PREV",
        "VOL_UP",
        "VOL_DOWN",
        "RED",
        "GREEN",
        "YELLOW",
        "BLUE",
        "SERVICES",
        "TV",
        "PHONE",
        "EPG",
        "WEB",
        "APP",
        "REW",
        "FFWD",
        "PLAY",
        "PAUSE",
        "CONTINUE",
        "STOP",
        "REC",
        "INFO",
        "FRAME",
        "AUDIO",
        "NULL",
        "KEYBOARD",
    ]
)
RESELLER_TYPES = frozenset({"SCREENSHOT", "SPEEDTEST", "FIRMWARE"})
ADMIN_TYPES = frozenset({"MANAGEMENT", "SCRIPT", "JS", "UIDEBUG"})
# Parameters each type takes (the simulator ignores others, as the spec says).
TYPE_PARAMS: dict[str, tuple[str, ...]] = {
    "MESSAGE": ("message", "notify", "repeat"),
    "VIDEO": ("video", "message"),
    "PLAYCHANNEL": ("channel",),
    "MANAGEMENT": ("port",),
    "SCRIPT": ("script",),
    "JS": ("js",),
    "FIRMWARE": ("firmware",),
    "PLAYRADIOCHANNEL": ("radiochannel",),
    "UIDEBUG": ("debugserver",),
    "VOLUME": ("volume",),
    "EMULATEKEYS": ("keys",),
}
# Seconds (before ``time_scale``) until a box carries an action out: 1-60 s by type.
ACTION_DELAYS: dict[str, tuple[float, float]] = {
    "MESSAGE": (1, 5),
    "VIDEO": (1, 5),
    "PLAYCHANNEL": (1, 5),
    "PLAYRADIOCHANNEL": (1, 5),
    "VOLUME": (1, 5),
    "EMULATEKEYS": (1, 5),
    "JS": (1, 5),
    "SWITCH_OFF": (1, 10),
    "UI": (1, 10),
    "UIDEBUG": (1, 10),
    "SCREENSHOT": (2, 10),
    "CHANNELS": (5, 30),
    "DVB": (5, 30),
    "REBOOT": (5, 30),
    "MANAGEMENT": (5, 30),
    "SCRIPT": (5, 60),
    "SPEEDTEST": (10, 60),
    "FIRMWARE": (10, 60),
}
LEVELS = (
    "NO_LOGIN",
    "PERSONAL",
    "VIEWER",
    "MANAGER",
    "OWNER",
    "RESELLER",
    "RESELLER_ADMIN",
    "ADMIN",
)
_HOST_PORT = re.compile(r"^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$")


class ApiError(Exception):
    """An error answer: HTTP status, error code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def oid(kind: str, number: int) -> str:
    """A deterministic 24-hex-character object id."""
    return hashlib.sha256(f"{kind}:{number}".encode()).hexdigest()[:24]


# -- world -------------------------------------------------------------------------


@dataclass(slots=True)
class Customer:
    customer_id: str
    name: str
    features: frozenset[str]
    reseller_id: str | None = None


@dataclass(slots=True)
class Account:
    email: str
    password: str
    level: str
    customer_id: str
    employee_id: str
    name: str
    sms_key: str | None = None
    authenticator_token: str | None = None


@dataclass(slots=True)
class Group:
    group_id: str
    customer_id: str
    name: str


@dataclass(slots=True, frozen=True)
class Executed:
    """One action a box actually carried out."""

    action_id: str
    type: str
    params: dict[str, Any]
    source: str  # "group" or "device"
    at: float


@dataclass(slots=True)
class Queued:
    action_id: str
    box_id: str
    type: str
    params: dict[str, Any]
    source: str
    due: float
    handle: asyncio.TimerHandle | None = None


@dataclass(slots=True)
class Box:
    device_id: str
    mac: str
    name: str
    customer_id: str
    groups: list[str]
    type: str = "STB"
    enabled: bool = True
    model: str = "MAG324"
    favorites: list[str] = field(default_factory=list)
    list_mode: str = "ALL"
    last_comm: str = ""
    # runtime state, changed only by executed actions
    queue: dict[str, Queued] = field(default_factory=dict)
    executed: list[Executed] = field(default_factory=list)
    screenshot: bytes | None = None
    screenshots_taken: int = 0
    powered: bool = True
    volume: int = 50
    channel: str | None = None
    radio_channel: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "_id": self.device_id,
            "type": self.type,
            "mac": self.mac,
            "name": self.name,
            "enabled": self.enabled,
            "groups": list(self.groups),
            "favorites": list(self.favorites),
            "listMode": self.list_mode,
            "customer": self.customer_id,
        }
        if self.type == "STB":
            data["model"] = self.model
        if self.last_comm:
            data["lastComm"] = self.last_comm
        return data


@dataclass(slots=True)
class Token:
    token: str
    email: str
    expires_at: float | None  # time.monotonic(); None: persistent
    valid: bool = True


@dataclass(slots=True)
class World:
    customers: dict[str, Customer]
    accounts: dict[str, Account]
    groups: dict[str, Group]
    boxes: dict[str, Box]
    channels: list[dict[str, Any]]
    radio_channels: list[dict[str, Any]]


PASSWORDS = {
    "viewer@aurora.example": "viewer-pass",
    "manager@aurora.example": "manager-pass",
    "owner@aurora.example": "owner-pass",
    "secure@aurora.example": "secure-pass",
    "manager@borealis.example": "manager-pass",
    "reseller@nordic.example": "reseller-pass",
    "admin@telecomx.example": "admin-pass",
}
SMS_KEY = "424242"
AUTHENTICATOR_TOKEN = "135790"  # noqa: S105 (a simulated account)


def build_world(extra_boxes: int = 0, bench_group: int = 0) -> World:
    """The default world (see the package docstring)."""
    nordic = Customer(oid("customer", 1), "Nordic TV", frozenset({"IPTVBUSINESS"}))
    aurora = Customer(
        oid("customer", 2),
        "Hotel Aurora",
        frozenset({"IPTVBUSINESS"}),
        nordic.customer_id,
    )
    borealis = Customer(
        oid("customer", 3),
        "Bar Borealis",
        frozenset({"IPTVPRIVATE"}),
        nordic.customer_id,
    )
    telecomx = Customer(oid("customer", 4), "TelecomX", frozenset())
    customers = {c.customer_id: c for c in (nordic, aurora, borealis, telecomx)}

    def account(
        number: int, email: str, level: str, customer: Customer, name: str, **kw: Any
    ) -> Account:
        return Account(
            email=email,
            password=PASSWORDS[email],
            level=level,
            customer_id=customer.customer_id,
            employee_id=oid("employee", number),
            name=name,
            **kw,
        )

    accounts = [
        account(1, "viewer@aurora.example", "VIEWER", aurora, "Vera Viewer"),
        account(2, "manager@aurora.example", "MANAGER", aurora, "Mads Manager"),
        account(3, "owner@aurora.example", "OWNER", aurora, "Olga Owner"),
        account(
            4,
            "secure@aurora.example",
            "MANAGER",
            aurora,
            "Sara Secure",
            sms_key=SMS_KEY,
            authenticator_token=AUTHENTICATOR_TOKEN,
        ),
        account(5, "manager@borealis.example", "MANAGER", borealis, "Bo Manager"),
        account(6, "reseller@nordic.example", "RESELLER", nordic, "Rikke Reseller"),
        account(7, "admin@telecomx.example", "ADMIN", telecomx, "Anders Admin"),
    ]
    group_names = [
        (1, aurora, "Lobby"),
        (2, aurora, "Floor 1"),
        (3, aurora, "Floor 2"),
        (4, aurora, "Restaurant"),
        (5, borealis, "Bar"),
        (6, borealis, "Terrace"),
        (7, aurora, "Bulk"),
        (8, aurora, "Bench"),
    ]
    groups = {
        oid("group", n): Group(oid("group", n), customer.customer_id, name)
        for n, customer, name in group_names
    }
    g = {name: oid("group", n) for n, _, name in group_names}
    boxes: list[Box] = []

    def box(name: str, customer: Customer, in_groups: Iterable[str], **kw: Any) -> None:
        number = len(boxes) + 1
        boxes.append(
            Box(
                device_id=oid("device", number),
                mac=f"00:1A:79:{number >> 16 & 0xFF:02X}:{number >> 8 & 0xFF:02X}:"
                f"{number & 0xFF:02X}",
                name=name,
                customer_id=customer.customer_id,
                groups=[g[group] for group in in_groups],
                last_comm="2025-05-01T08:00:00.000Z",
                **kw,
            )
        )

    box("Lobby left", aurora, ["Lobby"])
    box("Lobby right", aurora, ["Lobby"])
    for room in (101, 102, 103, 104):
        box(f"Room {room}", aurora, ["Floor 1"])
    for room in (201, 202, 203):
        box(f"Room {room}", aurora, ["Floor 2"])
    box("Room 204", aurora, ["Floor 2"], enabled=False)
    box("Restaurant", aurora, ["Restaurant", "Lobby"])
    box("Reception PC", aurora, ["Lobby"], type="WEB")
    box("Manager phone", aurora, [], type="IOS")
    box("Bar 1", borealis, ["Bar"])
    box("Bar 2", borealis, ["Bar"])
    box("Terrace", borealis, ["Terrace"])
    box("Bar and terrace", borealis, ["Bar", "Terrace"])
    box("Owner tablet", borealis, [], type="ANDROID")
    for n in range(extra_boxes):
        box(f"Bulk {n + 1}", aurora, ["Bulk", "Bench"] if n < bench_group else ["Bulk"])
    channel_names = [
        "DR1", "DR2", "TV 2", "TV 2 Charlie", "TV 2 News", "TV3", "TV3+", "Kanal 4",
        "Kanal 5", "6'eren", "DR Ramasjang", "BBC World", "CNN", "Eurosport 1",
        "Discovery", "National Geographic", "SVT1", "NRK1", "ARD", "ZDF",
    ]  # fmt: skip
    channels = [
        {
            "_id": oid("channel", n),
            "number": n,
            "name": channel_names[n - 1] if n <= len(channel_names) else f"Channel {n}",
            "hd": n % 3 != 0,
        }
        for n in range(1, 41)
    ]
    radio_channels = [
        {"_id": oid("radio", n), "number": n, "name": name}
        for n, name in enumerate(
            ["P1", "P2", "P3", "P4", "P5", "P6 Beat", "P7 Mix", "P8 Jazz"], start=1
        )
    ]
    return World(
        customers=customers,
        accounts={a.email: a for a in accounts},
        groups=groups,
        boxes={b.device_id: b for b in boxes},
        channels=channels,
        radio_channels=radio_channels,
    )


# -- validation of action parameters -----------------------------------------------


def _url_ok(value: str | None) -> bool:
    if not value:
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _number(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def split_keys(values: list[str]) -> list[str]:
    """Keys from repeated ``keys=`` (also tolerated: ``keys[]=``, comma-joined)."""
    keys: list[str] = []
    for value in values:
        keys.extend(part.strip() for part in value.split(",") if part.strip())
    return keys


class CloudState:
    """Accounts, tokens, the world and the action queue."""

    def __init__(
        self,
        *,
        time_scale: float = 1.0,
        extra_boxes: int = 0,
        bench_group: int = 0,
        token_minutes: float = 15.0,
        seed: int = 5,
        on_executed: Callable[[Box, Executed], None] | None = None,
    ) -> None:
        self.time_scale = time_scale
        self.extra_boxes = extra_boxes
        self.bench_group = bench_group
        self.token_minutes = token_minutes
        self.seed = seed
        self.on_executed = on_executed
        self.world = build_world(extra_boxes, bench_group)
        self.tokens: dict[str, Token] = {}
        self.random = random.Random(seed)
        # Login of a second-factor account (how the cloud answers is UNKNOWN): the
        # 401 without smsKey/authenticatorToken, and the 401 for a wrong one.
        self.second_factor_code = "credentials_invalid"
        self.second_factor_message = "SMS key or authenticator token required"
        self.second_factor_invalid_code = "credentials_invalid"
        self.second_factor_invalid_message = "Invalid credentials"
        self._idle = asyncio.Event()
        self._idle.set()

    # -- lifecycle --
    def reset(self) -> None:
        self.close()
        self.world = build_world(self.extra_boxes, self.bench_group)
        self.tokens.clear()
        self.random = random.Random(self.seed)

    def close(self) -> None:
        for box in self.world.boxes.values():
            for queued in box.queue.values():
                if queued.handle is not None:
                    queued.handle.cancel()
            box.queue.clear()
        self._idle.set()

    # -- lookups --
    def box(self, box_id: str) -> Box:
        return self.world.boxes[box_id]

    def boxes_in_group(self, name_or_id: str) -> list[Box]:
        group_id = self.group_id(name_or_id)
        return [b for b in self.world.boxes.values() if group_id in b.groups]

    def group_id(self, name_or_id: str) -> str:
        for group in self.world.groups.values():
            if name_or_id in (group.group_id, group.name):
                return group.group_id
        raise KeyError(name_or_id)

    def box_by_name(self, name: str) -> Box:
        for box in self.world.boxes.values():
            if box.name == name:
                return box
        raise KeyError(name)

    @property
    def pending(self) -> int:
        return sum(len(b.queue) for b in self.world.boxes.values())

    # -- authentication --
    def login(self, body: object) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise ApiError(400, "format_error", "Request body must be a JSON object")
        email = body.get("username")
        password = body.get("password")
        account = self.world.accounts.get(email) if isinstance(email, str) else None
        if account is None or password != account.password:
            raise ApiError(401, "credentials_invalid", "Invalid credentials")
        if account.sms_key or account.authenticator_token:
            sms, totp = body.get("smsKey"), body.get("authenticatorToken")
            if not sms and not totp:
                raise ApiError(401, self.second_factor_code, self.second_factor_message)
            if not (
                (sms and sms == account.sms_key)
                or (totp and totp == account.authenticator_token)
            ):
                raise ApiError(
                    401,
                    self.second_factor_invalid_code,
                    self.second_factor_invalid_message,
                )
        persist = body.get("persist") is True
        token = secrets.token_hex(24)
        lifetime = self.token_minutes * 60 * self.time_scale
        self.tokens[token] = Token(
            token=token,
            email=account.email,
            expires_at=None if persist else time.monotonic() + lifetime,
        )
        customer = self.world.customers[account.customer_id]
        return {
            "token": token,
            "expiresInMinutes": -1 if persist else round(self.token_minutes),
            "accessLevel": account.level,
            "employee": {
                "_id": account.employee_id,
                "name": account.name,
                "email": account.email,
            },
            "customer": {
                "_id": customer.customer_id,
                "name": customer.name,
                "features": sorted(customer.features),
            },
        }

    def authenticate(self, header: str | None, query_token: str | None) -> Account:
        token = query_token
        if header is not None:
            scheme, _, value = header.partition(" ")
            if scheme.lower() != "bearer" or not value.strip():
                raise ApiError(401, "format_error", "Malformed authorization header")
            token = value.strip()
        if not token:
            raise ApiError(401, "invalid_token", "Token missing")
        record = self.tokens.get(token)
        if record is None or not record.valid:
            raise ApiError(401, "invalid_token", "Token is invalid")
        if record.expires_at is not None and time.monotonic() >= record.expires_at:
            raise ApiError(401, "expired", "Token has expired")
        return self.world.accounts[record.email]

    def logout(self, account: Account) -> None:
        for record in self.tokens.values():
            if record.email == account.email:
                record.valid = False

    def expire_tokens(self, email: str | None = None) -> int:
        count = 0
        for record in self.tokens.values():
            if email is None or record.email == email:
                record.expires_at = time.monotonic() - 1
                count += 1
        return count

    # -- visibility --
    def customers_of(self, account: Account) -> set[str]:
        """Customers whose devices the account sees."""
        if account.level == "ADMIN":
            return set(self.world.customers)
        if account.level in ("RESELLER", "RESELLER_ADMIN"):
            own = account.customer_id
            return {own} | {
                c.customer_id
                for c in self.world.customers.values()
                if c.reseller_id == own
            }
        return {account.customer_id}

    def visible_box(self, account: Account, box_id: str) -> Box:
        found = self.world.boxes.get(box_id)
        if found is None:
            mac = box_id.upper()
            found = next(
                (b for b in self.world.boxes.values() if b.mac.upper() == mac), None
            )
        if found is None or found.customer_id not in self.customers_of(account):
            raise ApiError(404, "device", "Not found")
        return found

    def list_devices(
        self, account: Account, query: dict[str, str]
    ) -> tuple[int, int, list[Box]]:
        offset = _number(query.get("offset", "0"))
        if offset is None or offset < 0:
            raise ApiError(422, "offset", "Offset is invalid")
        limit = _number(query.get("limit", "100"))
        if limit is None or not 1 <= limit <= 500:
            raise ApiError(422, "limit", "Limit is invalid")
        kind = query.get("type", "ANY").upper()
        if kind not in ("STB", "IOS", "ANDROID", "WEB", "DRM", "ANY"):
            raise ApiError(422, "type", "Type is invalid")
        visible = self.customers_of(account)
        if "customer" in query and account.level in ("ADMIN", "RESELLER"):
            visible &= {query["customer"]}
        text = query.get("filter", "").lower()
        show_disabled = query.get("showDisabled", "false").lower() == "true"
        boxes = [
            b
            for b in self.world.boxes.values()
            if b.customer_id in visible
            and kind in ("ANY", b.type)
            and (show_disabled or b.enabled)
            and (not text or text in b.name.lower() or text in b.mac.lower())
        ]
        return offset, limit, boxes

    # -- actions --
    def check_type(self, account: Account, params: dict[str, list[str]]) -> str:
        """Gate on the access level, then check the type and its access column."""
        level = account.level
        if level not in ("MANAGER", "OWNER", "RESELLER", "RESELLER_ADMIN", "ADMIN"):
            raise ApiError(403, "access_denied", "Insufficient access level")
        kind = (params.get("type") or [""])[0]
        if kind not in ACTION_TYPES:
            raise ApiError(422, "type", "Type is invalid")
        if kind in ADMIN_TYPES and level != "ADMIN":
            raise ApiError(403, "access_denied", "Insufficient access level")
        if kind in RESELLER_TYPES and level not in (
            "RESELLER",
            "RESELLER_ADMIN",
            "ADMIN",
        ):
            raise ApiError(403, "access_denied", "Insufficient access level")
        return kind

    def check_features(self, account: Account, customers: Iterable[str]) -> None:
        """MANAGER/OWNER need IPTVBUSINESS, RESELLER either feature; ADMIN always."""
        level = account.level
        if level == "ADMIN":
            return
        needed = (
            {"IPTVBUSINESS"}
            if level in ("MANAGER", "OWNER")
            else {"IPTVBUSINESS", "IPTVPRIVATE"}
        )
        for customer_id in customers:
            if not needed & self.world.customers[customer_id].features:
                raise ApiError(403, "access_denied", "Insufficient access level")

    def validate_params(
        self, kind: str, params: dict[str, list[str]]
    ) -> dict[str, Any]:
        def one(name: str) -> str | None:
            values = params.get(name)
            return values[0] if values else None

        out: dict[str, Any] = {}
        if kind == "MESSAGE":
            message = one("message")
            if not message or not message.strip():
                raise ApiError(422, "message", "Message is missing")
            out["message"] = message
            notify = one("notify")
            if notify is not None:
                if notify not in ("SOUND", "READ"):
                    raise ApiError(422, "notify", "Notify is invalid")
                out["notify"] = notify
                repeat = one("repeat")
                if repeat is not None:
                    if repeat not in ("true", "false"):
                        raise ApiError(422, "repeat", "Repeat is invalid")
                    out["repeat"] = repeat == "true"
        elif kind == "VIDEO":
            video = one("video")
            if not _url_ok(video):
                raise ApiError(422, "video", "Video is missing or URL is invalid")
            out["video"] = video
            if one("message"):
                out["message"] = one("message")
        elif kind == "PLAYCHANNEL":
            channel = one("channel")
            if channel not in {c["_id"] for c in self.world.channels}:
                raise ApiError(422, "channel", "Channel is invalid")
            out["channel"] = channel
        elif kind == "SCRIPT":
            script = one("script")
            if not _url_ok(script):
                raise ApiError(422, "script", "Script is missing or URL is invalid")
            out["script"] = script
        elif kind == "MANAGEMENT":
            port = one("port")
            if port is None or not port.isdigit() or not 1 <= int(port) <= 65535:
                raise ApiError(422, "port", "Port is invalid")
            out["port"] = int(port)
        elif kind == "JS":
            js = one("js")
            if not js or not js.strip():
                raise ApiError(422, "js", "Javascript code is missing")
            out["js"] = js
        elif kind == "FIRMWARE":
            firmware = one("firmware")
            if firmware:
                if not _url_ok(firmware):
                    raise ApiError(422, "firmware", "URL is invalid")
                out["firmware"] = firmware
        elif kind == "PLAYRADIOCHANNEL":
            radio = one("radiochannel")
            if radio not in {c["_id"] for c in self.world.radio_channels}:
                raise ApiError(422, "radiochannel", "Channel is invalid")
            out["radiochannel"] = radio
        elif kind == "VOLUME":
            volume = one("volume")
            if volume is None or not volume.isdigit() or int(volume) > 100:
                raise ApiError(422, "volume", "Volume is invalid")
            out["volume"] = int(volume)
        elif kind == "UIDEBUG":
            server = (one("debugserver") or "").strip()
            if server:
                match = _HOST_PORT.match(server)
                if match is None or not 1 <= int(match.group(1)) <= 65535:
                    raise ApiError(422, "debugserver", "Invalid server")
            out["debugserver"] = server
        elif kind == "EMULATEKEYS":
            keys = split_keys(params.get("keys", []) + params.get("keys[]", []))
            if not keys:
                raise ApiError(422, "keys", "No keys specified")
            if any(key not in REMOTE_KEYS for key in keys):
                raise ApiError(422, "keys", "Invalid key detected")
            out["keys"] = keys
        return out

    def target_boxes(
        self, account: Account, group: str, reseller: str | None
    ) -> tuple[list[Box], set[str]]:
        """Boxes (enabled STBs) a group action addresses, and their customers."""
        if group == "WORLD":
            if account.level != "ADMIN":
                raise ApiError(403, "access_denied", "Insufficient access level")
            customers = set(self.world.customers)
        elif group == "ALL":
            if account.level == "ADMIN":
                target = reseller or account.customer_id
                customers = {target} | {
                    c.customer_id
                    for c in self.world.customers.values()
                    if c.reseller_id == target
                }
            else:
                customers = self.customers_of(account)
        else:
            found = self.world.groups.get(group)
            if found is None or found.customer_id not in self.customers_of(account):
                raise ApiError(404, "group", "Not found")
            boxes = [
                b
                for b in self.world.boxes.values()
                if group in b.groups and b.type == "STB" and b.enabled
            ]
            return boxes, {found.customer_id}
        boxes = [
            b
            for b in self.world.boxes.values()
            if b.customer_id in customers and b.type == "STB" and b.enabled
        ]
        # Gating looks at the customers that own boxes (a reseller's own record
        # may have no features of its own).
        return boxes, {b.customer_id for b in boxes}

    def schedule(
        self,
        box: Box,
        kind: str,
        params: dict[str, Any],
        source: str,
        *,
        not_before: float = 0.0,
    ) -> Queued | None:
        """Queue an action on a box; None (skipped) if that type is queued already."""
        if any(q.type == kind for q in box.queue.values()):
            return None
        low, high = ACTION_DELAYS[kind]
        delay = (not_before + self.random.uniform(low, high)) * self.time_scale
        loop = asyncio.get_running_loop()
        queued = Queued(
            action_id=secrets.token_hex(12),
            box_id=box.device_id,
            type=kind,
            params=params,
            source=source,
            due=loop.time() + delay,
        )
        queued.handle = loop.call_later(delay, self._execute, queued)
        box.queue[queued.action_id] = queued
        self._idle.clear()
        return queued

    def queued_of_type(self, box: Box, kind: str) -> Queued | None:
        return next((q for q in box.queue.values() if q.type == kind), None)

    def cancel(self, box: Box, action_id: str) -> None:
        queued = box.queue.pop(action_id, None)
        if queued is None:
            raise ApiError(404, "action", "Not found")
        if queued.handle is not None:
            queued.handle.cancel()
        self._check_idle()

    def flush(self) -> int:
        """Carry every queued action out now; return how many ran."""
        everything = sorted(
            (q for b in self.world.boxes.values() for q in b.queue.values()),
            key=lambda q: q.due,
        )
        for queued in everything:
            if queued.handle is not None:
                queued.handle.cancel()
            self._execute(queued)
        return len(everything)

    async def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait until every queued action has been carried out."""
        async with asyncio.timeout(timeout):
            await self._idle.wait()

    def _check_idle(self) -> None:
        if self.pending == 0:
            self._idle.set()

    def _execute(self, queued: Queued) -> None:
        box = self.world.boxes.get(queued.box_id)
        if box is None or box.queue.pop(queued.action_id, None) is None:
            return
        done = Executed(
            action_id=queued.action_id,
            type=queued.type,
            params=queued.params,
            source=queued.source,
            at=time.time(),
        )
        box.executed.append(done)
        kind, params = queued.type, queued.params
        if kind == "SCREENSHOT":
            box.screenshots_taken += 1
            box.screenshot = png.screenshot(
                box.device_id, box.screenshots_taken, box.channel
            )
        elif kind == "VOLUME":
            box.volume = params["volume"]
        elif kind == "PLAYCHANNEL":
            box.channel, box.radio_channel = params["channel"], None
            box.powered = True
        elif kind == "PLAYRADIOCHANNEL":
            box.radio_channel = params["radiochannel"]
            box.powered = True
        elif kind == "SWITCH_OFF":
            box.powered = False
        elif kind == "REBOOT":
            box.powered = True
        box.last_comm = (
            datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        )
        if self.on_executed is not None:
            self.on_executed(box, done)
        self._check_idle()

    # -- health samples --
    def health(self, box: Box, day_text: str | None) -> list[dict[str, Any]]:
        try:
            day = date.fromisoformat(day_text or "")
        except ValueError:
            raise ApiError(422, "date", "Date is invalid") from None
        now = datetime.now(UTC)
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        rng = random.Random(f"{box.device_id}/{day.isoformat()}")
        samples = []
        for slot in range(96):
            at = start + timedelta(minutes=15 * slot)
            if at > now:
                break
            samples.append(
                {
                    "date": at.isoformat(timespec="milliseconds").replace(
                        "+00:00", "Z"
                    ),
                    "localRTT": round(rng.uniform(0.5, 4.0), 2),
                    "localPacketLoss": round(rng.choice([0, 0, 0, 0.1, 0.5]), 2),
                    "remoteRTT": round(rng.uniform(8, 40), 2),
                    "remotePacketLoss": round(rng.choice([0, 0, 0.2, 1.0]), 2),
                    "tunnelUp": rng.random() > 0.02,
                    "bandwidth": round(rng.uniform(20, 120), 1),
                    "freeMemory": rng.randint(80_000, 250_000),
                    "cpuUsage": round(rng.uniform(2, 60), 1),
                }
            )
        return samples
