"""Certificate fingerprints of Poly Trio phones.

A phone's device certificate carries its MAC address as CN, so host-name verification
against its IP address fails by design. The client therefore does not verify against
CAs by default; instead it reports the SHA-256 fingerprint of the certificate the phone
presented (``TrioClient.peer_fingerprint``) and, once the caller pins it, refuses any
other certificate before credentials are sent (``aiohttp.Fingerprint``).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import ssl

from .errors import TrioConnectionError

_HEX = re.compile(r"[^0-9a-fA-F]")


def normalize_fingerprint(value: str) -> str:
    """Return a SHA-256 fingerprint as 64 lower-case hex digits.

    Accepts any separators and case ("AB:CD:...", "ab cd ...", "abcd...").
    """
    digits = _HEX.sub("", value).lower()
    if len(digits) != 64:
        raise ValueError("a SHA-256 fingerprint has 64 hex digits")
    return digits


def format_fingerprint(value: str) -> str:
    """Display form "AB:CD:...", as browsers and openssl print it."""
    digits = normalize_fingerprint(value).upper()
    return ":".join(digits[i : i + 2] for i in range(0, 64, 2))


def fingerprint_of(der: bytes) -> str:
    """SHA-256 fingerprint of a DER-encoded certificate."""
    return hashlib.sha256(der).hexdigest()


def transport_fingerprint(transport: asyncio.BaseTransport | None) -> str | None:
    """Fingerprint of the peer certificate of a TLS connection, None for plain TCP."""
    if transport is None:
        return None
    ssl_object = transport.get_extra_info("ssl_object")
    if not isinstance(ssl_object, ssl.SSLObject | ssl.SSLSocket):
        return None
    der = ssl_object.getpeercert(binary_form=True)
    return fingerprint_of(der) if der else None


async def fetch_fingerprint(
    host: str, port: int = 443, *, timeout: float = 10.0
) -> str:
    """Open a TLS connection (no HTTP, no credentials) and return the fingerprint.

    For a config flow that wants to show and pin the certificate before the password
    is ever sent. Raises ``TrioConnectionError`` when nothing answers with TLS.
    """
    writer: asyncio.StreamWriter | None = None
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(
                host, port, ssl=unverified_context(), server_hostname=None
            )
            fingerprint = transport_fingerprint(writer.transport)
    except (OSError, TimeoutError, ssl.SSLError) as err:
        raise TrioConnectionError(
            f"{host}: no TLS answer on port {port} ({err.__class__.__name__})"
        ) from None
    finally:
        if writer is not None:
            writer.close()
    if fingerprint is None:  # pragma: no cover - a TLS transport always has one
        raise TrioConnectionError(f"{host}: no certificate presented")
    return fingerprint


def unverified_context() -> ssl.SSLContext:
    """Return a client context that accepts any certificate (fingerprint pinning instead)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
