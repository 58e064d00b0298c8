"""Messages on a box's or a group's screens."""

from __future__ import annotations

import html

from homeassistant.components.notify import NotifyEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from ..protocol.telecomx import ActionType
from .commands import build_action
from .coordinator import TelecomXConfigEntry, TelecomXCoordinator
from .entity import Scope, TelecomXEntity, async_setup_scoped


class TelecomXNotify(TelecomXEntity, NotifyEntity):
    """Shows a message on the screen(s); sound/read-aloud via ``iptv_send_message``."""

    _attr_translation_key = "telecomx_message"

    def __init__(self, coordinator: TelecomXCoordinator, scope: Scope) -> None:
        """A message entity of ``scope``."""
        super().__init__(coordinator, scope, "message")

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Schedule the message (simple HTML allowed; the title is shown in bold)."""
        if title:
            message = f"<b>{html.escape(title)}</b><br>{message}"
        await self.async_act(build_action(ActionType.MESSAGE, {"message": message}))


def _entities(coordinator: TelecomXCoordinator, scope: Scope) -> list[Entity]:
    if not coordinator.may(ActionType.MESSAGE):
        return []
    return [TelecomXNotify(coordinator, scope)]


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TelecomXConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the message entities."""
    async_setup_scoped(entry, async_add_entities, _entities)
