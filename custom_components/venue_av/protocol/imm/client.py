"""Async client of the IMM client API (XML over HTTP, port 8085)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import logging
from typing import Final

import aiohttp
from lxml import etree
from yarl import URL

from ..errors import OUTCOME_UNKNOWN_TEXT
from ..http import RequestOutcomeUnknown, read_capped, redact_params, request_once
from ..xml import MAX_XML_BYTES, parse_xml
from .errors import (
    ImmActionOutcomeUnknownError,
    ImmConnectionError,
    ImmNotFoundError,
    ImmResponseError,
)
from .models import (
    ActionResult,
    Behavior,
    ClientInfo,
    Collision,
    EventScript,
    Program,
    Schedule,
    SensorPushResult,
    SensorValue,
    check_response,
    parse_push_result,
)

_LOGGER = logging.getLogger(__name__)

DEFAULT_HTTP_PORT: Final = 8085
DEFAULT_KEY: Final = "0000"
DEFAULT_TIMEOUT: Final = 10.0
# Previews are JPEG screenshots of a 1080p program: a few hundred kB.
MAX_PREVIEW_BYTES: Final = 8 * 1024 * 1024

type Scalar = str | int | bool | None


class ImmClient:
    """One IMM signage client.

    Holds no connection of its own: requests go through the caller's session, so
    Home Assistant's shared session (and its connection pool) serves every player.
    """

    def __init__(
        self,
        host: str,
        session: aiohttp.ClientSession,
        *,
        interaction_key: str = DEFAULT_KEY,
        port: int = DEFAULT_HTTP_PORT,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Create a client for the player at ``host``."""
        self.host = host
        self.port = port
        self._session = session
        self._key = interaction_key
        self._timeout = timeout
        self._base = URL.build(scheme="http", host=host, port=port)
        self._urls: dict[tuple[str, bool], URL] = {}

    def __repr__(self) -> str:
        """Describe the client without its interaction key."""
        return f"ImmClient(host={self.host!r}, port={self.port})"

    @property
    def interaction_key(self) -> str:
        """The interaction key (deliberately not part of repr or any message)."""
        return self._key

    # -- transport ---------------------------------------------------------------

    async def _request(
        self,
        path: str,
        params: Mapping[str, Scalar] | None = None,
        *,
        with_key: bool,
        what: str,
        limit: int = MAX_XML_BYTES,
        action: bool = False,
    ) -> bytes:
        """GET ``path`` and return the body; every failure becomes an ``ImmError``.

        An ``action`` (a request with side effects) is sent exactly once; when the
        connection breaks after it went out, ``ImmActionOutcomeUnknownError`` says
        that the client may have carried it out. Error texts name the host and the
        request kind, never the URL: the URL carries the interaction key.
        """
        if params:
            query: dict[str, str] = {
                name: _wire(value)
                for name, value in params.items()
                if value is not None
            }
            if with_key:
                query["interaction_key"] = self._key
            url = self._base.with_path(path).with_query(query)
        else:
            # The documents polled every interval have fixed URLs: built once.
            url = self._fixed_url(path, with_key=with_key)
        if _LOGGER.isEnabledFor(logging.DEBUG):
            _LOGGER.debug(
                "%s: GET %s %s", self.host, path, redact_params(dict(url.query))
            )
        send = (
            request_once(self._session, "GET", url, allow_redirects=False)
            if action
            else self._session.get(url, allow_redirects=False)
        )
        try:
            async with asyncio.timeout(self._timeout), send as response:
                if response.status == 404:
                    raise ImmNotFoundError(404, "NotFound", f"{what} not found")
                if response.status != 200:
                    raise ImmResponseError(
                        f"{self.host}: {what} answered HTTP {response.status}"
                    )
                return await read_capped(
                    response, limit, what=f"{self.host}: {what}", error=ImmResponseError
                )
        except TimeoutError:
            raise ImmConnectionError(
                f"{self.host}: {what} timed out after {self._timeout:g} s"
            ) from None
        except RequestOutcomeUnknown:
            raise ImmActionOutcomeUnknownError(
                f"{self.host}: {what}: {OUTCOME_UNKNOWN_TEXT}"
            ) from None
        except aiohttp.ClientError as err:
            # aiohttp's texts may contain the URL, hence the key: keep the class name only.
            raise ImmConnectionError(
                f"{self.host}: {what} failed ({err.__class__.__name__})"
            ) from None

    def _fixed_url(self, path: str, *, with_key: bool) -> URL:
        """The URL of ``path`` without parameters (but the key), cached."""
        url = self._urls.get((path, with_key))
        if url is None:
            query = {"interaction_key": self._key} if with_key else {}
            url = self._urls[(path, with_key)] = self._base.with_path(path).with_query(
                query
            )
        return url

    async def _xml(
        self,
        path: str,
        params: Mapping[str, Scalar] | None = None,
        *,
        with_key: bool,
        what: str,
        action: bool = False,
    ) -> etree._Element:
        body = await self._request(
            path, params, with_key=with_key, what=what, action=action
        )
        return parse_xml(body, what=f"{self.host}: {what}", error=ImmResponseError)

    async def _action(self, action: str, **params: Scalar) -> ActionResult:
        """Run ``interaction/action?type=<action>``; success and "queued" are results."""
        root = await self._xml(
            "/interaction/action",
            {"type": action, **params},
            with_key=True,
            what=action,
            action=True,
        )
        code, message = check_response(root, what=action)
        return ActionResult(code=code, message=message)

    def _client_info(self, root: etree._Element, what: str) -> ClientInfo:
        check_response(root, what=what)
        element = root.find("imm_client")
        if element is None:
            raise ImmResponseError(f"{self.host}: {what} without imm_client")
        return ClientInfo.from_element(element)

    # -- queries ----------------------------------------------------------------

    async def schedule(self) -> Schedule:
        """Get the schedule with its programs, partitions, playlists and media."""
        root = await self._xml(
            "/interaction/schedule.xml", with_key=False, what="schedule"
        )
        check_response(root, what="schedule")
        element = root.find("schedule")
        if element is None:
            raise ImmResponseError(f"{self.host}: schedule response without schedule")
        return Schedule.from_element(element)

    async def program(self) -> Program:
        """Get the program playing now, with current playlists and label texts."""
        root = await self._xml(
            "/interaction/program.xml", with_key=True, what="program"
        )
        check_response(root, what="program")
        element = root.find("program")
        if element is None:
            raise ImmResponseError(f"{self.host}: program response without program")
        return Program.from_element(element)

    async def program_preview(self, program_id: int) -> bytes:
        """Get the JPEG preview of a program."""
        return await self._preview(
            f"/interaction/program/{int(program_id)}.jpg", "program preview"
        )

    async def media_preview(self, media_id: int) -> bytes:
        """Get the JPEG preview of a video or image media."""
        return await self._preview(
            f"/interaction/media/{int(media_id)}.jpg", "media preview"
        )

    async def _preview(self, path: str, what: str) -> bytes:
        body = await self._request(
            path, with_key=False, what=what, limit=MAX_PREVIEW_BYTES
        )
        if not body.startswith(b"\xff\xd8"):
            raise ImmResponseError(f"{self.host}: {what} is not a JPEG image")
        return body

    async def event_script(self) -> EventScript:
        """Get the event script (devices name the root element ``eventscrip``)."""
        root = await self._xml(
            "/interaction/eventscript.xml", with_key=False, what="event script"
        )
        if root.tag == "response":
            # An error answer (or a wrapped script) instead of the bare script.
            check_response(root, what="event script")
            wrapped = root.find("eventscrip")
            if wrapped is None:
                wrapped = root.find("eventscript")
            if wrapped is None:
                return EventScript(name="")
            root = wrapped
        if root.tag not in ("eventscrip", "eventscript"):
            raise ImmResponseError(
                f"{self.host}: event script with unexpected root element"
            )
        return EventScript.from_element(root)

    async def sensor_status(self) -> tuple[SensorValue, ...]:
        """Get the sensor output values held in the client's memory."""
        root = await self._xml(
            "/interaction/sensor.xml", with_key=True, what="sensor status"
        )
        check_response(root, what="sensor status")
        return tuple(SensorValue.from_element(item) for item in root.iterfind("sensor"))

    async def configuration(self) -> ClientInfo:
        """Get the client's configuration and status."""
        root = await self._xml(
            "/interaction/configuration.xml", with_key=True, what="configuration"
        )
        return self._client_info(root, "configuration")

    # -- commands ---------------------------------------------------------------

    async def play(self) -> ActionResult:
        """Start playing (success when already playing)."""
        return await self._action("play")

    async def stop(self) -> ActionResult:
        """Stop playing."""
        return await self._action("stop")

    async def start_schedule(self) -> ActionResult:
        """Resume the schedule (and start playing when in standby)."""
        return await self._action("start_schedule")

    async def start_program(
        self,
        program_id: int,
        *,
        behavior: Behavior | None = None,
        collision: Collision | None = None,
        queue_timeout: int | None = None,
        duration: int | None = None,
        force: bool | None = None,
    ) -> ActionResult:
        """Play ``program_id`` instead of the scheduled program (restart if playing).

        ``force`` is obsolete (``collision=force`` replaces it) but still accepted.
        """
        return await self._action(
            "start_program",
            program_id=program_id,
            behavior=behavior,
            force=force,
            collision=collision,
            queue_timeout=queue_timeout,
            duration=duration,
        )

    async def start_partition(
        self,
        program_id: int,
        partition_id: int,
        playlist_id: int,
        *,
        behavior: Behavior | None = None,
        collision: Collision | None = None,
        queue_timeout: int | None = None,
        force: bool | None = None,
    ) -> ActionResult:
        """Play ``playlist_id`` in a partition of the playing program."""
        return await self._action(
            "start_partition",
            program_id=program_id,
            partition_id=partition_id,
            playlist_id=playlist_id,
            behavior=behavior,
            force=force,
            collision=collision,
            queue_timeout=queue_timeout,
        )

    async def stop_partition(
        self,
        program_id: int,
        partition_id: int,
        *,
        collision: Collision | None = None,
        queue_timeout: int | None = None,
        force: bool | None = None,
    ) -> ActionResult:
        """Stop playing in a partition of the playing program."""
        return await self._action(
            "stop_partition",
            program_id=program_id,
            partition_id=partition_id,
            force=force,
            collision=collision,
            queue_timeout=queue_timeout,
        )

    async def set_label(
        self, program_id: int, partition_id: int, text: str
    ) -> ActionResult:
        """Set the text of a label partition."""
        return await self._action(
            "set_label", program_id=program_id, partition_id=partition_id, text=text
        )

    async def play_media(
        self,
        program_id: int,
        partition_id: int,
        media_id: int,
        *,
        behavior: Behavior | None = None,
        collision: Collision | None = None,
        queue_timeout: int | None = None,
        duration: int | None = None,
        force: bool | None = None,
    ) -> ActionResult:
        """Play one media of the schedule in a partition (duration not for video)."""
        return await self._action(
            "play_media",
            program_id=program_id,
            partition_id=partition_id,
            media_id=media_id,
            behavior=behavior,
            force=force,
            collision=collision,
            queue_timeout=queue_timeout,
            duration=duration,
        )

    async def play_web(
        self,
        program_id: int,
        partition_id: int,
        url: str,
        *,
        behavior: Behavior | None = None,
        collision: Collision | None = None,
        queue_timeout: int | None = None,
        duration: int | None = None,
        force: bool | None = None,
    ) -> ActionResult:
        """Show a web page in a partition."""
        return await self._action(
            "play_web",
            program_id=program_id,
            partition_id=partition_id,
            url=url,
            behavior=behavior,
            force=force,
            collision=collision,
            queue_timeout=queue_timeout,
            duration=duration,
        )

    async def play_stream(
        self,
        program_id: int,
        partition_id: int,
        url: str,
        *,
        behavior: Behavior | None = None,
        collision: Collision | None = None,
        queue_timeout: int | None = None,
        duration: int | None = None,
        force: bool | None = None,
    ) -> ActionResult:
        """Play a stream (e.g. rtsp://) in a partition."""
        return await self._action(
            "play_stream",
            program_id=program_id,
            partition_id=partition_id,
            url=url,
            behavior=behavior,
            force=force,
            collision=collision,
            queue_timeout=queue_timeout,
            duration=duration,
        )

    async def play_youtube(
        self,
        program_id: int,
        partition_id: int,
        url: str,
        *,
        behavior: Behavior | None = None,
        collision: Collision | None = None,
        queue_timeout: int | None = None,
        force: bool | None = None,
    ) -> ActionResult:
        """Play a YouTube video in a partition (the spec gives it no duration)."""
        return await self._action(
            "play_youtube",
            program_id=program_id,
            partition_id=partition_id,
            url=url,
            behavior=behavior,
            force=force,
            collision=collision,
            queue_timeout=queue_timeout,
        )

    async def push_sensor(self, name: str, output: str, value: str) -> SensorPushResult:
        """Push a sensor output value; an empty value removes it from memory.

        Returns the event mappings the value triggered (none: code 8).
        """
        root = await self._xml(
            "/interaction/action",
            {"type": "sensor", "name": name, "output": output, "value": value},
            with_key=True,
            what="sensor",
            action=True,
        )
        return parse_push_result(root)

    async def set_configuration(
        self,
        *,
        client_id: str | None = None,
        server_ip: str | None = None,
        server_port: int | None = None,
    ) -> ClientInfo:
        """Change id and/or server address; the client restarts to apply them."""
        root = await self._xml(
            "/interaction/action",
            {
                "type": "config",
                "id": client_id,
                "server_ip": server_ip,
                "server_port": server_port,
            },
            with_key=True,
            what="config",
            action=True,
        )
        return self._client_info(root, "config")


def _wire(value: str | int | bool) -> str:
    """Format a query value the way the spec's examples do (booleans lower case)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
