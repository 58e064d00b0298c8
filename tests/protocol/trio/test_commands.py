"""Every command of the endpoint table against the simulator over loopback HTTPS."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from custom_components.venue_av.protocol.trio import (
    CallDirection,
    CallLogKind,
    CallState,
    ConfigResetTarget,
    ConfigSource,
    DialType,
    MediaDirection,
    PhoneState,
    RegistrationState,
    TouchType,
    TransferType,
    TrioCallNotFoundError,
    TrioClient,
    TrioInvalidInputError,
    TrioLineNotFoundError,
    TrioLineNotRegisteredError,
    TrioOperationNotAllowedError,
    TrioUrlsNotConfiguredError,
)
from simulators.trio import TrioSimulator

from .conftest import BASIC


async def wait_for_state(client: TrioClient, state: CallState) -> None:
    for _ in range(50):
        call = await client.call_status()
        if call is not None and call.state is state:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"call never reached {state}")


async def test_device_and_network(client: TrioClient, sim: TrioSimulator) -> None:
    info = await client.device_info()
    assert info.model == "Trio 8800"
    assert info.mac_address == sim.phone(BASIC).spec.mac
    assert info.vendor == "Polycom"
    assert info.ipv4_address == BASIC
    assert isinstance(info.uptime, timedelta)
    v2 = await client.device_info_v2()
    assert v2.firmware == sim.phone(BASIC).spec.firmware
    assert v2.firmware_bootblock.startswith("3.0.6")
    assert v2.ready_to_use is True
    assert v2.intend_to_shutdown is False
    assert v2.ip_stack == "IPv4 Only"
    net = await client.network_info()
    assert net.dhcp is True
    assert net.lan_speed_mbps == 1000
    assert net.cdp is True
    assert net.vlan_id is None
    stats = await client.network_stats()
    assert stats.rx_packets is not None
    assert stats.tx_packets is not None
    assert stats.uptime is not None
    device_stats = await client.device_stats()
    assert device_stats.cpu_current is not None
    assert device_stats.memory_total == 1039306752
    assert device_stats.ram_disk_size == 67108864
    running = await client.running_config()
    assert running.get("Network", "IPAddress") == BASIC
    assert running.get("Nope", "x") is None
    location = await client.location_info()
    assert location.house_number == "1"
    assert location.fields["Country"] == "CH"
    paired = await client.paired_devices()
    assert paired[0][0].component_type == "cameraSrc"
    assert await client.presence() == "Available"


async def test_lines_and_sip(client: TrioClient, sim: TrioSimulator) -> None:
    lines = await client.line_info()
    assert lines[0].line_number == 1
    assert lines[0].registered
    assert lines[0].port == 5060
    v2 = await client.line_info_v2()
    assert v2[0].call_servers[0].working is True
    assert v2[0].active is True
    sip = await client.sip_status()
    assert sip.users[0].registration is RegistrationState.REGISTERED
    sim.set_registered(BASIC, False)
    assert not (await client.line_info())[0].registered
    assert (await client.sip_status()).users[0].registration is (
        RegistrationState.REGISTERING
    )
    with pytest.raises(TrioLineNotRegisteredError) as err:
        await client.dial("2000")
    assert err.value.code == 4002
    assert err.value.kind == "line_not_registered"


async def test_management_commands(client: TrioClient, sim: TrioSimulator) -> None:
    await client.config_reset()
    for target in ConfigResetTarget:
        await client.config_reset(target)
    await client.update_configuration()
    await client.simulate_touch([(120, 300)])
    await client.simulate_touch(
        [(10, 10), (200, 10)], touch_type=TouchType.SWIPE, duration_ms=100
    )
    await client.simulate_key_event("Home")
    await client.simulate_text_input("hello", replace=True)
    await client.simulate_hook(True)
    await client.skype_sign_in("a@example.com", "a", "s3cret", lock_code="1234")
    await client.skype_sign_out()
    await client.web_sign_in()
    await client.web_sign_in_cancel()
    await client.upload_background_capture()
    await client.upload_background_capture("https://upload.example.net/")
    await client.export_configuration("https://upload.example.net/cfg")
    with pytest.raises(TrioUrlsNotConfiguredError):
        await client.export_configuration()
    await client.factory_reset()
    actions = [name for name, _ in sim.phone(BASIC).actions]
    assert actions[:5] == [
        "configReset",
        "configReset/local",
        "configReset/web",
        "configReset/device",
        "configReset/cloud",
    ]
    assert "simulateHook" in actions
    assert "factoryReset" in actions
    touch = dict(sim.phone(BASIC).actions)["simulateTouch"]
    assert touch["Positions"] == [{"X": "10", "Y": "10"}, {"X": "200", "Y": "10"}]
    # The Skype password never reaches the simulator's logs.
    assert "s3cret" not in repr(sim.request_log)
    assert "s3cret" not in repr(sim.phone(BASIC).actions)
    with pytest.raises(ValueError):
        await client.simulate_touch([])


async def test_transfer_type(client: TrioClient) -> None:
    assert await client.transfer_type() is TransferType.CONSULTATIVE
    await client.set_transfer_type(TransferType.BLIND)
    assert await client.transfer_type() is TransferType.BLIND
    with pytest.raises(TrioInvalidInputError):
        await client.set_transfer_type(TransferType.UNKNOWN)


async def test_config_get_set(client: TrioClient) -> None:
    values = await client.get_config(["video.callRate", "no.such.param"])
    assert values.get("video.callRate") == "2048"
    assert values.values["video.callRate"].source is ConfigSource.DEFAULT
    assert values.invalid == ("no.such.param",)
    await client.set_config(
        {"video.callRate": 1024, "up.backlight.idleIntensity": True}
    )
    values = await client.get_config(["video.callRate", "up.backlight.idleIntensity"])
    assert values.get("video.callRate") == "1024"
    assert values.get("up.backlight.idleIntensity") == "1"
    assert values.values["video.callRate"].source is ConfigSource.WEB
    assert (await client.get_config([])).values == {}
    await client.set_config({})


async def test_notification_support(
    client: TrioClient, sim: TrioSimulator, make_client: object
) -> None:
    assert await client.notification_support() is True
    await client.set_config(client.notification_config("https://ha.example/hook/x"))
    values = await client.get_config(["apps.telNotification.URL"])
    assert values.get("apps.telNotification.URL") == "https://ha.example/hook/x"
    off = TrioClient.notification_config(None)
    assert off["apps.telNotification.URL"] == ""
    assert set(off.values()) == {"", "0"}
    # A firmware without the parameters: polling only, no error.
    state = sim.phone(BASIC)
    state.config = {
        k: v for k, v in state.config.items() if not k.startswith("apps.telNotif")
    }
    assert await client.notification_support() is False


async def test_outgoing_call_flow(client: TrioClient, sim: TrioSimulator) -> None:
    assert await client.call_status() is None
    assert await client.call_status_v2() == ()
    poll = await client.poll_for_status()
    assert poll.state is PhoneState.IDLE
    await client.dial("sip:2000@example.net", line=1, call_type=DialType.SIP)
    call = await client.call_status()
    assert call is not None
    assert call.state is CallState.DIALING
    assert call.direction is CallDirection.OUTGOING
    await wait_for_state(client, CallState.CONNECTED)
    calls = await client.call_status_v2()
    assert len(calls) == 1
    v2 = calls[0]
    assert v2.active is True
    assert v2.appearance == 1
    assert v2.media_direction is MediaDirection.SENDRECV
    assert v2.remote_number == "sip:2000@example.net"
    assert (await client.call_status_v2(handle=v2.handle))[0].handle == v2.handle
    assert await client.call_status_v2(line=2) == ()
    assert len(await client.call_status_v2(line=1, sequence=v2.sequence)) == 1
    assert (await client.poll_for_status()).state is PhoneState.ACTIVE
    assert (await client.communication_info()).two_way_audio
    sessions = await client.session_stats()
    assert sessions[0].streams[0].rx_codec == "3:G.722.1"
    assert not sessions[0].streams[0].is_video
    await client.mute(True)
    assert (await client.communication_info()).phone_muted is True
    assert (await client.call_status_v2())[0].muted is True
    await client.mute(False)
    await client.send_dtmf("123#")
    ref = (await client.call_status()).handle  # type: ignore[union-attr]
    await client.hold(ref)
    assert (await client.call_status()).state.on_hold  # type: ignore[union-attr]
    assert (await client.uixml()).shows("Resume")
    with pytest.raises(TrioOperationNotAllowedError):
        await client.end_call(ref)  # manual: not allowed while on hold
    await client.resume(ref)
    assert (await client.uixml()).shows("End Call")
    await client.end_call(ref)
    assert await client.call_status() is None
    with pytest.raises(TrioCallNotFoundError) as err:
        await client.end_call(ref)
    assert err.value.code == 4007
    logs = await client.call_logs()
    assert logs.placed[0].remote_number == "sip:2000@example.net"
    assert logs.placed[0].duration is not None
    assert (await client.call_log(CallLogKind.PLACED))[0].line == 1
    assert sim.phone(BASIC).logs["Placed"]


async def test_incoming_call_flow(client: TrioClient, sim: TrioSimulator) -> None:
    handle = sim.inject_incoming(BASIC, "3000", "Alice")
    call = await client.call_status()
    assert call is not None
    assert call.state.ringing_in
    assert call.direction is CallDirection.INCOMING
    assert (await client.call_status_v2())[0].ringing is True
    await client.ignore()
    assert (await client.call_status_v2())[0].ringing is False
    await client.answer(handle)
    assert (await client.call_status()).state is CallState.CONNECTED  # type: ignore[union-attr]
    with pytest.raises(TrioOperationNotAllowedError):
        await client.answer(handle)
    await client.hold()
    await client.resume()
    assert sim.remote_hangup(BASIC)
    assert await client.call_status() is None
    assert (await client.call_log(CallLogKind.RECEIVED))[0].remote_name == "Alice"
    sim.inject_incoming(BASIC, "3001", "Bob")
    await client.reject()
    missed = await client.call_log(CallLogKind.MISSED)
    assert missed[0].remote_number == "3001"
    assert missed[0].duration is None
    with pytest.raises(TrioCallNotFoundError):
        await client.answer()
    with pytest.raises(TrioCallNotFoundError):
        await client.mute(True)
    with pytest.raises(TrioCallNotFoundError):
        await client.send_dtmf("1")
    idle = await client.poll_for_status()
    assert idle.last_call is not None


async def test_transfer(client: TrioClient, sim: TrioSimulator) -> None:
    handle = sim.inject_incoming(BASIC, "3000")
    await client.answer(handle)
    await client.transfer(handle, "4000")
    assert await client.call_status() is None
    assert ("transfer", {"Ref": f"0x{int(handle, 16):x}", "To": "4000"}) in sim.phone(
        BASIC
    ).actions
    with pytest.raises(TrioCallNotFoundError):
        await client.transfer(handle, "4000")


async def test_call_input_validation(client: TrioClient) -> None:
    with pytest.raises(ValueError):
        await client.dial(" ")
    with pytest.raises(ValueError):
        await client.send_dtmf("12a")
    with pytest.raises(TrioLineNotFoundError):
        await client.dial("2000", line=7)
    await client.dial("2000", line=None)


async def test_restart_and_reboot(client: TrioClient, sim: TrioSimulator) -> None:
    await client.restart()
    await asyncio.sleep(0.15)
    from custom_components.venue_av.protocol.trio import TrioConnectionError

    with pytest.raises(TrioConnectionError):
        await client.device_info()
    await asyncio.sleep(0.4)
    assert (await client.device_info()).model == "Trio 8800"
    assert sim.phone(BASIC).restarts == 1
    await client.reboot()
    await asyncio.sleep(0.6)
    await client.device_info()
    assert sim.phone(BASIC).restarts == 2
