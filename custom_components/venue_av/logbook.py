"""Logbook texts of IMM client events."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook import LOGBOOK_ENTRY_MESSAGE, LOGBOOK_ENTRY_NAME
from homeassistant.core import Event, HomeAssistant, callback

from .const import (
    DOMAIN,
    EVENT_IMM,
    EVENT_MAPPING_TRIGGERED,
    EVENT_PLAYBACK_STARTED,
    EVENT_PLAYBACK_STOPPED,
    EVENT_PROGRAM_CHANGED,
)


def _message(data: Mapping[str, Any]) -> str:
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


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe ``venue_av_imm_event`` in the logbook."""

    @callback
    def async_describe(event: Event) -> dict[str, str]:
        return {
            LOGBOOK_ENTRY_NAME: event.data.get("name") or "IMM client",
            LOGBOOK_ENTRY_MESSAGE: _message(event.data),
        }

    async_describe_event(DOMAIN, EVENT_IMM, async_describe)
