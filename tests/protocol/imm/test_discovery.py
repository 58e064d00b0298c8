"""UDP probe of IMM clients over real loopback sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator
import logging
import time

import pytest

from custom_components.venue_av.protocol.imm import (
    ClientStatus,
    DiscoveredClient,
    ImmConnectionError,
    probe,
    probe_host,
)
from custom_components.venue_av.protocol.imm.discovery import _ProbeProtocol
from simulators.imm import ClientSpec, FaultMode, ImmSimulator

from .conftest import HTTP_PORT, NOBODY, PROBE_BROADCAST, PROBE_HOSTS, UDP_PORT

ID_A = "0011AABB8011"
ID_B = "0011AABB8012"


@pytest.fixture
async def probe_sim(allow_hosts: None) -> AsyncIterator[ImmSimulator]:
    """Three clients, two of them sharing an id; a "broadcast" address answers for all."""
    simulator = ImmSimulator(
        [
            ClientSpec(host=PROBE_HOSTS[0], client_id=ID_A, name="Stage left"),
            ClientSpec(host=PROBE_HOSTS[1], client_id=ID_B, name="Stage right"),
            ClientSpec(host=PROBE_HOSTS[2], client_id=ID_A, name="Stage left twin"),
        ],
        http_port=HTTP_PORT,
        udp_port=UDP_PORT,
        time_scale=0.02,
        broadcast_host=PROBE_BROADCAST,
    )
    async with simulator:
        yield simulator


async def test_probe_unicast_dedupes_by_client_id(probe_sim: ImmSimulator) -> None:
    found = await probe(
        [*PROBE_HOSTS, PROBE_HOSTS[1]], port=UDP_PORT, timeout=0.3, bind_host="0.0.0.0"
    )
    # Three answering hosts, two distinct ids; the probe goes out twice per target.
    assert sorted(item.client_id for item in found) == [ID_A, ID_B]
    assert probe_sim.udp_probe_count == 6  # 3 distinct targets, sent twice
    by_id = {item.client_id: item for item in found}
    assert by_id[ID_B].host == PROBE_HOSTS[1]
    assert by_id[ID_B].info.name == "Stage right"
    assert by_id[ID_A].host in (PROBE_HOSTS[0], PROBE_HOSTS[2])
    assert all(isinstance(item, DiscoveredClient) for item in found)


async def test_probe_broadcast(probe_sim: ImmSimulator) -> None:
    found = await probe([PROBE_BROADCAST], port=UDP_PORT, timeout=0.3)
    assert sorted(item.client_id for item in found) == [ID_A, ID_B]
    # Each reply comes from the client's own address.
    assert {item.host for item in found} <= set(PROBE_HOSTS)
    info = next(item.info for item in found if item.client_id == ID_B)
    assert info.status is ClientStatus.PLAYING
    assert info.version == "WISE-PaaS/SignageCMS Client 1.8.4"
    assert info.program == "Program"
    assert info.server_port == 80


async def test_probe_expected_returns_early(probe_sim: ImmSimulator) -> None:
    started = time.monotonic()
    found = await probe([PROBE_BROADCAST], port=UDP_PORT, timeout=5, expected=2)
    assert time.monotonic() - started < 1.0
    assert len(found) == 2


async def test_probe_without_targets() -> None:
    assert await probe([], port=UDP_PORT, timeout=0.1) == []


async def test_probe_host(probe_sim: ImmSimulator) -> None:
    started = time.monotonic()
    found = await probe_host(PROBE_HOSTS[1], port=UDP_PORT, timeout=5)
    assert time.monotonic() - started < 1.0
    assert found.host == PROBE_HOSTS[1]
    assert found.client_id == ID_B
    assert found.info.name == "Stage right"


async def test_probe_host_timeout(probe_sim: ImmSimulator) -> None:
    started = time.monotonic()
    with pytest.raises(ImmConnectionError) as err:
        await probe_host(NOBODY, port=UDP_PORT, timeout=0.2)
    assert 0.15 < time.monotonic() - started < 1.0
    assert NOBODY in str(err.value)
    assert "0.2 s" in str(err.value)


async def test_probe_host_down_slow_and_malformed(
    probe_sim: ImmSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.venue_av.protocol")
    probe_sim.set_fault(FaultMode.DOWN, PROBE_HOSTS[0])
    probe_sim.set_fault(FaultMode.SLOW, PROBE_HOSTS[1], delay=1.0)
    probe_sim.set_fault(FaultMode.MALFORMED, PROBE_HOSTS[2])
    for host in PROBE_HOSTS:
        with pytest.raises(ImmConnectionError):
            await probe_host(host, port=UDP_PORT, timeout=0.2)
    # The broken reply was skipped with a debug record, not raised.
    assert any(
        "Ignoring probe reply from 127.0.80.13" in record.getMessage()
        for record in caplog.records
    )

    probe_sim.set_fault(FaultMode.NONE)
    found = await probe(PROBE_HOSTS, port=UDP_PORT, timeout=2, expected=2)
    assert len(found) == 2


async def test_probe_socket_error(allow_hosts: None) -> None:
    # 192.0.2.1 (TEST-NET-1) is not an address of this machine: bind fails.
    with pytest.raises(ImmConnectionError) as err:
        await probe([NOBODY], port=UDP_PORT, timeout=0.1, bind_host="192.0.2.1")
    assert "probe socket could not be opened" in str(err.value)


async def test_probe_protocol_skips_replies_without_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.venue_av.protocol")
    protocol = _ProbeProtocol(expected=1)
    no_id = b'<response code="0" message="Success"><imm_client><name>x</name></imm_client></response>'
    error = b'<response code="2" message="Authentication error"/>'
    no_block = b'<response code="0" message="Success"/>'
    for data in (no_id, error, no_block, b"IMM", b""):
        protocol.datagram_received(data, ("127.0.80.50", UDP_PORT))
    assert protocol.found == {}
    assert not protocol.done.done()
    protocol.error_received(ConnectionRefusedError(111, "Connection refused"))
    assert "Probe socket error" in caplog.text

    good = (
        b'<response code="0" message="Success"><imm_client><id> 42 </id>'
        b"<name>N</name></imm_client></response>"
    )
    protocol.datagram_received(good, ("127.0.80.51", UDP_PORT))
    protocol.datagram_received(good, ("127.0.80.52", UDP_PORT))
    assert list(protocol.found) == ["42"]
    assert protocol.found["42"].host == "127.0.80.51"
    assert protocol.done.done()
