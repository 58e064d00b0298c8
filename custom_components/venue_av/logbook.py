"""Logbook sentences of every family's events."""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.components.logbook import LOGBOOK_ENTRY_MESSAGE, LOGBOOK_ENTRY_NAME
from homeassistant.core import Event, HomeAssistant, callback

from .const import DOMAIN
from .families import FAMILIES
from .family import FamilyEvents


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe each family's bus event in the logbook."""

    def describer(events: FamilyEvents) -> Callable[[Event], dict[str, str]]:
        @callback
        def async_describe(event: Event) -> dict[str, str]:
            return {
                LOGBOOK_ENTRY_NAME: event.data.get("name") or events.default_name,
                LOGBOOK_ENTRY_MESSAGE: events.describe(event.data),
            }

        return async_describe

    for family in FAMILIES.values():
        if family.events is not None:
            async_describe_event(
                DOMAIN, family.events.event_type, describer(family.events)
            )
