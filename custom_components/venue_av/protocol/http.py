"""Small HTTP helpers shared by the device families."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
import contextlib
import inspect
from typing import Any, Final

import aiohttp
from yarl import URL

from .errors import DeviceResponseError

_CHUNK = 65536

# Query parameters and headers whose values are secrets. Kept in one place so every
# family redacts the same names in debug logs and request logs.
SECRET_NAMES = frozenset(
    {
        "interaction_key",
        "password",
        "token",
        "authorization",
        "smskey",
        "authenticatortoken",
    }
)
REDACTED = "**REDACTED**"


async def read_capped(
    response: aiohttp.ClientResponse,
    limit: int,
    *,
    what: str,
    error: type[DeviceResponseError] = DeviceResponseError,
) -> bytes:
    """Read the whole body of ``response`` but never more than ``limit`` bytes.

    A device that announces or streams more is answered with ``error`` (the family's
    response error) instead of being buffered: one misbehaving player must not eat
    Home Assistant's memory.
    """
    if response.content_length is not None and response.content_length > limit:
        raise error(f"{what}: body of {response.content_length} bytes exceeds the cap")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise error(f"{what}: body exceeds the cap of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def redact_params(params: Mapping[str, object]) -> dict[str, object]:
    """Return ``params`` with every secret value replaced, for logs."""
    return {
        key: REDACTED if key.lower() in SECRET_NAMES else value
        for key, value in params.items()
    }


# -- side-effect requests: sent exactly once ----------------------------------------
#
# aiohttp sends an idempotent request (GET, HEAD, OPTIONS, TRACE, PUT, DELETE) a second
# time when the connection breaks before the answer (ClientOSError or
# ServerDisconnectedError from sending it or from reading the answer's head; see
# ``retry_persistent_connection`` in ``ClientSession._request``, 3.9 and later). It
# does so on a fresh connection as well as on a kept-alive one. IMM and TelecomX send
# their actions as GET (TelecomX cancels with DELETE): the device would carry the
# action out twice. Home Assistant hands every integration one shared session, so the
# session's own switch (the private ``_retry_connection``, set only by aiohttp's test
# client) is not ours to touch. Instead each side-effect request goes through
# ``request_once``:
#
# * aiohttp 3.12 and later accept client middlewares per request. Our middleware
#   turns the two errors the retry loop looks for into ``RequestOutcomeUnknown``,
#   another ``ClientConnectionError`` that the loop passes on instead of repeating
#   the request. (A per-request middleware replaces the session's middlewares for
#   that request; Home Assistant's shared session has none.)
# * aiohttp 3.11 (Home Assistant 2025.4) has no middlewares. Its ``_request`` tests
#   ``method in IDEMPOTENT_METHODS`` with the method exactly as given, while the request
#   itself goes out upper-cased (``ClientRequest.method = method.upper()``): the method
#   is passed in lower case, so that release, whose code no longer changes, never
#   repeats it.
#
# tests/protocol/test_at_most_once.py checks both paths against a server that drops
# the connection after reading the request: it must see exactly one copy.
PER_REQUEST_MIDDLEWARES: Final = (
    "middlewares" in inspect.signature(aiohttp.ClientSession._request).parameters  # noqa: SLF001
)


class RequestOutcomeUnknown(aiohttp.ClientConnectionError):
    """The connection broke after the request was (or may have been) sent."""


_BROKEN_AFTER_SEND = (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError)


async def _no_repeat(
    request: Any, handler: Callable[[Any], Awaitable[aiohttp.ClientResponse]]
) -> aiohttp.ClientResponse:
    """Client middleware: a broken connection ends the request instead of a retry."""
    try:
        return await handler(request)
    except aiohttp.ClientConnectorError:
        raise  # nothing was sent; aiohttp does not repeat these anyway
    except _BROKEN_AFTER_SEND as err:
        raise RequestOutcomeUnknown(err.__class__.__name__) from err


@contextlib.asynccontextmanager
async def request_once(
    session: aiohttp.ClientSession, method: str, url: URL, **kwargs: Any
) -> AsyncIterator[aiohttp.ClientResponse]:
    """``session.request(method, url, **kwargs)`` that is sent exactly once.

    For requests with side effects. A connection that could not be made raises
    aiohttp's connector error as usual (nothing was sent); a connection that broke
    after the request went out raises ``RequestOutcomeUnknown``: the device may
    have carried the request out. Reads keep using the session directly (aiohttp
    may repeat them, which is harmless).
    """
    if PER_REQUEST_MIDDLEWARES:
        kwargs["middlewares"] = (_no_repeat,)
        context = session.request(method, url, **kwargs)
    else:
        context = session.request(method.lower(), url, **kwargs)
    try:
        async with context as response:
            yield response
    except aiohttp.ClientConnectorError:
        raise
    except _BROKEN_AFTER_SEND as err:
        raise RequestOutcomeUnknown(err.__class__.__name__) from err
