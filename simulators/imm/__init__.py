"""Simulator of Advantech WebAccess/IMM / SignageCMS signage clients.

Written from ``shared/specs/imm-client-api.txt`` only (no import from the
integration).  Each simulated client binds HTTP (8085) and the UDP probe port
(8083) on its own 127.x address; nothing is ever bound outside 127.0.0.0/8.

Default content (see ``model.py``): schedule "Venue Day" with program 13 "PDF"
(no partitions), program 35 "Program" (interaction partition 1, major,
default playlist 2, playlists 1 and 2 with media 403/442/422/web and
225/452/423/web; label partition 2 "TEXT") and program 54 "Events"
(interaction partition 1, default playlist 1, playlists 1/2/3 with media
501-506; label partition 2 "Welcome"; non-major interaction partition 3 with
playlist 4, media 507/508).  The scheduled program is 35.  Event script
mappings 11..15 (11/12 face -> programs 13/35, 13/14 rfid 001/002 -> program
54 partition 1 playlists 2/3, 15 "or" of counter/door -> program 54).

Choices where the spec is silent or ambiguous:

* I-Key endpoints check "interaction disabled" (5) before the key (2); then
  a missing ``type`` (3005), an unknown one (1005).
* Checks of playback commands follow the spec's list order: not playing (3),
  program id missing (3002) / unknown (1002) / not current (2002), partition
  missing (3003) / unknown (1003) / of the wrong type (1 Failure), then
  playlist (3004/1004), media (3008/1006, any media of the schedule), url
  (3007) or text (3006), then behavior/collision values (3009), then blocking.
  Non-numeric ids count as unknown; a bad number for duration/queue_timeout
  is 1 Failure.  A missing or empty ``text`` is ParameterNoText (3006), as the
  spec's error table lists for Set Label.
* ``play_media``'s ``duration`` applies to images only ("Playing time, not
  application to video."): a video plays ``state.VIDEO_SECONDS`` (30 s).
* ``start_program`` also works in standby (starts playing) and for programs
  without interaction partition (no code exists for that case).
* Blocking (the spec is silent whether per player or per partition; switch
  ``blocking_scope``: ``ImmSimulator(blocking_scope=...)``, ``--blocking-scope``,
  control API ``POST /clients/{host} {"blocking_scope": ...}``, or the
  ``ClientSpec``/``SimulatedClient`` field): "client" (default): any running
  exactly_once / at_least_once playback blocks every partition/program command;
  "partition": a blocking partition playback blocks only commands for that
  partition, while a blocking program playback, or a start_program command,
  still blocks / is blocked by everything.  A forced command supersedes the
  blocking playback; the queued command runs as soon as nothing blocks any
  more (checked against its queue_timeout at that moment).  stop and
  start_schedule drop the queue.  Durations and queue timeouts are multiplied
  by ``time_scale``; the SLOW fault ``delay`` is not.
* ``current_playlist_id`` is empty after stop_partition and while ad-hoc
  content (play_media/web/stream/youtube) is shown.  ``is_breaking`` is true
  while the current program is not the scheduled one.  In standby the
  ``<program>`` of the imm_client block is empty.
* Sensor events (the spec is silent; switch ``sensor_trigger``, same four
  places as ``blocking_scope``): "change" (default): a mapping fires on the
  push that makes its event match, not on later pushes while it keeps
  matching; "every_push": it fires on every push of one of its sensors while
  its event matches.  Fired
  mappings run in priority order (lower number first, then id).  Mappings
  with a partition act as start_partition (so 2002 if their program is not
  the current one).
* Response messages are the spec's table verbatim (3002..3005 are shifted in
  the spec; rely on codes).
* Faults: DOWN closes the listening sockets, the open connections and the UDP
  socket; SLOW also delays probe replies; MALFORMED also breaks probe replies;
  the other faults do not affect UDP.  Requests answered under a fault other
  than SLOW are logged with ``code=None``.

``SimulatedClient.executed`` records what actually ran, in order:
``("start_program", pid)``, ``("start_partition", pid, part, playlist)``,
``("stop_partition", pid, part)``, ``("play_media", pid, part, media_id)``,
``("play_web"|"play_stream"|"play_youtube", pid, part, url)``,
``("set_label", pid, part, text)``, ``("play",)``, ``("stop",)``,
``("start_schedule",)``, ``("config", id, server_ip, server_port)``,
``("event", mapping_id)`` (an event mapping fired; its action follows),
``("revert_program", pid)``, ``("revert_partition", pid, part, playlist)``,
and for the single-slot queue ``("queue_replaced", *cmd)``,
``("queue_timeout", *cmd)``, ``("queue_dropped", *cmd)`` (stop /
start_schedule) and ``("queue_failed", *cmd, code)`` (invalid when run).
Refused commands (6, errors) and queued ones (7) are not recorded until run.
"""

from __future__ import annotations

from .codes import ResultCode
from .server import FaultMode, ImmSimulator, RequestRecord
from .state import ClientSpec, Command, SimulatedClient

__all__ = [
    "ClientSpec",
    "Command",
    "FaultMode",
    "ImmSimulator",
    "RequestRecord",
    "ResultCode",
    "SimulatedClient",
]
