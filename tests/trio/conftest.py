"""Fixtures of the Poly Trio Home Assistant tests: simulated phones over loopback HTTPS."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.venue_av.const import CONF_KIND, DOMAIN, KIND_TRIO
from custom_components.venue_av.trio.const import (
    CONF_FINGERPRINT,
    CONF_PASSWORD,
    CONF_VERIFY_TLS,
    CONF_WEBHOOK_ID,
)
from simulators.trio import PhoneSpec, TrioSimulator

from ..conftest import SetUpEntry, allow_loopback

PORT = 18443
PASSWORD = "Trio-Admin-1"
ROOM = "127.0.89.1"
ROOM_MAC = "0004f2890001"
SPARE = "127.0.89.2"
SPARE_MAC = "0004f2890002"
# Nothing listens here.
NOBODY = "127.0.89.9"
# A phone on 127.0.0.1: the simulator posts its events from there (it binds no
# source address), so the webhook's "phone's own address" rule holds for it.
LOCAL = "127.0.0.1"
LOCAL_MAC = "0004f2000001"
WEBHOOK_ID = "trio-test-webhook-0123456789abcdef"


def phone(host: str, mac: str, **kw: Any) -> PhoneSpec:
    """A simulated phone, quick to answer."""
    values: dict[str, Any] = {
        "mac": mac,
        "password": PASSWORD,
        "name": "Room Phone",
        "processing_delay": 0.005,
        "connect_delay": 0.05,
        "restart_downtime": 0.3,
    }
    values.update(kw)
    return PhoneSpec(host=host, **values)


@pytest.fixture
async def trio_sim(socket_enabled: None) -> AsyncIterator[TrioSimulator]:
    """Two phones: "Room Phone" and a spare one."""
    allow_loopback(ROOM, SPARE, NOBODY)
    simulator = TrioSimulator(
        [phone(ROOM, ROOM_MAC), phone(SPARE, SPARE_MAC, name="Spare Phone")],
        port=PORT,
    )
    async with simulator:
        yield simulator


def trio_entry(
    sim: TrioSimulator,
    host: str = ROOM,
    mac: str = ROOM_MAC,
    *,
    title: str = "Room Phone",
    options: dict[str, Any] | None = None,
    **data: Any,
) -> MockConfigEntry:
    """A config entry of a simulated phone, its certificate pinned."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=mac,
        data={
            CONF_KIND: KIND_TRIO,
            CONF_HOST: host,
            CONF_PORT: PORT,
            CONF_PASSWORD: PASSWORD,
            CONF_VERIFY_TLS: False,
            CONF_FINGERPRINT: sim.fingerprint(host),
            CONF_WEBHOOK_ID: WEBHOOK_ID if host == ROOM else f"{WEBHOOK_ID}-{mac}",
            **data,
        },
        options=options or {},
    )


@pytest.fixture
async def room(
    hass: HomeAssistant, trio_sim: TrioSimulator, setup_entry: SetUpEntry
) -> MockConfigEntry:
    """The Room Phone set up in Home Assistant."""
    return await setup_entry(trio_entry(trio_sim))


@pytest.fixture
def tolerate_handshake_resets(hass: HomeAssistant) -> None:
    """A client refusing the simulator's certificate resets the TLS handshake.

    The simulator's server (in the test's loop) reports that reset to the loop's
    exception handler, which the test harness turns into a failure; it is expected.
    """
    loop = hass.loop
    handler = loop.get_exception_handler()

    def ignore_resets(loop: Any, context: dict[str, Any]) -> None:
        if isinstance(context.get("exception"), ConnectionResetError | OSError):
            return
        if handler is not None:
            handler(loop, context)
        else:
            loop.default_exception_handler(context)

    loop.set_exception_handler(ignore_resets)
