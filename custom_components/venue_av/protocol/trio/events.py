"""Telephony notification events (push) of Polycom UC Software phones, notes §8.

A phone whose ``apps.telNotification.URL`` is set POSTs one small XML document per
event to that URL: no authentication, content type UNKNOWN (curl's form default is
likely), wrapper ``<PolycomIPPhone>`` documented for VVX but UNKNOWN on the Trio.
The receiver must therefore read the raw body, never form-decode it, and accept both
the wrapped and the bare event element.

``parse_events`` turns such a body into typed, frozen events. It is hardened like every
XML parser of this package (``protocol/xml.py``: no entities, no DTD, no network, a
DOCTYPE is refused) and caps the body at ``MAX_EVENT_BYTES``. Unknown event elements
become ``UnknownEvent``; only a body that is not XML at all (malformed, empty,
oversized, with a DOCTYPE) raises ``TrioResponseError``.

Whether the Trio sends these events at all is not confirmed (notes §8.4): treat them as
an accelerator on top of polling, never as the only source of state.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final, TypedDict

from lxml import etree

from ..xml import parse_xml, text_of, to_int
from .errors import TrioResponseError
from .models import (
    CallDirection,
    CallState,
    ConfigValues,
    normalize_mac,
    parse_duration,
    to_bool,
)

# Real events are a few hundred bytes; 64 KiB leaves room for odd firmware.
MAX_EVENT_BYTES: Final = 64 * 1024
# The documented wrapper element (VVX/SoundPoint; Trio UNKNOWN).
WRAPPER: Final = "PolycomIPPhone"
# Elements and attributes read into ``UnknownEvent.fields`` at most (a cap on work).
MAX_UNKNOWN_FIELDS: Final = 200


class NotificationEvent(StrEnum):
    """The events one 0/1 flag switches on, value = the flag's name (notes §8.1)."""

    INCOMING_CALL = "incomingEvent"
    OUTGOING_CALL = "outgoingEvent"
    OFFHOOK = "offhookEvent"
    ONHOOK = "onhookEvent"
    CALL_STATE_CHANGE = "callStateChangeEvent"
    LINE_REGISTRATION = "lineRegistrationEvent"  # also gates unregistration (L)

    @property
    def param(self) -> str:
        """The configuration parameter of the flag (``apps.telNotification.<flag>``)."""
        return f"apps.telNotification.{self.value}"


# The URL parameter (notes §8.1); empty = the feature is off.
NOTIFICATION_URL_PARAM: Final = "apps.telNotification.URL"


@dataclass(frozen=True, slots=True, kw_only=True)
class NotificationSettings:
    """The phone's telephony notification parameters as config/get reported them."""

    # The phone knows ``apps.telNotification.URL``: push capable (not confirmed on a
    # Trio, notes §8.4). False: poll only.
    supported: bool
    url: str = ""
    # Flags reported as "1", and every flag the phone reported at all.
    events: frozenset[NotificationEvent] = frozenset()
    known_events: frozenset[NotificationEvent] = frozenset()

    @property
    def enabled(self) -> bool:
        """Whether the phone posts at least one kind of event somewhere."""
        return self.supported and bool(self.url) and bool(self.events)

    @classmethod
    def from_config(cls, values: ConfigValues) -> NotificationSettings:
        """Build from the answer of a config get of the URL and the six flags."""
        if (
            NOTIFICATION_URL_PARAM not in values.values
            or NOTIFICATION_URL_PARAM in values.invalid
        ):
            return cls(supported=False)
        known = frozenset(
            event
            for event in NotificationEvent
            if event.param in values.values and event.param not in values.invalid
        )
        return cls(
            supported=True,
            url=values.get(NOTIFICATION_URL_PARAM) or "",
            events=frozenset(
                event for event in known if to_bool(values.get(event.param)) is True
            ),
            known_events=known,
        )


# -- events ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class TrioEvent:
    """Members every telephony notification carries (notes §8.3)."""

    # The event element's name as sent ("IncomingCallEvent").
    name: str
    # ``PhoneIP``: the sender's own idea of its address (check it, do not trust it).
    phone_ip: str = ""
    # ``MACAddress``: 12 lower-case hex digits; "" when absent.
    mac_address: str = ""
    # ``TimeStamp``: ISO 8601 with a numeric offset (aware); None when unreadable.
    timestamp: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class _PartyEvent(TrioEvent):
    """Incoming and outgoing call: who calls whom.

    ``calling`` is the side that placed the call, ``called`` the side that received it;
    numbers come as ``user@host``, plain numbers or URIs: match by "contains".
    """

    calling_party_name: str = ""
    calling_party_number: str = ""
    called_party_name: str = ""
    called_party_number: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class IncomingCallEvent(_PartyEvent):
    """``IncomingCallEvent``: a call is offered (ringing)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OutgoingCallEvent(_PartyEvent):
    """``OutgoingCallEvent``: a call is placed."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OffHookEvent(TrioEvent):
    """``OffHookEvent``: the phone went off hook (a call starts)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OnHookEvent(TrioEvent):
    """``OnHookEvent``: the phone went on hook (the last call ended)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CallInfo:
    """``CallLineInfo/CallInfo`` of a call state change (present while a line is active)."""

    state: CallState
    # As sent ("CallHold": spelt differently from the event's ``CallState`` "Hold").
    state_text: str
    direction: CallDirection
    # ``UIAppearanceIndex`` "1*": appearance 1, the active call.
    appearance: int | None
    active: bool | None
    called_party_name: str
    called_party_number: str
    calling_party_name: str
    calling_party_number: str
    call_reference: str
    duration: timedelta | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CallStateChangeEvent(TrioEvent):
    """``CallStateChangeEvent CallReference=… CallState=…``: any call state change.

    ``call_reference`` is the phone's handle of the call as sent (eight hex digits,
    probably the v2 ``CallHandle``; unverified, so correlate through call status).
    """

    call_reference: str = ""
    state: CallState = CallState.UNKNOWN
    # The ``CallState`` attribute as sent ("Offering", "Hold", "Ncas"...).
    state_text: str = ""
    # ``LineNumber``, else ``CallLineInfo/LineKeyNum`` (4.1.4 capture has no LineNumber).
    line: int | None = None
    line_number: str = ""  # ``CallLineInfo/LineDirNum``: the line's own number
    line_state: str = ""  # ``Active`` / ``Inactive`` (WAG31: ``Connected``)
    call: CallInfo | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LineRegistrationEvent(TrioEvent):
    """``LineRegistrationEvent`` (registered) or ``LineUnregistrationEvent`` (not)."""

    line: int | None = None
    registered: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownEvent(TrioEvent):
    """Any other element (lock/unlock, user login, 8.x-only events, future ones).

    ``fields`` holds the texts of the descendants by path ("CallLineInfo/LineKeyNum")
    and the attributes as "@Name"; the first occurrence of a path wins.
    """

    fields: dict[str, str] = field(default_factory=dict, hash=False)


type NotificationEventType = (
    IncomingCallEvent
    | OutgoingCallEvent
    | OffHookEvent
    | OnHookEvent
    | CallStateChangeEvent
    | LineRegistrationEvent
    | UnknownEvent
)


# -- parser ----------------------------------------------------------------------


def parse_events(body: bytes | str) -> tuple[NotificationEventType, ...]:
    """Turn one posted body into its events (normally exactly one).

    Accepts ``<PolycomIPPhone><XxxEvent>…`` and a bare ``<XxxEvent>`` root, any
    namespace and any letter case of element names. An empty wrapper gives ``()``.
    Raises ``TrioResponseError`` (never with body text) when the body is not XML,
    is empty, is over ``MAX_EVENT_BYTES`` or carries a DOCTYPE.
    """
    # Lone surrogates in a str cannot be UTF-8: they make the body malformed.
    raw = (
        body.encode("utf-8", "surrogatepass") if isinstance(body, str) else bytes(body)
    )
    if len(raw) > MAX_EVENT_BYTES:
        raise TrioResponseError(
            f"notification event: body of {len(raw)} bytes exceeds the cap"
        )
    root = parse_xml(raw, what="notification event", error=TrioResponseError)
    elements = list(_elements(root)) if _local(root) == WRAPPER.lower() else [root]
    return tuple(_event(element) for element in elements)


def parse_event(body: bytes | str) -> NotificationEventType | None:
    """Return the first event of ``body`` (None for an empty wrapper)."""
    events = parse_events(body)
    return events[0] if events else None


def _local(element: etree._Element) -> str:
    """Return the element's name without namespace, lower case ("" for non-elements)."""
    return _name(element).lower()


def _name(element: etree._Element) -> str:
    """Return the element's name without namespace ("" for comments, entities)."""
    tag: object = element.tag  # a function for comments and entities at run time
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _elements(element: etree._Element) -> Iterator[etree._Element]:
    """Child elements only (no comments, processing instructions, entities)."""
    for child in element:
        tag: object = child.tag
        if isinstance(tag, str):  # pragma: no branch - the parser drops the others
            yield child


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    """The first child element called ``name`` (any case, any namespace)."""
    if element is None:
        return None
    wanted = name.lower()
    for child in _elements(element):
        if _local(child) == wanted:
            return child
    return None


def _text(element: etree._Element | None, name: str) -> str:
    return text_of(_child(element, name))


def _attr(element: etree._Element, name: str) -> str:
    """Attribute ``name`` in any case (the layouts are not consistent)."""
    wanted = name.lower()
    for key, value in element.attrib.items():
        if str(key).rsplit("}", 1)[-1].lower() == wanted:
            return str(value).strip()
    return ""


def _line(text: str) -> int | None:
    number = to_int(text)
    return number if number is not None and 0 <= number < 10_000 else None


def _timestamp(text: str) -> datetime | None:
    """ISO 8601 ("2008-07-11T13:19:53-08:00"); naive when the phone omits the offset."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None


class _Common(TypedDict):
    name: str
    phone_ip: str
    mac_address: str
    timestamp: datetime | None


class _Parties(TypedDict):
    calling_party_name: str
    calling_party_number: str
    called_party_name: str
    called_party_number: str


def _common(element: etree._Element) -> _Common:
    mac = _text(element, "MACAddress")
    return {
        "name": _name(element),
        "phone_ip": _text(element, "PhoneIP"),
        "mac_address": normalize_mac(mac) if mac else "",
        "timestamp": _timestamp(_text(element, "TimeStamp")),
    }


def _parties(element: etree._Element) -> _Parties:
    return {
        "calling_party_name": _text(element, "CallingPartyName"),
        "calling_party_number": _text(element, "CallingPartyNumber"),
        "called_party_name": _text(element, "CalledPartyName"),
        "called_party_number": _text(element, "CalledPartyNumber"),
    }


def _call_info(element: etree._Element | None) -> CallInfo | None:
    if element is None:
        return None
    state_text = _text(element, "CallState")
    appearance_text = _text(element, "UIAppearanceIndex")
    return CallInfo(
        state=CallState.parse(state_text),
        state_text=state_text,
        direction=CallDirection.parse(_text(element, "CallType")),
        appearance=_line(appearance_text.rstrip("*")),
        active=appearance_text.endswith("*") if appearance_text else None,
        called_party_name=_text(element, "CalledPartyName"),
        called_party_number=_text(element, "CalledPartyDirNum")
        or _text(element, "CalledPartyNumber"),
        calling_party_name=_text(element, "CallingPartyName"),
        calling_party_number=_text(element, "CallingPartyDirNum")
        or _text(element, "CallingPartyNumber"),
        call_reference=_text(element, "CallReference"),
        duration=parse_duration(_text(element, "CallDuration")),
    )


def _call_state_change(element: etree._Element) -> CallStateChangeEvent:
    line_info = _child(element, "CallLineInfo")
    call = _call_info(_child(line_info, "CallInfo"))
    # The attributes, else the same facts from CallInfo (layouts vary by firmware).
    state_text = _attr(element, "CallState") or (call.state_text if call else "")
    reference = _attr(element, "CallReference") or (call.call_reference if call else "")
    line = _line(_text(element, "LineNumber"))
    if line is None:
        line = _line(_text(line_info, "LineKeyNum"))
    return CallStateChangeEvent(
        **_common(element),
        call_reference=reference,
        state=CallState.parse(state_text),
        state_text=state_text,
        line=line,
        line_number=_text(line_info, "LineDirNum"),
        line_state=_text(line_info, "LineState"),
        call=call,
    )


def _flatten(element: etree._Element) -> dict[str, str]:
    fields: dict[str, str] = {}

    def walk(node: etree._Element, prefix: str) -> None:
        for key, value in node.attrib.items():
            if len(fields) >= MAX_UNKNOWN_FIELDS:
                return
            fields.setdefault(f"{prefix}@{str(key).rsplit('}', 1)[-1]}", str(value))
        for child in _elements(node):
            if len(fields) >= MAX_UNKNOWN_FIELDS:
                return
            path = f"{prefix}{_name(child)}"
            if len(child):
                walk(child, f"{path}/")
            else:
                fields.setdefault(path, text_of(child))
                if child.attrib:
                    walk(child, f"{path}/")

    walk(element, "")
    return fields


def _event(element: etree._Element) -> NotificationEventType:
    kind = _local(element)
    if kind == "incomingcallevent":
        return IncomingCallEvent(**_common(element), **_parties(element))
    if kind == "outgoingcallevent":
        return OutgoingCallEvent(**_common(element), **_parties(element))
    if kind == "offhookevent":
        return OffHookEvent(**_common(element))
    if kind == "onhookevent":
        return OnHookEvent(**_common(element))
    if kind == "callstatechangeevent":
        return _call_state_change(element)
    if kind in ("lineregistrationevent", "lineunregistrationevent"):
        return LineRegistrationEvent(
            **_common(element),
            line=_line(_text(element, "LineNumber")),
            registered=kind == "lineregistrationevent",
        )
    return UnknownEvent(**_common(element), fields=_flatten(element))
