"""The account coordinator: polls the box list (and, rarely, the channel list).

One TelecomX account (an employee login) is one config entry. Its boxes are read page by
page (500 a page) at most once a minute; everything Home Assistant shows of a box comes
from that list. Actions never change what is shown: the cloud only *schedules* them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.update_coordinator import (
    DataUpdateCoordinator,
    UpdateFailed,
)
from homeassistant.util import dt as dt_util

from ..const import CONF_POLL_INTERVAL, DOMAIN, LOGGER
from ..coordinator import VenueAVCoordinator
from ..protocol.telecomx import (
    AccessLevel,
    ActionType,
    Channel,
    Device,
    DeviceType,
    HealthSample,
    TelecomXAuthenticationError,
    TelecomXClient,
    TelecomXError,
    allowed_action_types,
)
from .const import (
    ALL_GROUP_KEY,
    CHANNELS_MAX_AGE,
    CONF_ACCESS_LEVEL,
    CONF_API_URL,
    CONF_FEATURES,
    CONF_GROUPS,
    CONF_TOKEN,
    CONF_UNGROUPED_BOXES,
    DEFAULT_POLL_INTERVAL,
    HEALTH_INTERVAL,
)

type TelecomXConfigEntry = ConfigEntry[TelecomXCoordinator]


@dataclass(frozen=True, slots=True, kw_only=True)
class TelecomXData:
    """The account's boxes (set-top boxes only: apps take no actions) and channels."""

    boxes: Mapping[str, Device]
    channels: tuple[Channel, ...]

    def boxes_in(self, group_id: str) -> list[Device]:
        """The known boxes of a group."""
        return [box for box in self.boxes.values() if group_id in box.groups]


@dataclass(frozen=True, slots=True)
class GroupTarget:
    """A configured group (or "All boxes", ``group_id`` ALL) of one account."""

    group_id: str
    name: str


@dataclass(slots=True)
class PlatformAdders:
    """The platforms' callbacks that add entities of boxes that appear later."""

    adders: list[Callable[[list[Device]], None]] = field(default_factory=list)


def account_key(entry: ConfigEntry[Any]) -> str:
    """The account part of every identifier of the entry (its unique id)."""
    return f"telecomx_{entry.unique_id}"


class TelecomXCoordinator(VenueAVCoordinator[TelecomXData, TelecomXClient]):
    """Polls one account's box list; the one path of its actions to the cloud."""

    family = "telecomx"
    auth_translation_key = "telecomx_token_invalid"
    config_entry: TelecomXConfigEntry

    def __init__(self, hass: HomeAssistant, entry: TelecomXConfigEntry) -> None:
        """Create the coordinator and the client of ``entry`` (with its stored token)."""
        interval = entry.options.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL)
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} telecomx {entry.title}",
            # Polls that change nothing write no state: the models compare by value.
            always_update=False,
            update_interval=timedelta(seconds=interval),
        )
        self.client = TelecomXClient(
            async_get_clientsession(hass),
            base_url=entry.data[CONF_API_URL],
            token=entry.data[CONF_TOKEN],
        )
        self.account = account_key(entry)
        level = AccessLevel.parse(entry.data.get(CONF_ACCESS_LEVEL) or "")
        features = entry.data.get(CONF_FEATURES)
        self.access_level = level
        self.features: frozenset[str] | None = (
            None if features is None else frozenset(features)
        )
        self.allowed: frozenset[ActionType] = allowed_action_types(level, self.features)
        self.groups: dict[str, str] = dict(entry.options.get(CONF_GROUPS, {}))
        self.ungrouped_boxes: bool = entry.options.get(CONF_UNGROUPED_BOXES, True)
        self.platforms = PlatformAdders()
        # Every entity this setup provides (disabled ones included).
        self.entity_unique_ids: set[str] = set()
        self._channels: tuple[Channel, ...] = ()
        self._channels_read: datetime | None = None
        self._health: dict[str, HealthCoordinator] = {}
        self._screenshot_listeners: dict[str, list[Callable[[], None]]] = {}

    # -- what gets devices ----------------------------------------------------------

    def box_identifier(self, box_id: str) -> str:
        """Device identifier of a box of this account."""
        return f"{self.account}_box_{box_id}"

    def group_identifier(self, group_id: str | None) -> str:
        """Device identifier of a configured group (None: "All boxes")."""
        if group_id is None:
            return f"{self.account}_{ALL_GROUP_KEY}"
        return f"{self.account}_group_{group_id}"

    def box_has_device(self, box: Device) -> bool:
        """Whether a box gets a device: in a configured group, or all boxes do."""
        return self.ungrouped_boxes or any(group in self.groups for group in box.groups)

    def device_boxes(self) -> list[Device]:
        """The boxes that get devices now."""
        return [box for box in self.data.boxes.values() if self.box_has_device(box)]

    def may(self, action_type: ActionType) -> bool:
        """Whether the account's level and features allow ``action_type``."""
        return action_type in self.allowed

    # -- polling --------------------------------------------------------------------

    async def _async_update_data(self) -> TelecomXData:
        try:
            boxes = await self.client.devices(device_type=DeviceType.STB)
        except TelecomXAuthenticationError as err:
            # Never log in again by ourselves: the password is not stored, and a loop of
            # failed logins could lock the account. The user re-authenticates.
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="telecomx_token_invalid",
                translation_placeholders={"name": self.device_name},
            ) from err
        except TelecomXError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="update_failed",
                translation_placeholders={"name": self.device_name, "error": str(err)},
            ) from err
        await self._async_refresh_channels()
        return TelecomXData(
            boxes={box.device_id: box for box in boxes if box.is_box},
            channels=self._channels,
        )

    async def _async_refresh_channels(self) -> None:
        """Re-read the channel list when it is old; a failure keeps the last one."""
        now = dt_util.utcnow()
        if (
            self._channels_read is not None
            and now - self._channels_read < CHANNELS_MAX_AGE
        ):
            return
        try:
            self._channels = await self.client.channels()
        except TelecomXAuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="telecomx_token_invalid",
                translation_placeholders={"name": self.device_name},
            ) from err
        except TelecomXError as err:
            # Optional: sources stay as they were, the boxes still update.
            LOGGER.debug("%s: channel list not read (%s)", self.device_name, err.kind)
            return
        self._channels_read = now

    # -- health (only for boxes whose health sensors are enabled) -------------------

    @callback
    def health_of(self, box_id: str) -> HealthCoordinator:
        """The health coordinator of a box, created when a health sensor needs it."""
        if (found := self._health.get(box_id)) is None:
            found = self._health[box_id] = HealthCoordinator(self, box_id)
        return found

    @callback
    def listen_screenshots(
        self, box_id: str, listener: Callable[[], None]
    ) -> Callable[[], None]:
        """Call ``listener`` when a screenshot of the box was scheduled."""
        listeners = self._screenshot_listeners.setdefault(box_id, [])
        listeners.append(listener)
        return lambda: listeners.remove(listener)

    @callback
    def screenshot_requested(self, box_id: str | None) -> None:
        """A SCREENSHOT was scheduled for a box (None: for every box)."""
        for key, listeners in self._screenshot_listeners.items():
            if box_id is None or key == box_id:
                for listener in list(listeners):
                    listener()

    def group_target(self, group_id: str | None) -> GroupTarget:
        """A configured group (None: "All boxes") as an action target."""
        if group_id is None:
            return GroupTarget("ALL", self.all_boxes_name)
        return GroupTarget(group_id, self.groups.get(group_id, group_id))

    @property
    def all_boxes_name(self) -> str:
        """Name of the "All boxes" device (the account's title is prepended by HA)."""
        return f"{self.device_name} all boxes"


class HealthCoordinator(DataUpdateCoordinator[HealthSample | None]):
    """The latest health sample of one box (RTT, packet loss, CPU, memory).

    Created and polled only while one of the box's health sensors is enabled: a
    thousand boxes would otherwise cost a thousand requests every interval.
    """

    def __init__(self, account: TelecomXCoordinator, box_id: str) -> None:
        """Poll the samples of ``box_id`` with the account's client."""
        super().__init__(
            account.hass,
            LOGGER,
            config_entry=account.config_entry,
            name=f"{DOMAIN} telecomx health {box_id}",
            always_update=False,
            update_interval=HEALTH_INTERVAL,
        )
        self._account = account
        self._box_id = box_id

    async def _async_update_data(self) -> HealthSample | None:
        try:
            samples = await self._account.client.health(self._box_id)
        except TelecomXAuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="telecomx_token_invalid",
                translation_placeholders={"name": self._account.device_name},
            ) from err
        except TelecomXError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="update_failed",
                translation_placeholders={"name": self._box_id, "error": str(err)},
            ) from err
        now = dt_util.utcnow()
        # The cloud may list the day's samples ahead of time: the latest up to now.
        timed = [s for s in samples if s.time is not None and s.time <= now]
        if timed:
            return max(timed, key=lambda sample: sample.time or dt_util.utcnow())
        return samples[-1] if samples else None
