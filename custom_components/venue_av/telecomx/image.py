"""The last screenshot of a box (for accounts that may take screenshots)."""

from __future__ import annotations

from datetime import datetime

from homeassistant.components.image import ImageEntity
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from ..const import LOGGER
from ..protocol.telecomx import (
    ActionType,
    TelecomXAuthenticationError,
    TelecomXError,
    TelecomXNotFoundError,
)
from .const import SCREENSHOT_MAX_AGE, SCREENSHOT_SETTLE
from .coordinator import TelecomXConfigEntry, TelecomXCoordinator
from .entity import Scope, TelecomXEntity, async_setup_scoped


class TelecomXScreenshot(TelecomXEntity, ImageEntity):
    """The PNG the box's last SCREENSHOT action took; read only when looked at."""

    _attr_translation_key = "telecomx_screenshot"
    _attr_content_type = "image/png"
    # A thousand boxes: the image is there for the occasional look.
    _attr_entity_registry_enabled_default = False

    def __init__(
        self, hass: HomeAssistant, coordinator: TelecomXCoordinator, scope: Scope
    ) -> None:
        """The screenshot of a box."""
        TelecomXEntity.__init__(self, coordinator, scope, "screenshot")
        ImageEntity.__init__(self, hass)
        self._attr_image_last_updated = dt_util.utcnow()
        self._cached: tuple[datetime, bytes | None] | None = None
        self._cancel_settle: CALLBACK_TYPE | None = None

    async def async_added_to_hass(self) -> None:
        """Hear about screenshots requested for the box."""
        await super().async_added_to_hass()
        assert self.scope.target_id is not None
        self.async_on_remove(
            self.coordinator.listen_screenshots(
                self.scope.target_id, self._async_screenshot_requested
            )
        )
        self.async_on_remove(self._cancel)

    @callback
    def _cancel(self) -> None:
        if self._cancel_settle is not None:
            self._cancel_settle()
            self._cancel_settle = None

    @callback
    def _async_screenshot_requested(self) -> None:
        # The box takes it within a minute: show the new one after that.
        self._cancel()

        @callback
        def _settled(_: datetime) -> None:
            self._cancel_settle = None
            self._cached = None
            self._attr_image_last_updated = dt_util.utcnow()
            self.async_write_ha_state()

        self._cancel_settle = async_call_later(self.hass, SCREENSHOT_SETTLE, _settled)

    async def async_image(self) -> bytes | None:
        """The PNG (None when the box has none yet); cached for a short while."""
        now = dt_util.utcnow()
        if self._cached is not None and now - self._cached[0] < SCREENSHOT_MAX_AGE:
            return self._cached[1]
        assert self.scope.target_id is not None
        try:
            image = await self.coordinator.client.screenshot(self.scope.target_id)
        except TelecomXNotFoundError:
            image = None
        except TelecomXAuthenticationError:
            self.coordinator.config_entry.async_start_reauth(self.hass)
            return None
        except TelecomXError as err:
            LOGGER.debug("Screenshot of %s not read (%s)", self.entity_id, err.kind)
            return None
        self._cached = (now, image)
        return image


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TelecomXConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add a screenshot image per box, where the account may take screenshots."""

    def _entities(coordinator: TelecomXCoordinator, scope: Scope) -> list[Entity]:
        if scope.kind != "box" or not coordinator.may(ActionType.SCREENSHOT):
            return []
        return [TelecomXScreenshot(hass, coordinator, scope)]

    async_setup_scoped(entry, async_add_entities, _entities)
