"""The 18 action types of the group and single-device actions, validated.

An :class:`Action` is checked when it is built: a wrong or missing parameter raises
:class:`TelecomXValidationError` naming the parameter exactly as the cloud's 422
answer would, before anything is sent. :meth:`Action.query` turns it into query
parameters; :func:`encode_keys` is the one place that encodes the ``keys`` array.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
import re
from typing import Final
from urllib.parse import urlsplit

from .errors import TelecomXValidationError


class ActionType(StrEnum):
    """Type of action to perform (the ``type`` parameter)."""

    MESSAGE = "MESSAGE"
    VIDEO = "VIDEO"
    PLAYCHANNEL = "PLAYCHANNEL"
    SWITCH_OFF = "SWITCH_OFF"
    CHANNELS = "CHANNELS"
    UI = "UI"
    REBOOT = "REBOOT"
    DVB = "DVB"
    SCREENSHOT = "SCREENSHOT"
    SPEEDTEST = "SPEEDTEST"
    MANAGEMENT = "MANAGEMENT"
    SCRIPT = "SCRIPT"
    JS = "JS"
    FIRMWARE = "FIRMWARE"
    PLAYRADIOCHANNEL = "PLAYRADIOCHANNEL"
    UIDEBUG = "UIDEBUG"
    VOLUME = "VOLUME"
    EMULATEKEYS = "EMULATEKEYS"


class RemoteKey(StrEnum):
    """Remote-control keys ``EMULATEKEYS`` may press (the exact wire names)."""

    NOOP = "NOOP"
    POWER = "POWER"
    MUTE = "MUTE"
    MIC = "MIC"
    CLOCK = "CLOCK"
    NUM1 = "NUM1"
    NUM2 = "NUM2"
    NUM3 = "NUM3"
    NUM4 = "NUM4"
    NUM5 = "NUM5"
    NUM6 = "NUM6"
    NUM7 = "NUM7"
    NUM8 = "NUM8"
    NUM9 = "NUM9"
    NUM0 = "NUM0"
    MENU = "MENU"
    BACK = "BACK"
    CHANNEL_PREV = "CHANNEL_PREV"
    CHANNEL_NEXT = "CHANNEL_NEXT"
    EXIT = "EXIT"
    REFRESH = "REFRESH"
    DELETE = "DELETE"
    UP = "UP"
    DOWN = "DOWN"
    LEFT = "LEFT"
    RIGHT = "RIGHT"
    OK = "OK"
    PAGE_NEXT = "PAGE_NEXT"
    PAGE_PREV = "PAGE_PREV"
    NEXT = "NEXT"
    PREV = "PREV"
    VOL_UP = "VOL_UP"
    VOL_DOWN = "VOL_DOWN"
    RED = "RED"
    GREEN = "GREEN"
    YELLOW = "YELLOW"
    BLUE = "BLUE"
    SERVICES = "SERVICES"
    TV = "TV"
    PHONE = "PHONE"
    EPG = "EPG"
    WEB = "WEB"
    APP = "APP"
    REW = "REW"
    FFWD = "FFWD"
    PLAY = "PLAY"
    PAUSE = "PAUSE"
    CONTINUE = "CONTINUE"
    STOP = "STOP"
    REC = "REC"
    INFO = "INFO"
    FRAME = "FRAME"
    AUDIO = "AUDIO"
    NULL = "NULL"
    KEYBOARD = "KEYBOARD"


class NotifyMode(StrEnum):
    """How a ``MESSAGE`` draws attention: a sound, or the message read aloud."""

    SOUND = "SOUND"
    READ = "READ"


# Parameters each type takes: name -> required. Anything else is refused.
ACTION_PARAMETERS: Final[Mapping[ActionType, Mapping[str, bool]]] = {
    ActionType.MESSAGE: {"message": True, "notify": False, "repeat": False},
    ActionType.VIDEO: {"video": True, "message": False},
    ActionType.PLAYCHANNEL: {"channel": True},
    ActionType.SWITCH_OFF: {},
    ActionType.CHANNELS: {},
    ActionType.UI: {},
    ActionType.REBOOT: {},
    ActionType.DVB: {},
    ActionType.SCREENSHOT: {},
    ActionType.SPEEDTEST: {},
    ActionType.MANAGEMENT: {"port": True},
    ActionType.SCRIPT: {"script": True},
    ActionType.JS: {"js": True},
    ActionType.FIRMWARE: {"firmware": False},
    ActionType.PLAYRADIOCHANNEL: {"radiochannel": True},
    ActionType.UIDEBUG: {"debugserver": False},
    ActionType.VOLUME: {"volume": True},
    ActionType.EMULATEKEYS: {"keys": True},
}

# UNKNOWN FACT: which URL schemes the cloud accepts for video, script and firmware
# ("URL is invalid" is all the spec says). Absolute http(s) URLs are the documented
# examples; extend here if boxes are known to play other schemes.
URL_SCHEMES: Final = frozenset({"http", "https"})

# Our own guard, not an API fact: actions are GET requests, and URLs much longer than
# a few kB are refused by most HTTP servers and proxies.
MAX_PARAMETER_CHARS: Final = 4096

# The name of the query parameter carrying the remote keys (see ``encode_keys``).
KEYS_PARAMETER: Final = "keys"

_HOST_PORT = re.compile(r"^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def encode_keys(keys: Iterable[RemoteKey]) -> list[tuple[str, str]]:
    """Encode the ``keys`` array as query parameters.

    UNKNOWN FACT: the spec types ``keys`` as an Array but does not say how an array
    travels in a query string. Repeated ``keys=`` parameters (``keys=UP&keys=OK``) is
    the usual form and what this function produces; it is the only place to change
    (e.g. to ``keys[]=`` or one comma-joined value).
    """
    return [(KEYS_PARAMETER, key.value) for key in keys]


def check_id(value: object, parameter: str) -> str:
    """Check an object id (group, channel, device) and return it stripped.

    The notes say ids are 24 hex characters, but the spec's own channel example has
    23: the client only refuses what can never be an id (empty, blank, control
    characters, slashes, very long) and leaves the rest to the cloud's 422 answer.
    """
    if not isinstance(value, str) or not value.strip():
        raise TelecomXValidationError(parameter, f"{parameter} is missing")
    value = value.strip()
    if (
        len(value) > 128
        or _CONTROL.search(value)
        or any(char in value for char in "/?#\\ \t\r\n")
    ):
        raise TelecomXValidationError(parameter, f"{parameter} is not a valid id")
    return value


def check_url(value: object, parameter: str) -> str:
    """Check an absolute URL with a scheme from ``URL_SCHEMES``."""
    if not isinstance(value, str) or not value.strip():
        raise TelecomXValidationError(parameter, f"{parameter} is missing")
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        raise TelecomXValidationError(
            parameter, f"{parameter} URL is invalid"
        ) from None
    if (
        parts.scheme.lower() not in URL_SCHEMES
        or not parts.hostname
        or any(char.isspace() for char in value)
        or _CONTROL.search(value)
        or len(value) > MAX_PARAMETER_CHARS
    ):
        raise TelecomXValidationError(parameter, f"{parameter} URL is invalid")
    return value


def _check_text(value: object, parameter: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TelecomXValidationError(parameter, f"{parameter} is missing")
    if "\x00" in value or len(value) > MAX_PARAMETER_CHARS:
        raise TelecomXValidationError(parameter, f"{parameter} is invalid")
    return value


def _check_int(value: object, parameter: str, low: int, high: int) -> int:
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    if number is None or not low <= number <= high:
        raise TelecomXValidationError(
            parameter, f"{parameter} must be a whole number {low}-{high}"
        )
    return number


def _check_debug_server(value: object) -> str:
    if not isinstance(value, str):
        raise TelecomXValidationError("debugserver", "debugserver is invalid")
    value = value.strip()
    if not value:
        return ""  # blank: the box's defaults
    match = _HOST_PORT.match(value)
    if match is None or not 1 <= int(match.group(1)) <= 65535:
        raise TelecomXValidationError("debugserver", "debugserver must be host:port")
    return value


def _check_keys(value: object) -> tuple[RemoteKey, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TelecomXValidationError("keys", "keys must be a list of key names")
    keys: list[RemoteKey] = []
    for item in value:
        try:
            keys.append(RemoteKey(item))
        except ValueError:
            raise TelecomXValidationError(
                "keys", f"invalid key detected: {str(item)[:40]!r}"
            ) from None
    if not keys:
        raise TelecomXValidationError("keys", "no keys specified")
    return tuple(keys)


def _check_type(value: object) -> ActionType:
    try:
        return ActionType(value if isinstance(value, str) else "")
    except ValueError:
        raise TelecomXValidationError("type", "type is invalid") from None


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    """One validated action: its type and the parameters that type takes.

    Build it with :meth:`build` (generic, e.g. from a service call) or one of the
    named constructors; every path validates, so an ``Action`` is always sendable.
    """

    type: ActionType
    message: str | None = None
    notify: NotifyMode | None = None
    repeat: bool | None = None
    video: str | None = None
    channel: str | None = None
    script: str | None = None
    port: int | None = None
    js: str | None = None
    firmware: str | None = None
    radiochannel: str | None = None
    volume: int | None = None
    debugserver: str | None = None
    keys: tuple[RemoteKey, ...] | None = None

    @classmethod
    def build(
        cls,
        action_type: ActionType | str,
        params: Mapping[str, object] | None = None,
        /,
        **more: object,
    ) -> Action:
        """Validate ``params`` for ``action_type`` and build the action.

        ``None`` values count as absent. Parameters the type does not take, missing
        required ones and invalid values raise ``TelecomXValidationError`` naming
        the parameter.
        """
        kind = _check_type(action_type)
        given = {
            name: value
            for name, value in {**(params or {}), **more}.items()
            if value is not None
        }
        allowed = ACTION_PARAMETERS[kind]
        for name in given:
            if name not in allowed:
                raise TelecomXValidationError(
                    name, f"{name} is not a parameter of {kind.value}"
                )
        for name, required in allowed.items():
            if required and name not in given:
                raise TelecomXValidationError(name, f"{name} is missing")
        values: dict[str, object] = {}
        for name, value in given.items():
            values[name] = _CHECKS[name](value, name)
        if "repeat" in values and "notify" not in values:
            raise TelecomXValidationError("repeat", "repeat needs notify")
        return cls(type=kind, **values)  # type: ignore[arg-type]

    # Named constructors (each validates through ``build``).

    @classmethod
    def show_message(
        cls,
        message: str,
        *,
        notify: NotifyMode | str | None = None,
        repeat: bool | None = None,
    ) -> Action:
        """``MESSAGE``: display a text (simple HTML allowed), optionally notified."""
        return cls.build(
            ActionType.MESSAGE, message=message, notify=notify, repeat=repeat
        )

    @classmethod
    def play_video(cls, video: str, *, message: str | None = None) -> Action:
        """``VIDEO``: play the video at ``video``, optionally with a message."""
        return cls.build(ActionType.VIDEO, video=video, message=message)

    @classmethod
    def play_channel(cls, channel: str) -> Action:
        """``PLAYCHANNEL``: switch to the TV channel with this ``_id``."""
        return cls.build(ActionType.PLAYCHANNEL, channel=channel)

    @classmethod
    def play_radio_channel(cls, radiochannel: str) -> Action:
        """``PLAYRADIOCHANNEL``: play the radio channel with this id."""
        return cls.build(ActionType.PLAYRADIOCHANNEL, radiochannel=radiochannel)

    @classmethod
    def management(cls, port: int) -> Action:
        """Set up remote management on ``port`` (``MANAGEMENT``)."""
        return cls.build(ActionType.MANAGEMENT, port=port)

    @classmethod
    def run_script(cls, script: str) -> Action:
        """``SCRIPT``: download and run the configuration script at ``script``."""
        return cls.build(ActionType.SCRIPT, script=script)

    @classmethod
    def run_js(cls, js: str) -> Action:
        """``JS``: run JavaScript code in the UI."""
        return cls.build(ActionType.JS, js=js)

    @classmethod
    def firmware_upgrade(cls, firmware: str | None = None) -> Action:
        """``FIRMWARE``: upgrade firmware (optionally from this URL)."""
        return cls.build(ActionType.FIRMWARE, firmware=firmware)

    @classmethod
    def ui_debug(cls, debugserver: str | None = None) -> Action:
        """``UIDEBUG``: enable the UI debug service ("host:port", blank: defaults)."""
        return cls.build(ActionType.UIDEBUG, debugserver=debugserver)

    @classmethod
    def set_volume(cls, volume: int) -> Action:
        """``VOLUME``: set the volume, 0-100."""
        return cls.build(ActionType.VOLUME, volume=volume)

    @classmethod
    def emulate_keys(cls, keys: Iterable[RemoteKey | str]) -> Action:
        """``EMULATEKEYS``: press these remote-control keys in order."""
        return cls.build(ActionType.EMULATEKEYS, keys=keys)

    @classmethod
    def simple(cls, action_type: ActionType | str) -> Action:
        """Build a type without parameters (SWITCH_OFF, CHANNELS, UI, REBOOT, ...)."""
        return cls.build(action_type)

    def query(self) -> list[tuple[str, str]]:
        """Return the query parameters of this action, ``type`` first."""
        query = [("type", self.type.value)]
        for name in ACTION_PARAMETERS[self.type]:
            value = getattr(self, name)
            if value is None:
                continue
            if name == KEYS_PARAMETER:
                query.extend(encode_keys(value))
            elif isinstance(value, bool):
                query.append((name, "true" if value else "false"))
            else:
                query.append((name, str(value)))
        return query


def _notify(value: object, parameter: str) -> NotifyMode:
    try:
        return NotifyMode(value if isinstance(value, str) else "")
    except ValueError:
        raise TelecomXValidationError(
            parameter, "notify must be SOUND or READ"
        ) from None


def _repeat(value: object, parameter: str) -> bool:
    if not isinstance(value, bool):
        raise TelecomXValidationError(parameter, "repeat must be true or false")
    return value


_CHECKS: Final[Mapping[str, Callable[[object, str], object]]] = {
    "message": _check_text,
    "notify": _notify,
    "repeat": _repeat,
    "video": check_url,
    "channel": check_id,
    "script": check_url,
    "port": lambda value, name: _check_int(value, name, 1, 65535),
    "js": _check_text,
    "firmware": check_url,
    "radiochannel": check_id,
    "volume": lambda value, name: _check_int(value, name, 0, 100),
    "debugserver": lambda value, _name: _check_debug_server(value),
    "keys": lambda value, _name: _check_keys(value),
}
