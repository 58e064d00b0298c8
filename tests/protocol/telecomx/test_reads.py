"""Device and channel lists (paging), device get, screenshot, health; read retries."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from custom_components.venue_av.protocol.telecomx import (
    ActionType,
    DeviceType,
    TelecomXConnectionError,
    TelecomXNotFoundError,
    TelecomXResponseError,
    TelecomXServerError,
    TelecomXValidationError,
)
from simulators.telecomx import FaultMode, TelecomXSimulator

from .conftest import ADMIN, MANAGER, RESELLER, VIEWER, Login


@pytest.fixture
def sim_options() -> dict[str, object]:
    return {"extra_boxes": 23}


async def test_device_list_all_pages(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(VIEWER)
    devices = await client.devices(page_size=10)
    # Aurora: 10 enabled STBs + 23 bulk + a WEB and an IOS device (disabled hidden).
    assert len(devices) == 35
    assert len({d.device_id for d in devices}) == 35
    pages = sim.requests("/iptv/device")
    assert [r.params["offset"] for r in pages] == ["0", "10", "20", "30"]
    assert all(r.params["limit"] == "10" for r in pages)
    boxes = [d for d in devices if d.is_box]
    assert len(boxes) == 33
    web = next(d for d in devices if d.type is DeviceType.WEB)
    assert web.model is None
    assert not web.is_box


async def test_device_list_filters(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(RESELLER)
    everything = await client.devices(show_disabled=True)
    assert len(everything) == 35 + 1 + 5  # Aurora (+ disabled) and Borealis
    stbs = await client.devices(device_type=DeviceType.STB, filter_text="room")
    assert {d.name for d in stbs} == {
        "Room 101", "Room 102", "Room 103", "Room 104", "Room 201", "Room 202",
        "Room 203",
    }  # fmt: skip
    borealis = sim.state.world.boxes[sim.state.box_by_name("Bar 1").device_id]
    only = await client.devices(customer=borealis.customer_id, device_type="stb")
    assert len(only) == 4
    last = sim.request_log[-1].params
    assert last["type"] == "STB"
    assert last["customer"] == borealis.customer_id
    await client.devices(full=True, heartbeat_status="UP")
    assert sim.request_log[-1].params["full"] == "true"


async def test_single_page_and_limits(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(MANAGER)
    page = await client.device_page(5, 3)
    assert (page.offset, page.limit, page.total) == (5, 3, 35)
    assert len(page.items) == 3
    with pytest.raises(TelecomXValidationError) as caught:
        await client.device_page(0, 501)
    assert caught.value.parameter == "limit"
    with pytest.raises(TelecomXValidationError):
        await client.device_page(-1, 10)
    assert len(sim.requests("/iptv/device")) == 1


@pytest.mark.parametrize("items_key", ["items", "data", "boxes"])
async def test_device_list_items_key_tolerated(
    login: Login, sim: TelecomXSimulator, items_key: str
) -> None:
    sim.items_key = items_key
    client = await login(MANAGER)
    assert len(await client.devices(page_size=20)) == 35


async def test_device_by_id_and_mac(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(MANAGER)
    box = sim.state.box_by_name("Room 101")
    by_id = await client.device(box.device_id)
    by_mac = await client.device(box.mac)
    assert by_id == by_mac
    assert by_id.name == "Room 101"
    assert by_id.mac == box.mac
    assert by_id.model == "MAG324"
    assert by_id.enabled
    assert by_id.groups == tuple(box.groups)
    with pytest.raises(TelecomXNotFoundError) as caught:
        await client.device("0" * 24)
    assert caught.value.what == "device"
    # A Borealis box is not visible to an Aurora manager.
    with pytest.raises(TelecomXNotFoundError):
        await client.device(sim.state.box_by_name("Bar 1").device_id)
    with pytest.raises(TelecomXValidationError):
        await client.device("a/b")


async def test_channels(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(VIEWER)
    channels = await client.channels(page_size=15)
    assert len(channels) == 40
    assert channels[0].name == "DR1"
    assert channels[0].number == 1
    assert channels[2].hd is False
    assert len(sim.requests("/iptv/channel")) == 3
    page = await client.channel_page(35, 10)
    assert page.total == 40
    assert len(page.items) == 5


async def test_screenshot(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(RESELLER)
    box = sim.state.box_by_name("Room 102")
    with pytest.raises(TelecomXNotFoundError) as caught:
        await client.screenshot(box.device_id)
    assert caught.value.what == "screenshot"
    result = await client.device_action(box.device_id, ActionType.SCREENSHOT)
    assert result.scheduled
    await sim.state.wait_idle()
    image = await client.screenshot(box.device_id)
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    assert image == box.screenshot


async def test_health(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(MANAGER)
    box = sim.state.box_by_name("Lobby left")
    samples = await client.health(box.device_id, date(2025, 5, 1))
    assert len(samples) == 96
    first = samples[0]
    assert first.time is not None
    assert first.time.isoformat() == "2025-05-01T00:00:00+00:00"
    assert first.local_rtt is not None
    assert first.tunnel_up is not None
    assert first.free_memory is not None
    assert sim.request_log[-1].params == {"date": "2025-05-01"}
    assert isinstance(await client.health(box.device_id), tuple)  # today


@pytest.mark.parametrize(
    "fault", [FaultMode.HTTP_500, FaultMode.MALFORMED, FaultMode.TRUNCATED]
)
async def test_reads_retried_once(
    login: Login, sim: TelecomXSimulator, fault: FaultMode
) -> None:
    client = await login(MANAGER)
    sim.set_fault(fault, count=1)
    assert len(await client.devices()) == 35
    assert len(sim.requests("/iptv/device")) == 2


async def test_read_gives_up_after_one_retry(
    login: Login, sim: TelecomXSimulator
) -> None:
    client = await login(MANAGER)
    sim.set_fault(FaultMode.HTTP_500, count=2)
    with pytest.raises(TelecomXServerError) as caught:
        await client.channels()
    assert caught.value.kind == "server_error"
    assert caught.value.code == "internal_error"
    assert len(sim.requests("/iptv/channel")) == 2
    assert sim.fault is FaultMode.NONE


async def test_slow_read(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(MANAGER, timeout=0.2)
    sim.set_fault(FaultMode.SLOW, delay=0.5)
    with pytest.raises(TelecomXConnectionError) as caught:
        await client.device_page()
    assert "timed out" in str(caught.value)
    await asyncio.sleep(0.6)  # the simulator logs slow requests when it answers
    assert len(sim.requests("/iptv/device")) == 2
    sim.set_fault(FaultMode.SLOW, delay=0.01)
    assert (await client.device_page()).total == 35


async def test_down(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(ADMIN)
    sim.set_fault(FaultMode.DOWN)
    with pytest.raises(TelecomXConnectionError) as caught:
        await client.devices()
    assert sim.base_url not in str(caught.value)
    sim.set_fault(FaultMode.NONE)
    assert len(await client.devices()) > 0


async def test_oversized_and_malformed(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(MANAGER)
    sim.set_fault(FaultMode.OVERSIZED)
    with pytest.raises(TelecomXResponseError):
        await client.device_page()
    sim.set_fault(FaultMode.MALFORMED)
    with pytest.raises(TelecomXResponseError) as caught:
        await client.device_page()
    assert caught.value.kind == "invalid_response"


async def test_screenshot_not_png(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(ADMIN)
    box = sim.state.box_by_name("Room 103")
    box.screenshot = b"GIF89a...."
    with pytest.raises(TelecomXResponseError):
        await client.screenshot(box.device_id)
    assert len(sim.requests(f"/iptv/device/{box.device_id}/screenshot")) == 2


async def test_no_retries_configured(
    login: Login, sim: TelecomXSimulator, session
) -> None:
    from custom_components.venue_av.protocol.telecomx import TelecomXClient

    token = (await login(MANAGER)).token
    client = TelecomXClient(session, base_url=sim.base_url, token=token, read_retries=0)
    sim.set_fault(FaultMode.HTTP_500, count=1)
    with pytest.raises(TelecomXServerError):
        await client.device_page()
    assert len(sim.requests("/iptv/device")) == 1
