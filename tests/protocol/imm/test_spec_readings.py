"""The simulator follows the spec where it is explicit, and is switchable where not.

Explicit: Set Label with an empty text answers ParameterNoText (3006), as the
spec's error table lists; play_media's ``duration`` is "Playing time, not
application to video". Silent: whether a blocking playback blocks the whole player
or only its partition (``blocking_scope``), and whether an event mapping fires on
every matching push or only when its event starts matching (``sensor_trigger``).
Both modes of each switch are exercised through the client.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from custom_components.venue_av.protocol.imm import (
    Behavior,
    Collision,
    ImmClient,
    ImmParameterError,
    ImmPlaybackBusyError,
)
from simulators.imm import ImmSimulator

from .conftest import HTTP_PORT, LOBBY, TIME_SCALE, UDP_PORT, specs, wait_until


@pytest.fixture(params=["client", "partition"])
async def scoped_sim(
    request: pytest.FixtureRequest, allow_hosts: None
) -> AsyncIterator[ImmSimulator]:
    """The default clients with ``blocking_scope`` set through the constructor."""
    simulator = ImmSimulator(
        specs(),
        http_port=HTTP_PORT,
        udp_port=UDP_PORT,
        time_scale=TIME_SCALE,
        blocking_scope=request.param,
    )
    async with simulator:
        yield simulator


@pytest.mark.parametrize("text", ["", None])
async def test_set_label_without_text_is_parameter_no_text(
    client: ImmClient, sim: ImmSimulator, text: str | None
) -> None:
    if text is None:
        # The client always sends text: ask the simulator directly for a missing one.
        assert int(sim.client(LOBBY).set_label(35, 2, None)) == 3006
        return
    with pytest.raises(ImmParameterError) as caught:
        await client.set_label(35, 2, text)
    assert caught.value.code == 3006
    assert caught.value.name == "ParameterNoText"
    assert sim.client(LOBBY).labels[(35, 2)] != ""


async def test_play_media_duration_does_not_apply_to_video(
    client: ImmClient, sim: ImmSimulator
) -> None:
    """A video keeps blocking after ``duration``; an image stops when it is over."""
    simulated = sim.client(LOBBY)
    await client.play_media(35, 1, 442, behavior=Behavior.EXACTLY_ONCE, duration=1)
    await wait_until(lambda: not simulated.playbacks)  # the image: 1 s (0.02 s)
    await client.play_media(35, 1, 403, behavior=Behavior.EXACTLY_ONCE, duration=1)
    await asyncio.sleep(10 * TIME_SCALE)  # ten times the duration given
    with pytest.raises(ImmPlaybackBusyError):
        await client.start_partition(35, 1, 1)
    assert "partition:1" in simulated.playbacks


async def test_blocking_scope(
    client_of_scoped: ImmClient, scoped_sim: ImmSimulator
) -> None:
    """Per client: another partition is blocked too; per partition: it is not."""
    client = client_of_scoped
    simulated = scoped_sim.client(LOBBY)
    await client.start_program(54)
    await client.play_media(54, 1, 502, behavior=Behavior.EXACTLY_ONCE, duration=100)
    if simulated.blocking_scope == "partition":
        assert (await client.play_media(54, 3, 507)).code == 0
        assert simulated.executed[-1] == ("play_media", 54, 3, 507)
    else:
        with pytest.raises(ImmPlaybackBusyError):
            await client.play_media(54, 3, 507)
    # The blocked partition itself, and program commands, are blocked either way.
    with pytest.raises(ImmPlaybackBusyError):
        await client.start_partition(54, 1, 3)
    with pytest.raises(ImmPlaybackBusyError):
        await client.start_program(13)


@pytest.fixture
def client_of_scoped(
    scoped_sim: ImmSimulator, make_client: Callable[..., ImmClient]
) -> ImmClient:
    return make_client(LOBBY)


async def test_queued_command_waits_for_its_own_partition_only(
    allow_hosts: None, make_client: Callable[..., ImmClient]
) -> None:
    simulator = ImmSimulator(
        specs(),
        http_port=HTTP_PORT,
        udp_port=UDP_PORT,
        time_scale=TIME_SCALE,
        blocking_scope="partition",
    )
    async with simulator:
        client = make_client(LOBBY)
        simulated = simulator.client(LOBBY)
        await client.start_program(54)
        await client.play_media(54, 1, 502, behavior=Behavior.EXACTLY_ONCE, duration=10)
        await client.play_media(
            54, 3, 507, behavior=Behavior.AT_LEAST_ONCE, duration=100
        )
        queued = await client.start_partition(
            54, 1, 3, collision=Collision.QUEUE, queue_timeout=100
        )
        assert queued.queued
        await wait_until(
            lambda: simulated.executed[-1] == ("start_partition", 54, 1, 3)
        )
        assert "partition:3" in simulated.playbacks  # still running, never in the way


@pytest.mark.parametrize("trigger", ["change", "every_push"])
async def test_sensor_trigger(
    client: ImmClient, sim: ImmSimulator, trigger: str
) -> None:
    simulated = sim.client(LOBBY)
    simulated.sensor_trigger = trigger  # as the control API sets it
    await client.start_program(54)
    first = await client.push_sensor("rfid", "id", "001")
    assert [t.mapping_id for t in first.triggered] == [13]
    again = await client.push_sensor("rfid", "id", "001")
    other = await client.push_sensor("face", "age", "45")  # not one of 13's sensors
    assert other.nothing_happened
    if trigger == "every_push":
        assert [t.mapping_id for t in again.triggered] == [13]
        assert simulated.executed.count(("event", "13")) == 2
    else:
        assert again.nothing_happened
        assert simulated.executed.count(("event", "13")) == 1


def test_switches_are_validated() -> None:
    with pytest.raises(ValueError):
        ImmSimulator(specs(), blocking_scope="player")
    with pytest.raises(ValueError):
        ImmSimulator(specs(), sensor_trigger="always")
