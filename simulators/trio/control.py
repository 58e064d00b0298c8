"""HTTP control API of the Trio simulator, for tests and demos in another process.

Plain HTTP on loopback, JSON in and out:

    GET    /phones                          every phone: host, MAC, fingerprint, calls
    POST   /reset                           everything back to initial
    POST   /phones/{host}/fault             {"mode": "slow", "delay": 5}
    POST   /phones/{host}/incoming          {"number": "2000", "name": "Alice"} -> handle
    POST   /phones/{host}/hangup            {"handle": "41c2c008"} (optional)
    POST   /phones/{host}/settings          any of rest_enabled, default_password,
                                            default_password_style (json/text/plain),
                                            default_password_http_status,
                                            dtmf_keys (["Digits", "digits"]),
                                            require_ref, auth, busy, registered,
                                            processing_delay
    POST   /phones/{host}/certificate       new certificate -> fingerprint
    GET    /phones/{host}/log               request log (never the password)
    GET    /phones/{host}/notifications     telephony events sent/refused/failed
    DELETE /phones/{host}/log
"""

from __future__ import annotations

from aiohttp import web

from ..common import fault_request, json_body, records_response
from .server import SUPPORTED_FAULTS, TrioSimulator
from .state import AuthMode, BusyMode, DefaultPasswordStyle


def make_app(sim: TrioSimulator) -> web.Application:
    """The control application for ``sim``."""
    routes = web.RouteTableDef()

    def host_of(request: web.Request) -> str:
        host = request.match_info["host"]
        if host not in sim.hosts:
            raise web.HTTPNotFound(text="unknown phone")
        return host

    @routes.get("/phones")
    async def phones(_request: web.Request) -> web.Response:
        return web.json_response(
            [
                {
                    "host": host,
                    "mac": sim.phone(host).spec.mac,
                    "fingerprint": sim.fingerprint(host),
                    "calls": [c.handle_v2 for c in sim.phone(host).calls.values()],
                    "muted": sim.phone(host).muted,
                }
                for host in sim.hosts
            ]
        )

    @routes.post("/reset")
    async def reset(_request: web.Request) -> web.Response:
        sim.reset()
        return web.json_response({"ok": True})

    @routes.post("/phones/{host}/fault")
    async def fault(request: web.Request) -> web.Response:
        data = await json_body(request)
        mode, delay = fault_request(data, SUPPORTED_FAULTS)
        sim.set_fault(mode, host_of(request), delay)
        return web.json_response({"ok": True})

    @routes.post("/phones/{host}/incoming")
    async def incoming(request: web.Request) -> web.Response:
        data = await json_body(request)
        handle = sim.inject_incoming(
            host_of(request),
            str(data.get("number", "2000")),
            str(data.get("name", "")),
            int(data.get("line", 1)),
        )
        return web.json_response({"handle": handle})

    @routes.post("/phones/{host}/hangup")
    async def hangup(request: web.Request) -> web.Response:
        data = await json_body(request)
        ok = sim.remote_hangup(host_of(request), data.get("handle"))
        return web.json_response({"ok": ok})

    @routes.post("/phones/{host}/settings")
    async def settings(request: web.Request) -> web.Response:
        data = await json_body(request)
        state = sim.phone(host_of(request))
        if "rest_enabled" in data:
            state.rest_enabled = bool(data["rest_enabled"])
        if "default_password" in data:
            state.default_password = bool(data["default_password"])
        if "default_password_style" in data:
            state.default_password_style = DefaultPasswordStyle(
                data["default_password_style"]
            )
        if "default_password_http_status" in data:
            state.default_password_http_status = int(
                data["default_password_http_status"]
            )
        if "dtmf_keys" in data:
            state.dtmf_keys = tuple(str(key) for key in data["dtmf_keys"])
        if "require_ref" in data:
            state.require_ref = bool(data["require_ref"])
        if "auth" in data:
            state.auth = AuthMode(data["auth"])
        if "busy" in data:
            state.busy = BusyMode(data["busy"])
        if "registered" in data:
            state.registered = bool(data["registered"])
        if "processing_delay" in data:
            state.processing_delay = float(data["processing_delay"])
        return web.json_response({"ok": True})

    @routes.post("/phones/{host}/certificate")
    async def certificate(request: web.Request) -> web.Response:
        return web.json_response(
            {"fingerprint": await sim.new_certificate(host_of(request))}
        )

    @routes.get("/phones/{host}/log")
    async def log(request: web.Request) -> web.Response:
        host = host_of(request)
        return records_response(sim.requests(host))

    @routes.get("/phones/{host}/notifications")
    async def notifications(request: web.Request) -> web.Response:
        host = host_of(request)
        return records_response(sim.notifications(host))

    @routes.delete("/phones/{host}/log")
    async def clear_log(request: web.Request) -> web.Response:
        host = host_of(request)
        sim.request_log[:] = [r for r in sim.request_log if r.host != host]
        return web.json_response({"ok": True})

    app = web.Application()
    app.add_routes(routes)
    return app
