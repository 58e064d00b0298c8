"""Parsers: tolerance of undocumented shapes, the access table, and a hypothesis fuzz."""

from __future__ import annotations

from collections.abc import Callable
import contextlib
from datetime import UTC, date, datetime, timedelta, timezone
import json
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.venue_av.protocol.telecomx import (
    AccessLevel,
    Action,
    ActionResult,
    ActionType,
    Channel,
    Device,
    DeviceType,
    HealthSample,
    LoginResult,
    TelecomXError,
    TelecomXResponseError,
    allowed_action_types,
    may_perform,
    required_access,
)
from custom_components.venue_av.protocol.telecomx.client import format_when
from custom_components.venue_av.protocol.telecomx.errors import (
    error_from_body,
    names_second_factor,
    parse_error_body,
)
from custom_components.venue_av.protocol.telecomx.models import (
    decode_json,
    format_date,
    login_features,
    parse_channel_page,
    parse_device,
    parse_device_page,
    parse_health,
)

# -- tolerance --------------------------------------------------------------------


def test_device_tolerates_omitted_and_odd_fields() -> None:
    device = Device.from_json({"_id": "abc"})
    assert device.name == "abc"
    assert device.type is DeviceType.UNKNOWN
    assert device.enabled is None
    assert device.groups == ()
    assert device.last_comm is None
    odd = Device.from_json(
        {
            "_id": {"_id": "x1"},
            "type": "stb",
            "mac": "00:11",
            "enabled": "yes",
            "groups": ["g1", {"_id": "g2"}, 5, None],
            "lastComm": 1714550400000,
            "model": 250,
        }
    )
    assert odd.device_id == "x1"
    assert odd.is_box
    assert odd.name == "00:11"
    assert odd.enabled is True
    assert odd.groups == ("g1", "g2", "5")
    assert odd.last_comm == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert odd.model == "250"
    assert Device.from_json({"id": "y", "lastComm": "2025-01-01T00:00:00"}).last_comm
    with pytest.raises(TelecomXResponseError):
        Device.from_json({"name": "no id"})
    with pytest.raises(TelecomXResponseError):
        Device.from_json([1])


def test_device_get_shapes() -> None:
    assert parse_device({"device": {"_id": "a"}}).device_id == "a"
    assert parse_device({"_id": "b", "device": {"_id": "a"}}).device_id == "b"


def test_page_shapes() -> None:
    bare = parse_device_page([{"_id": "a"}, {"_id": "b"}, "junk", {"no": "id"}])
    assert [d.device_id for d in bare.items] == ["a", "b"]
    assert bare.received == 3  # objects seen, including the one without id
    assert bare.total is None
    other = parse_device_page({"offset": "5", "total": 7, "rows": [{"_id": "c"}]})
    assert other.offset == 5
    assert other.total == 7
    assert other.items[0].device_id == "c"
    assert parse_device_page({"total": 0}).items == ()
    with pytest.raises(TelecomXResponseError):
        parse_device_page({"a": [], "b": []})
    with pytest.raises(TelecomXResponseError):
        parse_device_page("nope")
    channels = parse_channel_page({"channels": [{"_id": "c", "number": "7"}, {}]})
    assert channels.items == (Channel(channel_id="c", number=7, name="c", hd=None),)


def test_health_shapes() -> None:
    sample = {"t": "2025-05-01T00:15:00Z", "localRTT": "1.5", "tunnelUp": "down"}
    for body in ([sample], {"samples": [sample]}, {"rtt": [sample]}):
        (parsed,) = parse_health(body)
        assert parsed.local_rtt == 1.5
        assert parsed.tunnel_up is False
        assert parsed.time == datetime(2025, 5, 1, 0, 15, tzinfo=UTC)
    empty = HealthSample.from_json({"localRTT": "nan", "cpuUsage": float("inf")})
    assert empty.local_rtt is None
    assert empty.cpu_usage is None
    assert empty.time is None


def test_action_result_shapes() -> None:
    group = ActionResult.from_json({"success": True, "devices": 23, "skipped": 2})
    assert (group.devices, group.skipped, group.action_id) == (23, 2, None)
    assert group.scheduled
    assert (
        ActionResult.from_json({"success": True, "action": {"_id": "q"}}).action_id
        == "q"
    )
    assert ActionResult.from_json({"success": True, "_id": "r"}).action_id == "r"
    unknown_counts = ActionResult.from_json({"success": True})
    assert unknown_counts.devices is None
    assert unknown_counts.scheduled
    assert ActionResult.from_json({"devices": 1}).success
    assert not ActionResult.from_json({"success": False, "devices": 3}).scheduled
    assert not ActionResult.from_json({"success": True, "devices": 0}).scheduled


def test_login_shapes() -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    result = LoginResult.from_json(
        {
            "token": "t0k3n",
            "expiresInMinutes": 15,
            "accessLevel": "reseller_admin",
            "employee": "e1",
            "customer": "c1",
            "features": [{"name": "iptvprivate"}, "IPTVBUSINESS"],
        },
        now=now,
    )
    assert result.expires_at == now + timedelta(minutes=15)
    assert result.access_level is AccessLevel.RESELLER_ADMIN
    assert result.employee_id == "e1"
    assert result.customer_name is None
    assert result.features == frozenset({"IPTVPRIVATE", "IPTVBUSINESS"})
    assert "t0k3n" not in repr(result)
    unknown = LoginResult.from_json({"token": "x", "accessLevel": "GOD"})
    assert unknown.access_level is AccessLevel.UNKNOWN
    assert unknown.features is None
    assert unknown.allowed_action_types == frozenset()
    assert login_features({"customer": {"customerFeatures": []}}) == frozenset()
    with pytest.raises(TelecomXResponseError):
        LoginResult.from_json({"token": ""})
    huge = LoginResult.from_json({"token": "x", "expiresInMinutes": 10**12})
    assert huge.expires_at is None


def test_error_body_forms() -> None:
    one = {"error": {"code": "volume", "message": "Volume is invalid", "status": 422}}
    many = {"error": [{"code": "keys", "message": "No keys"}, {"code": "type"}]}
    assert parse_error_body(one)[0].status == 422
    assert [e.code for e in parse_error_body(many)] == ["keys", "type"]
    assert parse_error_body({"errors": ["volume"]})[0].code == "volume"
    assert parse_error_body({"code": "x", "message": "y"})[0].message == "y"
    assert parse_error_body([{"code": "z"}])[0].code == "z"
    assert parse_error_body({"error": None}) == ()
    assert parse_error_body(None) == ()
    long = parse_error_body({"error": {"message": "x" * 1000, "status": True}})[0]
    assert len(long.message) < 400
    assert long.status is None
    assert error_from_body(401, many, login=True).kind == "invalid_credentials"


def test_second_factor_heuristic() -> None:
    assert names_second_factor("credentials_invalid", "SMS key required")
    assert names_second_factor("2fa_required", "")
    assert names_second_factor("", "Enter the authenticator token")
    assert not names_second_factor("credentials_invalid", "Invalid credentials")


def test_access_table() -> None:
    business = ["IPTVBUSINESS"]
    private = ["IPTVPRIVATE"]
    assert allowed_action_types(AccessLevel.VIEWER, business) == frozenset()
    assert allowed_action_types(AccessLevel.PERSONAL, None) == frozenset()
    assert allowed_action_types(AccessLevel.MANAGER, private) == frozenset()
    assert len(allowed_action_types(AccessLevel.MANAGER, business)) == 11
    assert len(allowed_action_types(AccessLevel.OWNER, iter(business))) == 11
    assert len(allowed_action_types(AccessLevel.MANAGER, None)) == 11  # assumed
    assert len(allowed_action_types(AccessLevel.RESELLER, private)) == 14
    assert allowed_action_types(AccessLevel.RESELLER, []) == frozenset()
    assert allowed_action_types(AccessLevel.ADMIN, []) == frozenset(ActionType)
    assert may_perform(AccessLevel.RESELLER, ["iptvbusiness"], ActionType.FIRMWARE)
    assert not may_perform(AccessLevel.RESELLER, business, ActionType.JS)
    assert not may_perform(AccessLevel.UNKNOWN, business, ActionType.UI)
    assert required_access(ActionType.JS) == "ADMIN"
    assert (
        required_access(ActionType.SCREENSHOT) == "RESELLER or RESELLER_ADMIN or ADMIN"
    )
    assert required_access(ActionType.MESSAGE).startswith("MANAGER (with IPTVBUSINESS)")
    assert AccessLevel.RESELLER_ADMIN.wire == "RESELLER_ADMIN"


def test_scalar_tolerance() -> None:
    sample = HealthSample.from_json(
        {
            "localRTT": 10**400,
            "remoteRTT": "x",
            "bandwidth": " 12.5 ",
            "freeMemory": 7,
            "cpuUsage": [],
            "tunnelUp": 1,
            "localPacketLoss": True,
            "remotePacketLoss": "NaN",
            "date": 10**30,
        }
    )
    assert sample.local_rtt is None
    assert sample.remote_rtt is None
    assert sample.bandwidth == 12.5
    assert sample.free_memory == 7.0
    assert sample.cpu_usage is None
    assert sample.tunnel_up is True
    assert sample.local_packet_loss is None
    assert sample.time is None
    assert HealthSample.from_json({"tunnelUp": "maybe", "time": True}).tunnel_up is None
    channel = Channel.from_json({"_id": 5, "number": "x", "hd": 0})
    assert (channel.channel_id, channel.number, channel.hd) == ("5", None, False)
    assert Channel.from_json({"id": "c", "number": 2.0}).number == 2
    assert Channel.from_json({"id": "c", "number": True}).number is None
    assert Channel.from_json({"id": "c", "number": []}).number is None
    with pytest.raises(TelecomXResponseError):
        Channel.from_json({"name": "no id"})
    assert Device.from_json({"_id": "d", "lastComm": "not a date"}).last_comm is None
    assert Device.from_json({"_id": "d", "name": None}).name == "d"


def test_formats() -> None:
    assert format_date(date(2025, 3, 4)) == "2025-03-04"
    plus2 = timezone(timedelta(hours=2))
    assert (
        format_when(datetime(2025, 5, 1, 14, 0, 0, 123456, tzinfo=plus2))
        == "2025-05-01T12:00:00.123Z"
    )
    with pytest.raises(TelecomXResponseError):
        decode_json(b"[" * 100_000, "deep")
    with pytest.raises(TelecomXResponseError):
        decode_json(b"\xff\xfe", "binary")


# -- fuzz ---------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.sampled_from([10**400, -(10**400), 2**63, 10**13])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)

SAMPLES: dict[str, Any] = {
    "login": {
        "token": "abc",
        "expiresInMinutes": 15,
        "accessLevel": "MANAGER",
        "employee": {"_id": "e", "name": "n"},
        "customer": {"_id": "c", "name": "n", "features": ["IPTVBUSINESS"]},
    },
    "device": {
        "_id": "d",
        "type": "STB",
        "mac": "00:1A",
        "name": "Room",
        "enabled": True,
        "groups": ["g"],
        "favorites": [],
        "listMode": "ALL",
        "lastComm": "2025-05-01T08:00:00.000Z",
        "model": "MAG324",
    },
    "page": {"offset": 0, "limit": 2, "total": 2, "devices": [{"_id": "a"}]},
    "channels": {"offset": 0, "total": 1, "channels": [{"_id": "c", "number": 1}]},
    "health": [{"date": "2025-05-01T00:00:00Z", "localRTT": 1.0, "tunnelUp": True}],
    "action": {"success": True, "devices": 23, "skipped": 2},
    "error": {"error": {"code": "volume", "message": "m", "status": 422}},
}

PARSERS: dict[str, Callable[[object], object]] = {
    "login": LoginResult.from_json,
    "device": Device.from_json,
    "device_get": parse_device,
    "page": parse_device_page,
    "channel": Channel.from_json,
    "channels": parse_channel_page,
    "sample": HealthSample.from_json,
    "health": parse_health,
    "action": ActionResult.from_json,
    "error": parse_error_body,
    "error_401_login": lambda d: error_from_body(401, d, login=True),
    "error_403": lambda d: error_from_body(403, d),
    "error_422": lambda d: error_from_body(422, d, secrets=("abc",)),
}
SAMPLE_OF = {
    "device_get": "device",
    "channel": "device",
    "sample": "health",
    "error_401_login": "error",
    "error_403": "error",
    "error_422": "error",
}


def _mutate(sample: Any, data: st.DataObject) -> Any:
    """Replace, drop or add one value somewhere in ``sample``."""
    if isinstance(sample, dict) and sample:
        key = data.draw(st.sampled_from(sorted(sample)))
        action = data.draw(st.sampled_from(["replace", "drop", "recurse", "add"]))
        out = dict(sample)
        if action == "drop":
            del out[key]
        elif action == "recurse":
            out[key] = _mutate(sample[key], data)
        elif action == "add":
            out[data.draw(st.text(max_size=8))] = data.draw(json_values)
        else:
            out[key] = data.draw(json_values)
        return out
    if isinstance(sample, list) and sample:
        index = data.draw(st.integers(0, len(sample) - 1))
        out_list = list(sample)
        out_list[index] = _mutate(sample[index], data)
        return out_list
    return data.draw(json_values)


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fuzz_parsers(name: str, data: st.DataObject) -> None:
    parser = PARSERS[name]
    sample = SAMPLES[SAMPLE_OF.get(name, name)]
    body = data.draw(
        st.one_of(json_values, st.just(sample).map(lambda s: _mutate(s, data)))
    )
    # Round-trip through JSON like a real body (floats nan/inf included).
    try:
        decoded = decode_json(json.dumps(body).encode(), "fuzz")
    except TelecomXError:
        return
    with contextlib.suppress(TelecomXError):
        parser(decoded)


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=200))
def test_fuzz_decode(raw: bytes) -> None:
    with contextlib.suppress(TelecomXError):
        decode_json(raw, "fuzz")


@settings(max_examples=150, deadline=None)
@given(
    action_type=st.sampled_from([*ActionType, "BOGUS", "", "message"]),
    params=st.dictionaries(
        st.sampled_from(
            [
                "message",
                "notify",
                "repeat",
                "video",
                "channel",
                "script",
                "port",
                "js",
                "firmware",
                "radiochannel",
                "volume",
                "debugserver",
                "keys",
                "other",
            ]
        ),
        json_values | st.lists(st.sampled_from(["UP", "OK", "up", "X"]), max_size=3),
        max_size=4,
    ),
)
def test_fuzz_action_build(action_type: str, params: dict[str, Any]) -> None:
    try:
        action = Action.build(action_type, params)
    except TelecomXError:
        return
    query = action.query()
    assert query[0] == ("type", action.type.value)
    assert all(isinstance(v, str) for _, v in query)


async def test_gather_paging_rules() -> None:
    """Paging stops on total, on a short page without total, on an empty page."""
    from custom_components.venue_av.protocol.telecomx import Page
    from custom_components.venue_av.protocol.telecomx.client import _gather

    def fetcher(pages: list[Page[int]]) -> Callable[[int], Any]:
        calls: list[int] = []

        async def fetch(offset: int) -> Page[int]:
            calls.append(offset)
            return pages[min(len(calls) - 1, len(pages) - 1)]

        fetch.calls = calls  # type: ignore[attr-defined]
        return fetch

    def page(
        items: tuple[int, ...], total: int | None, limit: int | None = 2
    ) -> Page[int]:
        return Page(
            offset=0, limit=limit, total=total, items=items, received=len(items)
        )

    no_total = fetcher([page((1, 2), None), page((3,), None)])
    assert list(await _gather(no_total, 2)) == [1, 2, 3]
    assert no_total.calls == [0, 2]  # type: ignore[attr-defined]
    empty = fetcher([page((1, 2), 10), page((), 10)])
    assert list(await _gather(empty, 2)) == [1, 2]
    endless = fetcher([page((1, 2), 10**9)])
    with pytest.raises(TelecomXResponseError):
        await _gather(endless, 2)
