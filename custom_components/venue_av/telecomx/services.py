"""Actions on TelecomX boxes and groups: one box or a whole group in one call.

Targets are box and group devices (or their entities, or areas holding them). Each
call becomes the fewest cloud requests (``commands.plan``): a configured group whose
boxes are all targeted gets ONE group action. The response counts boxes scheduled and
skipped (a box skips a type already queued) and names queued single-box actions.
Actions are never retried.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_AREA_ID, ATTR_DEVICE_ID, ATTR_ENTITY_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
)
from homeassistant.util import dt as dt_util
import voluptuous as vol

from ..const import CONF_KIND, DOMAIN, KIND_TELECOMX
from ..protocol.telecomx import ActionType, NotifyMode
from ..services import ActionSpec
from .commands import async_run, build_action, plan
from .coordinator import TelecomXCoordinator
from .media_player import find_channel
from .remote import key_names

ATTR_WHEN = "when"
ATTR_MESSAGE = "message"
ATTR_NOTIFY = "notify"
ATTR_REPEAT = "repeat"
ATTR_VIDEO = "video"
ATTR_CHANNEL = "channel"
ATTR_RADIO_CHANNEL = "radio_channel"
ATTR_VOLUME = "volume"
ATTR_KEYS = "keys"
ATTR_TYPE = "type"
ATTR_SCRIPT = "script"
ATTR_JS = "js"
ATTR_FIRMWARE = "firmware"
ATTR_PORT = "port"
ATTR_DEBUG_SERVER = "debug_server"

# Types only administrators may run through ``iptv_run_action``.
ADMIN_TYPES = (
    ActionType.SCRIPT,
    ActionType.JS,
    ActionType.FIRMWARE,
    ActionType.MANAGEMENT,
    ActionType.UIDEBUG,
    ActionType.SPEEDTEST,
)

_TARGET: dict[vol.Marker, Any] = {
    vol.Optional(ATTR_DEVICE_ID): vol.All(cv.ensure_list, [cv.string]),
    vol.Optional(ATTR_ENTITY_ID): cv.comp_entity_ids,
    vol.Optional(ATTR_AREA_ID): vol.All(cv.ensure_list, [cv.string]),
    vol.Optional(ATTR_WHEN): cv.datetime,
}


@dataclass(slots=True)
class Targets:
    """What one call targets of one account."""

    coordinator: TelecomXCoordinator
    box_ids: set[str] = field(default_factory=set)
    group_ids: list[str | None] = field(default_factory=list)


def _device_ids(hass: HomeAssistant, call: ServiceCall) -> set[str]:
    """Devices a call names directly, through entities, or through areas.

    Resolved here rather than with Home Assistant's target helpers, whose signatures
    moved between the supported releases.
    """
    devices = set(call.data.get(ATTR_DEVICE_ID, []))
    entities = er.async_get(hass)
    for entity_id in call.data.get(ATTR_ENTITY_ID, []):
        if (entity := entities.async_get(entity_id)) and entity.device_id:
            devices.add(entity.device_id)
    registry = dr.async_get(hass)
    for area_id in call.data.get(ATTR_AREA_ID, []):
        devices.update(
            device.id for device in dr.async_entries_for_area(registry, area_id)
        )
        devices.update(
            entity.device_id
            for entity in er.async_entries_for_area(entities, area_id)
            if entity.device_id
        )
    return devices


def resolve_targets(hass: HomeAssistant, call: ServiceCall) -> list[Targets]:
    """The boxes and groups of loaded TelecomX accounts a call targets."""
    registry = dr.async_get(hass)
    found: dict[str, Targets] = {}
    for device_id in _device_ids(hass, call):
        if (device := registry.async_get(device_id)) is None:
            continue
        for entry_id in device.config_entries:
            entry = hass.config_entries.async_get_entry(entry_id)
            if (
                entry is None
                or entry.domain != DOMAIN
                or entry.data.get(CONF_KIND) != KIND_TELECOMX
                or entry.state is not ConfigEntryState.LOADED
            ):
                continue
            coordinator: TelecomXCoordinator = entry.runtime_data
            targets = found.setdefault(entry_id, Targets(coordinator))
            for domain, identifier in device.identifiers:
                if domain == DOMAIN:
                    _add_target(targets, identifier)
    result = [t for t in found.values() if t.box_ids or t.group_ids]
    if not result:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="telecomx_no_target"
        )
    return result


def _add_target(targets: Targets, identifier: str) -> None:
    coordinator = targets.coordinator
    box_prefix = coordinator.box_identifier("")
    group_prefix = coordinator.group_identifier("")
    if identifier.startswith(box_prefix):
        box_id = identifier.removeprefix(box_prefix)
        if box_id in coordinator.data.boxes:
            targets.box_ids.add(box_id)
    elif identifier.startswith(group_prefix):
        group_id = identifier.removeprefix(group_prefix)
        if group_id in coordinator.groups and group_id not in targets.group_ids:
            targets.group_ids.append(group_id)
    elif (
        identifier == coordinator.group_identifier(None)
        and None not in targets.group_ids
    ):
        targets.group_ids.append(None)


type ParamsFn = Callable[[Mapping[str, Any], TelecomXCoordinator], dict[str, Any]]


def _no_params(
    data: Mapping[str, Any], coordinator: TelecomXCoordinator
) -> dict[str, Any]:
    return {}


def _message(
    data: Mapping[str, Any], coordinator: TelecomXCoordinator
) -> dict[str, Any]:
    return {
        "message": data[ATTR_MESSAGE],
        "notify": data.get(ATTR_NOTIFY),
        "repeat": data.get(ATTR_REPEAT),
    }


def _video(data: Mapping[str, Any], coordinator: TelecomXCoordinator) -> dict[str, Any]:
    return {"video": data[ATTR_VIDEO], "message": data.get(ATTR_MESSAGE)}


def _channel(
    data: Mapping[str, Any], coordinator: TelecomXCoordinator
) -> dict[str, Any]:
    reference = str(data[ATTR_CHANNEL])
    channel = find_channel(coordinator.data.channels, reference)
    # An id the channel list does not show is left to the cloud to judge (422).
    return {"channel": channel.channel_id if channel else reference}


def _radio(data: Mapping[str, Any], coordinator: TelecomXCoordinator) -> dict[str, Any]:
    return {"radiochannel": data[ATTR_RADIO_CHANNEL]}


def _volume(
    data: Mapping[str, Any], coordinator: TelecomXCoordinator
) -> dict[str, Any]:
    return {"volume": data[ATTR_VOLUME]}


def _keys(data: Mapping[str, Any], coordinator: TelecomXCoordinator) -> dict[str, Any]:
    return {"keys": key_names(data[ATTR_KEYS])}


def _admin(data: Mapping[str, Any], coordinator: TelecomXCoordinator) -> dict[str, Any]:
    return {
        "script": data.get(ATTR_SCRIPT),
        "js": data.get(ATTR_JS),
        "firmware": data.get(ATTR_FIRMWARE),
        "port": data.get(ATTR_PORT),
        "debugserver": data.get(ATTR_DEBUG_SERVER),
    }


def _when(data: Mapping[str, Any]) -> datetime | None:
    when: datetime | None = data.get(ATTR_WHEN)
    return None if when is None else dt_util.as_utc(when)


def _handler(
    action_type: ActionType | None, params: ParamsFn
) -> Callable[[HomeAssistant, ServiceCall], Any]:
    async def _async_handle(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
        kind = action_type or ActionType(call.data[ATTR_TYPE])
        when = _when(call.data)
        responses: list[dict[str, Any]] = []
        for targets in resolve_targets(hass, call):
            coordinator = targets.coordinator
            action = build_action(kind, params(call.data, coordinator))
            requests = plan(
                coordinator, targets.box_ids, targets.group_ids, merge=when is None
            )
            responses.append(await async_run(requests, action, when))
            if kind is ActionType.SCREENSHOT:
                for request in requests:
                    coordinator.screenshot_requested(
                        None if request.group else request.target_id
                    )
        return _combined(responses)

    return _async_handle


def _combined(responses: list[dict[str, Any]]) -> dict[str, Any]:
    if len(responses) == 1:
        return responses[0]
    return {
        "type": responses[0]["type"],
        "boxes_scheduled": sum(item["boxes_scheduled"] for item in responses),
        "boxes_skipped": sum(item["boxes_skipped"] for item in responses),
        "requests": [row for item in responses for row in item["requests"]],
    }


_COMMANDS: dict[str, tuple[ActionType, dict[vol.Marker, Any], ParamsFn]] = {
    "iptv_send_message": (
        ActionType.MESSAGE,
        {
            vol.Required(ATTR_MESSAGE): cv.string,
            vol.Optional(ATTR_NOTIFY): vol.All(
                vol.Upper, vol.In([mode.value for mode in NotifyMode])
            ),
            vol.Optional(ATTR_REPEAT): cv.boolean,
        },
        _message,
    ),
    "iptv_play_video": (
        ActionType.VIDEO,
        {vol.Required(ATTR_VIDEO): cv.string, vol.Optional(ATTR_MESSAGE): cv.string},
        _video,
    ),
    "iptv_play_channel": (
        ActionType.PLAYCHANNEL,
        {vol.Required(ATTR_CHANNEL): cv.string},
        _channel,
    ),
    "iptv_play_radio_channel": (
        ActionType.PLAYRADIOCHANNEL,
        {vol.Required(ATTR_RADIO_CHANNEL): cv.string},
        _radio,
    ),
    "iptv_set_volume": (
        ActionType.VOLUME,
        {vol.Required(ATTR_VOLUME): vol.All(vol.Coerce(int), vol.Range(0, 100))},
        _volume,
    ),
    "iptv_send_keys": (
        ActionType.EMULATEKEYS,
        {vol.Required(ATTR_KEYS): vol.All(cv.ensure_list, [cv.string])},
        _keys,
    ),
    "iptv_reboot": (ActionType.REBOOT, {}, _no_params),
    "iptv_switch_off": (ActionType.SWITCH_OFF, {}, _no_params),
    "iptv_reload_ui": (ActionType.UI, {}, _no_params),
    "iptv_update_channels": (ActionType.CHANNELS, {}, _no_params),
    "iptv_update_dvb": (ActionType.DVB, {}, _no_params),
    "iptv_take_screenshot": (ActionType.SCREENSHOT, {}, _no_params),
}

SERVICE_RUN_ACTION = "iptv_run_action"

RUN_ACTION_SCHEMA = vol.Schema(
    {
        **_TARGET,
        vol.Required(ATTR_TYPE): vol.All(
            vol.Upper, vol.In([kind.value for kind in ADMIN_TYPES])
        ),
        vol.Optional(ATTR_SCRIPT): cv.string,
        vol.Optional(ATTR_JS): cv.string,
        vol.Optional(ATTR_FIRMWARE): cv.string,
        vol.Optional(ATTR_PORT): cv.port,
        vol.Optional(ATTR_DEBUG_SERVER): cv.string,
    }
)

TELECOMX_ACTIONS: tuple[ActionSpec, ...] = (
    *(
        ActionSpec(
            name=name,
            schema=vol.Schema({**_TARGET, **fields}),
            handler=_handler(action_type, params),
            supports_response=SupportsResponse.OPTIONAL,
        )
        for name, (action_type, fields, params) in _COMMANDS.items()
    ),
    # Scripts, JavaScript, firmware and remote management change the boxes
    # themselves: administrators only.
    ActionSpec(
        name=SERVICE_RUN_ACTION,
        schema=RUN_ACTION_SCHEMA,
        handler=_handler(None, _admin),
        admin_only=True,
    ),
)
