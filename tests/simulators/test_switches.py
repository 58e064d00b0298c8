"""The simulators' switches for readings the specs leave open: CLI and control API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from simulators.common import serve_app
from simulators.imm import ClientSpec, ImmSimulator
from simulators.imm.__main__ import _parser as imm_parser
from simulators.imm.control import start_control as imm_control
from simulators.telecomx import ScreenshotFault, TelecomXSimulator
from simulators.telecomx.__main__ import _parser as telecomx_parser
from simulators.telecomx.control import start_control as telecomx_control
from simulators.trio import DefaultPasswordStyle, PhoneSpec, TrioSimulator
from simulators.trio.__main__ import build as trio_build, parse_args as trio_args
from simulators.trio.control import make_app as trio_app

HOST = "127.0.0.1"


@pytest.fixture
async def session(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


def test_command_lines() -> None:
    imm = imm_parser().parse_args(
        ["--blocking-scope", "partition", "--sensor-trigger", "every_push"]
    )
    assert (imm.blocking_scope, imm.sensor_trigger) == ("partition", "every_push")
    assert imm_parser().parse_args([]).blocking_scope == "client"
    telecomx = telecomx_parser().parse_args(
        ["--screenshot-fault", "html_tail", "--ignore-offset"]
    )
    assert telecomx.screenshot_fault == "html_tail"
    assert telecomx.ignore_offset
    trio = trio_build(
        trio_args(
            [
                "--default-password",
                "--default-password-style",
                "text",
                "--default-password-http-status",
                "403",
                "--dtmf-key",
                "digits",
                "--require-ref",
            ]
        )
    )
    spec = trio.phone(trio.hosts[0]).spec
    assert spec.default_password_style is DefaultPasswordStyle.TEXT
    assert spec.default_password_http_status == 403
    assert spec.dtmf_keys == ("digits",)
    assert spec.require_ref
    assert trio_build(trio_args([])).phone("127.0.88.1").dtmf_keys == (
        "Digits",
        "digits",
    )


async def test_imm_control(session: aiohttp.ClientSession) -> None:
    sim = ImmSimulator(
        [ClientSpec(host="127.0.79.9", client_id="0011AABB0009", name="Spare")],
        http_port=0,
        udp_port=0,
        sensor_trigger="every_push",
    )
    client = sim.client("127.0.79.9")
    assert client.sensor_trigger == "every_push"
    runner = await imm_control(sim, HOST, 0)
    try:
        url = f"http://{HOST}:{runner.addresses[0][1]}/clients/127.0.79.9"
        async with session.post(url, json={"blocking_scope": "partition"}) as r:
            assert r.status == 200
            assert (await r.json())["blocking_scope"] == "partition"
        async with session.post(url, json={"sensor_trigger": "sometimes"}) as r:
            assert r.status == 400
        async with session.post(url, json={"blocking_scope": "player"}) as r:
            assert r.status == 400
        assert client.blocking_scope == "partition"
        client.reset()
        assert client.blocking_scope == "client"
        assert client.sensor_trigger == "every_push"  # the constructor's choice
    finally:
        await runner.cleanup()


async def test_telecomx_control(session: aiohttp.ClientSession) -> None:
    sim = TelecomXSimulator(HOST, 0, ignore_offset=True)
    runner = await telecomx_control(sim, HOST, 0)
    try:
        url = f"http://{HOST}:{runner.addresses[0][1]}/settings"
        body = {
            "screenshotFault": "truncated",
            "ignoreOffset": False,
            "secondFactorInvalidCode": "sms_key_invalid",
            "secondFactorInvalidMessage": "Wrong SMS key",
            "secondFactorCode": "sms_key_required",
            "secondFactorMessage": "SMS key required",
        }
        async with session.post(url, json=body) as r:
            assert r.status == 200
        assert sim.screenshot_fault is ScreenshotFault.TRUNCATED
        assert not sim.ignore_offset
        assert sim.state.second_factor_invalid_code == "sms_key_invalid"
        assert sim.state.second_factor_message == "SMS key required"
        sim.reset()
        assert sim.ignore_offset  # back to the constructor's choice
        assert sim.screenshot_fault is ScreenshotFault.NONE
    finally:
        await runner.cleanup()


async def test_trio_control(session: aiohttp.ClientSession) -> None:
    sim = TrioSimulator([PhoneSpec(host="127.0.88.9")], port=0)
    runner = await serve_app(trio_app(sim), HOST, 0)
    try:
        url = f"http://{HOST}:{runner.addresses[0][1]}/phones/127.0.88.9/settings"
        body = {
            "default_password_style": "plain",
            "default_password_http_status": 401,
            "dtmf_keys": ["digits"],
            "require_ref": True,
        }
        async with session.post(url, json=body) as r:
            assert r.status == 200
        state = sim.phone("127.0.88.9")
        assert state.default_password_style is DefaultPasswordStyle.PLAIN
        assert state.default_password_http_status == 401
        assert state.dtmf_keys == ("digits",)
        assert state.require_ref
    finally:
        await runner.cleanup()
