"""Actions of Poly Trio phones: call control, key and screen simulation, configuration.

Every action targets devices, entities or areas and runs once per targeted phone
through the coordinator's ``async_command`` (errors translated, state refreshed).
Call actions act on a given call reference, else on the call the action is about
(the ringing one to answer, the held one to resume, the current one otherwise).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Any, cast

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from ..const import DOMAIN, KIND_TRIO
from ..protocol.trio import (
    Call,
    ConfigResetTarget,
    TouchType,
    TrioClient,
)
from ..services import ActionSpec, async_fan_out, async_target_entries
from .coordinator import TrioData, TrioRuntime

ATTR_CALL_REFERENCE = "call_reference"
ATTR_DESTINATION = "destination"
ATTR_LINE = "line"
ATTR_DIGITS = "digits"
ATTR_MUTED = "muted"
ATTR_KEY = "key"
ATTR_TEXT = "text"
ATTR_REPLACE = "replace"
ATTR_X = "x"
ATTR_Y = "y"
ATTR_TO_X = "to_x"
ATTR_TO_Y = "to_y"
ATTR_DURATION = "duration"
ATTR_NAMES = "names"
ATTR_VALUES = "values"
ATTR_TARGET = "target"
ATTR_URL = "url"
ATTR_ADDRESS = "address"
ATTR_USER = "user"
ATTR_PASSWORD = "password"  # noqa: S105 - a field name
ATTR_DOMAIN = "domain"

DTMF_CHARACTERS = frozenset("0123456789*#")


def _schema(fields: dict[vol.Marker, Any] | None = None) -> vol.Schema:
    return vol.Schema(cv.make_entity_service_schema(fields or {}))


_CALL_SCHEMA = _schema({vol.Optional(ATTR_CALL_REFERENCE): cv.string})


async def _async_runtimes(hass: HomeAssistant, call: ServiceCall) -> list[TrioRuntime]:
    entries = await async_target_entries(hass, call, KIND_TRIO)
    return [entry.runtime_data for entry in entries]


async def _async_run(
    hass: HomeAssistant,
    call: ServiceCall,
    command: Callable[[TrioRuntime], Awaitable[Callable[[TrioClient], Awaitable[Any]]]],
) -> list[Any]:
    """Run one command per targeted phone (built per phone: it may need its state)."""
    runtimes = await _async_runtimes(hass, call)

    async def run(runtime: TrioRuntime) -> Any:
        return await runtime.calls.async_command(await command(runtime))

    return await async_fan_out(runtimes, run)


async def _async_reference(
    runtime: TrioRuntime, call: ServiceCall, pick: Callable[[TrioData], Call | None]
) -> str:
    """The call reference given, else the phone's call this action is about.

    The state may be a poll interval old: without a call in it, one fresh look at the
    phone comes before the answer "no call".
    """
    if (reference := call.data.get(ATTR_CALL_REFERENCE)) is not None:
        return str(reference)
    current = pick(runtime.calls.data)
    if current is None:
        await runtime.calls.async_refresh()
        current = pick(runtime.calls.data)
    if current is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="trio_no_current_call",
            translation_placeholders={"name": runtime.device_name},
        )
    return current.handle


def _call_action(
    name: str,
    pick: Callable[[TrioData], Call | None],
    send: Callable[[TrioClient, str], Awaitable[None]],
) -> ActionSpec:
    async def handler(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
        async def command(
            runtime: TrioRuntime,
        ) -> Callable[[TrioClient], Awaitable[None]]:
            reference = await _async_reference(runtime, call, pick)
            return lambda client: send(client, reference)

        await _async_run(hass, call, command)
        return None

    return ActionSpec(name=name, schema=_CALL_SCHEMA, handler=handler)


def _ringing(data: TrioData) -> Call | None:
    return data.ringing_call


def _current(data: TrioData) -> Call | None:
    return data.current_call


def _connected(data: TrioData) -> Call | None:
    return next(
        (call for call in data.calls if not call.state.on_hold), data.current_call
    )


def _held(data: TrioData) -> Call | None:
    return data.held_call


def _simple(
    name: str,
    schema: vol.Schema,
    command: Callable[[ServiceCall], Callable[[TrioClient], Awaitable[Any]]],
    *,
    admin_only: bool = False,
) -> ActionSpec:
    async def handler(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
        send = command(call)

        async def same_for_all(
            _runtime: TrioRuntime,
        ) -> Callable[[TrioClient], Awaitable[Any]]:
            return send

        await _async_run(hass, call, same_for_all)
        return None

    return ActionSpec(name=name, schema=schema, handler=handler, admin_only=admin_only)


# -- validation ------------------------------------------------------------------------


def _digits(call: ServiceCall) -> str:
    digits = str(call.data[ATTR_DIGITS]).strip()
    if not digits or not set(digits) <= DTMF_CHARACTERS:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="trio_invalid_digits",
            translation_placeholders={"digits": digits[:40]},
        )
    return digits


def _send_dtmf(call: ServiceCall) -> Callable[[TrioClient], Awaitable[None]]:
    digits = _digits(call)
    return lambda client: client.send_dtmf(digits)


def _dial(call: ServiceCall) -> Callable[[TrioClient], Awaitable[None]]:
    destination = str(call.data[ATTR_DESTINATION]).strip()
    if not destination:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="trio_no_destination"
        )
    line = call.data.get(ATTR_LINE, 1)
    return lambda client: client.dial(destination, line=line)


def _touch(call: ServiceCall) -> Callable[[TrioClient], Awaitable[None]]:
    positions = [(call.data[ATTR_X], call.data[ATTR_Y])]
    swipe = ATTR_TO_X in call.data or ATTR_TO_Y in call.data
    if swipe:
        if ATTR_TO_X not in call.data or ATTR_TO_Y not in call.data:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="trio_swipe_needs_both"
            )
        positions.append((call.data[ATTR_TO_X], call.data[ATTR_TO_Y]))
    touch_type = TouchType.SWIPE if swipe else TouchType.TAP
    duration = call.data.get(ATTR_DURATION)
    return lambda client: client.simulate_touch(
        positions, touch_type=touch_type, duration_ms=duration
    )


def _set_config(call: ServiceCall) -> Callable[[TrioClient], Awaitable[None]]:
    values = call.data[ATTR_VALUES]
    if not isinstance(values, dict) or not values:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="trio_no_values"
        )
    clean = {str(name): str(value) for name, value in values.items()}
    return lambda client: client.set_config(clean)


def _config_reset(call: ServiceCall) -> Callable[[TrioClient], Awaitable[None]]:
    target = call.data.get(ATTR_TARGET)
    reset_target = None if target is None else ConfigResetTarget(target)
    return lambda client: client.config_reset(reset_target)


def _skype_sign_in(call: ServiceCall) -> Callable[[TrioClient], Awaitable[None]]:
    data = call.data
    return lambda client: client.skype_sign_in(
        data[ATTR_ADDRESS],
        data[ATTR_USER],
        data[ATTR_PASSWORD],
        domain=data.get(ATTR_DOMAIN, ""),
    )


# -- actions with response data ----------------------------------------------------------


def _getter(
    name: str,
    schema: vol.Schema,
    read: Callable[[ServiceCall], Callable[[TrioClient], Awaitable[Any]]],
) -> ActionSpec:
    async def handler(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
        runtimes = await _async_runtimes(hass, call)
        fetch = read(call)

        async def run(runtime: TrioRuntime) -> dict[str, Any]:
            result = await runtime.calls.async_command(fetch)
            return {
                "device_id": runtime.calls.device_id,
                "name": runtime.device_name,
                **result,
            }

        results = await async_fan_out(runtimes, run)
        response: ServiceResponse = {"results": cast(list[Any], results)}
        return response if call.return_response else None

    return ActionSpec(
        name=name,
        schema=schema,
        handler=handler,
        supports_response=SupportsResponse.OPTIONAL,
    )


def _get_config(call: ServiceCall) -> Callable[[TrioClient], Awaitable[Any]]:
    names = [str(name) for name in call.data[ATTR_NAMES]]
    if not names:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="trio_no_names"
        )

    async def read(client: TrioClient) -> dict[str, Any]:
        values = await client.get_config(names)
        return {
            "values": {name: value.value for name, value in values.values.items()},
            "invalid": list(values.invalid),
        }

    return read


def _get_call_logs(_call: ServiceCall) -> Callable[[TrioClient], Awaitable[Any]]:
    async def read(client: TrioClient) -> dict[str, Any]:
        logs = await client.call_logs()
        return {
            kind: [_plain(asdict(entry)) for entry in getattr(logs, kind)]
            for kind in ("missed", "received", "placed")
        }

    return read


def _get_line_info(_call: ServiceCall) -> Callable[[TrioClient], Awaitable[Any]]:
    async def read(client: TrioClient) -> dict[str, Any]:
        return {"lines": [_plain(asdict(line)) for line in await client.line_info_v2()]}

    return read


def _plain(value: Any) -> Any:
    """Response data must be JSON: enums to values, durations to seconds, times ISO."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "total_seconds"):
        return value.total_seconds()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, str | int | float | bool):
        return value.value
    if isinstance(value, str) and hasattr(value, "value"):
        return str(value.value)
    return value


async def _async_transfer(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    destination = str(call.data[ATTR_DESTINATION]).strip()
    if not destination:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="trio_no_destination"
        )

    async def command(runtime: TrioRuntime) -> Callable[[TrioClient], Awaitable[None]]:
        reference = await _async_reference(runtime, call, _current)
        return lambda client: client.transfer(reference, destination)

    await _async_run(hass, call, command)
    return None


_COORD = vol.All(vol.Coerce(int), vol.Range(min=0, max=10_000))

TRIO_ACTIONS: tuple[ActionSpec, ...] = (
    _simple(
        "trio_dial",
        _schema(
            {
                vol.Required(ATTR_DESTINATION): cv.string,
                vol.Optional(ATTR_LINE): vol.All(
                    vol.Coerce(int), vol.Range(min=1, max=48)
                ),
            }
        ),
        _dial,
    ),
    _call_action("trio_answer_call", _ringing, lambda c, ref: c.answer(ref)),
    _call_action("trio_ignore_call", _ringing, lambda c, ref: c.ignore(ref)),
    _call_action("trio_reject_call", _ringing, lambda c, ref: c.reject(ref)),
    _call_action("trio_end_call", _current, lambda c, ref: c.end_call(ref)),
    _call_action("trio_hold_call", _connected, lambda c, ref: c.hold(ref)),
    _call_action("trio_resume_call", _held, lambda c, ref: c.resume(ref)),
    ActionSpec(
        name="trio_transfer_call",
        schema=_schema(
            {
                vol.Optional(ATTR_CALL_REFERENCE): cv.string,
                vol.Required(ATTR_DESTINATION): cv.string,
            }
        ),
        handler=_async_transfer,
    ),
    _simple(
        "trio_send_dtmf", _schema({vol.Required(ATTR_DIGITS): cv.string}), _send_dtmf
    ),
    _simple(
        "trio_set_mute",
        _schema({vol.Required(ATTR_MUTED): cv.boolean}),
        lambda call: lambda client: client.mute(call.data[ATTR_MUTED]),
    ),
    _simple(
        "trio_simulate_key",
        _schema({vol.Required(ATTR_KEY): cv.string}),
        lambda call: lambda client: client.simulate_key_event(call.data[ATTR_KEY]),
    ),
    _simple(
        "trio_simulate_text",
        _schema(
            {
                vol.Required(ATTR_TEXT): cv.string,
                vol.Optional(ATTR_REPLACE, default=False): cv.boolean,
            }
        ),
        lambda call: (
            lambda client: client.simulate_text_input(
                call.data[ATTR_TEXT], replace=call.data[ATTR_REPLACE]
            )
        ),
    ),
    _simple(
        "trio_simulate_touch",
        _schema(
            {
                vol.Required(ATTR_X): _COORD,
                vol.Required(ATTR_Y): _COORD,
                vol.Optional(ATTR_TO_X): _COORD,
                vol.Optional(ATTR_TO_Y): _COORD,
                vol.Optional(ATTR_DURATION): vol.All(
                    vol.Coerce(int), vol.Range(min=1, max=60_000)
                ),
            }
        ),
        _touch,
    ),
    _getter(
        "trio_get_config",
        _schema({vol.Required(ATTR_NAMES): vol.All(cv.ensure_list, [cv.string])}),
        _get_config,
    ),
    _getter("trio_get_call_logs", _schema(), _get_call_logs),
    _getter("trio_get_line_info", _schema(), _get_line_info),
    _simple(
        "trio_set_config",
        _schema({vol.Required(ATTR_VALUES): dict}),
        _set_config,
        admin_only=True,
    ),
    _simple(
        "trio_config_reset",
        _schema(
            {vol.Optional(ATTR_TARGET): vol.In([t.value for t in ConfigResetTarget])}
        ),
        _config_reset,
        admin_only=True,
    ),
    _simple(
        "trio_factory_reset",
        _schema(),
        lambda _call: lambda client: client.factory_reset(),
        admin_only=True,
    ),
    _simple(
        "trio_upload_background_capture",
        _schema({vol.Optional(ATTR_URL): cv.url}),
        lambda call: (
            lambda client: client.upload_background_capture(call.data.get(ATTR_URL))
        ),
        admin_only=True,
    ),
    _simple(
        "trio_skype_sign_in",
        _schema(
            {
                vol.Required(ATTR_ADDRESS): cv.string,
                vol.Required(ATTR_USER): cv.string,
                vol.Required(ATTR_PASSWORD): cv.string,
                vol.Optional(ATTR_DOMAIN, default=""): cv.string,
            }
        ),
        _skype_sign_in,
        admin_only=True,
    ),
    _simple(
        "trio_skype_sign_out",
        _schema(),
        lambda _call: lambda client: client.skype_sign_out(),
        admin_only=True,
    ),
)
