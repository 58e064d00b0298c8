"""The exception tree shared by every device family.

Home Assistant code catches only these base classes: a connection error marks entities
unavailable, an authentication error starts reauth, a command error becomes a translated
message. Each family subclasses them (``ImmAuthenticationError`` is both an ``ImmError``
and a ``DeviceAuthenticationError``). No message ever contains a secret: callers build
texts from names, codes and paths, never from request URLs or headers.
"""

from __future__ import annotations


class VenueAVError(Exception):
    """Base class of every error raised by the protocol layer."""

    # A stable, machine-readable name of the error kind ("last_playback_not_finished").
    # Home Assistant uses it as translation key; other callers may switch on it.
    kind: str = "unknown"


class DeviceConnectionError(VenueAVError):
    """The device could not be reached or did not answer in time."""

    kind = "cannot_connect"


class DeviceResponseError(DeviceConnectionError):
    """The device answered with something that is not a valid response.

    Malformed or truncated bodies, bodies over the size cap, unexpected HTTP status.
    A subclass of the connection error: for a caller both mean "no usable answer".
    """

    kind = "invalid_response"


class DeviceActionOutcomeUnknownError(DeviceConnectionError):
    """The connection broke after an action was sent: it may have been carried out.

    Raised for requests with side effects only. They are sent exactly once (never
    repeated by the client or by aiohttp), so after this error nothing is known about
    the device's state: read it back before trying again.
    """

    kind = "action_outcome_unknown"


OUTCOME_UNKNOWN_TEXT = (
    "the connection broke after the request was sent; "
    "the action may have been carried out"
)


class DeviceAuthenticationError(VenueAVError):
    """The device rejected our credentials (interaction key, password, token)."""

    kind = "invalid_auth"


class DeviceCommandError(VenueAVError):
    """The device understood the request and refused or failed it."""

    kind = "command_failed"

    def __init__(self, code: int | str, name: str, message: str) -> None:
        """Keep the device's code, its symbolic name and its message."""
        super().__init__(
            f"{name} ({code}): {message}" if message else f"{name} ({code})"
        )
        self.code = code
        self.name = name
        self.message = message
