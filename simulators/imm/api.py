"""HTTP-agnostic request handling of the IMM client API (port 8085)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import math
import re

from . import xmlgen
from .codes import ResultCode
from .model import PREVIEW_MEDIA_TYPES
from .previews import media_preview, program_preview
from .state import (
    DEFAULT_DURATION,
    DEFAULT_QUEUE_TIMEOUT,
    PLAYBACK_KINDS,
    Command,
    SimulatedClient,
)

XML_CONTENT_TYPE = "text/xml; charset=utf-8"
JPEG_CONTENT_TYPE = "image/jpeg"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"

_PREVIEW_RE = re.compile(r"^/interaction/(program|media)/([^/]+)\.jpg$")


@dataclass(slots=True)
class ApiResponse:
    """What to send back; ``code`` is the XML response code, if any."""

    status: int
    body: bytes
    content_type: str = XML_CONTENT_TYPE
    code: int | None = None


def _xml(document: str, code: int | None) -> ApiResponse:
    return ApiResponse(200, document.encode(), XML_CONTENT_TYPE, code)


def _result(code: int, **extra: object) -> ApiResponse:
    return _xml(xmlgen.response(code, **extra), int(code))


def not_found() -> ApiResponse:
    """Plain 404."""
    return ApiResponse(404, b"Not Found", TEXT_CONTENT_TYPE, None)


def handle(
    client: SimulatedClient, path: str, params: Mapping[str, str]
) -> ApiResponse:
    """Answer one GET request for ``client``."""
    match path:
        case "/interaction/schedule.xml":
            if client.schedule is None:
                return _result(ResultCode.SCHEDULE_NOT_FOUND)
            return _xml(xmlgen.schedule(client, client.schedule), 0)
        case "/interaction/eventscript.xml":
            if client.event_script is None:
                return _result(ResultCode.FAILURE)
            return _xml(xmlgen.event_script(client.event_script), None)
        case "/interaction/program.xml":
            if (
                denied := client.check_access(params.get("interaction_key"))
            ) is not None:
                return _result(denied)
            if client.status != "playing":
                return _result(ResultCode.CLIENT_NOT_PLAY_STATE)
            document = xmlgen.program(client)
            if document is None:
                return _result(ResultCode.PROGRAM_NOT_FOUND)
            return _xml(document, 0)
        case "/interaction/sensor.xml":
            if (
                denied := client.check_access(params.get("interaction_key"))
            ) is not None:
                return _result(denied)
            return _xml(xmlgen.sensors(client), 0)
        case "/interaction/configuration.xml":
            if (
                denied := client.check_access(params.get("interaction_key"))
            ) is not None:
                return _result(denied)
            return _xml(xmlgen.imm_client(client), 0)
        case "/interaction/action":
            return _action(client, params)
    if (match := _PREVIEW_RE.match(path)) is not None:
        return _preview(client, match.group(1), match.group(2))
    return not_found()


def _preview(client: SimulatedClient, kind: str, raw_id: str) -> ApiResponse:
    if client.schedule is None or not raw_id.isdigit():
        return not_found()
    item_id = int(raw_id)
    if kind == "program":
        program = client.schedule.program(item_id)
        if program is None:
            return not_found()
        return ApiResponse(200, program_preview(program), JPEG_CONTENT_TYPE)
    media = client.schedule.media(item_id)
    if media is None or media.type not in PREVIEW_MEDIA_TYPES:
        return not_found()
    return ApiResponse(200, media_preview(item_id, media.name), JPEG_CONTENT_TYPE)


def _id(params: Mapping[str, str], name: str) -> int | None:
    """Numeric id parameter: ``None`` if missing/empty, ``-1`` if not a number."""
    raw = params.get(name, "").strip()
    if not raw:
        return None
    return int(raw) if raw.isdigit() else -1


def _seconds(params: Mapping[str, str], name: str, default: float) -> float | None:
    """Non-negative seconds parameter; ``None`` when invalid."""
    raw = params.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _action(client: SimulatedClient, params: Mapping[str, str]) -> ApiResponse:
    if (denied := client.check_access(params.get("interaction_key"))) is not None:
        return _result(denied)
    kind = params.get("type", "")
    if not kind:
        return _result(ResultCode.PARAMETER_NO_ACTION_TYPE)
    match kind:
        case "play":
            return _result(client.play())
        case "stop":
            return _result(client.stop())
        case "start_schedule":
            return _result(client.start_schedule())
        case "set_label":
            return _result(
                client.set_label(
                    _id(params, "program_id"),
                    _id(params, "partition_id"),
                    params.get("text"),
                )
            )
        case "sensor":
            return _sensor(client, params)
        case "config":
            return _config(client, params)
    if kind not in PLAYBACK_KINDS:
        return _result(ResultCode.ACTION_TYPE_NOT_FOUND)
    queue_timeout = _seconds(params, "queue_timeout", DEFAULT_QUEUE_TIMEOUT)
    duration = _seconds(params, "duration", DEFAULT_DURATION)
    if queue_timeout is None or duration is None:
        return _result(ResultCode.FAILURE)
    collision = params.get("collision") or None
    if collision is None:
        force = params.get("force", "").lower() == "true"
        collision = "force" if force else "ignore"
    command = Command(
        kind=kind,
        program_id=_id(params, "program_id"),
        partition_id=_id(params, "partition_id"),
        playlist_id=_id(params, "playlist_id"),
        media_id=_id(params, "media_id"),
        url=params.get("url"),
        behavior=params.get("behavior") or "repeat",
        collision=collision,
        queue_timeout=queue_timeout,
        duration=duration,
    )
    return _result(client.submit(command))


def _sensor(client: SimulatedClient, params: Mapping[str, str]) -> ApiResponse:
    name = params.get("name", "")
    output = params.get("output", "")
    if not name or not output:
        return _result(ResultCode.FAILURE)
    results = client.push_sensor(name, output, params.get("value", ""))
    if not results:
        return _result(ResultCode.NOTHING_HAPPENED)
    if len(results) == 1:
        mapping_id, code = results[0]
        return _result(code, eventmapping_id=mapping_id)
    return _xml(xmlgen.multiple_responses(results), int(ResultCode.MULTIPLE_RESPONSES))


def _config(client: SimulatedClient, params: Mapping[str, str]) -> ApiResponse:
    raw_port = params.get("server_port", "").strip()
    port: int | None = None
    if raw_port:
        if not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
            return _result(ResultCode.FAILURE)
        port = int(raw_port)
    code = client.configure(
        params.get("id", "").strip() or None,
        params.get("server_ip", "").strip() or None,
        port,
    )
    if code != ResultCode.SUCCESS:
        return _result(code)
    return _xml(xmlgen.imm_client(client), 0)
