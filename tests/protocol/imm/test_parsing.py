"""Tolerant model parsers on hand-written XML, and the hardened XML parser."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from custom_components.venue_av.protocol.errors import DeviceResponseError
from custom_components.venue_av.protocol.imm import (
    ActionResult,
    ClientInfo,
    ClientStatus,
    DataSize,
    EventMapping,
    EventMappingResult,
    EventScript,
    ImmClient,
    ImmDeviceError,
    ImmResponseError,
    Media,
    MediaType,
    MqttStatus,
    Partition,
    PartitionType,
    Playlist,
    Position,
    Program,
    Schedule,
    SensorCondition,
    SensorPushResult,
    SensorValue,
    ServerStatus,
)
from custom_components.venue_av.protocol.imm.models import parse_push_result
from custom_components.venue_av.protocol.xml import (
    MAX_XML_BYTES,
    attr,
    int_attr,
    parse_xml,
    text_of,
    to_bool,
    to_int,
)

from .conftest import RAW, RawServer


def _element(document: str):
    return parse_xml(document.encode(), what="test")


# -- tolerance -----------------------------------------------------------------


def test_client_info_padded_text_and_missing_fields() -> None:
    info = ClientInfo.from_element(
        _element(
            """<imm_client>
                 <version>  WebAccess/IMM Client 1.7.2 </version>
                 <id>
                   112233445566
                 </id>
                 <name> Demo Client </name>
                 <status> PLAYING </status>
                 <schedule>201708101346 Program</schedule>
                 <program> Program </program>
                 <free_space> 1,5 tb </free_space>
                 <server_port> 80 </server_port>
                 <server_status>Ready</server_status>
                 <mqtt_status>reconnecting</mqtt_status>
               </imm_client>"""
        )
    )
    assert info.client_id == "112233445566"
    assert info.name == "Demo Client"
    assert info.model == "WebAccess/IMM Client"
    assert info.firmware == "1.7.2"
    assert info.status is ClientStatus.PLAYING
    assert info.program == "Program"
    assert info.free_space == DataSize(value=1.5, unit="TB")
    assert info.server_ip == ""  # missing
    assert info.server_port == 80
    assert info.server_status is ServerStatus.READY
    assert info.mqtt_status is MqttStatus.UNKNOWN  # a value from a newer firmware


def test_client_info_empty_block() -> None:
    info = ClientInfo.from_element(_element("<imm_client/>"))
    assert info.client_id == ""
    assert info.version == ""
    assert info.model == ""
    assert info.firmware == ""
    assert info.status is ClientStatus.UNKNOWN
    assert info.free_space is None
    assert info.server_port is None
    assert info.server_status is ServerStatus.UNKNOWN


@pytest.mark.parametrize(
    ("version", "model", "firmware"),
    [
        ("WISE-PaaS/SignageCMS Client 1.8.4", "WISE-PaaS/SignageCMS Client", "1.8.4"),
        ("1.9.0", "1.9.0", "1.9.0"),
    ],
)
def test_client_info_version_split(version: str, model: str, firmware: str) -> None:
    info = ClientInfo.from_element(
        _element(f"<imm_client><version>{version}</version></imm_client>")
    )
    assert info.model == model
    assert info.firmware == firmware


def test_schedule_numbers_as_text_and_missing_attributes() -> None:
    schedule = Schedule.from_element(
        _element(
            """<schedule name=" Program ">
                 <program id=" 13 " name="PDF"/>
                 <program id="35.0" position=" 0 , 0 , 1920 , 1080 ">
                   <partition id="1" type=" Interaction " major="TRUE"
                              default_playlist_id="2.0" position="0,0,500">
                     <playlist id="x1" name=" Playlist_1 ">
                       <media id="403" name="CF0.mp4" type="VIDEO" content=" 00000403.mp4 "/>
                       <media id="" name="" type="web" content="http://www.google.com/"/>
                       <media type="hologram"/>
                       <media/>
                     </playlist>
                     <playlist/>
                   </partition>
                   <partition id="2" name="TEX BLOCK" type="label" text=" TEXT "
                              major="no" position="a,b,c,d"/>
                   <partition/>
                 </program>
                 <program id="3.5" name="Fraction"/>
               </schedule>"""
        )
    )
    assert schedule.name == "Program"
    assert schedule.activation_time == ""
    assert schedule.creation_time == ""
    pdf, program, fraction = schedule.programs
    assert pdf.program_id == 13
    assert pdf.position is None
    assert program.program_id == 35
    assert program.name == ""
    assert program.position == Position(x=0, y=0, width=1920, height=1080)
    assert fraction.program_id is None  # not a whole number
    interaction, label, empty = program.partitions
    assert interaction.type is PartitionType.INTERACTION
    assert interaction.major is True
    assert interaction.default_playlist_id == 2
    assert interaction.position is None  # three numbers only
    first, bare = interaction.playlists
    assert first.playlist_id is None
    assert first.name == "Playlist_1"
    assert first.media[0] == Media(
        media_id=403, name="CF0.mp4", type=MediaType.VIDEO, content="00000403.mp4"
    )
    assert first.media[1].media_id is None
    assert first.media[1].has_preview is False
    assert first.media[2].type is MediaType.UNKNOWN
    assert first.media[3] == Media(
        media_id=None, name="", type=MediaType.UNKNOWN, content=""
    )
    assert bare == Playlist(playlist_id=None, name="")
    assert label.text == " TEXT "  # label text kept as shown
    assert label.major is False
    assert label.position is None
    assert empty == Partition(partition_id=None, name="", type=PartitionType.UNKNOWN)


def test_program_is_breaking() -> None:
    assert Program.from_element(_element('<program is_breaking="true"/>')).is_breaking
    assert (
        Program.from_element(_element('<program is_breaking=" False "/>')).is_breaking
        is False
    )
    assert Program.from_element(_element("<program/>")).is_breaking is None
    partition = Partition.from_element(
        _element('<partition id="1" current_playlist_id=" 3 "/>')
    )
    assert partition.current_playlist_id == 3


def test_event_script_tolerance() -> None:
    script = EventScript.from_element(
        _element(
            """<eventscrip>
                 <eventmapping id=" 11 " priority="3.0" program_id="16"
                               queue_timeout="ten" behavior=" repeat ">
                   <event name=" Young Man " logic_concat=" OR ">
                     <sensor name="face" output="gender" op=" EQ " value=" male "/>
                     <sensor/>
                   </event>
                 </eventmapping>
                 <eventmapping id="12"><event logic_concat=""/></eventmapping>
                 <eventmapping/>
               </eventscrip>"""
        )
    )
    assert script.name == ""
    first, second, bare = script.mappings
    assert first.mapping_id == 11
    assert first.priority == 3
    assert first.queue_timeout is None
    assert first.behavior == "repeat"
    assert first.event_name == "Young Man"
    assert first.logic_concat == "or"
    assert first.conditions == (
        SensorCondition(sensor="face", output="gender", op="eq", value=" male "),
        SensorCondition(sensor="", output="", op="", value=""),
    )
    assert second.logic_concat == "and"
    assert second.conditions == ()
    assert bare == EventMapping(
        mapping_id=None,
        priority=None,
        event_name="",
        logic_concat="and",
        conditions=(),
        program_id=None,
    )
    assert bare.starts_partition is False


def test_sensor_value() -> None:
    assert SensorValue.from_element(
        _element('<sensor name=" face " output="age" value=" 23"/>')
    ) == SensorValue(sensor="face", output="age", value=" 23")
    assert SensorValue.from_element(_element("<sensor/>")) == SensorValue(
        sensor="", output="", value=""
    )


DATA_SIZES: dict[str, DataSize | None] = {
    "94.38 GB": DataSize(value=94.38, unit="GB"),
    " 1.17TB ": DataSize(value=1.17, unit="TB"),
    "94,38 gb": DataSize(value=94.38, unit="GB"),
    "512": DataSize(value=512.0, unit="B"),
    "": None,
    "lots": None,
    "1.2.3 GB": None,
    "-5 GB": None,
}
POSITIONS: dict[str | None, Position | None] = {
    "0,800,60,200": Position(x=0, y=800, width=60, height=200),
    " 1 , 2 , 3 , 4 ": Position(x=1, y=2, width=3, height=4),
    "1.0,2,3,4": Position(x=1, y=2, width=3, height=4),
    None: None,
    "": None,
    "1,2,3": None,
    "1,2,3,4,5": None,
    "1,2,x,4": None,
    "1,2,3.5,4": None,
}
INTEGERS: dict[str | None, int | None] = {
    None: None,
    "": None,
    "  ": None,
    " 42 ": 42,
    "-3": -3,
    "42.0": 42,
    "4.2e1": 42,
    "4.5": None,
    "nan": None,
    "inf": None,
    "forty": None,
}
BOOLEANS: dict[str | None, bool] = {
    "true": True,
    " TRUE ": True,
    "1": True,
    "yes": True,
    "on": True,
    "false": False,
    "0": False,
    "": False,
    None: False,
    "maybe": False,
}


def test_data_size() -> None:
    assert {text: DataSize.parse(text) for text in DATA_SIZES} == DATA_SIZES


def test_position() -> None:
    assert {value: Position.parse(value) for value in POSITIONS} == POSITIONS


def test_to_int() -> None:
    assert {value: to_int(value) for value in INTEGERS} == INTEGERS


def test_to_bool() -> None:
    assert {value: to_bool(value) for value in BOOLEANS} == BOOLEANS


def test_xml_helpers() -> None:
    element = _element('<a x=" 1 " y="">  t  <b/></a>')
    assert text_of(element) == "t"
    assert text_of(element.find("b")) == ""
    assert text_of(None) == ""
    assert attr(element, "x") == "1"
    assert attr(element, "y", "d") == ""
    assert attr(element, "z", "d") == "d"
    assert int_attr(element, "x") == 1
    assert int_attr(element, "y") is None
    assert int_attr(element, "z") is None


def test_fallback_enums() -> None:
    assert ClientStatus.parse(" Standby ") is ClientStatus.STANDBY
    assert ClientStatus.parse(None) is ClientStatus.UNKNOWN
    assert ClientStatus.parse("sleeping") is ClientStatus.UNKNOWN
    assert ServerStatus.parse("UnrecognizedClient") is ServerStatus.UNRECOGNIZED_CLIENT
    assert ServerStatus.parse("unauthorized") is ServerStatus.UNAUTHORIZED
    assert MqttStatus.parse("disconnected") is MqttStatus.DISCONNECTED
    assert MediaType.parse("HTML") is MediaType.HTML
    assert PartitionType.parse("label ") is PartitionType.LABEL


def test_model_lookups_and_flags() -> None:
    assert ActionResult(code=7, message="").queued is True
    assert ActionResult(code=0, message="").queued is False
    failed = EventMappingResult(mapping_id=1, code=6, message="")
    assert failed.name == "LastPlaybackNotFinished"
    assert failed.succeeded is False
    assert failed.queued is False
    assert SensorPushResult().nothing_happened is True


# -- sensor push answers -------------------------------------------------------


def test_push_result_single_with_mapping() -> None:
    result = parse_push_result(
        _element(
            '<response code=" 7 " message=" Action has been queued " eventmapping_id=" 328 "/>'
        )
    )
    assert result.triggered == (
        EventMappingResult(mapping_id=328, code=7, message="Action has been queued"),
    )
    # A failed mapping is a result, not an error of the push.
    failed = parse_push_result(
        _element('<response code="6" message="busy" eventmapping_id="11"/>')
    )
    assert failed.triggered[0].code == 6


def test_push_result_multiple() -> None:
    result = parse_push_result(
        _element(
            """<response code="9" message="Multiple responses exist">
                 <response code="0" message="Success" eventmapping_id="333" />
                 <response code="7" message="Action has been queued" eventmapping_id="328" />
                 <response code="2002" eventmapping_id="x"/>
               </response>"""
        )
    )
    assert [(t.mapping_id, t.code, t.message) for t in result.triggered] == [
        (333, 0, "Success"),
        (328, 7, "Action has been queued"),
        (None, 2002, ""),
    ]


def test_push_result_nothing_and_plain_success() -> None:
    assert parse_push_result(_element('<response code="8" message="x"/>')) == (
        SensorPushResult()
    )
    # Stored, but no mapping named: nothing triggered.
    assert parse_push_result(_element('<response code="0"/>')).nothing_happened
    assert parse_push_result(_element('<response code="9"/>')).nothing_happened


def test_push_result_errors() -> None:
    for document, error in (
        ('<response code="9"><response message="x"/></response>', ImmResponseError),
        ('<response code="9"><response code="y"/></response>', ImmResponseError),
        ("<response/>", ImmResponseError),
        ('<sensor code="0"/>', ImmResponseError),
        ('<response code="5" message="Interaction disabled"/>', ImmDeviceError),
        ('<response code="77"/>', ImmDeviceError),
    ):
        with pytest.raises(error):
            parse_push_result(_element(document))


# -- event script answers over the wire ------------------------------------------


SCRIPT = '<eventscrip name="S"><eventmapping id="1" program_id="2"/></eventscrip>'


async def test_event_script_shapes(
    raw_server: RawServer, make_client: Callable[..., ImmClient]
) -> None:
    client = make_client(RAW)
    shapes = {
        SCRIPT: ("S", 1),
        '<eventscript name=" Fixed spelling "/>': ("Fixed spelling", 0),
        f'<response code="0" message="Success">{SCRIPT}</response>': ("S", 1),
        (
            '<response code="0"><eventscript name="T">'
            "<eventmapping/></eventscript></response>"
        ): ("T", 1),
        '<response code="0" message="Success"/>': ("", 0),
    }
    outcome = {}
    for document in shapes:
        raw_server.serve(document)
        script = await client.event_script()
        outcome[document] = (script.name, len(script.mappings))
    assert outcome == shapes
    assert set(raw_server.requests) == {"/interaction/eventscript.xml"}


async def test_event_script_errors(
    raw_server: RawServer, make_client: Callable[..., ImmClient]
) -> None:
    client = make_client(RAW)
    for document, error in (
        ("<schedule/>", ImmResponseError),
        ('<response code="1001" message="Schedule not found"/>', ImmDeviceError),
        ("<response/>", ImmResponseError),
    ):
        raw_server.serve(document)
        with pytest.raises(error):
            await client.event_script()


# -- hardened parser -------------------------------------------------------------


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<response code="0" message="&lol4;"/>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<response code="0" message="&xxe;"><imm_client><id>&xxe;</id></imm_client></response>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE response SYSTEM "http://127.0.80.250:18185/evil.dtd">
<response code="0" message="Success"/>"""
PLAIN_DOCTYPE = b'<!DOCTYPE response><response code="0"/>'


def test_doctype_refused() -> None:
    for document in (BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, PLAIN_DOCTYPE):
        with pytest.raises(DeviceResponseError) as err:
            parse_xml(document, what="test")
        assert "DOCTYPE" in str(err.value) or "malformed" in str(err.value)
        assert "root:" not in str(err.value)  # no /etc/passwd content leaked


async def test_doctype_refused_over_the_wire(
    raw_server: RawServer, make_client: Callable[..., ImmClient]
) -> None:
    for document in (BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD):
        raw_server.serve(document)
        with pytest.raises(ImmResponseError):
            await make_client(RAW).configuration()
    # The external DTD was never fetched: only the configuration requests came in.
    assert (
        raw_server.requests
        == ["/interaction/configuration.xml?interaction_key=0000"] * 3
    )


def test_size_cap() -> None:
    filler = b" " * (MAX_XML_BYTES - 40)
    document = b'<response code="0"/>' + filler
    assert len(document) <= MAX_XML_BYTES
    assert parse_xml(document, what="test").get("code") == "0"
    with pytest.raises(DeviceResponseError, match="exceeds the cap"):
        parse_xml(document + b" " * 100, what="test")


def test_malformed_documents() -> None:
    for document in (
        b"",
        b"   \n\t",
        b"<response",
        b"not xml",
        b"<a></b>",
        b"\xff\xfe<\x00",
        b"<?xml?>",
    ):
        with pytest.raises(DeviceResponseError):
            parse_xml(document, what="test")


def test_comments_and_processing_instructions_are_dropped() -> None:
    root = parse_xml(
        b'<?xml version="1.0"?><!-- c --><response code="0"><?pi x?><!-- d -->'
        b"<imm_client><id>1<!-- e -->2</id></imm_client></response>",
        what="test",
    )
    assert [child.tag for child in root] == ["imm_client"]
    assert ClientInfo.from_element(root[0]).client_id == "12"
