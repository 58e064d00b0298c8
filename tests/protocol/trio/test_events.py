"""The telephony notification parser (push events) and the push settings helpers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.venue_av.protocol.errors import DeviceResponseError
from custom_components.venue_av.protocol.trio import (
    MAX_EVENT_BYTES,
    NOTIFICATION_EVENT_PARAMS,
    NOTIFICATION_URL_PARAM,
    CallDirection,
    CallState,
    CallStateChangeEvent,
    ConfigValues,
    IncomingCallEvent,
    LineRegistrationEvent,
    NotificationEvent,
    NotificationSettings,
    OffHookEvent,
    OnHookEvent,
    OutgoingCallEvent,
    TrioClient,
    TrioEvent,
    TrioResponseError,
    UnknownEvent,
    parse_event,
    parse_events,
)
from custom_components.venue_av.protocol.trio.models import ConfigSource, ConfigValue

# The only wire capture found (RBG, VVX 410 on 4.1.4): no LineNumber.
RBG_CAPTURE = b"""<PolycomIPPhone>
 <CallStateChangeEvent CallReference="41aa9c00" CallState="Dialtone">
  <PhoneIP>172.18.186.94</PhoneIP>
  <MACAddress>0004f2abcdef</MACAddress>
  <TimeStamp>2013-10-11T13:19:53-08:00</TimeStamp>
  <CallLineInfo>
   <LineKeyNum>1</LineKeyNum>
   <LineDirNum>1006</LineDirNum>
   <LineState>Active</LineState>
   <CallInfo>
    <CallState>Dialtone</CallState>
    <CallType>Outgoing</CallType>
    <UIAppearanceIndex>1*</UIAppearanceIndex>
    <CalledPartyName></CalledPartyName>
    <CalledPartyDirNum></CalledPartyDirNum>
    <CallingPartyName>1006</CallingPartyName>
    <CallingPartyDirNum>sip:1006@example.com</CallingPartyDirNum>
    <CallReference>41aa9c00</CallReference>
    <CallDuration>0</CallDuration>
   </CallInfo>
  </CallLineInfo>
 </CallStateChangeEvent>
</PolycomIPPhone>"""

# WAG50's incoming call layout, bare (no wrapper), with its example values.
WAG50_INCOMING = b"""<IncomingCallEvent>
 <PhoneIP>172.18.186.94</PhoneIP>
 <MACAddress>0004f214b89e</MACAddress>
 <CallingPartyName>20701</CallingPartyName>
 <CallingPartyNumber>20701@172.18.186.94</CallingPartyNumber>
 <CalledPartyName>20300</CalledPartyName>
 <CalledPartyNumber>20300</CalledPartyNumber>
 <TimeStamp>2008-07-11T13:19:53-08:00</TimeStamp>
</IncomingCallEvent>"""

PST = timezone(timedelta(hours=-8))


def simple(element: str, extra: str = "") -> bytes:
    return (
        f"<PolycomIPPhone><{element}><PhoneIP>192.0.2.5</PhoneIP>"
        f"<MACAddress>00:04:F2:00:00:01</MACAddress>{extra}"
        f"<TimeStamp>2024-05-01T10:00:00+02:00</TimeStamp></{element}>"
        "</PolycomIPPhone>"
    ).encode()


def test_captured_call_state_change() -> None:
    (event,) = parse_events(RBG_CAPTURE)
    assert isinstance(event, CallStateChangeEvent)
    assert event.name == "CallStateChangeEvent"
    assert event.call_reference == "41aa9c00"
    assert event.state is CallState.DIALTONE
    assert event.state_text == "Dialtone"
    assert event.line == 1  # from LineKeyNum: the capture has no LineNumber
    assert event.line_number == "1006"
    assert event.line_state == "Active"
    assert event.phone_ip == "172.18.186.94"
    assert event.mac_address == "0004f2abcdef"
    assert event.timestamp == datetime(2013, 10, 11, 13, 19, 53, tzinfo=PST)
    call = event.call
    assert call is not None
    assert call.state is CallState.DIALTONE
    assert call.direction is CallDirection.OUTGOING
    assert call.appearance == 1
    assert call.active is True
    assert call.calling_party_number == "sip:1006@example.com"
    assert call.called_party_number == ""
    assert call.call_reference == "41aa9c00"
    assert call.duration == timedelta(0)
    hash(event)  # frozen and hashable


def test_bare_incoming_call() -> None:
    event = parse_event(WAG50_INCOMING)
    assert isinstance(event, IncomingCallEvent)
    assert event.calling_party_number == "20701@172.18.186.94"
    assert event.calling_party_name == "20701"
    assert event.called_party_number == "20300"
    assert event.called_party_name == "20300"
    assert event.mac_address == "0004f214b89e"
    assert event.timestamp is not None
    assert event.timestamp.astimezone(UTC) == datetime(
        2008, 7, 11, 21, 19, 53, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("element", "cls"),
    [
        ("OutgoingCallEvent", OutgoingCallEvent),
        ("OffHookEvent", OffHookEvent),
        ("OnHookEvent", OnHookEvent),
    ],
)
def test_simple_events(element: str, cls: type[TrioEvent]) -> None:
    (event,) = parse_events(simple(element))
    assert type(event) is cls
    assert event.mac_address == "0004f2000001"  # normalised
    assert event.phone_ip == "192.0.2.5"
    assert event.timestamp == datetime(
        2024, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=2))
    )


def test_line_registration() -> None:
    (up,) = parse_events(simple("LineRegistrationEvent", "<LineNumber>2</LineNumber>"))
    assert isinstance(up, LineRegistrationEvent)
    assert (up.line, up.registered) == (2, True)
    (down,) = parse_events(
        simple("LineUnregistrationEvent", "<LineNumber>1</LineNumber>")
    )
    assert isinstance(down, LineRegistrationEvent)
    assert (down.line, down.registered, down.name) == (
        1,
        False,
        "LineUnregistrationEvent",
    )
    (odd,) = parse_events(simple("LineRegistrationEvent", "<LineNumber>x</LineNumber>"))
    assert isinstance(odd, LineRegistrationEvent)
    assert odd.line is None


def test_call_state_change_variants() -> None:
    # Hold: "Hold" in the attribute, "CallHold" in CallInfo; LineNumber present.
    body = b"""<CallStateChangeEvent CallReference="41c2c008" CallState="Hold">
      <LineNumber>2</LineNumber>
      <CallLineInfo><LineKeyNum>1</LineKeyNum><CallInfo>
        <CallState>CallHold</CallState><CallType>Incoming</CallType>
        <UIAppearanceIndex>2</UIAppearanceIndex><CallDuration>75</CallDuration>
      </CallInfo></CallLineInfo></CallStateChangeEvent>"""
    (event,) = parse_events(body)
    assert isinstance(event, CallStateChangeEvent)
    assert event.state is CallState.HOLD
    assert event.state.on_hold
    assert event.line == 2
    assert event.call is not None
    assert event.call.state is CallState.CALL_HOLD
    assert event.call.direction is CallDirection.INCOMING
    assert (event.call.appearance, event.call.active) == (2, False)
    assert event.call.duration == timedelta(seconds=75)
    assert event.timestamp is None
    assert event.mac_address == ""
    # No attributes: the facts come from CallInfo. Unknown state: UNKNOWN + text.
    body = b"""<CallStateChangeEvent><CallLineInfo><CallInfo>
        <CallState>Ncas</CallState><CallReference>abc</CallReference>
        <CalledPartyNumber>77</CalledPartyNumber>
        </CallInfo></CallLineInfo></CallStateChangeEvent>"""
    (event,) = parse_events(body)
    assert isinstance(event, CallStateChangeEvent)
    assert (event.call_reference, event.state, event.state_text) == (
        "abc",
        CallState.UNKNOWN,
        "Ncas",
    )
    assert event.call is not None
    assert event.call.called_party_number == "77"
    assert event.call.active is None
    # Disconnected: the line is inactive and has no CallInfo.
    body = b"""<CallStateChangeEvent CallReference="1" CallState="Disconnected">
        <CallLineInfo><LineState>Inactive</LineState></CallLineInfo>
        </CallStateChangeEvent>"""
    (event,) = parse_events(body)
    assert isinstance(event, CallStateChangeEvent)
    assert event.state is CallState.DISCONNECTED
    assert event.call is None
    assert event.line is None
    # Bare minimum.
    (event,) = parse_events(b"<CallStateChangeEvent/>")
    assert isinstance(event, CallStateChangeEvent)
    assert (event.call_reference, event.state, event.call) == (
        "",
        CallState.UNKNOWN,
        None,
    )
    assert CallState.parse("CallConfHeld").on_hold
    assert CallState.parse("CallRemoteActive") is CallState.CALL_REMOTE_ACTIVE


def test_names_are_matched_loosely() -> None:
    body = b"""<?xml version="1.0" encoding="UTF-8"?>
      <p:polycomipphone xmlns:p="urn:x"><p:incomingcallevent>
        <p:PHONEIP>192.0.2.9</p:PHONEIP><callingpartynumber>5</callingpartynumber>
      </p:incomingcallevent></p:polycomipphone>"""
    (event,) = parse_events(body)
    assert isinstance(event, IncomingCallEvent)
    assert event.name == "incomingcallevent"
    assert (event.phone_ip, event.calling_party_number) == ("192.0.2.9", "5")
    body = b'<callstatechangeevent callreference="7" CALLSTATE="connected"/>'
    (change,) = parse_events(body)
    assert isinstance(change, CallStateChangeEvent)
    assert (change.call_reference, change.state) == ("7", CallState.CONNECTED)


def test_unknown_events() -> None:
    body = b"""<PolycomIPPhone>
      <PhoneLockedEvent><PhoneIP>192.0.2.5</PhoneIP><MACAddress>0004f2000001</MACAddress>
      <TimeStamp>2024-05-01T10:00:00</TimeStamp></PhoneLockedEvent>
      <UserLoginOutEvent Kind="x"><CallLineInfo><LineKeyNum>1</LineKeyNum>
      <LineDirNum a="b">1001</LineDirNum></CallLineInfo>
      <CallLineInfo><LineKeyNum>2</LineKeyNum></CallLineInfo>
      <UserLoggedIn>alice</UserLoggedIn><UserLoggedOut/></UserLoginOutEvent>
      <!-- a comment --><?pi x?>
    </PolycomIPPhone>"""
    locked, login = parse_events(body)
    assert isinstance(locked, UnknownEvent)
    assert locked.name == "PhoneLockedEvent"
    assert locked.mac_address == "0004f2000001"
    assert locked.timestamp == datetime(2024, 5, 1, 10, 0)  # naive without offset
    assert locked.fields["PhoneIP"] == "192.0.2.5"
    assert isinstance(login, UnknownEvent)
    assert login.fields == {
        "@Kind": "x",
        "CallLineInfo/LineKeyNum": "1",
        "CallLineInfo/LineDirNum": "1001",
        "CallLineInfo/LineDirNum/@a": "b",
        "UserLoggedIn": "alice",
        "UserLoggedOut": "",
    }
    hash(login)  # fields are left out of the hash
    (future,) = parse_events(b"<MuteUnmuteEvent><Muted>1</Muted></MuteUnmuteEvent>")
    assert isinstance(future, UnknownEvent)
    assert future.fields == {"Muted": "1"}
    # A document that is not an event at all is still only an unknown event.
    (other,) = parse_events(b"<html><body>hello</body></html>")
    assert isinstance(other, UnknownEvent)
    # Many members: capped.
    many = "".join(f"<F{i}>{i}</F{i}>" for i in range(500))
    (big,) = parse_events(f"<X>{many}</X>")
    assert isinstance(big, UnknownEvent)
    assert len(big.fields) == 200
    attributes = " ".join(f'a{i}="{i}"' for i in range(300))
    (wide,) = parse_events(f"<X {attributes}><Y>1</Y></X>")
    assert isinstance(wide, UnknownEvent)
    assert len(wide.fields) == 200
    assert "Y" not in wide.fields


def test_wrapper_shapes() -> None:
    assert parse_events(b"<PolycomIPPhone/>") == ()
    assert parse_event(b"<PolycomIPPhone>  </PolycomIPPhone>") is None
    two = parse_events(
        b"<PolycomIPPhone><OffHookEvent/><OnHookEvent/></PolycomIPPhone>"
    )
    assert [type(e) for e in two] == [OffHookEvent, OnHookEvent]


@pytest.mark.parametrize(
    "body",
    [
        RBG_CAPTURE.decode(),  # str
        b"\xef\xbb\xbf" + RBG_CAPTURE,  # UTF-8 byte order mark
        b"\r\n\t " + RBG_CAPTURE + b"\r\n",  # padding
        '<?xml version="1.0" encoding="UTF-16"?>'.encode("utf-16")
        + RBG_CAPTURE.decode().encode("utf-16")[2:],
        b'<?xml version="1.0" encoding="ISO-8859-1"?>' + RBG_CAPTURE,
        '<?xml version="1.0" encoding="UTF-8"?>' + RBG_CAPTURE.decode(),  # str + decl
        bytearray(RBG_CAPTURE),
    ],
)
def test_encodings(body: bytes | str) -> None:
    (event,) = parse_events(body)
    assert isinstance(event, CallStateChangeEvent)
    assert event.call_reference == "41aa9c00"


def test_non_ascii_names() -> None:
    body = "<IncomingCallEvent><CallingPartyName>Zoë Müller</CallingPartyName></IncomingCallEvent>"
    (event,) = parse_events(body.encode("utf-8"))
    assert isinstance(event, IncomingCallEvent)
    assert event.calling_party_name == "Zoë Müller"
    (latin,) = parse_events(
        b'<?xml version="1.0" encoding="ISO-8859-1"?>' + body.encode("latin-1")
    )
    assert isinstance(latin, IncomingCallEvent)
    assert latin.calling_party_name == "Zoë Müller"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"not xml at all",
        b"<IncomingCallEvent>",  # truncated
        b"<a></b>",
        b"<a/><b/>",  # two roots
        b"\xff\xfe\x00<",
        b"<a>\xff</a>",  # invalid UTF-8
        b"xml=%3CIncomingCallEvent%2F%3E",  # form-encoded by mistake
        b"<a>&undefined;</a>",
        b'{"Status": "2000"}',
        b'<?xml version="1.0" encoding="no-such-codec"?><a/>',
        "<OffHookEvent>\ud800</OffHookEvent>",  # lone surrogate in a str
    ],
)
def test_malformed(body: bytes | str) -> None:
    with pytest.raises(TrioResponseError) as err:
        parse_events(body)
    assert isinstance(err.value, DeviceResponseError)  # the shared base
    assert err.value.kind == "invalid_response"
    assert "undefined" not in str(err.value)
    assert "Status" not in str(err.value)


def test_oversized() -> None:
    padding = b" " * MAX_EVENT_BYTES
    with pytest.raises(TrioResponseError, match="exceeds the cap"):
        parse_events(b"<OffHookEvent>" + padding + b"</OffHookEvent>")
    with pytest.raises(TrioResponseError, match="exceeds the cap"):
        parse_events("<a>" + "é" * (MAX_EVENT_BYTES // 2) + "</a>")  # bytes count
    # Right at the cap is fine.
    body = b"<OffHookEvent></OffHookEvent>"
    body = body[:-15] + b" " * (MAX_EVENT_BYTES - len(body)) + body[-15:]
    assert len(body) == MAX_EVENT_BYTES
    assert isinstance(parse_event(body), OffHookEvent)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">'
        % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]><IncomingCallEvent><CallingPartyName>&lol9;</CallingPartyName>"
    b"</IncomingCallEvent>"
)


@pytest.mark.parametrize(
    "body",
    [
        BILLION_LAUGHS,
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<IncomingCallEvent><CallingPartyName>&e;</CallingPartyName></IncomingCallEvent>",
        b'<!DOCTYPE x SYSTEM "http://192.0.2.1/evil.dtd"><OffHookEvent/>',
        b'<!DOCTYPE x [<!ENTITY e "internal">]><OffHookEvent>&e;</OffHookEvent>',
        b"<!DOCTYPE OffHookEvent><OffHookEvent/>",
        b'<!DOCTYPE x PUBLIC "-//x//y" "http://192.0.2.1/y.dtd"><OffHookEvent/>',
    ],
)
def test_entities_and_doctype_refused(body: bytes) -> None:
    with pytest.raises(TrioResponseError) as err:
        parse_events(body)
    assert "passwd" not in str(err.value)
    assert "lol" not in str(err.value)


def test_xinclude_is_never_processed() -> None:
    body = (
        b'<OffHookEvent xmlns:xi="http://www.w3.org/2001/XInclude">'
        b'<xi:include href="file:///etc/passwd" parse="text"/></OffHookEvent>'
    )
    (event,) = parse_events(body)
    assert isinstance(event, OffHookEvent)
    assert event.phone_ip == ""


# -- settings helpers ----------------------------------------------------------


def test_notification_parameter_names() -> None:
    assert NOTIFICATION_URL_PARAM == "apps.telNotification.URL"
    assert NOTIFICATION_EVENT_PARAMS == (
        "apps.telNotification.incomingEvent",
        "apps.telNotification.outgoingEvent",
        "apps.telNotification.offhookEvent",
        "apps.telNotification.onhookEvent",
        "apps.telNotification.callStateChangeEvent",
        "apps.telNotification.lineRegistrationEvent",
    )
    assert NotificationEvent.ONHOOK.param == "apps.telNotification.onhookEvent"


def test_notification_config_values() -> None:
    url = "https://192.0.2.10:8123/api/webhook/abc123"
    on = TrioClient.notification_config(url)
    assert on == {
        NOTIFICATION_URL_PARAM: url,
        **dict.fromkeys(NOTIFICATION_EVENT_PARAMS, "1"),
    }
    some = TrioClient.notification_config(
        url, [NotificationEvent.INCOMING_CALL, "callStateChangeEvent"]
    )
    assert {k for k, v in some.items() if v == "1"} == {
        "apps.telNotification.incomingEvent",
        "apps.telNotification.callStateChangeEvent",
    }
    assert len(some) == 7  # under the 20-name limit, one request
    off = TrioClient.notification_config(None)
    assert off == {
        NOTIFICATION_URL_PARAM: "",
        **dict.fromkeys(NOTIFICATION_EVENT_PARAMS, "0"),
    }
    for bad in ("ftp://192.0.2.1/x", "/relative", "http://", ""):
        with pytest.raises(ValueError, match="http"):
            TrioClient.notification_config(bad)
    with pytest.raises(ValueError):
        TrioClient.notification_config(url, ["nope"])


def _values(pairs: dict[str, str], invalid: tuple[str, ...] = ()) -> ConfigValues:
    return ConfigValues(
        values={
            k: ConfigValue(name=k, value=v, source=ConfigSource.WEB)
            for k, v in pairs.items()
        },
        invalid=invalid,
    )


def test_notification_settings_model() -> None:
    assert NotificationSettings.from_config(_values({})) == NotificationSettings(
        supported=False
    )
    rejected = _values({NOTIFICATION_URL_PARAM: ""}, invalid=(NOTIFICATION_URL_PARAM,))
    assert not NotificationSettings.from_config(rejected).supported
    partial = NotificationSettings.from_config(
        _values(
            {
                NOTIFICATION_URL_PARAM: "http://192.0.2.1/x",
                "apps.telNotification.incomingEvent": "1",
                "apps.telNotification.onhookEvent": "0",
                "apps.telNotification.offhookEvent": "garbage",
            },
            invalid=("apps.telNotification.lineRegistrationEvent",),
        )
    )
    assert partial.supported
    assert partial.enabled
    assert partial.url == "http://192.0.2.1/x"
    assert partial.events == {NotificationEvent.INCOMING_CALL}
    assert partial.known_events == {
        NotificationEvent.INCOMING_CALL,
        NotificationEvent.ONHOOK,
        NotificationEvent.OFFHOOK,
    }
    idle = NotificationSettings.from_config(
        _values({NOTIFICATION_URL_PARAM: "", "apps.telNotification.incomingEvent": "1"})
    )
    assert idle.supported
    assert not idle.enabled


# -- fuzz: only our own exceptions may escape ---------------------------------------

KNOWN_ELEMENTS = [
    "PolycomIPPhone",
    "IncomingCallEvent",
    "OutgoingCallEvent",
    "OffHookEvent",
    "OnHookEvent",
    "CallStateChangeEvent",
    "LineRegistrationEvent",
    "LineUnregistrationEvent",
    "PhoneLockedEvent",
    "CallLineInfo",
    "CallInfo",
    "CallState",
    "CallReference",
    "CallDuration",
    "UIAppearanceIndex",
    "LineNumber",
    "LineKeyNum",
    "TimeStamp",
    "MACAddress",
    "PhoneIP",
    "CallingPartyNumber",
]
names = st.sampled_from(KNOWN_ELEMENTS) | st.from_regex(
    r"[A-Za-z_][A-Za-z0-9_.-]{0,10}", fullmatch=True
)
texts = st.text(max_size=30)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _element(draw_name: str, attrs: dict[str, str], body: list[str] | str) -> str:
    attributes = "".join(f' {k}="{_escape(v)}"' for k, v in attrs.items())
    inner = _escape(body) if isinstance(body, str) else "".join(body)
    return f"<{draw_name}{attributes}>{inner}</{draw_name}>"


xml_trees = st.recursive(
    st.builds(
        _element,
        names,
        st.dictionaries(
            st.sampled_from(["CallState", "CallReference", "x"]), texts, max_size=2
        ),
        texts,
    ),
    lambda children: st.builds(
        _element,
        names,
        st.dictionaries(
            st.sampled_from(["CallState", "CallReference", "y"]), texts, max_size=2
        ),
        st.lists(children, max_size=4),
    ),
    max_leaves=20,
)


def _check(body: bytes | str) -> None:
    try:
        events = parse_events(body)
    except TrioResponseError:
        return
    assert isinstance(events, tuple)
    for event in events:
        assert isinstance(event, TrioEvent)
        hash(event)


@settings(max_examples=300, deadline=None)
@given(
    body=st.binary(max_size=300)
    | st.text(max_size=300)
    | st.text(st.characters(codec=None, categories=["Cs", "Lu", "Sm"]), max_size=20)
)
def test_fuzz_random_bodies(body: bytes | str) -> None:
    _check(body)


@settings(max_examples=300, deadline=None)
@given(tree=xml_trees, wrapped=st.booleans())
def test_fuzz_generated_documents(tree: str, wrapped: bool) -> None:
    _check(f"<PolycomIPPhone>{tree}</PolycomIPPhone>" if wrapped else tree)


@settings(max_examples=300, deadline=None)
@given(
    sample=st.sampled_from([RBG_CAPTURE, WAG50_INCOMING, simple("OnHookEvent")]),
    cut=st.integers(min_value=0, max_value=2000),
    insert=st.binary(max_size=12),
)
def test_fuzz_mutated_captures(sample: bytes, cut: int, insert: bytes) -> None:
    position = cut % (len(sample) + 1)
    _check(sample[:position] + insert + sample[position:])
    _check(sample[:position])
