"""Poly Trio events on the bus: their device triggers and logbook sentences."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..family import FamilyEvents
from .const import (
    EVENT_CALL_ANSWERED,
    EVENT_CALL_ENDED,
    EVENT_INCOMING_CALL,
    EVENT_MISSED_CALL,
    EVENT_OUTGOING_CALL,
    EVENT_TRIO,
    TRIGGER_TYPES,
)

_SENTENCES = {
    EVENT_INCOMING_CALL: "rang: incoming call from {party}",
    EVENT_OUTGOING_CALL: "called {party}",
    EVENT_CALL_ANSWERED: "call with {party} answered",
    EVENT_CALL_ENDED: "call with {party} ended",
    EVENT_MISSED_CALL: "missed a call from {party}",
}


def describe_event(data: Mapping[str, Any]) -> str:
    """The logbook's sentence for a ``venue_av_trio_event``."""
    party = data.get("remote_name") or data.get("remote_number") or "unknown"
    sentence = _SENTENCES.get(str(data.get("type")))
    if sentence is None:
        return f"reported {data.get('type')}"
    return sentence.format(party=party)


TRIO_EVENTS = FamilyEvents(
    event_type=EVENT_TRIO,
    trigger_types=TRIGGER_TYPES,
    describe=describe_event,
    default_name="Poly Trio",
)
