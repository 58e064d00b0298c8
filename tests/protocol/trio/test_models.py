"""Parsers: captured responses from the notes, edge cases, and hypothesis fuzzing."""

from __future__ import annotations

from collections.abc import Callable
import contextlib
from datetime import datetime, timedelta
import json
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.venue_av.protocol.trio import (
    CallLogKind,
    CallState,
    ConfigSource,
    DeviceInfo,
    DeviceStats,
    NetworkInfo,
    PhoneState,
    PollStatus,
    RegistrationState,
    TransferType,
    TrioError,
    TrioResponseError,
    UiXml,
    models,
)
from custom_components.venue_av.protocol.trio.auth import DigestAuth, parse_challenges
from custom_components.venue_av.protocol.trio.client import status_in_error_body

AVI_DEVICE_INFO = {
    "ModelNumber": "Trio 8800",
    "FirmwareRelease": "5.7.1.4145",
    "DeviceType": "hardwareEndpoint",
    "DeviceVendor": "Polycom",
    "UpTimeSinceLastReboot": "0 Day 22:02:09",
    "IPV4Address": "172.31.254.120",
    "IPV6Address": "::",
    "MACAddress": "0004f2fe3ab0",
    "AttachedHardware": {},
}
AVI_CALL_V1 = {
    "CallHandle": "0x49d9ed8",
    "Type": "Outgoing",
    "Protocol": "Sip",
    "CallState": "Connected",
    "LineId": "1",
    "RemotePartyName": "Bob",
    "RemotePartyNumber": "sip:bob@example.com",
    "DurationInSeconds": "409",
}
MIV_CALL_V2 = {
    "Ringing": "0",
    "Media Direction": "sendrecv",
    "Protocol": "SIP",
    "Muted": "0",
    "RTPPort": "2222",
    "RTCPPort": "2223",
    "Remote Connection IP": "10.0.0.5",
    "CallState": "Connected",
    "RemotePartyNumber": "1234",
    "RemotePartyName": "X",
    "CallHandle": "41c2c008",
    "Type": "Incoming",
    "UIAppearanceIndex": "1*",
    "StartTime": "2022-10-11T17:28:46",
    "LineID": "1",
    "CallSequence": "1",
    "DurationSeconds": "12",
}
SESSION = {
    "Ref": "0xb53e57c0",
    "SRTPCall": "False",
    "H235Call": "False",
    "Streams": [
        {
            "Ref": "0xb53e57c0",
            "Category": "1:Video",
            "RxCodec": "24:H.264",
            "VideoRxFramerate": "30",
            "RxPayloadSize": "v",
        },
    ],
}


def test_captured_device_info() -> None:
    info = DeviceInfo.from_data(AVI_DEVICE_INFO)
    assert info.uptime == timedelta(hours=22, minutes=2, seconds=9)
    assert info.firmware == "5.7.1.4145"
    # 5.7.0 anomaly: v2-shaped objects in v1.
    odd = DeviceInfo.from_data(
        {
            "Firmware": {"Application": "5.7.0"},
            "UpTime": {"Days": "1", "Seconds": "5"},
            "MACAddress": "00:04:F2:FE:3A:B0",
        }
    )
    assert odd.firmware == "5.7.0"
    assert odd.uptime == timedelta(days=1, seconds=5)
    assert odd.mac_address == "0004f2fe3ab0"


def test_calls() -> None:
    call = models.parse_call_v1(AVI_CALL_V1)
    assert call is not None
    assert call.handle == "0x49d9ed8"
    assert call.duration == timedelta(seconds=409)
    assert call.state is CallState.CONNECTED
    assert models.parse_call_v1({}) is None
    calls = models.parse_calls_v2([MIV_CALL_V2, "junk"])
    assert len(calls) == 1
    assert calls[0].active is True
    assert calls[0].start_time == datetime(2022, 10, 11, 17, 28, 46)
    assert models.parse_calls_v2(MIV_CALL_V2)[0].handle == "41c2c008"
    assert models.parse_calls_v2({}) == ()
    assert models.parse_calls_v2(None) == ()
    assert CallState.parse("Proceeding Somehow") is CallState.UNKNOWN
    with pytest.raises(TrioResponseError):
        models.parse_calls_v2("nope")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0 Day 22:02:09", 22 * 3600 + 129),
        ("20 Days 16:11:42", 20 * 86400 + 16 * 3600 + 11 * 60 + 42),
        ("1 day 1:41:50", 86400 + 3600 + 41 * 60 + 50),
        ("3.02:24:46", 3 * 86400 + 2 * 3600 + 24 * 60 + 46),
        ("4 mins 49 secs", 289),
        ("26 secs", 26),
        ("Active call duration 1 hour 2 mins 3 secs", 3723),
        ("409", 409),
        (409, 409),
    ],
)
def test_durations(text: object, seconds: int) -> None:
    assert models.parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", None, "soon", "-5", [], "99999999999"])
def test_bad_durations(text: object) -> None:
    assert models.parse_duration(text) is None


def test_scalars() -> None:
    assert models.to_bool("enabled") is True
    assert models.to_bool("Inactive") is False
    assert models.to_bool("maybe") is None
    assert models.to_bool(True) is True
    assert models.to_int("12.0") == 12
    assert models.to_int("12.5") is None
    assert models.to_int(True) is None
    assert models.to_float("nan") is None
    assert models.to_float(False) is None
    assert models.to_float("35.5") == 35.5
    assert models.to_str(3) == "3"
    assert models.to_str(False) == "False"
    assert models.parse_time("2025-02-30T10:00:00") is None


def test_misc_models() -> None:
    stats = DeviceStats.from_data({"Memory": {"RAMDiskSize": "5"}, "CPU": []})
    assert stats.ram_disk_size == 5
    assert stats.cpu_current is None
    net = NetworkInfo.from_data({"CDPCompability": "disabled", "LANSpeed": "fast"})
    assert net.cdp is False
    assert net.lan_speed_mbps is None
    poll = PollStatus.from_data(
        {"State": "Active", "StateData": "Active call duration 4 mins 49 secs"}
    )
    assert poll.active_call_duration == timedelta(seconds=289)
    assert (
        PollStatus.from_data({"State": "Error: no network"}).state is PhoneState.ERROR
    )
    assert UiXml.from_data({"a": 1}).shows('"a"')
    assert UiXml.from_data(None).text == ""
    assert TransferType.BLIND.wire == "Blind"
    assert models.parse_transfer_type({"Type": "Safe"}) is TransferType.SAFE
    assert models.parse_presence({"data": {"Presence": "Busy"}}) == "Busy"
    assert models.parse_presence({"data": "Away"}) == "Away"
    sessions = models.parse_sessions(SESSION)
    assert sessions[0].streams[0].is_video
    assert sessions[0].streams[0].video_rx_framerate == 30
    assert models.parse_sessions({}) == ()
    values = models.ConfigValues.from_envelope(
        {"data": {"a": {"value": "1", "source": "LOCAL"}}, "InvalidParams": {"0": "b"}}
    )
    assert values.values["a"].source is ConfigSource.LOCAL
    assert values.invalid == ("b",)
    assert models.parse_invalid_params({"InvalidParams": "c"}) == ("c",)
    assert models.parse_invalid_params({"InvalidParams": 5}) == ()
    lines = models.parse_lines({"LineNumber": "2", "RegistrationStatus": "Registered"})
    assert lines[0].registration is RegistrationState.REGISTERED
    logs = models.CallLogs.from_data({"Missed": [{"Duration": ""}], "placed": []})
    assert logs.missed[0].kind is CallLogKind.MISSED
    assert (
        models.parse_call_log_list(
            CallLogKind.PLACED, {"Placed": [{"LineNumber": "1"}]}
        )[0].line
        == 1
    )
    assert models.parse_call_log_list(CallLogKind.PLACED, "x") == ()
    sip = models.SipStatus.from_data({"User": {"Events": [{"Type": "Subscribe"}]}})
    assert sip.users[0].registration is RegistrationState.UNKNOWN


def test_envelope() -> None:
    assert models.parse_status({"Status": 2000}, what="x") == 2000
    assert models.parse_status({"status": " 4007 "}, what="x") == 4007
    with pytest.raises(TrioResponseError):
        models.parse_status({}, what="x")
    with pytest.raises(TrioResponseError):
        models.parse_json(b"[1]", what="x")
    with pytest.raises(TrioResponseError):
        models.parse_json(b"\xff", what="x")
    assert status_in_error_body(b'{"Status": "4010"}') == 4010
    assert status_in_error_body(b'{"Status": "2000"}') is None
    assert status_in_error_body(b"<html>") is None


def test_digest_challenges() -> None:
    challenges = parse_challenges(
        [
            'Digest realm="r\\"x", nonce="n", qop="auth,auth-int", algorithm=SHA-256-sess',
            'Basic realm="b"',
            "",
        ]
    )
    auth = DigestAuth(challenges["digest"])
    assert auth.realm == 'r"x'
    header = auth.header("GET", "/api", "Polycom", "pw", cnonce="c")
    assert "nc=00000001" in header
    assert "pw" not in header
    legacy = DigestAuth({"nonce": "n", "userhash": "true"})
    assert "qop" not in legacy.header("GET", "/", "Polycom", "pw")
    for bad in (
        {"nonce": "n", "algorithm": "SHA-1"},
        {"nonce": "n", "qop": "auth-int"},
        {},
    ):
        with pytest.raises(ValueError):
            DigestAuth(bad)


# -- fuzzing ----------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)

PARSERS: list[Callable[[Any], object]] = [
    DeviceInfo.from_data,
    NetworkInfo.from_data,
    models.NetworkStats.from_data,
    DeviceStats.from_data,
    models.RunningConfig.from_data,
    PollStatus.from_data,
    UiXml.from_data,
    models.CommunicationInfo.from_data,
    models.LocationInfo.from_data,
    models.parse_paired_devices,
    models.parse_lines,
    models.SipStatus.from_data,
    models.parse_call_v1,
    models.parse_calls_v2,
    models.CallLogs.from_data,
    lambda data: models.parse_call_log_list(CallLogKind.MISSED, data),
    models.parse_sessions,
    models.parse_transfer_type,
]
SAMPLES: list[Any] = [
    AVI_DEVICE_INFO,
    AVI_CALL_V1,
    [MIV_CALL_V2],
    [SESSION],
    {"Missed": [{"StartTime": "2022-09-26T08:05:33", "Duration": "4 mins"}]},
    {"CPU": {"Current": "1"}, "Memory": {"Total": "2"}},
    {"ConnectedDeviceList": [{"ComponentList": [{"componentType": "x"}]}]},
    {"User": [{"Events": [{"Type": "Register"}]}]},
]
KEYS = sorted({k for s in (AVI_DEVICE_INFO, AVI_CALL_V1, MIV_CALL_V2) for k in s})


def _check(parser: Callable[[Any], object], data: Any) -> None:
    with contextlib.suppress(TrioError):
        parser(data)


@settings(max_examples=150, deadline=None)
@given(data=json_values)
def test_fuzz_random_json(data: Any) -> None:
    for parser in PARSERS:
        _check(parser, data)
    envelope = {"Status": "2000", "data": data, "InvalidParams": data, "Presence": data}
    models.ConfigValues.from_envelope(envelope) if isinstance(
        data, dict | type(None)
    ) else _check(models.ConfigValues.from_envelope, envelope)
    _check(models.parse_presence, envelope)
    _check(lambda d: models.parse_status(d, what="x"), {"Status": data})


@settings(max_examples=150, deadline=None)
@given(
    sample=st.sampled_from(SAMPLES),
    key=st.sampled_from(KEYS),
    value=json_values,
)
def test_fuzz_mutated_samples(sample: Any, key: str, value: Any) -> None:
    mutated = json.loads(json.dumps(sample))
    targets = mutated if isinstance(mutated, list) else [mutated]
    for target in targets:
        if isinstance(target, dict):
            for nested in list(target.values()):
                if isinstance(nested, list) and nested and isinstance(nested[0], dict):
                    nested[0][key] = json.loads(json.dumps(value))
            target[key] = value
    for parser in PARSERS:
        _check(parser, mutated)


@settings(max_examples=150, deadline=None)
@given(body=st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
def test_fuzz_bodies(body: bytes) -> None:
    try:
        envelope = models.parse_json(body, what="x")
        models.parse_status(envelope, what="x")
    except TrioError:
        pass
    status_in_error_body(body)


@settings(max_examples=150, deadline=None)
@given(headers=st.lists(st.text(max_size=60), max_size=3))
def test_fuzz_challenges(headers: list[str]) -> None:
    for params in parse_challenges(headers).values():
        with contextlib.suppress(ValueError):
            DigestAuth(params).header("GET", "/", "Polycom", "pw")
