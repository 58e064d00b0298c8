"""One-press actions of a box or a group: reboot, reload UI, update lists, screenshot."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.button import (
    ButtonDeviceClass,
    ButtonEntity,
    ButtonEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from ..protocol.telecomx import Action, ActionType
from .coordinator import TelecomXConfigEntry, TelecomXCoordinator
from .entity import Scope, TelecomXEntity, async_setup_scoped


@dataclass(frozen=True, kw_only=True)
class TelecomXButtonDescription(ButtonEntityDescription):
    """A button that schedules one parameterless action type."""

    action_type: ActionType
    # Boxes only (a group has no single screenshot to show).
    box_only: bool = False
    # Rarely needed on a single box: offered, but disabled by default (1,000 boxes).
    box_enabled: bool = True


BUTTONS: tuple[TelecomXButtonDescription, ...] = (
    TelecomXButtonDescription(
        key="reboot",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        action_type=ActionType.REBOOT,
    ),
    TelecomXButtonDescription(
        key="reload_ui",
        translation_key="telecomx_reload_ui",
        entity_category=EntityCategory.CONFIG,
        action_type=ActionType.UI,
        box_enabled=False,
    ),
    TelecomXButtonDescription(
        key="update_channels",
        translation_key="telecomx_update_channels",
        entity_category=EntityCategory.CONFIG,
        action_type=ActionType.CHANNELS,
        box_enabled=False,
    ),
    TelecomXButtonDescription(
        key="update_dvb",
        translation_key="telecomx_update_dvb",
        entity_category=EntityCategory.CONFIG,
        action_type=ActionType.DVB,
        box_enabled=False,
    ),
    TelecomXButtonDescription(
        key="take_screenshot",
        translation_key="telecomx_take_screenshot",
        action_type=ActionType.SCREENSHOT,
        box_only=True,
        box_enabled=False,
    ),
)


class TelecomXButton(TelecomXEntity, ButtonEntity):
    """Schedules the description's action; nothing is shown as done."""

    entity_description: TelecomXButtonDescription

    def __init__(
        self,
        coordinator: TelecomXCoordinator,
        scope: Scope,
        description: TelecomXButtonDescription,
    ) -> None:
        """A button of ``scope``."""
        super().__init__(coordinator, scope, description.key)
        self.entity_description = description
        if scope.kind == "box" and not description.box_enabled:
            self._attr_entity_registry_enabled_default = False

    async def async_press(self) -> None:
        """Schedule the action."""
        await self.async_act(Action.simple(self.entity_description.action_type))
        if self.entity_description.action_type is ActionType.SCREENSHOT:
            self.coordinator.screenshot_requested(self.scope.target_id)


def _entities(coordinator: TelecomXCoordinator, scope: Scope) -> list[Entity]:
    return [
        TelecomXButton(coordinator, scope, description)
        for description in BUTTONS
        if coordinator.may(description.action_type)
        and (scope.kind == "box" or not description.box_only)
    ]


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TelecomXConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the buttons."""
    async_setup_scoped(entry, async_add_entities, _entities)
