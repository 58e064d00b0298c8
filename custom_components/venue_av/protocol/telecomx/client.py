"""Async client of the TelecomX IPTV management API (JSON over HTTPS)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
import contextlib
from datetime import UTC, date, datetime
import logging
from typing import Any, Final
from urllib.parse import quote
import zlib

import aiohttp
from yarl import URL

from ..errors import OUTCOME_UNKNOWN_TEXT
from ..http import (
    REDACTED,
    SECRET_NAMES,
    RequestOutcomeUnknown,
    read_capped,
    request_once,
)
from .access import required_access
from .actions import Action, ActionType, check_id
from .errors import (
    TelecomXActionOutcomeUnknownError,
    TelecomXCommandError,
    TelecomXConnectionError,
    TelecomXError,
    TelecomXPermissionError,
    TelecomXResponseError,
    TelecomXTokenError,
    TelecomXValidationError,
    error_from_body,
)
from .models import (
    ActionResult,
    Channel,
    Device,
    DeviceType,
    HealthSample,
    LoginResult,
    Page,
    decode_json,
    format_date,
    parse_channel_page,
    parse_device,
    parse_device_page,
    parse_health,
    require_object,
)

_LOGGER = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://api.telecomx.dk"
DEFAULT_TIMEOUT: Final = 15.0
# Reads (never actions, login or logout) are sent again once after a connection
# error, a 5xx or a malformed answer.
READ_RETRIES: Final = 1
# The documented maximum of ``limit`` on the device list.
MAX_PAGE_LIMIT: Final = 500
# Guard against a server whose paging never ends.
MAX_PAGES: Final = 1000
MAX_JSON_BYTES: Final = 16 * 1024 * 1024
MAX_ERROR_BYTES: Final = 64 * 1024
MAX_SCREENSHOT_BYTES: Final = 16 * 1024 * 1024
PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"

GROUP_ALL: Final = "ALL"
GROUP_WORLD: Final = "WORLD"

# UNKNOWN FACT: whether ``/auth/validateToken`` reads the ``Authorization`` header.
# The wiki shows ``?token=...``; we keep tokens out of URLs and send only the header.
# Set True to also send the token as query parameter (it is redacted from logs).
VALIDATE_TOKEN_IN_QUERY: Final = False

type Query = list[tuple[str, str]]


def format_when(when: datetime) -> str:
    """Format ``when`` of the single-device action.

    UNKNOWN FACT: the format is undocumented; the API's dates are ISO-8601 UTC, so
    this sends e.g. ``2025-05-01T12:00:00.000Z``. The one place to change it.
    """
    if when.tzinfo is None:
        raise TelecomXValidationError("when", "when must carry a time zone")
    stamp = when.astimezone(UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


def _segment(value: str) -> str:
    return quote(value, safe=":")


def _wire(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _redacted(query: Query) -> list[tuple[str, str]]:
    return [
        (name, REDACTED if name.lower() in SECRET_NAMES else value)
        for name, value in query
    ]


class TelecomXClient:
    """One TelecomX account (employee login) on the IPTV management API.

    Holds no connection of its own: requests go through the caller's session. The
    token is sent only as ``Authorization: Bearer``; it and the password never
    appear in ``repr``, log lines or exception texts.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_url: str = DEFAULT_BASE_URL,
        token: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        read_retries: int = READ_RETRIES,
    ) -> None:
        """Create a client; pass ``token`` to reuse a token from an earlier login."""
        self._session = session
        self._base = URL(base_url.rstrip("/"))
        self._token = token or None
        self._timeout = timeout
        self._read_retries = max(0, read_retries)
        self.expires_at: datetime | None = None

    def __repr__(self) -> str:
        """Describe the client without its token."""
        return (
            f"TelecomXClient(base_url={self.base_url!r}, "
            f"logged_in={self._token is not None})"
        )

    @property
    def base_url(self) -> str:
        """The API's base URL (without any user info)."""
        return str(self._base.with_user(None))

    @property
    def token(self) -> str | None:
        """The current token (deliberately not part of repr or any message)."""
        return self._token

    @property
    def logged_in(self) -> bool:
        """True while the client holds a token."""
        return self._token is not None

    # -- transport ---------------------------------------------------------------

    def _url(self, path: str, query: Query) -> URL:
        url = self._base.with_path(self._base.path.rstrip("/") + path, encoded=True)
        return url.with_query(query) if query else url

    async def _send(
        self,
        method: str,
        path: str,
        query: Query | None = None,
        *,
        what: str,
        json_body: dict[str, Any] | None = None,
        auth: bool = True,
        limit: int = MAX_JSON_BYTES,
        login: bool = False,
        second_factor_given: bool = False,
        required: str = "",
        secrets: tuple[str, ...] = (),
        read: bool = False,
    ) -> bytes:
        """Send one request and return the body of a 2xx answer.

        Anything but a ``read`` (actions, cancel, login, logout) is sent exactly once:
        when the connection breaks after it went out, the error is
        ``TelecomXActionOutcomeUnknownError``. Every failure becomes a
        ``TelecomXError``; texts name the request kind and host, never the URL,
        headers or body.
        """
        query = query or []
        headers = {"Accept": "application/json"}
        if auth:
            if self._token is None:
                raise TelecomXTokenError(401, "invalid_token", "not logged in")
            headers["Authorization"] = f"Bearer {self._token}"
            secrets = (*secrets, self._token)
        host = self._base.host or "?"
        if _LOGGER.isEnabledFor(logging.DEBUG):
            _LOGGER.debug("%s: %s %s %s", host, method, path, _redacted(query))
        url = self._url(path, query)
        send = (
            self._session.request(
                method, url, headers=headers, json=json_body, allow_redirects=False
            )
            if read
            else request_once(
                self._session,
                method,
                url,
                headers=headers,
                json=json_body,
                allow_redirects=False,
            )
        )
        try:
            async with asyncio.timeout(self._timeout), send as response:
                status = response.status
                if not 200 <= status < 300:
                    raw = await read_capped(
                        response,
                        MAX_ERROR_BYTES,
                        what=f"TelecomX: {what}",
                        error=TelecomXResponseError,
                    )
                    try:
                        data = decode_json(raw, what) if raw.strip() else None
                    except TelecomXResponseError:
                        data = None
                    raise error_from_body(
                        status,
                        data,
                        login=login,
                        second_factor_given=second_factor_given,
                        required=required,
                        secrets=secrets,
                    )
                return await read_capped(
                    response,
                    limit,
                    what=f"TelecomX: {what}",
                    error=TelecomXResponseError,
                )
        except TelecomXError:
            raise
        except TimeoutError:
            raise TelecomXConnectionError(
                f"TelecomX {host}: {what} timed out after {self._timeout:g} s"
            ) from None
        except RequestOutcomeUnknown:
            raise TelecomXActionOutcomeUnknownError(
                f"TelecomX {host}: {what}: {OUTCOME_UNKNOWN_TEXT}"
            ) from None
        except aiohttp.ClientError as err:
            # aiohttp's texts may contain the URL: keep the class name only.
            raise TelecomXConnectionError(
                f"TelecomX {host}: {what} failed ({err.__class__.__name__})"
            ) from None

    async def _retrying[T](
        self, retry: bool, what: str, call: Callable[[], Awaitable[T]]
    ) -> T:
        """Run ``call``; when ``retry`` (reads only), once more after a connection error."""
        attempts = 1 + (self._read_retries if retry else 0)
        for attempt in range(1, attempts + 1):
            try:
                return await call()
            except TelecomXConnectionError as err:
                if attempt >= attempts:
                    raise
                _LOGGER.debug("%s failed (%s); retrying once", what, err.kind)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _get_json(self, path: str, query: Query | None, *, what: str) -> object:
        """GET a read-only resource as JSON (retried once)."""

        async def call() -> object:
            return decode_json(
                await self._send("GET", path, query, what=what, read=True), what
            )

        return await self._retrying(True, what, call)

    # -- authentication ----------------------------------------------------------

    async def login(
        self,
        username: str,
        password: str,
        *,
        sms_key: str | None = None,
        authenticator_token: str | None = None,
        persist: bool = False,
    ) -> LoginResult:
        """Log in with e-mail and password (plus a second factor when the account has one).

        ``persist`` asks for a token that does not expire. A refusal raises
        ``TelecomXCredentialsError`` (``TelecomXSecondFactorRequiredError`` when the
        answer names the second factor); its ``second_factor_given`` tells whether
        to offer the SMS key / authenticator field. Never retried.
        """
        body: dict[str, Any] = {"username": username, "password": password}
        if sms_key:
            body["smsKey"] = sms_key
        if authenticator_token:
            body["authenticatorToken"] = authenticator_token
        body["persist"] = persist
        secrets = tuple(
            secret for secret in (password, sms_key, authenticator_token) if secret
        )
        raw = await self._send(
            "POST",
            "/auth/login",
            what="login",
            json_body=body,
            auth=False,
            login=True,
            second_factor_given=bool(sms_key or authenticator_token),
            secrets=secrets,
        )
        result = LoginResult.from_json(decode_json(raw, "login answer"))
        self._token = result.token
        self.expires_at = result.expires_at
        return result

    async def validate_token(self) -> bool:
        """Ask the cloud whether the token is still valid (False: log in again).

        A blacklisted address and connection failures still raise.
        """
        if self._token is None:
            return False
        query: Query = [("simple", "true")]
        if VALIDATE_TOKEN_IN_QUERY:
            query.append(("token", self._token))
        what = "token validation"
        try:
            await self._retrying(
                True,
                what,
                lambda: self._send(
                    "GET", "/auth/validateToken", query, what=what, read=True
                ),
            )
        except (TelecomXTokenError, TelecomXPermissionError):
            return False
        return True

    async def logout(self) -> None:
        """Invalidate all of the user's tokens and forget ours (never retried)."""
        if self._token is None:
            return
        # A token that is already invalid is logged out as well.
        with contextlib.suppress(TelecomXTokenError):
            await self._send("GET", "/auth/logout", what="logout")
        self._token = None
        self.expires_at = None

    # -- reads -------------------------------------------------------------------

    async def device_page(
        self,
        offset: int = 0,
        limit: int = MAX_PAGE_LIMIT,
        *,
        device_type: DeviceType | str | None = None,
        filter_text: str | None = None,
        customer: str | None = None,
        full: bool | None = None,
        show_disabled: bool | None = None,
        heartbeat_status: str | None = None,
    ) -> Page[Device]:
        """Get one page of the device list (``limit`` at most 500)."""
        query = _page_query(offset, limit)
        for name, value in (
            ("type", _type_wire(device_type)),
            ("filter", filter_text),
            ("customer", customer),
            ("full", full),
            ("showDisabled", show_disabled),
            ("heartbeatStatus", heartbeat_status),
        ):
            if value is not None:
                query.append((name, _wire(value)))
        return parse_device_page(
            await self._get_json("/iptv/device", query, what="device list")
        )

    async def devices(
        self,
        *,
        page_size: int = MAX_PAGE_LIMIT,
        device_type: DeviceType | str | None = None,
        filter_text: str | None = None,
        customer: str | None = None,
        full: bool | None = None,
        show_disabled: bool | None = None,
        heartbeat_status: str | None = None,
    ) -> tuple[Device, ...]:
        """Get the whole device list, page by page (each page retried once)."""

        async def fetch(offset: int) -> Page[Device]:
            return await self.device_page(
                offset,
                page_size,
                device_type=device_type,
                filter_text=filter_text,
                customer=customer,
                full=full,
                show_disabled=show_disabled,
                heartbeat_status=heartbeat_status,
            )

        found = await _gather(fetch, page_size, key=_device_key, what="device list")
        return tuple({device.device_id: device for device in found}.values())

    async def device(self, device_id: str) -> Device:
        """Get one device by its ``_id`` or its MAC address."""
        device_id = check_id(device_id, "device")
        return parse_device(
            await self._get_json(
                f"/iptv/device/{_segment(device_id)}", None, what="device"
            )
        )

    async def channel_page(
        self, offset: int = 0, limit: int = MAX_PAGE_LIMIT
    ) -> Page[Channel]:
        """Get one page of the TV channel list."""
        return parse_channel_page(
            await self._get_json(
                "/iptv/channel", _page_query(offset, limit), what="channel list"
            )
        )

    async def channels(self, *, page_size: int = MAX_PAGE_LIMIT) -> tuple[Channel, ...]:
        """Get every TV channel (``PLAYCHANNEL`` takes a channel's ``channel_id``)."""

        async def fetch(offset: int) -> Page[Channel]:
            return await self.channel_page(offset, page_size)

        found = await _gather(fetch, page_size, key=_channel_key, what="channel list")
        return tuple({channel.channel_id: channel for channel in found}.values())

    async def screenshot(self, device_id: str) -> bytes:
        """Get the PNG taken by the box's last ``SCREENSHOT`` action.

        Raises ``TelecomXNotFoundError`` (``what == "screenshot"``) when there is none.
        """
        device_id = check_id(device_id, "device")
        what = "screenshot"

        async def call() -> bytes:
            body = await self._send(
                "GET",
                f"/iptv/device/{_segment(device_id)}/screenshot",
                what=what,
                limit=MAX_SCREENSHOT_BYTES,
                read=True,
            )
            problem = png_problem(body)
            if problem is not None:
                raise TelecomXResponseError(f"TelecomX: screenshot {problem}")
            return body

        return await self._retrying(True, what, call)

    async def health(
        self, device_id: str, day: date | None = None
    ) -> tuple[HealthSample, ...]:
        """Get a box's health samples of ``day`` (UTC today by default)."""
        device_id = check_id(device_id, "device")
        day = day or datetime.now(UTC).date()
        return parse_health(
            await self._get_json(
                f"/iptv/device/{_segment(device_id)}/rtt",
                [("date", format_date(day))],
                what="health samples",
            )
        )

    # -- actions (GET requests with side effects: never retried) ------------------

    async def group_action(
        self,
        group: str,
        action: Action | ActionType,
        *,
        reseller: str | None = None,
    ) -> ActionResult:
        """Schedule ``action`` on every box of ``group`` (an id, ``ALL`` or ``WORLD``).

        ``reseller`` selects whose boxes ``ALL`` means for an ADMIN (refused for other
        groups). The result counts boxes scheduled and skipped (same type already
        queued); it says nothing about their new state. Never retried.
        """
        action = action if isinstance(action, Action) else Action.simple(action)
        group = check_id(group, "group")
        query: Query = [("group", group), *action.query()]
        if reseller is not None:
            if group != GROUP_ALL:
                raise TelecomXValidationError(
                    "reseller", "reseller applies only to group ALL"
                )
            query.append(("reseller", check_id(reseller, "reseller")))
        return await self._action("/iptv/device/action", query, action)

    async def device_action(
        self,
        device_id: str,
        action: Action | ActionType,
        *,
        when: datetime | None = None,
    ) -> ActionResult:
        """Schedule ``action`` on one box (optionally ``when``). Never retried.

        The result's ``action_id`` (when the cloud names it) can be cancelled.
        """
        action = action if isinstance(action, Action) else Action.simple(action)
        device_id = check_id(device_id, "device")
        query = action.query()
        if when is not None:
            query.append(("when", format_when(when)))
        return await self._action(
            f"/iptv/device/{_segment(device_id)}/action", query, action
        )

    async def _action(self, path: str, query: Query, action: Action) -> ActionResult:
        what = f"{action.type.value} action"
        raw = await self._send(
            "GET", path, query, what=what, required=required_access(action.type)
        )
        return ActionResult.from_json(decode_json(raw, what))

    async def cancel_action(self, device_id: str, action_id: str) -> None:
        """Cancel a queued single-device action (never retried)."""
        device_id = check_id(device_id, "device")
        action_id = check_id(action_id, "action")
        what = "cancel action"
        raw = await self._send(
            "DELETE",
            f"/iptv/device/{_segment(device_id)}/action/{_segment(action_id)}",
            what=what,
        )
        if not raw.strip():
            return
        body = require_object(decode_json(raw, what), what)
        if body.get("success") is False:
            raise TelecomXCommandError(200, "cancel_failed", "the cloud refused")


def _page_query(offset: int, limit: int) -> Query:
    if not 1 <= limit <= MAX_PAGE_LIMIT:
        raise TelecomXValidationError("limit", f"limit must be 1-{MAX_PAGE_LIMIT}")
    if offset < 0:
        raise TelecomXValidationError("offset", "offset must not be negative")
    return [("offset", str(offset)), ("limit", str(limit))]


def _type_wire(value: DeviceType | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, DeviceType):
        return value.value.upper()
    return value.upper()


def _device_key(device: Device) -> object:
    return device.device_id


def _channel_key(channel: Channel) -> object:
    return channel.channel_id


async def _gather[T](
    fetch: Callable[[int], Awaitable[Page[T]]],
    page_size: int,
    *,
    key: Callable[[T], object] = id,
    what: str = "list",
) -> Sequence[T]:
    """Fetch pages from offset 0 until ``total`` is reached or a page comes short.

    A page that brings no item not seen before (by ``key``) while ``total`` is not
    reached means the server repeats pages (e.g. ignores ``offset``): raise rather
    than return a partial list. An empty page ends the list (it shrank meanwhile).
    """
    found: list[T] = []
    seen: set[object] = set()
    offset = 0
    for _ in range(MAX_PAGES):
        page = await fetch(offset)
        new = [item for item in page.items if key(item) not in seen]
        if page.received and not new:
            raise TelecomXResponseError(
                f"TelecomX: {what} pages repeat from offset {offset}: "
                f"{len(found)} items of {page.total if page.total is not None else '?'}"
            )
        seen.update(key(item) for item in new)
        found.extend(page.items)
        offset += page.received
        if page.received == 0:
            break
        if page.total is not None:
            if offset >= page.total:
                break
        elif page.received < (page.limit or page_size):
            break
    else:
        raise TelecomXResponseError("TelecomX: paging did not end")
    return found


def png_problem(body: bytes) -> str | None:
    """Why ``body`` is not a whole PNG file, or None when it is.

    Checks the signature, then walks the chunks (length, type, data, CRC-32) up to
    ``IEND``, which must end the body: a truncated image, or a PNG signature
    followed by an HTML error page, is caught here rather than shown as an image.
    """
    if not body.startswith(PNG_SIGNATURE):
        return "is not a PNG image"
    position = len(PNG_SIGNATURE)
    first = True
    while True:
        if position + 12 > len(body):
            return "is truncated"
        length = int.from_bytes(body[position : position + 4], "big")
        kind = body[position + 4 : position + 8]
        end = position + 12 + length
        if not kind.isalpha() or not kind.isascii():
            return "has a damaged chunk"
        if first and kind != b"IHDR":
            return "does not start with IHDR"
        if end > len(body):
            return "is truncated"
        crc = int.from_bytes(body[end - 4 : end], "big")
        if zlib.crc32(body[position + 4 : end - 4]) != crc:
            return "has a damaged chunk (CRC)"
        if kind == b"IEND":
            return None if end == len(body) else "has data after its end"
        position = end
        first = False
