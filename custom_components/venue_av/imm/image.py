"""Preview image of the program an IMM client plays."""

from __future__ import annotations

from homeassistant.components.image import ImageEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.util import dt as dt_util

from ..protocol.imm import ImmError
from .coordinator import ImmConfigEntry, ImmCoordinator
from .entity import ImmEntity


async def async_setup_entry(
    hass: HomeAssistant, entry: ImmConfigEntry, async_add_entities: AddEntitiesCallback
) -> None:
    """Set up the preview image of an IMM client."""
    async_add_entities([ImmProgramPreview(hass, entry.runtime_data)])


class ImmProgramPreview(ImmEntity, ImageEntity):
    """JPEG preview of the playing program, fetched only when a browser asks for it.

    An image's state is the time its picture last changed, and Home Assistant 2025.4's
    logbook lists every state change of an image ("Program preview changed to
    <time>" on every program change; later releases skip images in the logbook). The
    program change is in the logbook already (player, playing program), so a new
    program gets a new access token instead: the picture's URL changes, which makes
    the frontend fetch it again, and an attribute change is neither in the logbook
    nor recorded (the image component leaves ``access_token`` out of the recorder).
    The state is the time the entity was set up.
    """

    _attr_translation_key = "program_preview"
    _attr_content_type = "image/jpeg"

    def __init__(self, hass: HomeAssistant, coordinator: ImmCoordinator) -> None:
        """Create the preview entity."""
        ImmEntity.__init__(self, coordinator, "program_preview")
        ImageEntity.__init__(self, hass)
        self._program_id = coordinator.data.program_id
        self._attr_image_last_updated = dt_util.utcnow()

    @callback
    def _handle_coordinator_update(self) -> None:
        # A new program is a new picture: a new URL so the frontend fetches it again.
        if self.coordinator.data.program_id != self._program_id:
            self._program_id = self.coordinator.data.program_id
            self.async_update_token()
        super()._handle_coordinator_update()

    @property
    def available(self) -> bool:
        """A preview exists only while a program plays."""
        return super().available and self.coordinator.data.playing

    async def async_image(self) -> bytes | None:
        """The preview of the playing program (None in standby)."""
        if self._program_id is None or not self.coordinator.data.playing:
            return None
        try:
            return await self.coordinator.client.program_preview(self._program_id)
        except ImmError:
            return None
