"""IMM error codes and the exception class for each kind of code.

The table follows the spec's "Error Codes" section. Its description column is shifted
by one row for the 300x codes ("ParameterNoProgramId 3002 Action type needed"); we
trust the symbolic names, which match where each code is listed as a return value.
"""

from __future__ import annotations

from ..errors import (
    DeviceActionOutcomeUnknownError,
    DeviceAuthenticationError,
    DeviceCommandError,
    DeviceConnectionError,
    DeviceResponseError,
    VenueAVError,
)


class ImmError(VenueAVError):
    """Base class of all IMM errors."""


class ImmConnectionError(ImmError, DeviceConnectionError):
    """The client could not be reached or did not answer in time."""


class ImmResponseError(ImmConnectionError, DeviceResponseError):
    """The client's answer was not a valid IMM response."""


class ImmActionOutcomeUnknownError(ImmConnectionError, DeviceActionOutcomeUnknownError):
    """The connection broke after an action was sent: it may have been carried out."""

    kind = "action_outcome_unknown"


class ImmDeviceError(ImmError, DeviceCommandError):
    """The client answered with an error code; unknown codes land here as they are."""

    kind = "device_error"


class ImmAuthenticationError(ImmError, DeviceAuthenticationError):
    """AuthenticationError (2): the interaction key is wrong."""

    def __init__(self, code: int, name: str, message: str) -> None:
        """Keep code, name and message like the command errors do."""
        super().__init__(
            f"{name} ({code}): {message}" if message else f"{name} ({code})"
        )
        self.code = code
        self.name = name
        self.message = message


class ImmFailureError(ImmDeviceError):
    """Failure (1): the client could not carry the request out."""

    kind = "failure"


class ImmInteractionDisabledError(ImmDeviceError):
    """InteractionDisabled (5): the interactive API is switched off on the client."""

    kind = "interaction_disabled"


class ImmNotPlayingError(ImmDeviceError):
    """ClientNotPlayState (3): the command needs a playing client."""

    kind = "not_playing"


class ImmNotStandbyError(ImmDeviceError):
    """ClientNotStandbyState (4): the command needs a client in standby."""

    kind = "not_standby"


class ImmPlaybackBusyError(ImmDeviceError):
    """LastPlaybackNotFinished (6): a blocking playback is running (collision=ignore)."""

    kind = "last_playback_not_finished"


class ImmNotFoundError(ImmDeviceError):
    """Schedule, program, partition, playlist, media or action type not found (100x)."""

    kind = "not_found"


class ImmProgramNotMatchedError(ImmDeviceError):
    """ProgramNotMatched (2002): the program given is not the one playing."""

    kind = "program_not_matched"


class ImmParameterError(ImmDeviceError):
    """A parameter is missing or invalid (300x)."""

    kind = "invalid_parameter"


# code -> (symbolic name, exception class). Success-like codes (0, 7, 8, 9) are not here.
ERROR_CODES: dict[
    int, tuple[str, type[ImmDeviceError] | type[ImmAuthenticationError]]
] = {
    1: ("Failure", ImmFailureError),
    2: ("AuthenticationError", ImmAuthenticationError),
    3: ("ClientNotPlayState", ImmNotPlayingError),
    4: ("ClientNotStandbyState", ImmNotStandbyError),
    5: ("InteractionDisabled", ImmInteractionDisabledError),
    6: ("LastPlaybackNotFinished", ImmPlaybackBusyError),
    1001: ("ScheduleNotFound", ImmNotFoundError),
    1002: ("ProgramNotFound", ImmNotFoundError),
    1003: ("PartitionNotFound", ImmNotFoundError),
    1004: ("PlaylistNotFound", ImmNotFoundError),
    1005: ("ActionTypeNotFound", ImmNotFoundError),
    1006: ("MediaNotFound", ImmNotFoundError),
    2002: ("ProgramNotMatched", ImmProgramNotMatchedError),
    3002: ("ParameterNoProgramId", ImmParameterError),
    3003: ("ParameterNoPartitionId", ImmParameterError),
    3004: ("ParameterNoPlaylistId", ImmParameterError),
    3005: ("ParameterNoActionType", ImmParameterError),
    3006: ("ParameterNoText", ImmParameterError),
    3007: ("ParameterNoUrl", ImmParameterError),
    3008: ("ParameterNoMediaId", ImmParameterError),
    3009: ("ParameterErrBehavior", ImmParameterError),
}

CODE_SUCCESS = 0
CODE_ACTION_QUEUED = 7
CODE_NOTHING_HAPPENED = 8
CODE_MULTIPLE_RESPONSES = 9


def error_for_code(code: int, message: str) -> ImmDeviceError | ImmAuthenticationError:
    """Build the exception for an error ``code``; unknown codes give ``ImmDeviceError``."""
    name, cls = ERROR_CODES.get(code, ("UnknownError", ImmDeviceError))
    return cls(code, name, message)


def code_name(code: int) -> str:
    """Return the spec's symbolic name of any code, success-like ones included."""
    return {
        CODE_SUCCESS: "Success",
        CODE_ACTION_QUEUED: "ActionQueued",
        CODE_NOTHING_HAPPENED: "NothingHappened",
        CODE_MULTIPLE_RESPONSES: "MultipleResponses",
    }.get(code) or ERROR_CODES.get(code, ("UnknownError",))[0]
