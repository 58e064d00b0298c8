"""A player's answer lost after it acted: one action on the player, an honest error.

A loopback proxy in front of the simulated Lobby player forwards every request, but
for the first action it drops the player's answer and closes the connection — as a
network that breaks just after the request went out would. The player must have
received the action exactly once (aiohttp would otherwise send the GET again), and the
user must read that the action may have been carried out.
"""

from __future__ import annotations

import asyncio

from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest

from custom_components.venue_av.const import DOMAIN
from simulators.imm import ImmSimulator

from .conftest import HTTP_PORT, LOBBY_HOST, imm_entry

PROXY_HOST = "127.0.0.1"


class AnswerDroppingProxy:
    """Forwards HTTP/1.1 requests to the player; loses the answer of the first action."""

    def __init__(self) -> None:
        self.dropped = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def port(self) -> int:
        assert self._server is not None
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def __aenter__(self) -> AnswerDroppingProxy:
        self._server = await asyncio.start_server(self._serve, PROXY_HOST, 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        for writer in list(self._writers):
            writer.close()
        self._server.close()
        await self._server.wait_closed()

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self._writers.add(writer)
        upstream_reader, upstream_writer = await asyncio.open_connection(
            LOBBY_HOST, HTTP_PORT
        )
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                upstream_writer.write(head)
                await upstream_writer.drain()
                answer_head = await upstream_reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in answer_head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                body = await upstream_reader.readexactly(length)
                if b"/interaction/action" in head.split(b"\r\n", 1)[0] and (
                    not self.dropped
                ):
                    # The player acted; its answer never reaches Home Assistant.
                    self.dropped += 1
                    return
                writer.write(answer_head + body)
                await writer.drain()
        finally:
            self._writers.discard(writer)
            upstream_writer.close()
            writer.close()


async def test_lost_answer_to_an_action(
    hass: HomeAssistant, imm_sim: ImmSimulator
) -> None:
    async with AnswerDroppingProxy() as proxy:
        entry = imm_entry()
        entry.add_to_hass(hass)
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_HOST: PROXY_HOST, CONF_PORT: proxy.port}
        )
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        imm_sim.request_log.clear()

        with pytest.raises(HomeAssistantError) as err:
            await hass.services.async_call(
                DOMAIN,
                "start_program",
                {"entity_id": "media_player.lobby", "program": "Events"},
                blocking=True,
            )

        assert err.value.translation_key == "action_outcome_unknown"
        assert "may have been carried out" in str(err.value)
        actions = [
            record
            for record in imm_sim.request_log
            if record.path == "/interaction/action"
        ]
        assert len(actions) == 1
        assert proxy.dropped == 1
        # The player did act: the next poll shows the program it was told to start.
        await entry.runtime_data.async_refresh()
        assert hass.states.get("sensor.lobby_playing_program").state == "Events"
        await hass.config_entries.async_unload(entry.entry_id)
