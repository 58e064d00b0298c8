"""A raw loopback HTTP/1.1 server that logs each request, then answers or drops it.

The families' "at most once" tests need a server that receives a request and then
breaks the connection without answering, on a fresh connection as well as on a
kept-alive one. aiohttp's own server cannot be told to do that per request, so this is
a plain ``asyncio`` stream server: it reads the request head (and a body announced by
``Content-Length``), appends the request line to :attr:`DropServer.requests`, and then
does what the next entry of :attr:`DropServer.plan` says:

* ``"answer"``: answer ``status`` / ``body`` with ``Connection: keep-alive`` and wait
  for the next request on the same connection;
* ``"drop"``: close the connection without a byte of answer.

With an empty plan it does :attr:`DropServer.default`. Listens on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
from typing import Literal, Self

type Step = Literal["answer", "drop"]

HOST = "127.0.0.1"


class DropServer:
    """Loopback server whose answers the test plans request by request."""

    def __init__(
        self,
        body: bytes = b"",
        *,
        content_type: str = "text/plain",
        status: int = 200,
        default: Step = "drop",
    ) -> None:
        """Answer ``body`` when answering; ``default`` once the plan is used up."""
        self.body = body
        self.content_type = content_type
        self.status = status
        self.default: Step = default
        self.plan: list[Step] = []
        # Request lines ("GET /path?query HTTP/1.1") in arrival order.
        self.requests: list[str] = []
        # Request lines per connection, in the order the connections were opened.
        self.connections: list[list[str]] = []
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def port(self) -> int:
        """The port the server listens on."""
        assert self._server is not None
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{HOST}:{self.port}"

    def paths(self) -> list[str]:
        """The request targets (path and query) received, in order."""
        return [line.split(" ")[1] for line in self.requests]

    async def __aenter__(self) -> Self:
        """Start listening on an ephemeral port."""
        self._server = await asyncio.start_server(self._serve, HOST, 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Close every connection and stop listening."""
        for writer in list(self._writers):
            writer.close()
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self._writers.add(writer)
        seen: list[str] = []
        self.connections.append(seen)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                length = 0
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if length:
                    await reader.readexactly(length)
                self.requests.append(lines[0])
                seen.append(lines[0])
                step = self.plan.pop(0) if self.plan else self.default
                if step == "drop":
                    return
                writer.write(
                    (
                        f"HTTP/1.1 {self.status} X\r\n"
                        f"Content-Type: {self.content_type}\r\n"
                        f"Content-Length: {len(self.body)}\r\n"
                        "Connection: keep-alive\r\n\r\n"
                    ).encode()
                    + self.body
                )
                await writer.drain()
        finally:
            self._writers.discard(writer)
            writer.close()
