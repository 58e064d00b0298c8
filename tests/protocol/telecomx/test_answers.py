"""Answers that only look right, and the second factor: wrong code vs code needed.

* a screenshot that starts like a PNG but is cut off, or continues as an HTML page;
* a device or channel list whose server ignores ``offset`` (every page repeats);
* a wrong SMS key / authenticator token must not read as "second factor required".
"""

from __future__ import annotations

import pytest

from custom_components.venue_av.protocol.telecomx import (
    ActionType,
    TelecomXClient,
    TelecomXCredentialsError,
    TelecomXResponseError,
    TelecomXSecondFactorInvalidError,
    TelecomXSecondFactorRequiredError,
)
from simulators.telecomx import PASSWORDS, SMS_KEY, ScreenshotFault, TelecomXSimulator

from .conftest import RESELLER, SECURE, VIEWER, Login


@pytest.mark.parametrize(
    "fault", [ScreenshotFault.TRUNCATED, ScreenshotFault.HTML_TAIL]
)
async def test_damaged_screenshot(
    login: Login, sim: TelecomXSimulator, fault: ScreenshotFault
) -> None:
    client = await login(RESELLER)
    box = sim.state.box_by_name("Room 102")
    await client.device_action(box.device_id, ActionType.SCREENSHOT)
    await sim.state.wait_idle()
    assert (await client.screenshot(box.device_id)) == box.screenshot
    sim.screenshot_fault = fault
    with pytest.raises(TelecomXResponseError) as caught:
        await client.screenshot(box.device_id)
    assert "screenshot" in str(caught.value)
    assert caught.value.kind == "invalid_response"


async def test_screenshot_with_bad_checksum(
    login: Login, sim: TelecomXSimulator
) -> None:
    client = await login(RESELLER)
    box = sim.state.box_by_name("Room 102")
    await client.device_action(box.device_id, ActionType.SCREENSHOT)
    await sim.state.wait_idle()
    assert box.screenshot is not None
    image = bytearray(box.screenshot)
    image[40] ^= 0xFF  # inside IDAT
    box.screenshot = bytes(image)
    with pytest.raises(TelecomXResponseError):
        await client.screenshot(box.device_id)


async def test_device_pages_that_repeat(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(VIEWER)
    assert len(await client.devices(page_size=5)) == 12
    sim.ignore_offset = True
    sim.request_log.clear()
    with pytest.raises(TelecomXResponseError) as caught:
        await client.devices(page_size=5)
    assert "repeat" in str(caught.value)
    assert [r.params["offset"] for r in sim.requests("/iptv/device")] == ["0", "5"]


async def test_channel_pages_that_repeat(login: Login, sim: TelecomXSimulator) -> None:
    client = await login(VIEWER)
    assert len(await client.channels(page_size=15)) == 40
    sim.ignore_offset = True
    with pytest.raises(TelecomXResponseError):
        await client.channels(page_size=15)


async def test_wrong_code_named_by_the_cloud(
    client: TelecomXClient, sim: TelecomXSimulator
) -> None:
    sim.state.second_factor_invalid_code = "sms_key_invalid"
    sim.state.second_factor_invalid_message = "Invalid SMS key or authenticator token"
    with pytest.raises(TelecomXSecondFactorInvalidError) as caught:
        await client.login(SECURE, PASSWORDS[SECURE], sms_key="000000")
    assert caught.value.kind == "second_factor_invalid"
    assert caught.value.second_factor_given
    assert not isinstance(caught.value, TelecomXSecondFactorRequiredError)
    assert isinstance(caught.value, TelecomXCredentialsError)
    with pytest.raises(TelecomXSecondFactorRequiredError) as needed:
        await client.login(SECURE, PASSWORDS[SECURE])
    assert needed.value.kind == "second_factor_required"
    assert not isinstance(needed.value, TelecomXSecondFactorInvalidError)


async def test_wrong_code_answered_like_a_missing_one(
    client: TelecomXClient, sim: TelecomXSimulator
) -> None:
    """A cloud that says "code required" for a wrong code too: a code was sent."""
    sim.state.second_factor_invalid_code = sim.state.second_factor_code
    sim.state.second_factor_invalid_message = sim.state.second_factor_message
    with pytest.raises(TelecomXSecondFactorInvalidError):
        await client.login(SECURE, PASSWORDS[SECURE], authenticator_token="000000")
    with pytest.raises(TelecomXSecondFactorRequiredError):
        await client.login(SECURE, PASSWORDS[SECURE])
    assert (await client.login(SECURE, PASSWORDS[SECURE], sms_key=SMS_KEY)).token


def test_png_problem_walks_every_chunk() -> None:
    from custom_components.venue_av.protocol.telecomx.client import png_problem
    from simulators.telecomx.png import encode_png

    image = encode_png(2, 1, [b"\x00" * 6])
    assert png_problem(image) is None
    assert png_problem(b"GIF89a") == "is not a PNG image"
    assert png_problem(image[:10]) == "is truncated"
    assert png_problem(image[:-1]) == "is truncated"
    assert png_problem(image + b"<html>") == "has data after its end"
    assert png_problem(image[:12] + b"I\x00DR" + image[16:]) == "has a damaged chunk"
    idat_first = image[:8] + image[33:]  # IHDR (25 bytes) left out
    assert png_problem(idat_first) == "does not start with IHDR"
