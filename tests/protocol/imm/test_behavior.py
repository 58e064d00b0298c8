"""Behavior × collision semantics of playback commands, and the single-slot queue.

Time runs 50x faster in the simulator: 10 s of playback last 0.2 s. Blocking
playbacks last 25 s (0.5 s) so that the commands sent while they run arrive in time
even on a loaded machine.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from custom_components.venue_av.protocol.imm import (
    Behavior,
    Collision,
    ImmClient,
    ImmPlaybackBusyError,
)
from custom_components.venue_av.protocol.imm.errors import code_name
from simulators.imm import ImmSimulator

from .conftest import (
    HTTP_PORT,
    LOBBY,
    MATRIX_HOSTS,
    TIME_SCALE,
    UDP_PORT,
    wait_until,
)

FIRST = ("play_media", 35, 1, 403)
SECOND = ("start_partition", 35, 1, 1)
REVERT = ("revert_partition", 35, 1, 2)

# What ran in the end, after play_media(behavior) then start_partition(collision).
# repeat / at_most_once never block: the second command replaces the first at once
# (so an at_most_once playback never reverts). exactly_once / at_least_once block:
# ignore refuses (6), force supersedes, queue runs after the end of the first one,
# after the switch back to the default playlist for exactly_once.
MATRIX: dict[tuple[Behavior, Collision], list[tuple[object, ...]]] = {
    (Behavior.REPEAT, Collision.IGNORE): [FIRST, SECOND],
    (Behavior.REPEAT, Collision.FORCE): [FIRST, SECOND],
    (Behavior.REPEAT, Collision.QUEUE): [FIRST, SECOND],
    (Behavior.AT_MOST_ONCE, Collision.IGNORE): [FIRST, SECOND],
    (Behavior.AT_MOST_ONCE, Collision.FORCE): [FIRST, SECOND],
    (Behavior.AT_MOST_ONCE, Collision.QUEUE): [FIRST, SECOND],
    (Behavior.EXACTLY_ONCE, Collision.IGNORE): [FIRST, REVERT],
    (Behavior.EXACTLY_ONCE, Collision.FORCE): [FIRST, SECOND],
    (Behavior.EXACTLY_ONCE, Collision.QUEUE): [FIRST, REVERT, SECOND],
    (Behavior.AT_LEAST_ONCE, Collision.IGNORE): [FIRST],
    (Behavior.AT_LEAST_ONCE, Collision.FORCE): [FIRST, SECOND],
    (Behavior.AT_LEAST_ONCE, Collision.QUEUE): [FIRST, SECOND],
}
BLOCKING = {Behavior.EXACTLY_ONCE, Behavior.AT_LEAST_ONCE}


async def _idle(sim: ImmSimulator, host: str = LOBBY) -> None:
    """Wait until no playback runs and nothing is queued any more."""
    simulated = sim.client(host)
    await wait_until(lambda: not simulated.playbacks and simulated.queued is None)


@pytest.fixture
async def matrix_sim(allow_hosts: None) -> AsyncIterator[ImmSimulator]:
    """One simulated client per behavior × collision combination."""
    simulator = ImmSimulator.many(
        len(MATRIX_HOSTS),
        first_host=MATRIX_HOSTS[0],
        http_port=HTTP_PORT,
        udp_port=UDP_PORT,
        time_scale=TIME_SCALE,
    )
    async with simulator:
        yield simulator


async def _combination(
    sim: ImmSimulator,
    session: aiohttp.ClientSession,
    host: str,
    behavior: Behavior,
    collision: Collision,
) -> tuple[bool, str, list[tuple[object, ...]]]:
    """play_media(behavior) then start_partition(collision) on one client.

    Returns whether the first playback blocked, the answer to the second command
    and, once everything has ended, what ran.
    """
    client = ImmClient(host, session, port=HTTP_PORT, timeout=3)
    simulated = sim.client(host)
    first = await client.play_media(35, 1, 403, behavior=behavior, duration=25)
    assert first.code == 0
    blocked = simulated.blocked
    try:
        second = await client.start_partition(
            35, 1, 1, behavior=Behavior.REPEAT, collision=collision, queue_timeout=100
        )
    except ImmPlaybackBusyError as err:
        answer = f"{err.kind} {err.name} ({err.code}): {err.message}"
    else:
        assert second.queued is (second.code == 7)
        answer = f"{code_name(second.code)} ({second.code}): {second.message}"
        if second.queued:
            assert simulated.executed == [FIRST]  # not run yet
    await _idle(sim, host)
    return blocked, answer, list(simulated.executed)


def _expected_answer(behavior: Behavior, collision: Collision) -> str:
    if behavior not in BLOCKING:
        return "Success (0): Success"
    return {
        Collision.IGNORE: (
            "last_playback_not_finished LastPlaybackNotFinished (6): "
            "Last Playback is not finished"
        ),
        Collision.FORCE: "Success (0): Success",
        Collision.QUEUE: "ActionQueued (7): Action has been queued",
    }[collision]


async def test_behavior_collision_matrix(
    matrix_sim: ImmSimulator, session: aiohttp.ClientSession
) -> None:
    """Every behavior × collision combination, each on its own client, at once."""
    combinations = list(MATRIX)
    outcomes = await asyncio.gather(
        *(
            _combination(matrix_sim, session, host, behavior, collision)
            for host, (behavior, collision) in zip(
                MATRIX_HOSTS, combinations, strict=True
            )
        )
    )
    assert dict(zip(combinations, outcomes, strict=True)) == {
        (behavior, collision): (
            behavior in BLOCKING,
            _expected_answer(behavior, collision),
            executed,
        )
        for (behavior, collision), executed in MATRIX.items()
    }


async def test_at_least_once_never_reverts(
    client: ImmClient, sim: ImmSimulator
) -> None:
    simulated = sim.client(LOBBY)
    await client.start_partition(35, 1, 1, behavior=Behavior.AT_LEAST_ONCE)
    await _idle(sim)
    assert simulated.executed == [SECOND]
    assert simulated.partition_playlists[1] == 1


async def test_program_behaviors(client: ImmClient, sim: ImmSimulator) -> None:
    simulated = sim.client(LOBBY)
    # at_most_once on program level: back to the scheduled program at the end.
    await client.start_program(54, behavior=Behavior.AT_MOST_ONCE, duration=2)
    await _idle(sim)
    assert simulated.executed == [("start_program", 54), ("revert_program", 35)]
    # repeat: stays.
    simulated.executed.clear()
    await client.start_program(13, behavior=Behavior.REPEAT, duration=2)
    await _idle(sim)
    assert simulated.executed == [("start_program", 13)]
    assert simulated.current_program_id == 13


async def test_queue_replacement(client: ImmClient, sim: ImmSimulator) -> None:
    simulated = sim.client(LOBBY)
    await client.play_media(35, 1, 403, behavior=Behavior.EXACTLY_ONCE, duration=25)
    queued_a = await client.start_partition(
        35, 1, 1, collision=Collision.QUEUE, queue_timeout=100
    )
    queued_b = await client.play_web(
        35, 1, "http://example.org/", collision=Collision.QUEUE, queue_timeout=100
    )
    assert queued_a.queued
    assert queued_b.queued
    # Only one command fits in the queue: the later one replaces the earlier one.
    assert simulated.executed == [FIRST, ("queue_replaced", *SECOND)]
    await _idle(sim)
    assert simulated.executed == [
        FIRST,
        ("queue_replaced", *SECOND),
        REVERT,
        ("play_web", 35, 1, "http://example.org/"),
    ]


async def test_queue_timeout(client: ImmClient, sim: ImmSimulator) -> None:
    simulated = sim.client(LOBBY)
    # Blocks for 25 s; the queued command gives up after 1 s (both x time scale).
    await client.play_media(35, 1, 403, behavior=Behavior.AT_LEAST_ONCE, duration=25)
    result = await client.stop_partition(
        35, 1, collision=Collision.QUEUE, queue_timeout=1
    )
    assert result.queued
    await _idle(sim)
    assert simulated.executed == [FIRST, ("queue_timeout", "stop_partition", 35, 1)]
    assert simulated.partition_content[1] == ("media", "403")


async def test_queue_default_timeout(client: ImmClient, sim: ImmSimulator) -> None:
    simulated = sim.client(LOBBY)
    # No queue_timeout sent: the spec's default of 5 s applies, shorter than 25 s.
    await client.play_media(35, 1, 403, behavior=Behavior.AT_LEAST_ONCE, duration=25)
    result = await client.start_partition(35, 1, 1, collision=Collision.QUEUE)
    assert "queue_timeout" not in sim.request_log[-1].params
    assert result.queued
    await _idle(sim)
    assert simulated.executed == [FIRST, ("queue_timeout", *SECOND)]


async def test_stop_drops_the_queue(client: ImmClient, sim: ImmSimulator) -> None:
    simulated = sim.client(LOBBY)
    await client.play_media(35, 1, 403, behavior=Behavior.EXACTLY_ONCE, duration=50)
    await client.start_partition(35, 1, 1, collision=Collision.QUEUE, queue_timeout=100)
    await client.stop()
    await client.play()
    await asyncio.sleep(0.05)
    assert simulated.executed == [
        FIRST,
        ("queue_dropped", *SECOND),
        ("stop",),
        ("play",),
    ]


async def test_queued_command_invalid_when_run(
    client: ImmClient, sim: ImmSimulator
) -> None:
    simulated = sim.client(LOBBY)
    # exactly_once on program 54 blocks, then switches back to 35: the queued
    # partition command of program 54 no longer matches the playing program.
    await client.start_program(54, behavior=Behavior.EXACTLY_ONCE, duration=25)
    result = await client.start_partition(
        54, 1, 3, collision=Collision.QUEUE, queue_timeout=100
    )
    assert result.queued
    await _idle(sim)
    assert simulated.executed == [
        ("start_program", 54),
        ("revert_program", 35),
        ("queue_failed", "start_partition", 54, 1, 3, 2002),
    ]


async def test_blocking_playback_blocks_every_playback_command(
    client: ImmClient, sim: ImmSimulator
) -> None:
    await client.play_media(35, 1, 403, behavior=Behavior.EXACTLY_ONCE, duration=100)
    with pytest.raises(ImmPlaybackBusyError):
        await client.play_youtube(35, 1, "https://youtu.be/x")
    with pytest.raises(ImmPlaybackBusyError):
        await client.play_stream(
            35, 1, "rtsp://127.0.0.1/s", collision=Collision.IGNORE
        )
    with pytest.raises(ImmPlaybackBusyError):
        await client.stop_partition(35, 1)
    with pytest.raises(ImmPlaybackBusyError):
        await client.start_program(13)
    # Labels are not playbacks.
    assert (await client.set_label(35, 2, "still here")).code == 0
    assert sim.client(LOBBY).executed == [FIRST, ("set_label", 35, 2, "still here")]
