"""What the config flow steps of every family share."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
)


class VenueAVFlow(ConfigFlow):
    """Base of every family's flow steps (the integration's flow combines them)."""

    VERSION = 1

    def _async_update_entry_and_abort(
        self, entry: ConfigEntry[Any], updates: dict[str, Any], reason: str
    ) -> ConfigFlowResult:
        """Store ``updates``; a loaded entry's update listener reloads it.

        An entry that is not loaded has no listener, and unchanged data (the same key
        accepted again) gives it nothing to act on: the flow reloads those itself.
        """
        changed = self.hass.config_entries.async_update_entry(
            entry, data={**entry.data, **updates}
        )
        if not changed or entry.state is not ConfigEntryState.LOADED:
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return self.async_abort(reason=reason)
