"""A remote control per box and per group: key presses become one EMULATEKEYS action."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from homeassistant.components.remote import (
    ATTR_NUM_REPEATS,
    DEFAULT_NUM_REPEATS,
    RemoteEntity,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from ..protocol.telecomx import ActionType
from .commands import build_action
from .coordinator import TelecomXConfigEntry, TelecomXCoordinator
from .entity import Scope, TelecomXEntity, async_setup_scoped


def key_names(commands: Iterable[str]) -> list[str]:
    """The documented key names (VOL_UP, NUM1, OK...), case and spaces forgiven."""
    return [command.strip().upper().replace(" ", "_") for command in commands]


class TelecomXRemote(TelecomXEntity, RemoteEntity):
    """Presses remote-control keys; whether the box is on is not known."""

    _attr_translation_key = "telecomx_remote"
    _attr_assumed_state = True
    _attr_is_on = None

    def __init__(self, coordinator: TelecomXCoordinator, scope: Scope) -> None:
        """The remote of ``scope``."""
        super().__init__(coordinator, scope, "remote")

    async def async_send_command(self, command: Iterable[str], **kwargs: Any) -> None:
        """Schedule the keys (repeated ``num_repeats`` times) as one action."""
        repeats = int(kwargs.get(ATTR_NUM_REPEATS, DEFAULT_NUM_REPEATS))
        keys = key_names(command) * max(1, repeats)
        await self.async_act(build_action(ActionType.EMULATEKEYS, {"keys": keys}))


def _entities(coordinator: TelecomXCoordinator, scope: Scope) -> list[Entity]:
    if not coordinator.may(ActionType.EMULATEKEYS):
        return []
    return [TelecomXRemote(coordinator, scope)]


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TelecomXConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the remotes."""
    async_setup_scoped(entry, async_add_entities, _entities)
