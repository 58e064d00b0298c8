"""IMM events on the bus: their device triggers and logbook sentences."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..family import FamilyEvents
from .const import (
    EVENT_IMM,
    EVENT_MAPPING_TRIGGERED,
    EVENT_PLAYBACK_STARTED,
    EVENT_PLAYBACK_STOPPED,
    EVENT_PROGRAM_CHANGED,
    IMM_EVENT_TYPES,
)


def describe_event(data: Mapping[str, Any]) -> str:
    """The logbook's sentence for a ``venue_av_imm_event``."""
    kind = data.get("type")
    if kind == EVENT_PROGRAM_CHANGED:
        return f"switched to program {data.get('program') or data.get('program_id')}"
    if kind == EVENT_PLAYBACK_STARTED:
        return "started playing"
    if kind == EVENT_PLAYBACK_STOPPED:
        return "stopped playing"
    if kind == EVENT_MAPPING_TRIGGERED:
        event = data.get("event") or f"event mapping {data.get('mapping_id')}"
        return f"triggered {event} ({data.get('result')})"
    return f"reported {kind}"


IMM_EVENTS = FamilyEvents(
    event_type=EVENT_IMM,
    trigger_types=IMM_EVENT_TYPES,
    describe=describe_event,
    default_name="IMM client",
)
