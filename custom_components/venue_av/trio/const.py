"""Constants of the Poly Trio family on the Home Assistant side."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

# Entry data. "password" is one of the names every diagnostics dump redacts.
CONF_PASSWORD: Final = "password"  # noqa: S105 - a key, not a secret
# SHA-256 of the certificate pinned at setup (trust on first use); absent when the
# user chose normal certificate verification instead.
CONF_FINGERPRINT: Final = "certificate_fingerprint"
CONF_VERIFY_TLS: Final = "verify_tls"
# The phone posts telephony events to this webhook; the id is the only secret in the
# URL (the phone sends no credentials), so it is generated per phone and never shown.
CONF_WEBHOOK_ID: Final = "webhook_id"

# Options.
CONF_PUSH: Final = "instant_call_events"
DEFAULT_POLL_INTERVAL: Final = 2
MIN_POLL_INTERVAL: Final = 1
MAX_POLL_INTERVAL: Final = 300

# While a call rings or runs, call state is polled every second: the phone answers a
# call status in a few tens of milliseconds, and a user watching a dashboard notices
# more than a second of lag.
ACTIVE_POLL_INTERVAL: Final = timedelta(seconds=1)
# Lines (registration, DND) and mute are read every this many seconds when idle and on
# every poll during a call; call status alone is read on every poll.
SLOW_PARTS_INTERVAL: Final = timedelta(seconds=15)
# CPU, memory, uptime and packet counters change slowly and matter little.
STATS_INTERVAL: Final = timedelta(minutes=5)

# The bus event and its types (= device trigger types and event entity types).
EVENT_TRIO: Final = "venue_av_trio_event"
EVENT_INCOMING_CALL: Final = "incoming_call"
EVENT_OUTGOING_CALL: Final = "outgoing_call"
EVENT_CALL_ANSWERED: Final = "call_answered"
EVENT_CALL_ENDED: Final = "call_ended"
EVENT_MISSED_CALL: Final = "missed_call"
CALL_EVENT_TYPES: Final = (
    EVENT_INCOMING_CALL,
    EVENT_OUTGOING_CALL,
    EVENT_CALL_ANSWERED,
    EVENT_CALL_ENDED,
    EVENT_MISSED_CALL,
)
TRIGGER_TYPES: Final = (
    EVENT_INCOMING_CALL,
    EVENT_CALL_ANSWERED,
    EVENT_CALL_ENDED,
    EVENT_MISSED_CALL,
    EVENT_OUTGOING_CALL,
)

MANUFACTURER: Final = "Poly"
