"""Coordinators: where device data becomes Home Assistant state, and errors are mapped."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
import hashlib
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.util import dt as dt_util

from ..const import CONF_POLL_INTERVAL, DOMAIN, LOGGER
from ..coordinator import VenueAVCoordinator
from ..protocol.imm import (
    ClientInfo,
    ClientStatus,
    EventScript,
    ImmAuthenticationError,
    ImmClient,
    ImmConnectionError,
    ImmDeviceError,
    ImmError,
    ImmInteractionDisabledError,
    ImmNotPlayingError,
    Program,
    Schedule,
    SensorPushResult,
    SensorValue,
)
from .const import (
    CONF_INTERACTION_KEY,
    DEFAULT_POLL_INTERVAL,
    EVENT_IMM,
    EVENT_MAPPING_TRIGGERED,
    EVENT_PLAYBACK_STARTED,
    EVENT_PLAYBACK_STOPPED,
    EVENT_PROGRAM_CHANGED,
    INVENTORY_MAX_AGE,
)

type ImmConfigEntry = ConfigEntry[ImmCoordinator]


@dataclass(frozen=True, slots=True, kw_only=True)
class ImmData:
    """Everything known about one IMM client after a poll."""

    info: ClientInfo
    # None while the client is in standby (program.xml answers ClientNotPlayState).
    program: Program | None
    sensors: tuple[SensorValue, ...]
    schedule: Schedule
    event_script: EventScript | None

    @property
    def playing(self) -> bool:
        """Whether the client is playing."""
        return self.info.status is ClientStatus.PLAYING

    @property
    def program_id(self) -> int | None:
        """Id of the program playing now."""
        return None if self.program is None else self.program.program_id

    def scheduled_program(self, program_id: int | None) -> Program | None:
        """The schedule's full description (partitions, playlists) of a program."""
        return None if program_id is None else self.schedule.program(program_id)


def _poll_offset(entry_id: str, interval: timedelta) -> timedelta:
    """A fixed share of the interval per entry, so hundreds of players poll spread out.

    Entries set up together would otherwise poll together, in one burst per interval.
    """
    share = int.from_bytes(hashlib.sha256(entry_id.encode()).digest()[:4]) / 2**32
    return interval * share


def interaction_disabled_issue_id(entry: ConfigEntry) -> str:
    """Repair issue id raised while a client's interaction API is switched off."""
    return f"interaction_disabled_{entry.entry_id}"


class ImmCoordinator(VenueAVCoordinator[ImmData, ImmClient]):
    """Polls one IMM client: status every interval, schedule when it may have changed."""

    family = "imm"
    auth_translation_key = "invalid_key"
    # Refusals a user causes and can fix (state, timing, names, parameters); a failure
    # or an unknown code stays an error of the device.
    validation_error_kinds = frozenset(
        {
            "not_playing",
            "not_standby",
            "last_playback_not_finished",
            "not_found",
            "program_not_matched",
            "invalid_parameter",
        }
    )
    config_entry: ImmConfigEntry

    def __init__(self, hass: HomeAssistant, entry: ImmConfigEntry) -> None:
        """Create the coordinator and the client of ``entry``."""
        interval = timedelta(
            seconds=entry.options.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL)
        )
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.data[CONF_HOST]}",
            # Polls that change nothing (most of them) write no entity state: the models
            # are frozen dataclasses and compare by value.
            always_update=False,
            update_interval=interval + _poll_offset(entry.entry_id, interval),
        )
        self._interval = interval
        self.client = ImmClient(
            entry.data[CONF_HOST],
            async_get_clientsession(hass),
            interaction_key=entry.data[CONF_INTERACTION_KEY],
            port=entry.data[CONF_PORT],
        )
        self._schedule: Schedule | None = None
        self._event_script: EventScript | None = None
        self._inventory_read_at: datetime | None = None
        self._device_id: str | None = None
        self._last_program_id: int | None = None
        # Unique ids of the entities this setup made (stale ones are removed).
        self.entity_unique_ids: set[str] = set()

    @property
    def poll_interval(self) -> timedelta:
        """The poll interval from the options (the first poll comes later by an offset)."""
        return self._interval

    @property
    def device_id(self) -> str | None:
        """Device registry id of the client (for events and triggers)."""
        if self._device_id is None:
            # One device per entry; looked up by entry, which every supported release
            # offers (lookups by identifier changed between them).
            devices = dr.async_entries_for_config_entry(
                dr.async_get(self.hass), self.config_entry.entry_id
            )
            self._device_id = devices[0].id if devices else None
        return self._device_id

    async def _async_update_data(self) -> ImmData:
        if self.data is not None and self.update_interval != self._interval:
            # The first poll after setup came late by this entry's offset; from now on
            # the plain interval keeps the entries spread.
            self.update_interval = self._interval
        try:
            info, program, sensors = await asyncio.gather(
                self.client.configuration(),
                self._read_program(),
                self.client.sensor_status(),
            )
            if self._inventory_is_stale(info, program):
                await self._read_inventory()
        except ImmAuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="invalid_key",
                translation_placeholders={"name": self.device_name},
            ) from err
        except ImmInteractionDisabledError as err:
            self._raise_interaction_disabled_issue()
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="interaction_disabled",
                translation_placeholders={"name": self.device_name},
            ) from err
        except ImmError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="update_failed",
                translation_placeholders={"name": self.device_name, "error": str(err)},
            ) from err
        ir.async_delete_issue(
            self.hass, DOMAIN, interaction_disabled_issue_id(self.config_entry)
        )
        assert self._schedule is not None
        data = ImmData(
            info=info,
            program=program,
            sensors=sensors,
            schedule=self._schedule,
            event_script=self._event_script,
        )
        self._fire_change_events(self.data, data)
        return data

    async def _read_program(self) -> Program | None:
        try:
            return await self.client.program()
        except ImmNotPlayingError:
            return None

    def _inventory_is_stale(self, info: ClientInfo, program: Program | None) -> bool:
        if self._schedule is None or self._inventory_read_at is None:
            return True
        if dt_util.utcnow() - self._inventory_read_at > INVENTORY_MAX_AGE:
            return True
        # None until the first poll succeeded (the schedule may have been read by a
        # poll that failed later on).
        previous: ImmData | None = self.data
        if previous is None:
            return False
        # A new program or schedule may bring programs, partitions or playlists we
        # have not seen: read the schedule again.
        return info.schedule != previous.info.schedule or (
            program is not None and program.program_id != previous.program_id
        )

    async def _read_inventory(self) -> None:
        self._schedule = await self.client.schedule()
        self._inventory_read_at = dt_util.utcnow()
        try:
            self._event_script = await self.client.event_script()
        except (ImmConnectionError, ImmDeviceError) as err:
            # The event script only enriches events; its absence must not fail a poll.
            LOGGER.debug("%s: event script unavailable: %s", self.device_name, err)

    def _raise_interaction_disabled_issue(self) -> None:
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            interaction_disabled_issue_id(self.config_entry),
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key="interaction_disabled",
            translation_placeholders={"name": self.device_name},
        )

    def _fire_change_events(self, old: ImmData | None, new: ImmData) -> None:
        if old is None:
            self._last_program_id = new.program_id
            return
        if old.playing != new.playing:
            self._fire(
                EVENT_PLAYBACK_STARTED if new.playing else EVENT_PLAYBACK_STOPPED, {}
            )
        # Compared with the last program seen playing: resuming from standby with the
        # same program is playback_started, not a program change.
        if new.program is not None and new.program_id != self._last_program_id:
            previous = self._last_program_id
            self._fire(
                EVENT_PROGRAM_CHANGED,
                {
                    "program_id": new.program_id,
                    "program": new.program.name,
                    "previous_program_id": previous,
                    "previous_program": (
                        program.name
                        if (program := new.scheduled_program(previous))
                        else None
                    ),
                },
            )
        if new.program is not None:
            self._last_program_id = new.program_id

    def _fire(self, event_type: str, data: dict[str, Any]) -> None:
        self.hass.bus.async_fire(
            EVENT_IMM,
            {
                "type": event_type,
                "device_id": self.device_id,
                "entry_id": self.config_entry.entry_id,
                "client_id": self.config_entry.unique_id,
                "name": self.device_name,
                **data,
            },
        )

    def fire_push_result(self, result: SensorPushResult) -> None:
        """Announce the event mappings a pushed sensor value triggered."""
        script = self.data.event_script if self.data else None
        for triggered in result.triggered:
            mapping = (
                script.mapping(triggered.mapping_id)
                if script is not None and triggered.mapping_id is not None
                else None
            )
            self._fire(
                EVENT_MAPPING_TRIGGERED,
                {
                    "mapping_id": triggered.mapping_id,
                    "event": mapping.event_name if mapping else None,
                    "program_id": mapping.program_id if mapping else None,
                    "partition_id": mapping.partition_id if mapping else None,
                    "playlist_id": mapping.playlist_id if mapping else None,
                    "result": triggered.name,
                    "code": triggered.code,
                    "queued": triggered.queued,
                },
            )
