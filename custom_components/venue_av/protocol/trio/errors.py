"""Poly Trio return codes and the exception class for each failure.

Return codes come from the union of the public code tables (notes §2): every client
found lists the same 2000-5000 range; 4011, 4400, 4403 and 5500 appear in one 6.4.0-era
table only. Transport failures (HTTP 401, 403 "busy", 404 under ``/api``, 413, timeouts,
malformed bodies, a changed certificate) have classes of their own.
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

CODE_SUCCESS = 2000
CODE_CALL_NOT_FOUND = 4007
CODE_DEFAULT_PASSWORD = 4010


class TrioError(VenueAVError):
    """Base class of all Poly Trio errors."""


class TrioConnectionError(TrioError, DeviceConnectionError):
    """The phone could not be reached or did not answer in time."""


class TrioResponseError(TrioConnectionError, DeviceResponseError):
    """The phone's answer was not a valid REST API response (bad JSON, HTTP 500...)."""


class TrioActionOutcomeUnknownError(
    TrioConnectionError, DeviceActionOutcomeUnknownError
):
    """The connection broke after a command was sent: the phone may have run it."""

    kind = "action_outcome_unknown"


class TrioBusyError(TrioConnectionError):
    """The phone kept answering HTTP 403 ("busy") until the retry budget ran out."""

    kind = "device_busy"


class TrioCertificateMismatchError(TrioConnectionError):
    """The phone presented a certificate other than the pinned one.

    Either the phone was replaced or reset (a new device certificate), or something
    else answers at its address. Credentials were not sent.
    """

    kind = "certificate_changed"


class TrioTlsError(TrioConnectionError):
    """TLS failed (certificate verification when it is switched on, handshake)."""

    kind = "tls_error"


class TrioAuthenticationError(TrioError, DeviceAuthenticationError):
    """HTTP 401: the phone rejected user ``Polycom`` with the admin password."""


class TrioRestApiDisabledError(TrioError, DeviceCommandError):
    """HTTP 404 under ``/api``: the REST API is switched off on the phone.

    The fix is ``apps.restapi.enabled = 1`` (web UI: Settings → Applications → REST API).
    """

    kind = "rest_api_disabled"

    def __init__(self, message: str) -> None:
        """Use HTTP 404 as the code."""
        super().__init__(404, "RestApiDisabled", message)


class TrioUnsupportedCommandError(TrioError, DeviceCommandError):
    """HTTP 404 for a command whose path is not confirmed: the phone does not know it.

    Raised only for commands whose path is a best guess (see ``UNCERTAIN_PATHS``);
    the REST API may equally be disabled.
    """

    kind = "command_not_supported"

    def __init__(self, message: str) -> None:
        """Use HTTP 404 as the code."""
        super().__init__(404, "CommandNotFound", message)


class TrioRequestTooLargeError(TrioError, DeviceCommandError):
    """The request body is over the phone's 20 KB limit (refused before sending, or 413)."""

    kind = "request_too_large"

    def __init__(self, message: str) -> None:
        """Use HTTP 413 as the code."""
        super().__init__(413, "RequestTooLarge", message)


class TrioDeviceError(TrioError, DeviceCommandError):
    """The phone answered with an error ``Status``; unknown codes land here."""

    kind = "device_error"


class TrioInvalidInputError(TrioDeviceError):
    """4000: invalid input parameters."""

    kind = "invalid_input"


class TrioDeviceBusyError(TrioDeviceError):
    """4001: device busy (e.g. during registration or web-ticket generation)."""

    kind = "device_busy"


class TrioLineNotRegisteredError(TrioDeviceError):
    """4002: the line is not registered."""

    kind = "line_not_registered"


class TrioOperationNotAllowedError(TrioDeviceError):
    """4003: operation not allowed (e.g. ending a call that is on hold)."""

    kind = "operation_not_allowed"


class TrioOperationNotSupportedError(TrioDeviceError):
    """4004: operation not supported."""

    kind = "operation_not_supported"


class TrioLineNotFoundError(TrioDeviceError):
    """4005: the line does not exist."""

    kind = "line_not_found"


class TrioUrlsNotConfiguredError(TrioDeviceError):
    """4006: URLs not configured (export / upload targets)."""

    kind = "urls_not_configured"


class TrioCallNotFoundError(TrioDeviceError):
    """4007: the call does not exist."""

    kind = "call_not_found"


class TrioNoCallError(TrioCallNotFoundError):
    """A call command without ``Ref`` found no call to act on (nothing was sent).

    The client reads the call status to fill in ``Ref`` (firmware may require it);
    with no call at all there is nothing to answer, hold, resume, ignore or reject.
    A ``TrioCallNotFoundError`` (code 4007) for callers that catch that.
    """

    kind = "no_active_call"


class TrioExportFailedError(TrioDeviceError):
    """4008: configuration export failed."""

    kind = "export_failed"


class TrioInputSizeError(TrioDeviceError):
    """4009: input size limit exceeded (more than 20 configuration names)."""

    kind = "input_size_exceeded"


class TrioDefaultPasswordError(TrioDeviceError):
    """4010: the admin password is still the factory default; the API refuses to work."""

    kind = "default_password"


class TrioContactNotFoundError(TrioDeviceError):
    """4011: contact not found (6.4.0-era table only)."""

    kind = "contact_not_found"


class TrioFailureError(TrioDeviceError):
    """5000 (and 5500): the phone failed to process the request."""

    kind = "failure"


# code -> (name as listed in the code tables, exception class).
ERROR_CODES: dict[int, tuple[str, type[TrioDeviceError]]] = {
    4000: ("InvalidInputParameters", TrioInvalidInputError),
    4001: ("DeviceBusy", TrioDeviceBusyError),
    4002: ("LineNotRegistered", TrioLineNotRegisteredError),
    4003: ("OperationNotAllowed", TrioOperationNotAllowedError),
    4004: ("OperationNotSupported", TrioOperationNotSupportedError),
    4005: ("LineDoesNotExist", TrioLineNotFoundError),
    4006: ("UrlsNotConfigured", TrioUrlsNotConfiguredError),
    4007: ("CallDoesNotExist", TrioCallNotFoundError),
    4008: ("ConfigurationExportFailed", TrioExportFailedError),
    4009: ("InputSizeLimitExceeded", TrioInputSizeError),
    4010: ("DefaultPasswordNotAllowed", TrioDefaultPasswordError),
    4011: ("ContactNotFound", TrioContactNotFoundError),
    4400: ("BadRequest", TrioInvalidInputError),
    4403: ("Forbidden", TrioOperationNotAllowedError),
    5000: ("FailedToProcessRequest", TrioFailureError),
    5500: ("InternalServerError", TrioFailureError),
}

_MESSAGES: dict[int, str] = {
    4000: "invalid input parameters",
    4001: "device busy",
    4002: "line not registered",
    4003: "operation not allowed",
    4004: "operation not supported",
    4005: "line does not exist",
    4006: "URLs not configured",
    4007: "call does not exist",
    4008: "configuration export failed",
    4009: "input size limit exceeded",
    4010: "the default admin password must be changed before the REST API can be used",
    4011: "contact not found",
    4400: "bad request",
    4403: "forbidden",
    5000: "failed to process request",
    5500: "internal server error",
}


def error_for_code(code: int, what: str) -> TrioDeviceError:
    """Build the exception for an error ``Status``; unknown codes give ``TrioDeviceError``.

    ``what`` names the command and host ("192.0.2.5: dial"); it becomes the message.
    """
    name, cls = ERROR_CODES.get(code, ("UnknownStatus", TrioDeviceError))
    text = _MESSAGES.get(code, "unknown status")
    return cls(code, name, f"{what}: {text}")


def code_name(code: int) -> str:
    """Return the listed name of any code, 2000 included."""
    if code == CODE_SUCCESS:
        return "Success"
    return ERROR_CODES.get(code, ("UnknownStatus",))[0]
