"""Constants of the IMM signage player family."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from ..const import MAX_STATE_LENGTH

CONF_INTERACTION_KEY: Final = "interaction_key"
CONF_CLIENT_ID: Final = "client_id"
CONF_DISCOVERY_TARGETS: Final = "discovery_targets"
CONF_BROADCAST_DISCOVERY: Final = "broadcast_discovery"
CONF_PROBE_PORT: Final = "probe_port"

DEFAULT_POLL_INTERVAL: Final = 10
MIN_POLL_INTERVAL: Final = 5
MAX_POLL_INTERVAL: Final = 300
# Schedule and event script change rarely; they are re-read when the playing program or
# the schedule changes, and at least this often.
INVENTORY_MAX_AGE: Final = timedelta(minutes=10)
DISCOVERY_INTERVAL: Final = timedelta(minutes=5)
# How long the config flow listens for probe replies.
FLOW_PROBE_TIMEOUT: Final = 2.0

# The longest label text we set: it must fit the text entity's state.
MAX_LABEL_LENGTH: Final = MAX_STATE_LENGTH
# The spec answers ParameterNoText (3006) to an empty text: a cleared label is sent as
# one space, which shows as an empty label.
CLEARED_LABEL: Final = " "

EVENT_IMM: Final = "venue_av_imm_event"
# Values of the event's "type" field; also the device trigger types.
EVENT_PROGRAM_CHANGED: Final = "program_changed"
EVENT_PLAYBACK_STARTED: Final = "playback_started"
EVENT_PLAYBACK_STOPPED: Final = "playback_stopped"
EVENT_MAPPING_TRIGGERED: Final = "event_mapping_triggered"
IMM_EVENT_TYPES: Final = (
    EVENT_PROGRAM_CHANGED,
    EVENT_PLAYBACK_STARTED,
    EVENT_PLAYBACK_STOPPED,
    EVENT_MAPPING_TRIGGERED,
)
