"""The 18 action types: validation, gating, queue/skip, targets, no automatic retry."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from custom_components.venue_av.protocol.telecomx import (
    GROUP_ALL,
    GROUP_WORLD,
    Action,
    ActionType,
    TelecomXClient,
    TelecomXConflictError,
    TelecomXConnectionError,
    TelecomXNotFoundError,
    TelecomXPermissionError,
    TelecomXValidationError,
    allowed_action_types,
)
from simulators.telecomx import PASSWORDS, FaultMode, TelecomXSimulator

from .conftest import (
    ADMIN,
    MANAGER,
    MANAGER_NO_FEATURE,
    OWNER,
    RESELLER,
    VIEWER,
    Login,
)


def valid_actions(sim: TelecomXSimulator) -> dict[ActionType, tuple[Action, dict]]:
    """One valid action per type, and the parameters the box should execute."""
    channel = sim.state.world.channels[4]["_id"]
    radio = sim.state.world.radio_channels[1]["_id"]
    video = "https://some.host.dom/path/video.mp4"
    script = "https://some.host.dom/path/script"
    actions: dict[ActionType, tuple[Action, dict]] = {
        ActionType.MESSAGE: (
            Action.show_message("Lunch <b>is</b> ready", notify="READ", repeat=True),
            {"message": "Lunch <b>is</b> ready", "notify": "READ", "repeat": True},
        ),
        ActionType.VIDEO: (
            Action.play_video(video, message="Watch this"),
            {"video": video, "message": "Watch this"},
        ),
        ActionType.PLAYCHANNEL: (Action.play_channel(channel), {"channel": channel}),
        ActionType.MANAGEMENT: (Action.management(1024), {"port": 1024}),
        ActionType.SCRIPT: (Action.run_script(script), {"script": script}),
        ActionType.JS: (
            Action.run_js("location.reload()"),
            {"js": "location.reload()"},
        ),
        ActionType.FIRMWARE: (
            Action.firmware_upgrade("https://fw.example/mag.img"),
            {"firmware": "https://fw.example/mag.img"},
        ),
        ActionType.PLAYRADIOCHANNEL: (
            Action.play_radio_channel(radio),
            {"radiochannel": radio},
        ),
        ActionType.UIDEBUG: (
            Action.ui_debug("10.0.0.5:9222"),
            {"debugserver": "10.0.0.5:9222"},
        ),
        ActionType.VOLUME: (Action.set_volume(35), {"volume": 35}),
        ActionType.EMULATEKEYS: (
            Action.emulate_keys(["MENU", "DOWN", "NUM0", "OK"]),
            {"keys": ["MENU", "DOWN", "NUM0", "OK"]},
        ),
    }
    for simple in (
        ActionType.SWITCH_OFF,
        ActionType.CHANNELS,
        ActionType.UI,
        ActionType.REBOOT,
        ActionType.DVB,
        ActionType.SCREENSHOT,
        ActionType.SPEEDTEST,
    ):
        actions[simple] = (Action.simple(simple), {})
    assert set(actions) == set(ActionType)
    return actions


@pytest.mark.parametrize("action_type", list(ActionType))
async def test_every_type_reaches_the_group(
    login: Login, sim: TelecomXSimulator, action_type: ActionType
) -> None:
    client = await login(ADMIN)
    action, executed = valid_actions(sim)[action_type]
    floor = sim.state.group_id("Floor 1")
    result = await client.group_action(floor, action)
    assert result.success
    assert (result.devices, result.skipped) == (4, 0)
    assert result.scheduled
    await sim.state.wait_idle()
    for box in sim.state.boxes_in_group("Floor 1"):
        assert [(e.type, e.params) for e in box.executed] == [
            (action_type.value, executed)
        ]
    request = sim.requests("/iptv/device/action")[-1]
    assert request.params["type"] == action_type.value
    assert request.params["group"] == floor


@pytest.mark.parametrize("action_type", list(ActionType))
async def test_every_type_on_one_box(
    login: Login, sim: TelecomXSimulator, action_type: ActionType
) -> None:
    client = await login(ADMIN)
    action, executed = valid_actions(sim)[action_type]
    box = sim.state.box_by_name("Room 201")
    result = await client.device_action(box.device_id, action)
    assert result.scheduled
    assert result.action_id
    await sim.state.wait_idle()
    assert [(e.type, e.params, e.source) for e in box.executed] == [
        (action_type.value, executed, "device")
    ]


def test_keys_encoding() -> None:
    action = Action.emulate_keys(["UP", "UP", "OK"])
    assert action.query() == [
        ("type", "EMULATEKEYS"),
        ("keys", "UP"),
        ("keys", "UP"),
        ("keys", "OK"),
    ]
    assert Action.show_message("x", notify="SOUND", repeat=False).query() == [
        ("type", "MESSAGE"),
        ("message", "x"),
        ("notify", "SOUND"),
        ("repeat", "false"),
    ]


INVALID: list[tuple[str, Mapping[str, object], str]] = [
    ("DANCE", {}, "type"),
    ("message", {}, "type"),
    ("MESSAGE", {}, "message"),
    ("MESSAGE", {"message": "   "}, "message"),
    ("MESSAGE", {"message": 5}, "message"),
    ("MESSAGE", {"message": "a\x00b"}, "message"),
    ("MESSAGE", {"message": "x" * 5000}, "message"),
    ("MESSAGE", {"message": "hi", "notify": "LOUD"}, "notify"),
    ("MESSAGE", {"message": "hi", "notify": 1}, "notify"),
    ("MESSAGE", {"message": "hi", "repeat": True}, "repeat"),
    ("MESSAGE", {"message": "hi", "notify": "SOUND", "repeat": "yes"}, "repeat"),
    ("MESSAGE", {"message": "hi", "volume": 3}, "volume"),
    ("VIDEO", {}, "video"),
    ("VIDEO", {"video": "ftp://host/video.mp4"}, "video"),
    ("VIDEO", {"video": "not a url"}, "video"),
    ("VIDEO", {"video": "https://"}, "video"),
    ("VIDEO", {"video": "http://[::1"}, "video"),
    ("VIDEO", {"video": 42}, "video"),
    ("VIDEO", {"video": "https://h/v.mp4", "message": ""}, "message"),
    ("PLAYCHANNEL", {}, "channel"),
    ("PLAYCHANNEL", {"channel": ""}, "channel"),
    ("PLAYCHANNEL", {"channel": "a b"}, "channel"),
    ("PLAYCHANNEL", {"channel": "x" * 200}, "channel"),
    ("PLAYCHANNEL", {"channel": 123}, "channel"),
    ("SWITCH_OFF", {"message": "bye"}, "message"),
    ("CHANNELS", {"channel": "abc"}, "channel"),
    ("UI", {"js": "x"}, "js"),
    ("REBOOT", {"port": 1}, "port"),
    ("DVB", {"keys": ["OK"]}, "keys"),
    ("SCREENSHOT", {"video": "https://h/v"}, "video"),
    ("SPEEDTEST", {"volume": 1}, "volume"),
    ("MANAGEMENT", {}, "port"),
    ("MANAGEMENT", {"port": 0}, "port"),
    ("MANAGEMENT", {"port": 65536}, "port"),
    ("MANAGEMENT", {"port": "abc"}, "port"),
    ("MANAGEMENT", {"port": True}, "port"),
    ("MANAGEMENT", {"port": 1.5}, "port"),
    ("SCRIPT", {}, "script"),
    ("SCRIPT", {"script": "javascript:alert(1)"}, "script"),
    ("JS", {}, "js"),
    ("JS", {"js": ""}, "js"),
    ("FIRMWARE", {"firmware": "nope"}, "firmware"),
    ("PLAYRADIOCHANNEL", {}, "radiochannel"),
    ("PLAYRADIOCHANNEL", {"radiochannel": "?"}, "radiochannel"),
    ("UIDEBUG", {"debugserver": "nohost"}, "debugserver"),
    ("UIDEBUG", {"debugserver": "host:99999"}, "debugserver"),
    ("UIDEBUG", {"debugserver": 5}, "debugserver"),
    ("VOLUME", {}, "volume"),
    ("VOLUME", {"volume": -1}, "volume"),
    ("VOLUME", {"volume": 101}, "volume"),
    ("VOLUME", {"volume": "loud"}, "volume"),
    ("VOLUME", {"volume": True}, "volume"),
    ("VOLUME", {"volume": 50.5}, "volume"),
    ("EMULATEKEYS", {}, "keys"),
    ("EMULATEKEYS", {"keys": []}, "keys"),
    ("EMULATEKEYS", {"keys": ["ok"]}, "keys"),
    ("EMULATEKEYS", {"keys": "OK"}, "keys"),
    ("EMULATEKEYS", {"keys": 7}, "keys"),
    ("EMULATEKEYS", {"keys": ["UP", "JUMP"]}, "keys"),
]


@pytest.mark.parametrize(("action_type", "params", "parameter"), INVALID)
def test_invalid_parameters(
    action_type: str, params: Mapping[str, object], parameter: str
) -> None:
    with pytest.raises(TelecomXValidationError) as caught:
        Action.build(action_type, params)
    assert caught.value.parameter == parameter
    assert caught.value.kind == "invalid_parameter"


async def test_invalid_action_sends_nothing(
    login: Login, sim: TelecomXSimulator
) -> None:
    client = await login(ADMIN)
    before = len(sim.request_log)
    with pytest.raises(TelecomXValidationError):
        await client.group_action(
            sim.state.group_id("Lobby"), Action.build("VOLUME", volume=300)
        )
    with pytest.raises(TelecomXValidationError):
        await client.group_action("", ActionType.REBOOT)
    with pytest.raises(TelecomXValidationError) as caught:
        await client.group_action(
            sim.state.group_id("Lobby"), ActionType.REBOOT, reseller="abc"
        )
    assert caught.value.parameter == "reseller"
    with pytest.raises(TelecomXValidationError) as caught:
        await client.device_action(
            sim.state.box_by_name("Room 101").device_id,
            ActionType.REBOOT,
            when=datetime(2030, 1, 1),  # no time zone
        )
    assert caught.value.parameter == "when"
    assert len(sim.request_log) == before


def test_normalised_values() -> None:
    assert Action.build("VOLUME", {"volume": "40"}).volume == 40
    assert Action.build("VOLUME", volume=40.0).volume == 40
    assert Action.build("MANAGEMENT", port=" 8080 ").port == 8080
    assert Action.build("MESSAGE", message="hi", notify=None).notify is None
    assert Action.build("UIDEBUG", debugserver="  ").debugserver == ""
    assert Action.build("UIDEBUG", debugserver="[::1]:9000").debugserver == "[::1]:9000"
    assert Action.build(ActionType.VIDEO, video=" https://h/v ").video == "https://h/v"
    assert Action.build("PLAYCHANNEL", channel=" abc ").channel == "abc"
    assert Action.simple("REBOOT").query() == [("type", "REBOOT")]


@pytest.mark.parametrize(
    ("action_type", "parameter", "value"),
    [
        ("PLAYCHANNEL", "channel", "0" * 24),
        ("PLAYRADIOCHANNEL", "radiochannel", "1" * 24),
    ],
)
async def test_server_side_validation(
    login: Login,
    sim: TelecomXSimulator,
    action_type: str,
    parameter: str,
    value: str,
) -> None:
    """Ids that look fine but the cloud does not know: its 422 names the parameter."""
    client = await login(MANAGER)
    with pytest.raises(TelecomXValidationError) as caught:
        await client.group_action(
            sim.state.group_id("Lobby"), Action.build(action_type, {parameter: value})
        )
    assert caught.value.parameter == parameter
    assert caught.value.status == 422


ACCOUNTS = [VIEWER, MANAGER, OWNER, MANAGER_NO_FEATURE, RESELLER, ADMIN]


@pytest.mark.parametrize("email", ACCOUNTS)
async def test_gating_matches_the_access_table(
    login: Login, sim: TelecomXSimulator, email: str
) -> None:
    client = await login(email)
    account = sim.state.world.accounts[email]
    if email in (RESELLER, ADMIN):
        box = sim.state.box_by_name("Room 101")
    else:
        box = next(
            b
            for b in sim.state.world.boxes.values()
            if b.type == "STB" and b.enabled and b.customer_id == account.customer_id
        )
    login_result = await client.login(email, PASSWORDS[email])
    allowed = login_result.allowed_action_types
    assert allowed == allowed_action_types(
        login_result.access_level, login_result.features
    )
    for action_type, (action, _) in valid_actions(sim).items():
        if action_type in allowed:
            result = await client.device_action(box.device_id, action)
            assert result.scheduled, action_type
        else:
            with pytest.raises(TelecomXPermissionError) as caught:
                await client.device_action(box.device_id, action)
            assert caught.value.kind == "access_denied"
            assert caught.value.required
            assert caught.value.required in str(caught.value)
        sim.state.flush()
    expected = {
        VIEWER: 0,
        MANAGER_NO_FEATURE: 0,
        MANAGER: 11,
        OWNER: 11,
        RESELLER: 14,
        ADMIN: 18,
    }[email]
    assert len(allowed) == expected
    assert len(box.executed) == expected


async def test_reseller_gated_by_customer_features(
    login: Login, sim: TelecomXSimulator
) -> None:
    """A reseller may act on Borealis (IPTVPRIVATE); its manager may not."""
    reseller = await login(RESELLER)
    bar = sim.state.group_id("Bar")
    assert (await reseller.group_action(bar, ActionType.UI)).devices == 3
    manager = await login(MANAGER_NO_FEATURE)
    with pytest.raises(TelecomXPermissionError):
        await manager.group_action(bar, ActionType.UI)


async def test_skip_when_queued(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(MANAGER)
    sim.time_scale = 1.0  # keep actions queued (1-60 s) until flushed
    lobby = sim.state.group_id("Lobby")
    first = await client.group_action(lobby, Action.show_message("Lunch is ready."))
    assert (first.devices, first.skipped) == (3, 0)
    # Restaurant is in Lobby and Restaurant: queued already, skipped there.
    restaurant = sim.state.group_id("Restaurant")
    again = await client.group_action(restaurant, Action.show_message("Dinner"))
    assert (again.devices, again.skipped) == (0, 1)
    assert not again.scheduled
    # Another type is not skipped.
    other = await client.group_action(restaurant, Action.set_volume(10))
    assert (other.devices, other.skipped) == (1, 0)
    assert sim.state.flush() == 4
    await sim.state.wait_idle()
    for box in sim.state.boxes_in_group("Lobby"):
        if box.type != "STB":
            assert box.executed == []
            continue
        messages = [e.params["message"] for e in box.executed if e.type == "MESSAGE"]
        assert messages == ["Lunch is ready."]
    # Once carried out, the same type is scheduled again.
    later = await client.group_action(lobby, Action.show_message("Coffee"))
    assert (later.devices, later.skipped) == (3, 0)


async def test_single_device_queue_and_cancel(
    login: Login, sim: TelecomXSimulator
) -> None:
    client = await login(MANAGER)
    box = sim.state.box_by_name("Room 103")
    sim.time_scale = 10.0  # keep it queued
    first = await client.device_action(box.device_id, ActionType.REBOOT)
    assert first.action_id
    second = await client.device_action(box.device_id, ActionType.REBOOT)
    assert (second.devices, second.skipped) == (0, 1)
    assert not second.scheduled
    await client.cancel_action(box.device_id, first.action_id)
    assert box.queue == {}
    with pytest.raises(TelecomXNotFoundError) as caught:
        await client.cancel_action(box.device_id, first.action_id)
    assert caught.value.what == "action"
    assert box.executed == []


async def test_when(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(MANAGER)
    box = sim.state.box_by_name("Room 104")
    when = datetime.now(UTC) + timedelta(seconds=3)
    result = await client.device_action(box.device_id, ActionType.UI, when=when)
    assert result.scheduled
    sent = sim.request_log[-1].params["when"]
    assert sent.endswith("Z")
    assert datetime.fromisoformat(sent.replace("Z", "+00:00")) == when.replace(
        microsecond=when.microsecond // 1000 * 1000
    )
    await sim.state.wait_idle()
    assert [e.type for e in box.executed] == ["UI"]


async def test_non_box_device_conflict(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(MANAGER)
    web = sim.state.box_by_name("Reception PC")
    with pytest.raises(TelecomXConflictError) as caught:
        await client.device_action(web.device_id, ActionType.UI)
    assert caught.value.status == 409
    assert caught.value.kind == "conflict"


async def test_group_targets(login: Login, sim: TelecomXSimulator) -> None:
    admin = await login(ADMIN)
    aurora = sim.state.box_by_name("Room 101").customer_id
    nordic = sim.state.world.customers[aurora].reseller_id
    assert (
        await admin.group_action(GROUP_ALL, ActionType.UI, reseller=aurora)
    ).devices == 10
    assert (await admin.group_action(GROUP_ALL, ActionType.DVB)).devices == 0
    assert (
        await admin.group_action(GROUP_ALL, ActionType.CHANNELS, reseller=nordic)
    ).devices == 14
    assert sim.request_log[-1].params["reseller"] == nordic
    assert (await admin.group_action(GROUP_WORLD, ActionType.REBOOT)).devices == 14
    manager = await login(MANAGER)
    with pytest.raises(TelecomXPermissionError):
        await manager.group_action(GROUP_WORLD, ActionType.SWITCH_OFF)
    assert (await manager.group_action(GROUP_ALL, ActionType.SWITCH_OFF)).devices == 10
    reseller = await login(RESELLER)
    assert (await reseller.group_action(GROUP_ALL, ActionType.SPEEDTEST)).devices == 14
    with pytest.raises(TelecomXNotFoundError) as caught:
        await manager.group_action("0" * 24, ActionType.UI)
    assert caught.value.what == "group"
    with pytest.raises(TelecomXNotFoundError):
        await manager.group_action(sim.state.group_id("Bar"), ActionType.UI)


@pytest.mark.parametrize(
    "fault",
    [FaultMode.HTTP_500, FaultMode.MALFORMED, FaultMode.TRUNCATED, FaultMode.SLOW],
)
async def test_actions_never_retried(
    login: Login, sim: TelecomXSimulator, fault: FaultMode
) -> None:
    client = await login(MANAGER, timeout=0.3)
    floor = sim.state.group_id("Floor 2")
    sim.set_fault(fault, delay=0.6, count=1)
    with pytest.raises(TelecomXConnectionError):
        await client.group_action(floor, Action.show_message("Once"))
    box = sim.state.box_by_name("Room 201")
    with pytest.raises(TelecomXConnectionError):
        sim.set_fault(fault, delay=0.6, count=1)
        await client.device_action(box.device_id, Action.set_volume(5))
    if fault is FaultMode.SLOW:
        await asyncio.sleep(0.8)  # the simulator logs slow requests when it answers
    assert len(sim.requests("/iptv/device/action")) == 1
    assert len(sim.requests(f"/iptv/device/{box.device_id}/action")) == 1
    await sim.state.wait_idle()
    # Where the cloud did act before the answer broke, it acted exactly once.
    runs = 0 if fault is FaultMode.HTTP_500 else 1
    for room in sim.state.boxes_in_group("Floor 2"):
        expected = runs if room.enabled else 0
        assert len([e for e in room.executed if e.type == "MESSAGE"]) == expected


async def test_action_down(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(MANAGER)
    sim.set_fault(FaultMode.DOWN)
    with pytest.raises(TelecomXConnectionError):
        await client.group_action(sim.state.group_id("Lobby"), ActionType.UI)
    with pytest.raises(TelecomXConnectionError):
        await client.cancel_action("a" * 24, "b" * 24)
    sim.set_fault(FaultMode.NONE)
    assert sim.state.pending == 0


RAW_422 = [
    ({"type": "BOGUS"}, "type", "Type is invalid"),
    ({"type": "MESSAGE"}, "message", "Message is missing"),
    ({"type": "VIDEO", "video": "nope"}, "video", "Video is missing or URL is invalid"),
    ({"type": "PLAYCHANNEL", "channel": "x"}, "channel", "Channel is invalid"),
    ({"type": "SCRIPT"}, "script", "Script is missing or URL is invalid"),
    ({"type": "MANAGEMENT", "port": "0"}, "port", "Port is invalid"),
    ({"type": "JS"}, "js", "Javascript code is missing"),
    ({"type": "FIRMWARE", "firmware": "x"}, "firmware", "URL is invalid"),
    ({"type": "PLAYRADIOCHANNEL"}, "radiochannel", "Channel is invalid"),
    ({"type": "VOLUME", "volume": "101"}, "volume", "Volume is invalid"),
    ({"type": "UIDEBUG", "debugserver": "x"}, "debugserver", "Invalid server"),
    ({"type": "EMULATEKEYS", "keys": "UP,JUMP"}, "keys", "Invalid key detected"),
    ({"type": "EMULATEKEYS"}, "keys", "No keys specified"),
    (
        {"type": "MESSAGE", "message": "x", "notify": "NO"},
        "notify",
        "Notify is invalid",
    ),
]


@pytest.mark.parametrize(("query", "code", "message"), RAW_422)
async def test_simulator_422_per_spec(
    login: Login,
    sim: TelecomXSimulator,
    session: aiohttp.ClientSession,
    query: dict[str, str],
    code: str,
    message: str,
) -> None:
    """The simulator's own answers (raw HTTP), so the client is tested against them."""
    admin = await login(ADMIN)
    async with session.get(
        f"{sim.base_url}/iptv/device/action",
        params={"group": sim.state.group_id("Lobby"), **query},
        headers={"Authorization": f"Bearer {admin.token}"},
    ) as response:
        assert response.status == 422
        body = await response.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"] == message


async def test_simulator_keys_forms(
    login: Login, sim: TelecomXSimulator, session: aiohttp.ClientSession
) -> None:
    admin = await login(ADMIN)
    box = sim.state.box_by_name("Room 202")
    url = f"{sim.base_url}/iptv/device/{box.device_id}/action"
    headers = {"Authorization": f"Bearer {admin.token}"}
    async with session.get(
        url, params=[("type", "EMULATEKEYS"), ("keys[]", "UP"), ("keys[]", "OK")],
        headers=headers,
    ) as response:  # fmt: skip
        assert response.status == 200
    await sim.state.wait_idle()
    assert box.executed[-1].params == {"keys": ["UP", "OK"]}


async def test_repr_and_token_reuse(login: Login, session, sim) -> None:
    client = await login(MANAGER)
    assert repr(client) == f"TelecomXClient(base_url='{sim.base_url}', logged_in=True)"
    again = TelecomXClient(session, base_url=sim.base_url + "/", token=client.token)
    assert (await again.device_page()).total == 12
