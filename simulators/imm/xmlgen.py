"""XML documents produced by the simulated client (shapes from the spec)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache
from xml.sax.saxutils import escape

from .codes import ResultCode, message
from .model import EventScript, Partition, Schedule
from .state import SimulatedClient

XML_HEADER = '<?xml version="1.0" encoding="utf-8"?>\n'


@lru_cache(maxsize=8192)
def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _attrs(pairs: Iterable[tuple[str, object]]) -> str:
    return "".join(f' {k}="{_attr(_text(v))}"' for k, v in pairs)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def response(code: int, **extra: object) -> str:
    """``<response code message [extra attrs]/>`` document."""
    attrs = _attrs([("code", int(code)), ("message", message(code)), *extra.items()])
    return f"{XML_HEADER}<response{attrs}/>\n"


def multiple_responses(results: list[tuple[str, ResultCode]]) -> str:
    """Code 9 document with one nested response per fired event mapping."""
    code = ResultCode.MULTIPLE_RESPONSES
    lines = [f'{XML_HEADER}<response code="{int(code)}" message="{message(code)}">']
    for mapping_id, result in results:
        attrs = _attrs(
            [
                ("code", int(result)),
                ("message", message(result)),
                ("eventmapping_id", mapping_id),
            ]
        )
        lines.append(f"  <response{attrs} />")
    lines.append("</response>\n")
    return "\n".join(lines)


def _success_open() -> str:
    return f'{XML_HEADER}<response code="0" message="{message(ResultCode.SUCCESS)}">'


def imm_client(client: SimulatedClient) -> str:
    """Probe / configuration document with the ``<imm_client>`` block."""
    fields = [
        ("version", client.version),
        ("id", client.client_id),
        ("name", client.name),
        ("status", client.status),
        ("schedule", client.schedule_name),
        ("program", client.current_program_name),
        ("free_space", client.free_space),
        ("server_ip", client.server_ip),
        ("server_port", client.server_port),
        ("server_status", client.server_status),
        ("mqtt_status", client.mqtt_status),
    ]
    body = "\n".join(f"    <{k}>{escape(_text(v))}</{k}>" for k, v in fields)
    return f"{_success_open()}\n  <imm_client>\n{body}\n  </imm_client>\n</response>\n"


def _schedule_partition(
    client: SimulatedClient, program_id: int, partition: Partition
) -> list[str]:
    if partition.type == "label":
        text = client.labels.get((program_id, partition.id), partition.text)
        attrs = _attrs(
            [
                ("id", partition.id),
                ("name", partition.name),
                ("type", partition.type),
                ("text", text),
                ("position", partition.position),
            ]
        )
        return [f"    <partition{attrs}/>"]
    attrs = _attrs(
        [
            ("id", partition.id),
            ("name", partition.name),
            ("type", partition.type),
            ("major", partition.major),
            ("default_playlist_id", partition.default_playlist_id),
            ("position", partition.position),
        ]
    )
    lines = [f"    <partition{attrs}>"]
    for playlist in partition.playlists:
        lines.append(
            f"      <playlist{_attrs([('id', playlist.id), ('name', playlist.name)])}>"
        )
        for media in playlist.media:
            media_attrs = _attrs(
                [
                    ("id", media.id),
                    ("name", media.name),
                    ("type", media.type),
                    ("content", media.content),
                ]
            )
            lines.append(f"        <media{media_attrs} />")
        lines.append("      </playlist>")
    lines.append("    </partition>")
    return lines


def schedule(client: SimulatedClient, sched: Schedule) -> str:
    """``/interaction/schedule.xml`` document."""
    attrs = _attrs(
        [
            ("name", sched.name),
            ("activation_time", sched.activation_time),
            ("creation_time", sched.creation_time),
        ]
    )
    lines = [_success_open(), f"  <schedule{attrs}>"]
    for program in sched.programs:
        p_attrs = _attrs(
            [("id", program.id), ("name", program.name), ("position", program.position)]
        )
        if not program.partitions:
            lines.append(f"    <program{p_attrs}/>")
            continue
        lines.append(f"    <program{p_attrs}>")
        for partition in program.partitions:
            lines.extend(
                "  " + line
                for line in _schedule_partition(client, program.id, partition)
            )
        lines.append("    </program>")
    lines.append("  </schedule>")
    lines.append("</response>\n")
    return "\n".join(lines)


def program(client: SimulatedClient) -> str | None:
    """``/interaction/program.xml`` document; ``None`` if the program is unknown."""
    sched = client.schedule
    prog = sched.program(client.current_program_id) if sched else None
    if prog is None:
        return None
    attrs = _attrs(
        [
            ("id", prog.id),
            ("name", prog.name),
            ("is_breaking", client.is_breaking),
            ("position", prog.position),
        ]
    )
    if not prog.partitions:
        return f"{_success_open()}\n  <program{attrs}/>\n</response>\n"
    lines = [_success_open(), f"  <program{attrs}>"]
    for partition in prog.partitions:
        if partition.type == "label":
            text = client.labels.get((prog.id, partition.id), partition.text)
            pairs: list[tuple[str, object]] = [
                ("id", partition.id),
                ("name", partition.name),
                ("type", partition.type),
                ("text", text),
                ("position", partition.position),
            ]
        else:
            pairs = [
                ("id", partition.id),
                ("name", partition.name),
                ("type", partition.type),
                ("current_playlist_id", client.partition_playlists.get(partition.id)),
                ("position", partition.position),
            ]
        lines.append(f"    <partition{_attrs(pairs)}/>")
    lines.append("  </program>")
    lines.append("</response>\n")
    return "\n".join(lines)


def sensors(client: SimulatedClient) -> str:
    """``/interaction/sensor.xml`` document."""
    lines = [_success_open()]
    for (name, output), value in client.sensor_values.items():
        attrs = _attrs([("name", name), ("output", output), ("value", value)])
        lines.append(f"  <sensor{attrs}/>")
    lines.append("</response>\n")
    return "\n".join(lines)


def event_script(script: EventScript) -> str:
    """``/interaction/eventscript.xml`` document (root ``<eventscrip>``)."""
    lines = [f"{XML_HEADER}<eventscrip{_attrs([('name', script.name)])} >"]
    for mapping in script.mappings:
        pairs: list[tuple[str, object]] = [
            ("id", mapping.id),
            ("priority", mapping.priority),
            ("program_id", mapping.program_id),
        ]
        if mapping.partition_id is not None:
            pairs.append(("partition_id", mapping.partition_id))
        if mapping.playlist_id is not None:
            pairs.append(("playlist_id", mapping.playlist_id))
        pairs += [
            ("behavior", mapping.behavior),
            ("collision", mapping.collision),
            ("queue_timeout", mapping.queue_timeout),
        ]
        if mapping.duration is not None:
            pairs.append(("duration", mapping.duration))
        lines.append(f"  <eventmapping{_attrs(pairs)}>")
        event_pairs: list[tuple[str, object]] = [("name", mapping.event.name)]
        if mapping.event.logic_concat is not None:
            event_pairs.append(("logic_concat", mapping.event.logic_concat))
        lines.append(f"    <event{_attrs(event_pairs)}>")
        for cond in mapping.event.sensors:
            c_attrs = _attrs(
                [
                    ("name", cond.name),
                    ("output", cond.output),
                    ("op", cond.op),
                    ("value", cond.value),
                ]
            )
            lines.append(f"      <sensor{c_attrs} />")
        lines.append("    </event>")
        lines.append("  </eventmapping>")
    lines.append("</eventscrip>\n")
    return "\n".join(lines)


def malformed() -> str:
    """Broken XML (unterminated tag) for the MALFORMED fault."""
    return f'{XML_HEADER}<response code="0" message="Success"><imm_client><id>1122'


@cache
def oversized(size: int = 3 * 1024 * 1024) -> bytes:
    """A well-formed, valid-looking schedule document of about ``size`` bytes."""
    head = (
        f'{_success_open()}\n  <schedule name="Huge" '
        'activation_time="2024-05-01 08:00" creation_time="2024-04-30 17:12:45">\n'
    )
    parts = [head]
    total = len(head)
    index = 0
    while total < size:
        line = (
            f'    <program id="{100000 + index}" name="Filler program {index:07d}" '
            'position="0,0,1920,1080"/>\n'
        )
        parts.append(line)
        total += len(line)
        index += 1
    parts.append("  </schedule>\n</response>\n")
    return "".join(parts).encode()
