"""Constants of the Venue AV integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "venue_av"
LOGGER = logging.getLogger(__package__)

# Config entries of every device family carry their kind; one domain, three families.
CONF_KIND: Final = "kind"
KIND_IMM: Final = "imm"

CONF_INTERACTION_KEY: Final = "interaction_key"
CONF_CLIENT_ID: Final = "client_id"
CONF_DISCOVERY_TARGETS: Final = "discovery_targets"
CONF_BROADCAST_DISCOVERY: Final = "broadcast_discovery"
CONF_POLL_INTERVAL: Final = "poll_interval"

DEFAULT_POLL_INTERVAL: Final = 10
MIN_POLL_INTERVAL: Final = 5
MAX_POLL_INTERVAL: Final = 300
# Schedule and event script change rarely; they are re-read when the playing program or
# the schedule changes, and at least this often.
INVENTORY_MAX_AGE: Final = timedelta(minutes=10)
DISCOVERY_INTERVAL: Final = timedelta(minutes=5)
# How long the config flow listens for probe replies.
FLOW_PROBE_TIMEOUT: Final = 2.0

# Home Assistant states hold at most 255 characters: the longest label text we set.
MAX_LABEL_LENGTH: Final = 255

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
