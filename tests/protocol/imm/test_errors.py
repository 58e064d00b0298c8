"""Every error code of the spec's table mapped to its exception class.

Codes the simulator can produce are driven through it; the table as a whole is also
checked on parsed XML with ``check_response`` / ``error_for_code``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from custom_components.venue_av.protocol.errors import (
    DeviceAuthenticationError,
    DeviceCommandError,
    DeviceConnectionError,
    DeviceResponseError,
    VenueAVError,
)
from custom_components.venue_av.protocol.imm import (
    ERROR_CODES,
    ImmAuthenticationError,
    ImmClient,
    ImmConnectionError,
    ImmDeviceError,
    ImmError,
    ImmFailureError,
    ImmInteractionDisabledError,
    ImmNotFoundError,
    ImmNotPlayingError,
    ImmNotStandbyError,
    ImmParameterError,
    ImmPlaybackBusyError,
    ImmProgramNotMatchedError,
    ImmResponseError,
)
from custom_components.venue_av.protocol.imm.errors import code_name, error_for_code
from custom_components.venue_av.protocol.imm.models import check_response
from custom_components.venue_av.protocol.xml import parse_xml
from simulators.imm import ImmSimulator

from .conftest import BAR, LOBBY

# The spec's "Error Codes" table: name, code, exception class.
SPEC_TABLE: list[tuple[str, int, type[ImmError]]] = [
    ("Failure", 1, ImmFailureError),
    ("AuthenticationError", 2, ImmAuthenticationError),
    ("ClientNotPlayState", 3, ImmNotPlayingError),
    ("ClientNotStandbyState", 4, ImmNotStandbyError),
    ("InteractionDisabled", 5, ImmInteractionDisabledError),
    ("LastPlaybackNotFinished", 6, ImmPlaybackBusyError),
    ("ScheduleNotFound", 1001, ImmNotFoundError),
    ("ProgramNotFound", 1002, ImmNotFoundError),
    ("PartitionNotFound", 1003, ImmNotFoundError),
    ("PlaylistNotFound", 1004, ImmNotFoundError),
    ("ActionTypeNotFound", 1005, ImmNotFoundError),
    ("MediaNotFound", 1006, ImmNotFoundError),
    ("ProgramNotMatched", 2002, ImmProgramNotMatchedError),
    ("ParameterNoProgramId", 3002, ImmParameterError),
    ("ParameterNoPartitionId", 3003, ImmParameterError),
    ("ParameterNoPlaylistId", 3004, ImmParameterError),
    ("ParameterNoActionType", 3005, ImmParameterError),
    ("ParameterNoText", 3006, ImmParameterError),
    ("ParameterNoUrl", 3007, ImmParameterError),
    ("ParameterNoMediaId", 3008, ImmParameterError),
    ("ParameterErrBehavior", 3009, ImmParameterError),
]
SUCCESS_LIKE = [
    (0, "Success"),
    (7, "ActionQueued"),
    (8, "NothingHappened"),
    (9, "MultipleResponses"),
]


def test_table_is_complete() -> None:
    assert {code: name for name, code, _ in SPEC_TABLE} == {
        code: name for code, (name, _) in ERROR_CODES.items()
    }


def _raised(code: int, message: str) -> BaseException:
    """What ``check_response`` raises for a parsed ``<response>`` with ``code``."""
    root = parse_xml(
        f'<?xml version="1.0" encoding="utf-8"?>\n'
        f'<response code=" {code} " message=" {message} "/>'.encode(),
        what="test",
    )
    with pytest.raises(ImmError) as err:
        check_response(root, what="test")
    return err.value


def test_check_response_raises_class_of_code() -> None:
    outcome = {}
    for _, code, _ in SPEC_TABLE:
        error = _raised(code, "Some text")
        outcome[code] = (
            type(error),
            error.code,  # type: ignore[attr-defined]
            error.name,  # type: ignore[attr-defined]
            error.message,  # type: ignore[attr-defined]
            str(error),
            code_name(code),
        )
        assert isinstance(error, VenueAVError)
        if code == 2:
            assert isinstance(error, DeviceAuthenticationError)
            assert not isinstance(error, DeviceCommandError)
            assert error.kind == "invalid_auth"
        else:
            assert isinstance(error, ImmDeviceError)
            assert isinstance(error, DeviceCommandError)
            assert not isinstance(error, DeviceConnectionError)
    assert outcome == {
        code: (cls, code, name, "Some text", f"{name} ({code}): Some text", name)
        for name, code, cls in SPEC_TABLE
    }


def test_error_for_code() -> None:
    assert {
        code: (type(error := error_for_code(code, "")), error.name)
        for _, code, _ in SPEC_TABLE
    } == {code: (cls, name) for name, code, cls in SPEC_TABLE}


def test_success_like_codes_pass() -> None:
    for code, name in SUCCESS_LIKE:
        root = parse_xml(f'<response code="{code}" message="m"/>'.encode(), what="test")
        assert check_response(root, what="test") == (code, "m")
        assert code_name(code) == name


def test_unknown_code_keeps_code_and_message() -> None:
    root = parse_xml(b'<response code="4242" message="Disk on fire"/>', what="test")
    with pytest.raises(ImmDeviceError) as err:
        check_response(root, what="test")
    assert type(err.value) is ImmDeviceError
    assert err.value.code == 4242
    assert err.value.message == "Disk on fire"
    assert err.value.name == "UnknownError"
    assert err.value.kind == "device_error"
    assert "4242" in str(err.value)
    assert "Disk on fire" in str(err.value)
    assert code_name(4242) == "UnknownError"
    # Without a message the text is just the name and code.
    assert str(error_for_code(-7, "")) == "UnknownError (-7)"


def test_response_without_numeric_code_is_malformed() -> None:
    for document in (
        b'<response message="Success"/>',
        b'<response code="" message="Success"/>',
        b'<response code="zero" message="Success"/>',
        b'<response code="0.5"/>',
        b'<answer code="0" message="Success"/>',
    ):
        root = parse_xml(document, what="test")
        with pytest.raises(ImmResponseError):
            check_response(root, what="test")


def test_error_kinds_and_hierarchy() -> None:
    assert ImmConnectionError("x").kind == "cannot_connect"
    assert ImmResponseError("x").kind == "invalid_response"
    assert issubclass(ImmResponseError, ImmConnectionError)
    assert issubclass(ImmResponseError, DeviceResponseError)
    assert issubclass(ImmConnectionError, DeviceConnectionError)
    kinds = {
        ImmFailureError: "failure",
        ImmInteractionDisabledError: "interaction_disabled",
        ImmNotPlayingError: "not_playing",
        ImmNotStandbyError: "not_standby",
        ImmPlaybackBusyError: "last_playback_not_finished",
        ImmNotFoundError: "not_found",
        ImmProgramNotMatchedError: "program_not_matched",
        ImmParameterError: "invalid_parameter",
    }
    for cls, kind in kinds.items():
        assert cls.kind == kind


# -- real error answers of the simulator ------------------------------------


type Call = Callable[[ImmClient], Awaitable[object]]

# case -> (the call, whether the client is in standby first, code, class)
SIMULATED: dict[str, tuple[Call, bool, int, type[ImmError]]] = {
    "wrong type of partition": (
        lambda c: c.play_media(35, 2, 403),
        False,
        1,
        ImmFailureError,
    ),
    "bad duration": (
        lambda c: c.start_program(13, duration=-3),
        False,
        1,
        ImmFailureError,
    ),
    "playback in standby": (
        lambda c: c.start_partition(35, 1, 1),
        True,
        3,
        ImmNotPlayingError,
    ),
    "label in standby": (
        lambda c: c.set_label(35, 2, "x"),
        True,
        3,
        ImmNotPlayingError,
    ),
    "stop in standby": (lambda c: c.stop(), True, 3, ImmNotPlayingError),
    "program in standby": (lambda c: c.program(), True, 3, ImmNotPlayingError),
    "unknown program": (
        lambda c: c.start_program(999),
        False,
        1002,
        ImmNotFoundError,
    ),
    "unknown partition": (
        lambda c: c.start_partition(35, 9, 1),
        False,
        1003,
        ImmNotFoundError,
    ),
    "unknown playlist": (
        lambda c: c.start_partition(35, 1, 99),
        False,
        1004,
        ImmNotFoundError,
    ),
    "unknown media": (
        lambda c: c.play_media(35, 1, 9999),
        False,
        1006,
        ImmNotFoundError,
    ),
    "not the playing program": (
        lambda c: c.stop_partition(54, 1),
        False,
        2002,
        ImmProgramNotMatchedError,
    ),
    "label of another program": (
        lambda c: c.set_label(54, 2, "x"),
        False,
        2002,
        ImmProgramNotMatchedError,
    ),
    "empty url": (lambda c: c.play_web(35, 1, ""), False, 3007, ImmParameterError),
    "bad behavior": (
        lambda c: c.play_media(35, 1, 403, behavior="sometimes"),  # type: ignore[arg-type]
        False,
        3009,
        ImmParameterError,
    ),
    "bad collision": (
        lambda c: c.play_stream(35, 1, "rtsp://x", collision="maybe"),  # type: ignore[arg-type]
        False,
        3009,
        ImmParameterError,
    ),
    # Requests our public API never sends, through the client's own action path.
    "unknown action type": (
        lambda c: c._action("dance"),
        False,
        1005,
        ImmNotFoundError,
    ),
    "no action type": (lambda c: c._action(""), False, 3005, ImmParameterError),
    "no program id": (
        lambda c: c._action("start_partition"),
        False,
        3002,
        ImmParameterError,
    ),
    "no partition id": (
        lambda c: c._action("start_partition", program_id=35),
        False,
        3003,
        ImmParameterError,
    ),
    "no playlist id": (
        lambda c: c._action("start_partition", program_id=35, partition_id=1),
        False,
        3004,
        ImmParameterError,
    ),
    "no media id": (
        lambda c: c._action("play_media", program_id=35, partition_id=1),
        False,
        3008,
        ImmParameterError,
    ),
    "no text": (
        lambda c: c._action("set_label", program_id=35, partition_id=2),
        False,
        3006,
        ImmParameterError,
    ),
}


async def test_simulator_error_answers(client: ImmClient, sim: ImmSimulator) -> None:
    """Each error the simulator produces arrives as the class of its code."""
    outcome: dict[str, tuple[type[BaseException] | None, object, object]] = {}
    for case, (call, standby, _, _) in SIMULATED.items():
        sim.reset()
        if standby:
            sim.client(LOBBY).status = "standby"
        try:
            await call(client)
        except ImmError as err:
            outcome[case] = (
                type(err),
                getattr(err, "code", None),
                sim.request_log[-1].code,
            )
        else:
            outcome[case] = (None, None, sim.request_log[-1].code)
    assert outcome == {
        case: (cls, code, code) for case, (_, _, code, cls) in SIMULATED.items()
    }


async def test_wrong_key(
    sim: ImmSimulator, make_client: Callable[..., ImmClient]
) -> None:
    wrong = make_client(BAR)  # Bar's key is 4711, the client sends 0000
    for call in (wrong.play, wrong.program, wrong.configuration, wrong.sensor_status):
        with pytest.raises(ImmAuthenticationError) as err:
            await call()
        assert err.value.code == 2
        assert err.value.kind == "invalid_auth"
    # Queries without I-Key work with any key.
    assert (await wrong.schedule()).name == "Venue Day"
    right = make_client(BAR, interaction_key="4711")
    assert right.interaction_key == "4711"
    assert (await right.configuration()).name == "Bar"


async def test_interaction_disabled(client: ImmClient, sim: ImmSimulator) -> None:
    sim.client(LOBBY).interaction_enabled = False
    for call in (client.play, client.program, client.configuration):
        with pytest.raises(ImmInteractionDisabledError) as err:
            await call()
        assert err.value.code == 5
    with pytest.raises(ImmInteractionDisabledError):
        await client.push_sensor("face", "age", "20")
    # Queries without I-Key are not affected.
    assert len((await client.schedule()).programs) == 3
    assert (await client.event_script()).name == "MyEventScript"
    sim.client(LOBBY).interaction_enabled = True
    assert (await client.play()).code == 0


async def test_interaction_disabled_takes_precedence_over_key(
    sim: ImmSimulator, make_client: Callable[..., ImmClient]
) -> None:
    sim.client(BAR).interaction_enabled = False
    with pytest.raises(ImmInteractionDisabledError):
        await make_client(BAR).stop()


async def test_key_with_special_characters(
    sim: ImmSimulator, make_client: Callable[..., ImmClient]
) -> None:
    key = "a&b=c d+é/?#"
    sim.client(LOBBY).key = key
    assert (await make_client(LOBBY, interaction_key=key).play()).code == 0
    with pytest.raises(ImmAuthenticationError):
        await make_client(LOBBY, interaction_key="a").play()
