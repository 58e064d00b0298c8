"""Small HTTP helpers shared by the device families."""

from __future__ import annotations

from collections.abc import Mapping

import aiohttp

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
