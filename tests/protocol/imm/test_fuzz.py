"""Property-based fuzzing of every parser path with random and mutated XML.

The seed corpus is what the simulator serves (built with its own XML generator) plus
the spec's examples; mutations drop attributes and elements, swap values, insert
random elements and tags, flip bytes, delete, duplicate and truncate. Whatever the input, only our own ``VenueAVError`` subclasses may
escape (``ImmError`` ones from the client's network paths).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import contextlib
import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, event, given, settings, strategies as st
from lxml import etree

from custom_components.venue_av.protocol.errors import VenueAVError
from custom_components.venue_av.protocol.imm import (
    ClientInfo,
    DataSize,
    EventMapping,
    EventScript,
    ImmClient,
    ImmError,
    Media,
    Partition,
    Playlist,
    Position,
    Program,
    Schedule,
    SensorCondition,
    SensorPushResult,
    SensorValue,
)
from custom_components.venue_av.protocol.imm.discovery import (
    _parse_reply,
    _ProbeProtocol,
)
from custom_components.venue_av.protocol.imm.models import (
    check_response,
    parse_push_result,
)
from custom_components.venue_av.protocol.xml import parse_xml, to_int
from simulators.imm import ClientSpec, ResultCode, SimulatedClient, xmlgen

from .conftest import RAW, RawServer

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


# -- seed corpus -----------------------------------------------------------------


def _simulator_documents() -> list[bytes]:
    """Documents exactly as the simulator serves them."""
    client = SimulatedClient(
        spec=ClientSpec(host="127.0.80.1", client_id="0011AABB8001", name="Lobby")
    )
    client.sensor_values = {("face", "age"): "23", ("face", "gender"): "male"}
    client.labels[(35, 2)] = 'Quote " & <tag>'
    assert client.schedule is not None
    assert client.event_script is not None
    documents = [
        xmlgen.schedule(client, client.schedule),
        xmlgen.program(client) or "",
        xmlgen.imm_client(client),
        xmlgen.sensors(client),
        xmlgen.event_script(client.event_script),
        xmlgen.response(ResultCode.SUCCESS),
        xmlgen.response(ResultCode.ACTION_QUEUED, eventmapping_id="328"),
        xmlgen.response(ResultCode.NOTHING_HAPPENED),
        xmlgen.response(ResultCode.PROGRAM_NOT_MATCHED, eventmapping_id="14"),
        xmlgen.response(ResultCode.AUTHENTICATION_ERROR),
        xmlgen.multiple_responses(
            [("333", ResultCode.SUCCESS), ("328", ResultCode.ACTION_QUEUED)]
        ),
        xmlgen.malformed(),
    ]
    client.current_program_id = 13
    documents.append(xmlgen.program(client) or "")
    return [document.encode() for document in documents]


SPEC_EXAMPLES = [
    b"""<?xml version="1.0" encoding="utf-8"?>
<response code="0" message="Success">
  <program id="35" name="Program" is_breaking="false" position="0,0,1920,1080">
    <partition id="1" name="interaction_1" type="interaction" current_playlist_id="2"
position="0,0,500,600"/>
    <partition id="2" name="Text block" type="label" text="TEXT" position="0,800,60,200"/>
  </program>
</response>""",
    b"""<?xml version="1.0" encoding="utf-8"?>
<response code="0" message="Success">
  <imm_client>
    <version>WebAccess/IMM Client 1.7.2</version>
    <id>112233445566</id>
    <name>Demo Client</name>
    <status>playing</status>
    <schedule>201708101346 Program</schedule>
    <program> Program </program>
    <free_space>1.17 TB</free_space>
    <server_ip>127.0.0.1</server_ip>
    <server_port>80</server_port>
    <server_status>ready</server_status>
    <mqtt_status>connected</mqtt_status>
  </imm_client>
</response>""",
]

CORPUS = _simulator_documents() + SPEC_EXAMPLES

TAGS = [
    "response",
    "imm_client",
    "schedule",
    "program",
    "partition",
    "playlist",
    "media",
    "eventscrip",
    "eventscript",
    "eventmapping",
    "event",
    "sensor",
    "id",
    "name",
    "version",
    "status",
    "free_space",
    "server_port",
    "server_status",
    "mqtt_status",
    "x",
]
ATTRIBUTES = [
    "code",
    "message",
    "id",
    "name",
    "type",
    "position",
    "major",
    "text",
    "default_playlist_id",
    "current_playlist_id",
    "is_breaking",
    "eventmapping_id",
    "priority",
    "program_id",
    "partition_id",
    "playlist_id",
    "behavior",
    "collision",
    "queue_timeout",
    "logic_concat",
    "op",
    "value",
    "output",
    "content",
]
TRICKY = [
    "",
    " ",
    "0",
    "7",
    "8",
    "9",
    "-1",
    " 35 ",
    "35.0",
    "3.5",
    "true",
    "FALSE",
    "0,0,1,1",
    "1,2,x,4",
    "94.38 GB",
    "1e999",
    "nan",
    "-0",
    "٣",
    "9" * 40,
    "&amp;",
    "]]>",
]
# Characters XML can carry, so that documents stay well-formed and reach the models
# (invalid characters come from byte flips and random binaries).
XML_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=12)
VALUES = st.one_of(st.sampled_from(TRICKY), st.integers().map(str), XML_TEXT)
ATTRS = st.dictionaries(st.sampled_from(ATTRIBUTES), VALUES, max_size=3)


# -- strategies --------------------------------------------------------------------


def _render(attrs: dict[str, str]) -> str:
    return "".join(f" {name}={quoteattr(value)}" for name, value in attrs.items())


@st.composite
def random_tag(draw: st.DrawFn) -> bytes:
    """An opening, closing, empty or complete element with random attributes."""
    tag = draw(
        st.one_of(
            st.sampled_from(TAGS),
            st.from_regex(r"[A-Za-z_][\w.-]{0,6}", fullmatch=True),
        )
    )
    attrs = _render(draw(ATTRS))
    text = draw(
        st.sampled_from(
            [
                f"<{tag}{attrs}>",
                f"</{tag}>",
                f"<{tag}{attrs}/>",
                f"<{tag}{attrs}>{{}}</{tag}>",
            ]
        )
    )
    if "{}" in text:
        text = text.replace("{}", escape(draw(VALUES)))
    return text.encode("utf-8", "surrogatepass")


def _element(tag: str, attrs: dict[str, str], text: str, children: list[str]) -> str:
    return f"<{tag}{_render(attrs)}>{escape(text)}{''.join(children)}</{tag}>"


TREES = st.recursive(
    st.builds(_element, st.sampled_from(TAGS), ATTRS, VALUES, st.just([])),
    lambda children: st.builds(
        _element,
        st.sampled_from(TAGS),
        ATTRS,
        VALUES,
        st.lists(children, max_size=3),
    ),
    max_leaves=10,
)
CODES = st.one_of(
    st.sampled_from(["0", "7", "8", "9", " 9 ", "2", "1002", "4242"]), VALUES
)


def _document(declaration: bool, code: str | None, tree: str) -> bytes:
    """A random tree, half of the time inside a ``<response code=...>``."""
    if code is not None:
        tree = f"<response code={quoteattr(code)}>{tree}</response>"
    head = '<?xml version="1.0" encoding="utf-8"?>\n' if declaration else ""
    return (head + tree).encode("utf-8", "surrogatepass")


RANDOM_XML = st.builds(_document, st.booleans(), st.none() | CODES, TREES)

_ATTRIBUTE = re.compile(rb'\s[\w:.-]+\s*=\s*"[^"]*"')
_VALUE = re.compile(rb'"[^"]*"|>[^<]*<')
_TAG_END = re.compile(rb">")
# An empty element or a simple element without children.
_ELEMENT = re.compile(rb"<(\w+)[^<>]*/>|<(\w+)[^<>]*>[^<]*</\2>")
# Mutations and their weights: the first four keep a document well-formed (mostly),
# so that the model parsers see many odd but parseable documents.
MUTATIONS = {
    "drop_attr": 3,
    "swap_value": 4,
    "insert_element": 3,
    "drop_element": 2,
    "flip": 1,
    "truncate": 1,
    "insert_tag": 1,
    "delete": 1,
    "duplicate": 1,
}


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real response with 1-4 mutations.

    Positions and kinds come from a Hypothesis-seeded ``Random`` (cheap to draw and
    still reproducible); inserted values and tags are drawn as strategies.
    """
    rng = draw(st.randoms(use_true_random=False))
    data = bytearray(rng.choice(CORPUS))
    for _ in range(rng.randint(1, 4)):
        size = len(data)
        index = rng.randrange(size) if size else 0
        # The structure-preserving mutations work inside the root element only
        # (not on the XML declaration, not after the end of the root).
        body = data.find(b"?>") + 2 if data.startswith(b"<?xml") else 0
        tail = len(data.rstrip())
        match rng.choices(list(MUTATIONS), weights=list(MUTATIONS.values()))[0]:
            case "flip" if size:
                data[index] ^= 1 << rng.randrange(8)
            case "truncate":
                del data[index:]
            case "drop_attr":
                spans = [m.span() for m in _ATTRIBUTE.finditer(data, body)]
                if spans:
                    start, end = rng.choice(spans)
                    del data[start:end]
            case "swap_value":
                spans = [m.span() for m in _VALUE.finditer(data, body)]
                if spans:
                    start, end = rng.choice(spans)
                    opening, closing = data[start : start + 1], data[end - 1 : end]
                    value = draw(VALUES)
                    payload = escape(value, {'"': "&quot;"})
                    data[start:end] = (
                        opening + payload.encode("utf-8", "surrogatepass") + closing
                    )
            case "insert_tag":
                data[index:index] = draw(random_tag())
            case "insert_element":
                ends = [
                    m.end() for m in _TAG_END.finditer(data, body) if m.end() < tail
                ]
                if ends:
                    position = rng.choice(ends)
                    data[position:position] = draw(
                        st.builds(_document, st.just(False), st.none(), TREES)
                    )
            case "drop_element":
                elements = [m.span() for m in _ELEMENT.finditer(data, body)]
                if elements:
                    start, end = rng.choice(elements)
                    del data[start:end]
            case "delete":
                del data[index : index + rng.randint(1, 64)]
            case "duplicate":
                data[index:index] = data[index : index + rng.randint(1, 256)]
            case _:
                pass
    return bytes(data)


DOCUMENTS = st.one_of(
    mutated(),
    mutated(),
    mutated(),
    RANDOM_XML,
    st.binary(max_size=256),
    st.sampled_from(CORPUS),
)

MODELS: list[Callable[[Any], object]] = [
    ClientInfo.from_element,
    Schedule.from_element,
    Program.from_element,
    Partition.from_element,
    Playlist.from_element,
    Media.from_element,
    EventScript.from_element,
    EventMapping.from_element,
    SensorCondition.from_element,
    SensorValue.from_element,
]


def _ours(call: Callable[..., object], *args: object, **kwargs: object) -> object:
    """Run ``call``; our own errors are fine, anything else fails the test."""
    try:
        return call(*args, **kwargs)
    except VenueAVError:
        return None


def _touch(model: object) -> None:
    """Use the derived properties of a parsed model."""
    match model:
        case ClientInfo():
            _ = (model.model, model.firmware)
        case Media():
            _ = model.has_preview
        case Schedule():
            for program in model.programs:
                model.program(program.program_id or 0)
        case Program():
            model.partition(1)
        case Partition():
            model.playlist(1)
        case EventScript():
            model.mapping(1)
        case EventMapping():
            _ = model.starts_partition


# -- properties --------------------------------------------------------------------


@FUZZ
@given(st.lists(DOCUMENTS, min_size=1, max_size=2))
async def test_fuzz_parsers(documents: list[bytes]) -> None:
    """Every parser path on each document: only ``VenueAVError`` may escape."""
    probe_protocol = _ProbeProtocol(expected=None)
    for index, data in enumerate(documents):
        root = _ours(parse_xml, data, what="fuzz")
        event("well-formed" if root is not None else "refused by parse_xml")
        if root is not None:
            assert isinstance(root, etree._Element)
            checked = _ours(check_response, root, what="fuzz")
            event("check_response passed" if checked else "check_response raised")
            result = _ours(parse_push_result, root)
            if isinstance(result, SensorPushResult):
                for item in result.triggered:
                    _ = (item.name, item.succeeded, item.queued)
            for element in root.iter():
                for from_element in MODELS:
                    _touch(_ours(from_element, element))
        # The probe-reply path: the parser and the datagram handler (never raises).
        _ours(_parse_reply, data, "127.0.80.1")
        probe_protocol.datagram_received(data, (f"127.0.80.{index + 1}", 18183))
    for found in probe_protocol.found.values():
        assert found.client_id
    probe_protocol.done.cancel()


@FUZZ
@given(st.one_of(st.text(max_size=40), st.sampled_from(TRICKY)))
def test_fuzz_text_parsers(text: str) -> None:
    Position.parse(text)
    DataSize.parse(text)
    to_int(text)


@FUZZ
@given(data=DOCUMENTS, call=st.integers(min_value=0, max_value=7))
async def test_fuzz_client_over_the_wire(
    raw_server: RawServer, session: Any, data: bytes, call: int
) -> None:
    """The event-script path and one other client path per document, over HTTP.

    The client's own paths may raise ``ImmError`` only (not the shared base classes).
    """
    raw_server.serve(data)
    client = ImmClient(RAW, session, port=18185, timeout=3)
    calls: list[Callable[[], Awaitable[object]]] = [
        client.schedule,
        client.program,
        client.configuration,
        client.sensor_status,
        client.play,
        lambda: client.push_sensor("face", "age", "1"),
        lambda: client.set_configuration(server_port=1),
        lambda: client.program_preview(1),
    ]
    try:
        script = await client.event_script()
    except ImmError:
        pass
    else:
        for mapping in script.mappings:
            _touch(mapping)
    with contextlib.suppress(ImmError):
        await calls[call]()
