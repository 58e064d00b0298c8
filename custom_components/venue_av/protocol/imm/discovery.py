"""UDP probe of IMM clients (datagram "IMM" to port 8083).

The caller passes the target addresses: Home Assistant's broadcast addresses in the
product, loopback or namespace addresses in tests and demos. This module never picks a
network by itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
import contextlib
import logging
import socket
from typing import Final

from ..errors import VenueAVError
from ..xml import parse_xml
from .errors import ImmConnectionError, ImmResponseError
from .models import ClientInfo, DiscoveredClient, check_response

_LOGGER = logging.getLogger(__name__)

PROBE_PORT: Final = 8083
PROBE_PAYLOAD: Final = b"IMM"
DEFAULT_PROBE_TIMEOUT: Final = 2.0
# Hundreds of clients answer a broadcast within milliseconds; the default receive buffer
# (about 200 kB) would drop part of that burst.
RECEIVE_BUFFER_BYTES: Final = 8 * 1024 * 1024
MAX_REPLY_BYTES: Final = 65535


class _ProbeProtocol(asyncio.DatagramProtocol):
    """Collects probe replies, one per client id, first reply wins."""

    def __init__(self, expected: int | None) -> None:
        self.found: dict[str, DiscoveredClient] = {}
        self.done = asyncio.get_running_loop().create_future()
        self._expected = expected

    def datagram_received(self, data: bytes, addr: tuple[str | object, ...]) -> None:
        host = str(addr[0])
        try:
            info = _parse_reply(data, host)
        except VenueAVError as err:
            # A broken reply (or another service on the port) is skipped, not fatal.
            _LOGGER.debug("Ignoring probe reply from %s: %s", host, err)
            return
        if not info.client_id or info.client_id in self.found:
            return
        self.found[info.client_id] = DiscoveredClient(host=host, info=info)
        if (
            self._expected is not None
            and len(self.found) >= self._expected
            and not self.done.done()
        ):
            self.done.set_result(None)

    def error_received(self, exc: Exception) -> None:
        # ICMP port unreachable from a target without a client: nothing to collect there.
        _LOGGER.debug("Probe socket error: %s", exc)


def _parse_reply(data: bytes, host: str) -> ClientInfo:
    root = parse_xml(data, what=f"probe reply from {host}", error=ImmResponseError)
    check_response(root, what="probe reply")
    element = root.find("imm_client")
    if element is None:
        raise ImmResponseError(f"probe reply from {host} without imm_client")
    return ClientInfo.from_element(element)


def _probe_socket(bind_host: str) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
        sock.setblocking(False)
        sock.bind((bind_host, 0))
    except OSError:
        sock.close()
        raise
    return sock


async def probe(
    targets: Iterable[str],
    *,
    port: int = PROBE_PORT,
    timeout: float = DEFAULT_PROBE_TIMEOUT,
    bind_host: str = "0.0.0.0",  # noqa: S104 - replies come back from any interface
    expected: int | None = None,
) -> list[DiscoveredClient]:
    """Send the probe to every target address and collect replies for ``timeout`` s.

    ``targets`` are broadcast or unicast addresses. Replies are deduplicated by client
    id. With ``expected``, returns as soon as that many clients answered. The probe is
    sent twice (at the start and half-way) since a single UDP datagram may be lost.
    """
    addresses = list(dict.fromkeys(targets))
    if not addresses:
        return []
    loop = asyncio.get_running_loop()
    try:
        sock = _probe_socket(bind_host)
        transport, protocol = await loop.create_datagram_endpoint(
            lambda: _ProbeProtocol(expected), sock=sock
        )
    except OSError as err:
        raise ImmConnectionError(
            f"probe socket could not be opened ({err.strerror})"
        ) from None
    try:

        def send_all() -> None:
            for address in addresses:
                try:
                    transport.sendto(PROBE_PAYLOAD, (address, port))
                except OSError as err:
                    _LOGGER.debug("Probe to %s failed: %s", address, err)

        send_all()
        resend = loop.call_later(timeout / 2, send_all)
        try:
            await asyncio.wait_for(asyncio.shield(protocol.done), timeout)
        except TimeoutError:
            pass
        finally:
            resend.cancel()
    finally:
        transport.close()
    return list(protocol.found.values())


async def probe_host(
    host: str, *, port: int = PROBE_PORT, timeout: float = DEFAULT_PROBE_TIMEOUT
) -> DiscoveredClient:
    """Probe one address and return its client; ``ImmConnectionError`` if none answers."""
    found = await probe([host], port=port, timeout=timeout, expected=1)
    if not found:
        raise ImmConnectionError(f"{host}: no answer to the probe within {timeout:g} s")
    return found[0]
