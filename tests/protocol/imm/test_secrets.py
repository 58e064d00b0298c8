"""The interaction key never shows: not in repr, exception texts or DEBUG logs."""

from __future__ import annotations

from collections.abc import Callable
import logging
import traceback

import pytest

from custom_components.venue_av.protocol.imm import (
    Behavior,
    Collision,
    ImmClient,
    ImmError,
    probe,
)
from simulators.imm import FaultMode, ImmSimulator

from .conftest import FOYER, LOBBY, NOBODY, UDP_PORT

SECRET = "S3cr3tK3y"


def _assert_clean(error: BaseException) -> None:
    texts = [
        str(error),
        repr(error),
        "".join(traceback.format_exception(error)),
        *(str(arg) for arg in error.args),
    ]
    for text in texts:
        assert SECRET not in text
    assert error.__cause__ is None
    assert error.__suppress_context__ or error.__context__ is None


async def _exercise(client: ImmClient) -> list[BaseException]:
    """Call every API once; collect the errors."""
    errors: list[BaseException] = []
    calls = [
        client.schedule(),
        client.program(),
        client.program_preview(35),
        client.media_preview(403),
        client.media_preview(422),
        client.event_script(),
        client.sensor_status(),
        client.configuration(),
        client.play(),
        client.start_program(
            54,
            behavior=Behavior.EXACTLY_ONCE,
            collision=Collision.QUEUE,
            queue_timeout=5,
            duration=100,  # blocks until superseded by a forced command
            force=True,
        ),
        client.start_partition(54, 1, 2, collision=Collision.QUEUE),
        client.stop_partition(54, 3, collision=Collision.FORCE),
        client.set_label(54, 2, "x"),
        client.play_media(54, 1, 501, collision=Collision.FORCE),
        client.play_web(54, 1, "http://x/", collision=Collision.FORCE),
        client.play_stream(54, 1, "rtsp://x/", collision=Collision.FORCE),
        client.play_youtube(54, 1, "https://youtu.be/x", collision=Collision.FORCE),
        client.push_sensor("face", "age", "20"),
        client.start_schedule(),
        client.set_configuration(server_port=8080),
        client.stop(),
        client.stop(),  # ClientNotPlayState
    ]
    for call in calls:
        try:
            await call
        except ImmError as err:
            errors.append(err)
    return errors


async def test_key_not_in_repr(session: object) -> None:
    client = ImmClient(LOBBY, session, interaction_key=SECRET)  # type: ignore[arg-type]
    assert SECRET not in repr(client)
    assert SECRET not in str(client)
    assert repr(client) == "ImmClient(host='127.0.80.1', port=8085)"
    assert client.interaction_key == SECRET


async def test_key_not_in_errors_or_logs(
    sim: ImmSimulator,
    make_client: Callable[..., ImmClient],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    sim.client(LOBBY).key = SECRET
    right = make_client(LOBBY, interaction_key=SECRET)
    wrong = make_client(FOYER, interaction_key=SECRET)  # Foyer expects 0000
    errors = await _exercise(right)
    assert len(errors) == 2  # media 422 has no preview, the second stop
    wrong_errors = await _exercise(wrong)
    assert {type(err).__name__ for err in wrong_errors} >= {"ImmAuthenticationError"}
    errors += wrong_errors

    # Every fault mode, with a short timeout for SLOW.
    impatient = make_client(LOBBY, interaction_key=SECRET, timeout=0.1)
    for fault in (
        FaultMode.DOWN,
        FaultMode.SLOW,
        FaultMode.HTTP_500,
        FaultMode.MALFORMED,
        FaultMode.TRUNCATED,
        FaultMode.OVERSIZED,
    ):
        sim.set_fault(fault, LOBBY, delay=1.0)
        for call in (impatient.configuration, impatient.play):
            with pytest.raises(ImmError) as err:
                await call()
            errors.append(err.value)
    sim.set_fault(FaultMode.NONE)
    with pytest.raises(ImmError) as err:
        await make_client(NOBODY, interaction_key=SECRET).play()
    errors.append(err.value)
    await probe([LOBBY, NOBODY], port=UDP_PORT, timeout=0.1)

    assert len(errors) > 20
    for error in errors:
        _assert_clean(error)

    # The requests were logged at DEBUG (redacted), and nothing logged the key.
    assert any(
        "**REDACTED**" in record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components")
    )
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert SECRET not in str(record.args)
        if record.exc_info and record.exc_info[1] is not None:
            assert SECRET not in "".join(traceback.format_exception(record.exc_info[1]))
    assert SECRET not in caplog.text
