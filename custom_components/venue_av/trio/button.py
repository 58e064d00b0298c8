"""Buttons of a Poly Trio: restart, reboot, update configuration."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from homeassistant.components.button import (
    ButtonDeviceClass,
    ButtonEntity,
    ButtonEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from ..protocol.trio import TrioClient
from .coordinator import TrioConfigEntry, TrioCoordinator
from .entity import TrioEntity


@dataclass(frozen=True, kw_only=True)
class TrioButtonDescription(ButtonEntityDescription):
    """A button and the command it sends."""

    press_fn: Callable[[TrioClient], Awaitable[None]]


BUTTONS: tuple[TrioButtonDescription, ...] = (
    TrioButtonDescription(
        key="restart",
        translation_key="trio_restart",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda client: client.restart(),
    ),
    TrioButtonDescription(
        key="reboot",
        translation_key="trio_reboot",
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda client: client.reboot(),
    ),
    TrioButtonDescription(
        key="update_configuration",
        translation_key="trio_update_configuration",
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda client: client.update_configuration(),
    ),
)


class TrioButton(TrioEntity[TrioCoordinator], ButtonEntity):
    """A command button of the phone."""

    entity_description: TrioButtonDescription

    def __init__(
        self,
        coordinator: TrioCoordinator,
        entry: TrioConfigEntry,
        description: TrioButtonDescription,
    ) -> None:
        """Describe the button."""
        super().__init__(coordinator, entry, description.key)
        self.entity_description = description

    async def async_press(self) -> None:
        """Send the command."""
        await self.coordinator.async_command(self.entity_description.press_fn)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TrioConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the phone's buttons."""
    calls = entry.runtime_data.calls
    async_add_entities(TrioButton(calls, entry, description) for description in BUTTONS)
