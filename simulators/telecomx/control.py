"""JSON control API of the simulator process (aiohttp.web, its own port)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..common import fault_request, json_body, records_response, serve_app
from .server import ScreenshotFault, TelecomXSimulator
from .state import Box

SIM_KEY: web.AppKey[TelecomXSimulator] = web.AppKey("sim", TelecomXSimulator)


def _box(box: Box) -> dict[str, Any]:
    return {
        **box.to_json(),
        "queued": [
            {"actionId": q.action_id, "type": q.type, "params": q.params}
            for q in box.queue.values()
        ],
        "executed": len(box.executed),
        "powered": box.powered,
        "volume": box.volume,
        "channel": box.channel,
        "radioChannel": box.radio_channel,
        "hasScreenshot": box.screenshot is not None,
    }


async def _state(request: web.Request) -> web.Response:
    sim = request.app[SIM_KEY]
    world = sim.state.world
    return web.json_response(
        {
            "baseUrl": sim.base_url,
            "fault": sim.fault.value,
            "timeScale": sim.time_scale,
            "pending": sim.state.pending,
            "accounts": [
                {
                    "email": a.email,
                    "accessLevel": a.level,
                    "customer": a.customer_id,
                    "secondFactor": bool(a.sms_key or a.authenticator_token),
                }
                for a in world.accounts.values()
            ],
            "customers": [
                {
                    "_id": c.customer_id,
                    "name": c.name,
                    "features": sorted(c.features),
                    "reseller": c.reseller_id,
                }
                for c in world.customers.values()
            ],
            "groups": [
                {"_id": g.group_id, "name": g.name, "customer": g.customer_id}
                for g in world.groups.values()
            ],
            "radioChannels": world.radio_channels,
        }
    )


async def _boxes(request: web.Request) -> web.Response:
    sim = request.app[SIM_KEY]
    return web.json_response([_box(b) for b in sim.state.world.boxes.values()])


async def _executed(request: web.Request) -> web.Response:
    sim = request.app[SIM_KEY]
    try:
        box = sim.state.box(request.match_info["box"])
    except KeyError:
        raise web.HTTPNotFound(text="no such box") from None
    return records_response(box.executed)


async def _requests(request: web.Request) -> web.Response:
    sim = request.app[SIM_KEY]
    if request.method == "DELETE":
        sim.request_log.clear()
        return web.json_response({"ok": True})
    return records_response(sim.request_log)


async def _fault(request: web.Request) -> web.Response:
    sim = request.app[SIM_KEY]
    body = await json_body(request)
    mode, delay = fault_request(body)
    sim.set_fault(mode, delay, body.get("count"))
    return web.json_response({"fault": sim.fault.value})


async def _error(request: web.Request) -> web.Response:
    sim = request.app[SIM_KEY]
    body = await json_body(request)
    sim.inject_error(
        int(body.get("status", 500)),
        str(body.get("code", "internal_error")),
        str(body.get("message", "")),
        as_list=bool(body.get("asList", False)),
        count=int(body.get("count", 1)),
    )
    return web.json_response({"ok": True})


async def _settings(request: web.Request) -> web.Response:
    sim = request.app[SIM_KEY]
    body = await json_body(request)
    if "timeScale" in body:
        sim.time_scale = float(body["timeScale"])
    if "errorAsList" in body:
        sim.error_as_list = bool(body["errorAsList"])
    if "blacklisted" in body:
        sim.blacklisted = bool(body["blacklisted"])
    if "itemsKey" in body:
        sim.items_key = str(body["itemsKey"])
    if "screenshotFault" in body:
        sim.screenshot_fault = ScreenshotFault(str(body["screenshotFault"]))
    if "ignoreOffset" in body:
        sim.ignore_offset = bool(body["ignoreOffset"])
    for key, attribute in (
        ("secondFactorCode", "second_factor_code"),
        ("secondFactorMessage", "second_factor_message"),
        ("secondFactorInvalidCode", "second_factor_invalid_code"),
        ("secondFactorInvalidMessage", "second_factor_invalid_message"),
    ):
        if key in body:
            setattr(sim.state, attribute, str(body[key]))
    return web.json_response({"ok": True})


async def _expire(request: web.Request) -> web.Response:
    sim = request.app[SIM_KEY]
    body = await json_body(request)
    return web.json_response({"expired": sim.state.expire_tokens(body.get("email"))})


async def _flush(request: web.Request) -> web.Response:
    sim = request.app[SIM_KEY]
    return web.json_response({"executed": sim.state.flush()})


async def _reset(request: web.Request) -> web.Response:
    request.app[SIM_KEY].reset()
    return web.json_response({"ok": True})


def build_app(sim: TelecomXSimulator) -> web.Application:
    """The control API: state, boxes, logs, faults, settings."""
    app = web.Application()
    app[SIM_KEY] = sim
    app.router.add_get("/state", _state)
    app.router.add_get("/boxes", _boxes)
    app.router.add_get("/boxes/{box}/executed", _executed)
    app.router.add_route("GET", "/requests", _requests)
    app.router.add_route("DELETE", "/requests", _requests)
    app.router.add_post("/fault", _fault)
    app.router.add_post("/error", _error)
    app.router.add_post("/settings", _settings)
    app.router.add_post("/tokens/expire", _expire)
    app.router.add_post("/flush", _flush)
    app.router.add_post("/reset", _reset)
    return app


async def start_control(sim: TelecomXSimulator, host: str, port: int) -> web.AppRunner:
    """Serve the control API on a loopback ``host:port``; returns the runner."""
    return await serve_app(build_app(sim), host, port)
