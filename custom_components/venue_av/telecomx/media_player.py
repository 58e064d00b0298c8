"""A media player per box and per group: channels, videos, volume, switch off.

The cloud tells nothing about what a box plays, its volume or whether it is on, and
actions are only scheduled: the player has an assumed state and never shows what an
action set (state "unknown").
"""

from __future__ import annotations

from typing import Any

from homeassistant.components import media_source
from homeassistant.components.media_player import (
    BrowseMedia,
    MediaClass,
    MediaPlayerDeviceClass,
    MediaPlayerEntity,
    MediaPlayerEntityFeature,
    MediaType,
    async_process_play_media_url,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from ..const import DOMAIN
from ..protocol.telecomx import Action, ActionType, Channel
from .commands import build_action
from .coordinator import TelecomXConfigEntry, TelecomXCoordinator
from .entity import Scope, TelecomXEntity, async_setup_scoped

MEDIA_TYPE_CHANNEL = "channel"

_FEATURES = {
    ActionType.SWITCH_OFF: MediaPlayerEntityFeature.TURN_OFF,
    ActionType.VOLUME: MediaPlayerEntityFeature.VOLUME_SET,
    ActionType.PLAYCHANNEL: MediaPlayerEntityFeature.SELECT_SOURCE
    | MediaPlayerEntityFeature.BROWSE_MEDIA
    | MediaPlayerEntityFeature.PLAY_MEDIA,
    ActionType.VIDEO: MediaPlayerEntityFeature.PLAY_MEDIA,
}


def channel_label(channel: Channel) -> str:
    """A channel as a source: its number and name ("1 DR1")."""
    return f"{channel.number} {channel.name}" if channel.number else channel.name


def find_channel(channels: tuple[Channel, ...], reference: str) -> Channel | None:
    """A channel by id, label, name or number (in that order)."""
    reference = reference.strip()
    for matches in (
        lambda channel: channel.channel_id == reference,
        lambda channel: channel_label(channel) == reference,
        lambda channel: channel.name.casefold() == reference.casefold(),
        lambda channel: str(channel.number) == reference,
    ):
        for channel in channels:
            if matches(channel):
                return channel
    return None


class TelecomXMediaPlayer(TelecomXEntity, MediaPlayerEntity):
    """Switches channels, plays videos and sets the volume of a box or a group."""

    _attr_name = None
    _attr_assumed_state = True
    _attr_device_class = MediaPlayerDeviceClass.TV
    _attr_state = None

    def __init__(self, coordinator: TelecomXCoordinator, scope: Scope) -> None:
        """The media player of ``scope``."""
        super().__init__(coordinator, scope, "media_player")
        features = MediaPlayerEntityFeature(0)
        for action_type, feature in _FEATURES.items():
            if coordinator.may(action_type):
                features |= feature
        self._attr_supported_features = features

    @property
    def source_list(self) -> list[str] | None:
        """The account's TV channels."""
        if not self.supported_features & MediaPlayerEntityFeature.SELECT_SOURCE:
            return None
        return [channel_label(channel) for channel in self.coordinator.data.channels]

    def _channel(self, reference: str) -> Channel:
        channel = find_channel(self.coordinator.data.channels, reference)
        if channel is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="telecomx_unknown_channel",
                translation_placeholders={"channel": reference[:60]},
            )
        return channel

    async def async_turn_off(self) -> None:
        """Schedule switching off."""
        await self.async_act(Action.simple(ActionType.SWITCH_OFF))

    async def async_set_volume_level(self, volume: float) -> None:
        """Schedule a volume (0-1 becomes 0-100)."""
        level = round(volume * 100)
        await self.async_act(build_action(ActionType.VOLUME, {"volume": level}))

    async def async_select_source(self, source: str) -> None:
        """Schedule a channel."""
        channel = self._channel(source)
        await self.async_act(
            build_action(ActionType.PLAYCHANNEL, {"channel": channel.channel_id})
        )

    async def async_play_media(
        self, media_type: MediaType | str, media_id: str, **kwargs: Any
    ) -> None:
        """Schedule a channel (type "channel": id, label, name or number) or a video URL."""
        if media_type == MEDIA_TYPE_CHANNEL:
            await self.async_select_source(media_id)
            return
        if media_source.is_media_source_id(media_id):
            item = await media_source.async_resolve_media(
                self.hass, media_id, self.entity_id
            )
            media_id = async_process_play_media_url(self.hass, item.url)
        await self.async_act(build_action(ActionType.VIDEO, {"video": media_id}))

    async def async_browse_media(
        self,
        media_content_type: MediaType | str | None = None,
        media_content_id: str | None = None,
    ) -> BrowseMedia:
        """The channel list: every channel can be played."""
        return BrowseMedia(
            media_class=MediaClass.DIRECTORY,
            media_content_id="channels",
            media_content_type=MEDIA_TYPE_CHANNEL,
            title="Channels",
            can_play=False,
            can_expand=True,
            children_media_class=MediaClass.CHANNEL,
            children=[
                BrowseMedia(
                    media_class=MediaClass.CHANNEL,
                    media_content_id=channel.channel_id,
                    media_content_type=MEDIA_TYPE_CHANNEL,
                    title=channel_label(channel),
                    can_play=True,
                    can_expand=False,
                )
                for channel in self.coordinator.data.channels
            ],
        )


def _entities(coordinator: TelecomXCoordinator, scope: Scope) -> list[Entity]:
    if not any(coordinator.may(action_type) for action_type in _FEATURES):
        return []
    return [TelecomXMediaPlayer(coordinator, scope)]


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TelecomXConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the media players."""
    async_setup_scoped(entry, async_add_entities, _entities)
