"""Registration of every family's actions, and what their handlers share.

A family lists its actions as :class:`ActionSpec` rows; ``async_setup`` registers them
once. Handlers find the loaded entries a call targets (devices, entities or areas) with
:func:`async_target_entries` and run one command per device with :func:`async_fan_out`,
which reports every device that failed in one message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass
from functools import partial
import inspect
from typing import Any, Protocol

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import service
import voluptuous as vol

from .const import CONF_KIND, DOMAIN

type ActionHandler = Callable[
    [HomeAssistant, ServiceCall], Coroutine[Any, Any, ServiceResponse]
]


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionSpec:
    """One action of a family: its name, schema, handler and who may call it."""

    name: str
    schema: vol.Schema
    handler: ActionHandler
    supports_response: SupportsResponse = SupportsResponse.NONE
    # Destructive or configuration-changing actions are for administrators only.
    admin_only: bool = False


@callback
def async_register_actions(hass: HomeAssistant, actions: Iterable[ActionSpec]) -> None:
    """Register every action of every family (once, in ``async_setup``)."""
    for action in actions:
        handler = partial(action.handler, hass)
        if action.admin_only:
            # Admin actions answer nothing (the helper of 2025.4 takes no response).
            service.async_register_admin_service(
                hass,
                DOMAIN,
                action.name,
                partial(_async_no_response, handler),
                schema=action.schema,
            )
            continue
        hass.services.async_register(
            DOMAIN,
            action.name,
            handler,
            schema=action.schema,
            supports_response=action.supports_response,
        )


async def _async_no_response(
    handler: Callable[[ServiceCall], Awaitable[ServiceResponse]], call: ServiceCall
) -> None:
    await handler(call)


async def _async_target_entry_ids(call: ServiceCall) -> set[str]:
    """Config entry ids of the devices, entities and areas a call targets.

    Home Assistant 2025.4 takes ``(hass, call)``; later releases take ``(call)``
    (the call carries ``hass``). Both are supported releases of this integration.
    """
    extract: Callable[..., Awaitable[set[str]]] = service.async_extract_config_entry_ids
    if "hass" in inspect.signature(extract).parameters:
        return await extract(call.hass, call)
    return await extract(call)


async def async_target_entries(
    hass: HomeAssistant, call: ServiceCall, kind: str
) -> list[ConfigEntry[Any]]:
    """The loaded entries of family ``kind`` a call targets; none is an input error."""
    entries = [
        entry
        for entry_id in await _async_target_entry_ids(call)
        if (entry := hass.config_entries.async_get_entry(entry_id)) is not None
        and entry.domain == DOMAIN
        and entry.data.get(CONF_KIND) == kind
        and entry.state is ConfigEntryState.LOADED
    ]
    if not entries:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_target"
        )
    return entries


class NamedTarget(Protocol):
    """What a fan-out needs of each target: a name for its error messages."""

    @property
    def device_name(self) -> str:
        """The device's name."""


async def async_fan_out[TargetT: NamedTarget, ResultT](
    targets: list[TargetT], run: Callable[[TargetT], Awaitable[ResultT]]
) -> list[ResultT]:
    """Run ``run`` for every target at once; report every target that failed.

    One failing device must not stop the others; a single target's error is raised as
    it is, several are named in one message.
    """
    outcomes = await asyncio.gather(
        *(run(item) for item in targets), return_exceptions=True
    )
    failures = [
        (target, outcome)
        for target, outcome in zip(targets, outcomes, strict=True)
        if isinstance(outcome, BaseException)
    ]
    for _, outcome in failures:
        if not isinstance(outcome, Exception):
            raise outcome
    if len(failures) == 1 and len(targets) == 1:
        raise failures[0][1]
    if failures:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="fleet_failed",
            translation_placeholders={
                "failed": str(len(failures)),
                "total": str(len(targets)),
                "errors": "; ".join(
                    f"{item.device_name}: {error}" for item, error in failures
                ),
            },
        )
    return [outcome for outcome in outcomes if not isinstance(outcome, BaseException)]
