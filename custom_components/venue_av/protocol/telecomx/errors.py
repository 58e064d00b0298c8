"""TelecomX errors: the JSON error body and the exception class for each kind.

The API answers errors with ``{"error": {"code", "message", "status", "path"?,
"check"?}}``; a multi-error form carries a list under ``error``. The HTTP status and
the ``code`` select the exception class (:func:`error_from_body`). Texts are built
from status, code and message only: never from URLs, headers, tokens or passwords.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
import re
from typing import Any

from ..errors import (
    DeviceActionOutcomeUnknownError,
    DeviceAuthenticationError,
    DeviceCommandError,
    DeviceConnectionError,
    DeviceResponseError,
    VenueAVError,
)
from ..http import REDACTED

# Longest message kept from an error body: a misbehaving server must not fill logs.
MAX_MESSAGE_CHARS = 300


class TelecomXError(VenueAVError):
    """Base class of all TelecomX errors."""


class TelecomXConnectionError(TelecomXError, DeviceConnectionError):
    """The cloud could not be reached or did not answer in time."""


class TelecomXResponseError(TelecomXConnectionError, DeviceResponseError):
    """The cloud's answer was not a valid response (malformed, truncated, too big)."""


class TelecomXActionOutcomeUnknownError(
    TelecomXConnectionError, DeviceActionOutcomeUnknownError
):
    """The connection broke after an action was sent: the cloud may have queued it."""

    kind = "action_outcome_unknown"


class TelecomXServerError(TelecomXConnectionError):
    """HTTP 5xx (``internal_error``): the cloud failed; nothing can be assumed done."""

    kind = "server_error"

    def __init__(self, status: int, code: str, message: str) -> None:
        """Keep status, code and message."""
        super().__init__(_text(status, code, message))
        self.status = status
        self.code = code
        self.message = message


class TelecomXAuthenticationError(TelecomXError, DeviceAuthenticationError):
    """Base of the 401 errors: credentials or token rejected."""

    def __init__(self, status: int, code: str, message: str) -> None:
        """Keep status, code and message like the command errors do."""
        super().__init__(_text(status, code, message))
        self.status = status
        self.code = code
        self.message = message


class TelecomXCredentialsError(TelecomXAuthenticationError):
    """Login refused (401): wrong e-mail or password, or a second factor is missing.

    The API does not document how it asks for a second factor, so every 401 on login
    lands here. ``second_factor_given`` tells whether an SMS key or authenticator
    token was sent: when it was not, offer the second-factor field to the user.
    """

    kind = "invalid_credentials"

    def __init__(
        self, status: int, code: str, message: str, *, second_factor_given: bool
    ) -> None:
        """Remember whether the failed login carried a second factor."""
        super().__init__(status, code, message)
        self.second_factor_given = second_factor_given


class TelecomXSecondFactorRequiredError(TelecomXCredentialsError):
    """Login refused for want of a second factor: none was sent, the answer names it.

    Offer the SMS key / authenticator token field.
    """

    kind = "second_factor_required"


class TelecomXSecondFactorInvalidError(TelecomXCredentialsError):
    """Login refused although an SMS key / authenticator token was sent.

    The answer names the second factor, so the code is wrong or expired (not the
    e-mail or password). Whether the cloud words this differently from "code
    needed" is UNKNOWN: both readings land here as long as a code was sent.
    """

    kind = "second_factor_invalid"


class TelecomXTokenError(TelecomXAuthenticationError):
    """The token is expired (``expired``) or invalid (``invalid_token``, ...): log in again."""

    kind = "token_invalid"

    @property
    def expired(self) -> bool:
        """True when the cloud said the token expired (rather than never valid)."""
        return self.code == "expired"


class TelecomXCommandError(TelecomXError, DeviceCommandError):
    """The cloud understood the request and refused it (4xx with an error body).

    ``code`` is the HTTP status, ``name`` the error code of the body ("access_denied",
    a parameter name for 422, "group" for 404), ``message`` its message.
    """

    kind = "api_error"

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        errors: tuple[ApiError, ...] = (),
    ) -> None:
        """Keep the status, the body's code and message, and every error of the body."""
        super().__init__(status, code or "error", message)
        self.status = status
        self.errors = errors


class TelecomXBlacklistedError(TelecomXCommandError):
    """403 ``blacklisted``: the cloud refuses requests from this IP address."""

    kind = "blacklisted"


class TelecomXPermissionError(TelecomXCommandError):
    """403 ``access_denied``: the account's access level or features do not allow it.

    ``required`` names the access level(s) needed when the client knows them (it does
    for actions, from the access table), else it is empty.
    """

    kind = "access_denied"

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        required: str = "",
        errors: tuple[ApiError, ...] = (),
    ) -> None:
        """Keep the required access level next to the body's code and message."""
        if required:
            message = (
                f"{message} (needs {required})" if message else f"needs {required}"
            )
        super().__init__(status, code, message, errors=errors)
        self.required = required


class TelecomXValidationError(TelecomXCommandError):
    """422 (or a check before sending): ``parameter`` is missing or invalid."""

    kind = "invalid_parameter"

    def __init__(
        self,
        parameter: str,
        message: str,
        *,
        status: int = 422,
        errors: tuple[ApiError, ...] = (),
    ) -> None:
        """Name the parameter (the 422 ``code``) and say what is wrong with it."""
        super().__init__(status, parameter, message, errors=errors)
        self.parameter = parameter


class TelecomXNotFoundError(TelecomXCommandError):
    """404: ``what`` (the body's code: "group", "device", "screenshot", ...) not found."""

    kind = "not_found"

    @property
    def what(self) -> str:
        """What was not found, as the cloud named it."""
        return self.name


class TelecomXConflictError(TelecomXCommandError):
    """409: the request conflicts with the current state."""

    kind = "conflict"


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiError:
    """One entry of an error body."""

    code: str
    message: str
    status: int | None = None
    path: str | None = None
    check: str | None = None

    @classmethod
    def from_json(cls, data: object) -> ApiError | None:
        """Build from one error object; None when it is not an object."""
        if isinstance(data, str):
            return cls(code=_clip(data), message="")
        if not isinstance(data, dict):
            return None
        status = data.get("status")
        return cls(
            code=_clip(_str(data.get("code"))),
            message=_clip(_str(data.get("message"))),
            status=status
            if isinstance(status, int) and not isinstance(status, bool)
            else None,
            path=_opt_str(data.get("path")),
            check=_opt_str(data.get("check")),
        )


def parse_error_body(
    data: object, *, secrets: tuple[str, ...] = ()
) -> tuple[ApiError, ...]:
    """Return the errors of a decoded error body (object or list form); may be empty.

    Accepted: ``{"error": {...}}``, ``{"error": [{...}, ...]}``, ``{"errors": [...]}``,
    a bare error object ``{"code", "message"}`` and a bare list of error objects.
    """
    entries: Iterable[object]
    if isinstance(data, dict):
        inner = data.get("error", data.get("errors"))
        if inner is None and ("code" in data or "message" in data):
            inner = data
        if isinstance(inner, list):
            entries = inner
        elif inner is None:
            entries = ()
        else:
            entries = (inner,)
    elif isinstance(data, list):
        entries = data
    else:
        entries = ()
    errors = (ApiError.from_json(entry) for entry in entries)
    return tuple(_scrub(error, secrets) for error in errors if error is not None)


def _scrub(error: ApiError, secrets: tuple[str, ...]) -> ApiError:
    """Blank out any secret a server echoed into an error's texts."""
    texts = [error.code, error.message, error.path, error.check]
    for secret in secrets:
        if secret:
            texts = [None if t is None else t.replace(secret, REDACTED) for t in texts]
    code, message, path, check = texts
    return ApiError(
        code=code or "",
        message=message or "",
        status=error.status,
        path=path,
        check=check,
    )


_SECOND_FACTOR_HINT = re.compile(
    r"sms|authenticator|two[ -_]?factor|2fa|second[ -_]?factor|totp|otp",
    re.IGNORECASE,
)


def names_second_factor(code: str, message: str) -> bool:
    """Return whether a login error names the second factor.

    UNKNOWN FACT: the error that asks for ``smsKey`` / ``authenticatorToken`` is not
    documented. This heuristic (code or message mentioning SMS, authenticator, 2FA,
    TOTP, ...) is the one place that decides it; every other 401 on login is a plain
    credentials error that still suggests the second factor when none was given.
    """
    return bool(_SECOND_FACTOR_HINT.search(code) or _SECOND_FACTOR_HINT.search(message))


def error_from_body(
    status: int,
    data: object,
    *,
    login: bool = False,
    second_factor_given: bool = False,
    required: str = "",
    secrets: tuple[str, ...] = (),
) -> TelecomXError:
    """Build the exception for an HTTP error ``status`` and its decoded body.

    ``login`` marks the answer to ``/auth/login`` (a 401 there is about credentials,
    elsewhere about the token); ``required`` names the access level the request needs,
    for the permission error; ``secrets`` (token, password) are blanked out of any
    text the server echoed.
    """
    errors = parse_error_body(data, secrets=secrets)
    first = errors[0] if errors else ApiError(code="", message="")
    code, message = first.code, first.message
    if status == 401:
        if login:
            if names_second_factor(code, message):
                # A code was sent: it is the code that is wrong, not missing.
                cls: type[TelecomXCredentialsError] = (
                    TelecomXSecondFactorInvalidError
                    if second_factor_given
                    else TelecomXSecondFactorRequiredError
                )
                return cls(
                    status, code, message, second_factor_given=second_factor_given
                )
            return TelecomXCredentialsError(
                status, code, message, second_factor_given=second_factor_given
            )
        return TelecomXTokenError(status, code or "invalid_token", message)
    if status == 403:
        if code == "blacklisted":
            return TelecomXBlacklistedError(status, code, message, errors=errors)
        return TelecomXPermissionError(
            status, code or "access_denied", message, required=required, errors=errors
        )
    if status == 404:
        return TelecomXNotFoundError(
            status, code or "not_found", message, errors=errors
        )
    if status == 409:
        return TelecomXConflictError(status, code or "conflict", message, errors=errors)
    if status == 422:
        return TelecomXValidationError(
            code or "unknown", message, status=status, errors=errors
        )
    if status >= 500:
        return TelecomXServerError(status, code or "internal_error", message)
    if 400 <= status < 500:
        return TelecomXCommandError(
            status, code or "bad_request", message, errors=errors
        )
    return TelecomXResponseError(f"TelecomX answered HTTP {status}")


def _text(status: int, code: str, message: str) -> str:
    name = code or "error"
    return f"{name} ({status}): {message}" if message else f"{name} ({status})"


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value)


def _opt_str(value: Any) -> str | None:
    return _clip(value) if isinstance(value, str) else None


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE_CHARS else text[:MAX_MESSAGE_CHARS] + "…"
