"""Where a user's action becomes cloud requests: one group action where it can.

Entities and actions both come here. A call that targets every known box of a
configured group sends ONE group action for it; the remaining boxes get one
single-box action each. Nothing is retried, and nothing changes what Home Assistant
shows: the cloud only schedules (boxes carry actions out 1-60 s later, and skip a
type already queued), so the answer counts boxes scheduled and skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from ..const import DOMAIN
from ..coordinator import command_error
from ..protocol.telecomx import (
    Action,
    ActionResult,
    ActionType,
    TelecomXCommandError,
    TelecomXError,
    TelecomXNotFoundError,
    TelecomXPermissionError,
    TelecomXValidationError,
    required_access,
)
from ..services import async_fan_out
from .coordinator import TelecomXCoordinator


def translate_error(
    coordinator: TelecomXCoordinator, err: TelecomXError, name: str
) -> HomeAssistantError:
    """The translated error a user sees for ``err`` on target ``name``.

    The shared mapping (``command_error``) with this family's extra placeholders. A
    rejected token starts re-authentication (once: Home Assistant keeps a single
    reauth flow per entry; we never log in again by ourselves).
    """
    extra: dict[str, str] = {}
    if isinstance(err, TelecomXValidationError):
        extra["parameter"] = err.parameter
    elif isinstance(err, TelecomXPermissionError):
        extra["required"] = err.required or "?"
        extra["level"] = coordinator.access_level.wire
    elif isinstance(err, TelecomXNotFoundError):
        extra["what"] = err.what
    if isinstance(err, TelecomXCommandError):
        # Some refusals carry no message of their own: their name reads better than "".
        extra["message"] = err.message or err.name
    return command_error(
        coordinator.hass,
        coordinator.config_entry,
        err,
        family="telecomx",
        device_name=name,
        auth_translation_key="telecomx_token_invalid",
        validation_kinds={TelecomXValidationError.kind},
        placeholders=extra,
    )


def build_action(
    action_type: ActionType, params: dict[str, Any] | None = None
) -> Action:
    """Validate an action before anything is sent (bad input: a validation error)."""
    try:
        return Action.build(action_type, params or {})
    except TelecomXValidationError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="telecomx_invalid_parameter",
            translation_placeholders={
                "name": action_type.value,
                "parameter": err.parameter,
                "message": err.message,
            },
        ) from err


def check_allowed(coordinator: TelecomXCoordinator, action_type: ActionType) -> None:
    """Refuse an action type the account's level and features do not allow."""
    if not coordinator.may(action_type):
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="telecomx_action_not_allowed",
            translation_placeholders={
                "name": coordinator.device_name,
                "action": action_type.value,
                "level": coordinator.access_level.wire,
                "required": required_access(action_type),
            },
        )


@dataclass(frozen=True, slots=True)
class Request:
    """One request of a plan: a group action (``group``) or a single-box action."""

    coordinator: TelecomXCoordinator
    target_id: str
    name: str
    group: bool

    @property
    def device_name(self) -> str:
        """The target's name for messages."""
        return self.name


def plan(
    coordinator: TelecomXCoordinator,
    box_ids: Iterable[str],
    group_ids: Iterable[str | None],
    *,
    merge: bool = True,
) -> list[Request]:
    """The fewest requests that reach the targeted boxes and groups of one account.

    Groups targeted directly are one request each (None: "All boxes"). Boxes already
    reached by them are dropped; the rest, when it is every box of the account, is the
    group ALL; else every configured group whose known boxes are all targeted (and not
    yet reached) becomes one group action, biggest first.
    """
    requests: list[Request] = []
    data = coordinator.data
    reached: set[str] = set()
    for group_id in dict.fromkeys(group_ids):
        target = coordinator.group_target(group_id)
        requests.append(Request(coordinator, target.group_id, target.name, True))
        if group_id is None:
            reached.update(data.boxes)
        else:
            reached.update(box.device_id for box in data.boxes_in(group_id))
    remaining = {box_id for box_id in box_ids if box_id not in reached}
    if merge and len(remaining) > 1 and remaining == set(data.boxes):
        # Every box of the account: the group ALL is the same set, in one request.
        target = coordinator.group_target(None)
        requests.append(Request(coordinator, target.group_id, target.name, True))
        remaining = set()
    if merge and len(remaining) > 1:
        candidates = sorted(
            (
                (group_id, {box.device_id for box in data.boxes_in(group_id)})
                for group_id in coordinator.groups
            ),
            key=lambda item: (-len(item[1]), item[0]),
        )
        for group_id, members in candidates:
            if len(members) > 1 and members <= remaining:
                target = coordinator.group_target(group_id)
                requests.append(
                    Request(coordinator, target.group_id, target.name, True)
                )
                remaining -= members
    for box_id in sorted(remaining):
        box = data.boxes.get(box_id)
        requests.append(
            Request(coordinator, box_id, box.name if box else box_id, False)
        )
    return requests


async def async_send(
    request: Request, action: Action, when: datetime | None = None
) -> ActionResult:
    """Send one request (never retried); errors become translated errors."""
    coordinator = request.coordinator
    try:
        if request.group:
            return await coordinator.client.group_action(request.target_id, action)
        return await coordinator.client.device_action(
            request.target_id, action, when=when
        )
    except TelecomXError as err:
        raise translate_error(coordinator, err, request.name) from err


def describe(request: Request, result: ActionResult) -> dict[str, Any]:
    """What one request scheduled, for the action's response."""
    scheduled = result.devices
    skipped = result.skipped
    if not request.group:
        # The single-box answer may lack counts: success means the one box.
        scheduled = scheduled if scheduled is not None else int(result.success)
        skipped = skipped if skipped is not None else int(not result.success)
    row: dict[str, Any] = {
        "target": request.name,
        "group" if request.group else "box": request.target_id,
        "scheduled": scheduled or 0,
        "skipped": skipped or 0,
    }
    if result.action_id:
        row["action_id"] = result.action_id
    return row


async def async_run(
    requests: list[Request], action: Action, when: datetime | None = None
) -> dict[str, Any]:
    """Send every request of a plan at once; the response counts what was scheduled."""
    for request in requests:
        check_allowed(request.coordinator, action.type)
    if when is not None and any(request.group for request in requests):
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="telecomx_when_single_box"
        )
    results = await async_fan_out(
        requests, lambda request: async_send(request, action, when)
    )
    rows = [
        describe(request, result)
        for request, result in zip(requests, results, strict=True)
    ]
    return {
        "type": action.type.value,
        "boxes_scheduled": sum(row["scheduled"] for row in rows),
        "boxes_skipped": sum(row["skipped"] for row in rows),
        "requests": rows,
    }
