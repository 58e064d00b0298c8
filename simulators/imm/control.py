"""JSON control API of the simulator process (aiohttp.web)."""

from __future__ import annotations

import os
import time
from typing import Any

from aiohttp import web

from ..common import fault_request, json_body, records_response, serve_app
from .server import ImmSimulator
from .state import BLOCKING_SCOPES, SENSOR_TRIGGERS, SimulatedClient

SIM_KEY: web.AppKey[ImmSimulator] = web.AppKey("sim", ImmSimulator)
STARTED_KEY: web.AppKey[float] = web.AppKey("started", float)

#: Fields that ``POST /clients/{host}`` may change.
EDITABLE = {
    "key": str,
    "interaction_enabled": bool,
    "status": str,
    "name": str,
    "version": str,
    "free_space": str,
    "server_ip": str,
    "server_port": int,
    "server_status": str,
    "mqtt_status": str,
    "scheduled_program_id": int,
    "current_program_id": int,
    "blocking_scope": str,
    "sensor_trigger": str,
}


def _summary(sim: ImmSimulator, client: SimulatedClient) -> dict[str, Any]:
    fault, delay = sim.fault(client.host)
    return {
        "host": client.host,
        "id": client.client_id,
        "name": client.name,
        "status": client.status,
        "program": client.current_program_name,
        "program_id": client.current_program_id,
        "fault": fault.value,
        "fault_delay": delay,
    }


def _detail(sim: ImmSimulator, client: SimulatedClient) -> dict[str, Any]:
    return {
        **_summary(sim, client),
        "key": client.key,
        "interaction_enabled": client.interaction_enabled,
        "is_breaking": client.is_breaking,
        "scheduled_program_id": client.scheduled_program_id,
        "partition_playlists": {
            str(k): v for k, v in client.partition_playlists.items()
        },
        "partition_content": {
            str(k): list(v) for k, v in client.partition_content.items()
        },
        "labels": [[p, q, text] for (p, q), text in client.labels.items()],
        "sensor_values": [[n, o, v] for (n, o), v in client.sensor_values.items()],
        "playbacks": {
            target: [*p.command.describe(), p.command.behavior]
            for target, p in client.playbacks.items()
        },
        "queued": list(client.queued.command.describe()) if client.queued else None,
        "executed": [list(e) for e in client.executed],
        "server_ip": client.server_ip,
        "server_port": client.server_port,
        "server_status": client.server_status,
        "mqtt_status": client.mqtt_status,
        "blocking_scope": client.blocking_scope,
        "sensor_trigger": client.sensor_trigger,
        "version": client.version,
        "free_space": client.free_space,
    }


async def _clients(request: web.Request) -> web.Response:
    sim = request.app[SIM_KEY]
    return web.json_response([_summary(sim, c) for c in sim.clients])


def _lookup(request: web.Request) -> SimulatedClient:
    try:
        return request.app[SIM_KEY].client(request.match_info["host"])
    except KeyError as err:
        raise web.HTTPNotFound(text="unknown client") from err


async def _client_get(request: web.Request) -> web.Response:
    return web.json_response(_detail(request.app[SIM_KEY], _lookup(request)))


async def _client_post(request: web.Request) -> web.Response:
    client = _lookup(request)
    body = await json_body(request)
    for name, value in body.items():
        kind = EDITABLE.get(name)
        if kind is None or not isinstance(value, kind):
            raise web.HTTPBadRequest(text=f"bad field {name!r}")
        if name == "status" and value not in ("playing", "standby"):
            raise web.HTTPBadRequest(text="status must be playing or standby")
        if name == "blocking_scope" and value not in BLOCKING_SCOPES:
            raise web.HTTPBadRequest(text="blocking_scope must be client or partition")
        if name == "sensor_trigger" and value not in SENSOR_TRIGGERS:
            raise web.HTTPBadRequest(text="sensor_trigger must be change or every_push")
        setattr(client, name, value)
    return web.json_response(_detail(request.app[SIM_KEY], client))


async def _fault(request: web.Request) -> web.Response:
    sim = request.app[SIM_KEY]
    body = await json_body(request)
    mode, delay = fault_request(body)
    host = body.get("host")
    if host is not None and host not in sim.hosts:
        raise web.HTTPNotFound(text="unknown client")
    sim.set_fault(mode, host, delay)
    return web.json_response({"mode": mode.value, "host": host, "delay": delay})


async def _log(request: web.Request) -> web.Response:
    sim = request.app[SIM_KEY]
    try:
        limit = int(request.query.get("limit", "100"))
    except ValueError as err:
        raise web.HTTPBadRequest(text="bad limit") from err
    records = sim.request_log[-limit:] if limit > 0 else []
    return records_response(records)


async def _stats(request: web.Request) -> web.Response:
    sim = request.app[SIM_KEY]
    times = os.times()
    return web.json_response(
        {
            "clients": len(sim.hosts),
            "request_count": sim.request_count,
            "udp_probe_count": sim.udp_probe_count,
            "cpu_user": times.user,
            "cpu_system": times.system,
            "cpu_seconds": times.user + times.system,
            "uptime": time.monotonic() - request.app[STARTED_KEY],
        }
    )


async def _reset(request: web.Request) -> web.Response:
    request.app[SIM_KEY].reset()
    return web.json_response({"reset": True})


def build_app(sim: ImmSimulator) -> web.Application:
    """The control application."""
    app = web.Application()
    app[SIM_KEY] = sim
    app[STARTED_KEY] = time.monotonic()
    app.router.add_get("/clients", _clients)
    app.router.add_get("/clients/{host}", _client_get)
    app.router.add_post("/clients/{host}", _client_post)
    app.router.add_post("/fault", _fault)
    app.router.add_get("/log", _log)
    app.router.add_get("/stats", _stats)
    app.router.add_post("/reset", _reset)
    return app


async def start_control(sim: ImmSimulator, host: str, port: int) -> web.AppRunner:
    """Serve the control API on a loopback address; returns the runner."""
    return await serve_app(build_app(sim), host, port)
