"""Drive a real Home Assistant process over its REST API (scripts/develop, tests/e2e).

Everything here talks to addresses in 127.0.0.0/8 only. Used two ways:

* ``python scripts/lib/devhass.py prepare|provision ...`` from ``scripts/develop``;
* imported by ``tests/e2e`` (load it by path, see ``tests/e2e/test_real_hass.py``).

Onboarding, done the way the frontend's wizard does it, with one exception: the
wizard's "core_config" step makes Home Assistant set up the met, radio_browser,
google_translate and shopping_list integrations, and met and radio_browser reach
servers on the internet at once. So that step is never posted here: the config
directory is seeded with it marked done before the first start
(:func:`write_onboarding_seed`), and the core settings the wizard would have sent
are sent over the websocket API instead.

Keeping Home Assistant itself off the network: no ``default_config`` (zeroconf,
ssdp, dhcp, bluetooth, cloud), the integration's discovery pointed at loopback
targets, and only the loopback adapter enabled (:func:`write_network_seed`). With
both seeds and the configuration below, starting, running and stopping Home
Assistant sends nothing on a non-loopback interface (checked with tcpdump).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Iterable, Sequence
import contextlib
from dataclasses import dataclass
import json
import os
from pathlib import Path
import sys
import time
from typing import Any

import aiohttp

DOMAIN = "venue_av"
DEV_NAME = "Developer"
DEV_USERNAME = "dev"
DEV_PASSWORD = "dev"  # a local throwaway instance; printed on every start
DEFAULT_KEY = "0000"
MANUAL = "manual"
ADD_ALL = "all"  # the discovery step's "add all players found"
# Fields of the venue_av config flow.
FIELD_CLIENT = "client"
FIELD_HOST = "host"
FIELD_KEY = "interaction_key"
# What the frontend's onboarding core_config step would have set (Home Assistant's
# default location is Amsterdam; a country stops the "country not set" repair). Not in
# configuration.yaml, which would lock these settings in the UI.
CORE_CONFIG = {
    "location_name": "Venue AV (development)",
    "country": "NL",
    "unit_system": "metric",
    "currency": "EUR",
}
ONBOARDING_STORAGE_VERSION = 4
NETWORK_STORAGE_VERSION = 1

REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=30)


class DevHassError(Exception):
    """Something in the running Home Assistant is not as expected."""


# -- configuration directory ----------------------------------------------------------


def configuration_yaml(
    *,
    port: int,
    discovery_targets: Sequence[str],
    probe_port: int | None = None,
    frontend_dev_repo: str | None = None,
    develop: bool = False,
) -> str:
    """A configuration.yaml that loads no network discovery at all.

    ``develop`` adds what a person clicking around wants (history, logbook, media
    browser, editable automations and scripts). Otherwise, with
    ``frontend_dev_repo`` (an existing, empty folder) the frontend serves nothing
    and needs no package: Home Assistant always sets up ``frontend`` and falls into
    recovery mode if it cannot (recovery mode starts ``cloud`` and binds
    0.0.0.0:8123), and the real frontend is a package the test harness does not
    install. Without ``frontend_dev_repo`` the real frontend is loaded.
    """
    lines = [
        "# Written by scripts/lib/devhass.py. No default_config: zeroconf, ssdp, dhcp,",
        "# bluetooth and cloud would probe or reach the real network.",
        "homeassistant:",
        "  auth_providers:",
        "    - type: trusted_networks",
        "      trusted_networks: [127.0.0.1/32]",
        "      allow_bypass_login: true",
        "    - type: homeassistant",
        "http:",
        "  server_host: 127.0.0.1",
        f"  server_port: {port}",
        "api:",
        "config:",
        # The example dashboard's message box (an input_text helper) and its script.
        "input_text:",
        "script: !include scripts.yaml",
    ]
    if develop:
        lines += [
            "frontend:",
            "history:",
            "logbook:",
            "media_source:",
            "automation: !include automations.yaml",
            "scene: !include scenes.yaml",
        ]
    elif frontend_dev_repo is not None:
        lines += ["frontend:", f"  development_repo: {json.dumps(frontend_dev_repo)}"]
    else:  # the real frontend: needs home-assistant-frontend (requirements_dev.txt)
        lines += ["frontend:"]
    lines += [
        "logger:",
        "  default: warning",
        "  logs:",
        # debug shows every request to the clients
        f"    custom_components.venue_av: {'info' if develop else 'debug'}",
        # PyTurboJPEG is installed but the system's libturbojpeg is not: Home
        # Assistant logs a traceback on every start and falls back to Pillow.
        "    homeassistant.components.camera.img_util: critical",
        "venue_av:",
        "  broadcast_discovery: false",
        f"  discovery_targets: [{', '.join(discovery_targets)}]",
    ]
    if probe_port is not None:
        lines.append(f"  probe_port: {probe_port}")
    return "\n".join(lines) + "\n"


def write_onboarding_seed(config_dir: Path) -> bool:
    """Mark the core_config onboarding step done in a config dir never started yet.

    Returns False (and writes nothing) when the onboarding store already exists.
    """
    storage = config_dir / ".storage"
    path = storage / "onboarding"
    if path.exists():
        return False
    storage.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "version": ONBOARDING_STORAGE_VERSION,
                "minor_version": 1,
                "key": "onboarding",
                "data": {"done": ["core_config"]},
            },
            indent=2,
        )
    )
    return True


def loopback_adapters() -> list[str]:
    """Names of the network interfaces that carry 127.0.0.1 ("lo" on Linux)."""
    try:
        import ifaddr  # a requirement of Home Assistant's network integration

        names = [
            adapter.nice_name
            for adapter in ifaddr.get_adapters()
            if any(ip.ip == "127.0.0.1" for ip in adapter.ips)
        ]
    except (ImportError, OSError):
        names = []
    return names or ["lo"]


def write_network_seed(config_dir: Path) -> bool:
    """Enable only the loopback adapter in Home Assistant's network settings.

    Home Assistant's shared HTTP client session creates a zeroconf instance (for
    .local names) even without the zeroconf integration, and it joins the mDNS
    multicast groups on every enabled adapter: IGMP/MLD reports on the real network
    at every start and stop. With only loopback enabled it joins none. Written
    only while the setting does not exist (the network page of the UI changes it).
    """
    path = config_dir / ".storage" / "core.network"
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "version": NETWORK_STORAGE_VERSION,
                "minor_version": 1,
                "key": "core.network",
                "data": {"configured_adapters": loopback_adapters()},
            },
            indent=2,
        )
    )
    return True


def prepare_config_dir(
    config_dir: Path,
    integration_dir: Path,
    *,
    port: int,
    discovery_targets: Sequence[str],
    probe_port: int | None = None,
    develop: bool = False,
) -> None:
    """Create the config dir: configuration.yaml (only if missing), symlink, seeds."""
    config_dir.mkdir(parents=True, exist_ok=True)
    custom = config_dir / "custom_components"
    custom.mkdir(exist_ok=True)
    link = custom / DOMAIN
    if link.is_symlink() and link.resolve() != integration_dir.resolve():
        link.unlink()
    if not link.exists():
        link.symlink_to(integration_dir.resolve(), target_is_directory=True)
    if not develop:
        (config_dir / "no-frontend").mkdir(exist_ok=True)  # must be a directory
    yaml = config_dir / "configuration.yaml"
    if not yaml.exists():
        yaml.write_text(
            configuration_yaml(
                port=port,
                discovery_targets=discovery_targets,
                probe_port=probe_port,
                frontend_dev_repo=str(config_dir / "no-frontend"),
                develop=develop,
            )
        )
    files = [("scripts.yaml", "{}\n")]
    if develop:
        files += [("automations.yaml", "[]\n"), ("scenes.yaml", "[]\n")]
    for name, empty in files:
        if not (config_dir / name).exists():
            (config_dir / name).write_text(empty)
    # Only before the very first start: afterwards Home Assistant owns .storage.
    if not (config_dir / ".storage" / "core.config_entries").exists():
        write_onboarding_seed(config_dir)
    write_network_seed(config_dir)


# -- REST client ----------------------------------------------------------------------


@dataclass
class HassApi:
    """A Home Assistant base URL, an aiohttp session and (once known) a token."""

    session: aiohttp.ClientSession
    base_url: str
    token: str | None = None
    refresh_token: str | None = None

    @property
    def client_id(self) -> str:
        """The OAuth client id: the instance's own URL (no indieauth fetch)."""
        return f"{self.base_url}/"

    def _auth(self) -> dict[str, str]:
        if self.token is None:
            return {}
        return {"Authorization": f"Bearer {self.token}"}

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        data: Any = None,
        auth: bool = True,
        expect: Iterable[int] = (200, 201),
    ) -> Any:
        """Send one request; the decoded JSON (or text) of an expected status."""
        async with self.session.request(
            method,
            f"{self.base_url}{path}",
            json=json_body,
            data=data,
            headers=self._auth() if auth else {},
            timeout=REQUEST_TIMEOUT,
        ) as resp:
            body = await resp.text()
            if resp.status not in tuple(expect):
                raise DevHassError(f"{method} {path}: HTTP {resp.status}: {body[:500]}")
            if resp.content_type == "application/json":
                return json.loads(body) if body else None
            return body

    async def get(self, path: str, **kwargs: Any) -> Any:
        """GET ``path``."""
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        """POST JSON ``body`` to ``path``."""
        return await self.request("POST", path, json_body=body, **kwargs)

    # -- lifecycle ----------------------------------------------------------------------

    async def wait_until_up(
        self,
        timeout: float,
        *,
        alive: Callable[[], bool] | None = None,
        interval: float = 0.5,
    ) -> None:
        """Wait until the HTTP server answers. ``alive()`` False aborts the wait."""
        deadline = time.monotonic() + timeout
        while True:
            if alive is not None and not alive():
                raise DevHassError("Home Assistant stopped or failed to start")
            try:
                # Needs no authentication (a 401 would raise a "login attempt
                # failed" notification); answers 400 until onboarding has a user.
                async with self.session.get(
                    f"{self.base_url}/auth/providers",
                    timeout=aiohttp.ClientTimeout(total=5),
                ) as resp:
                    await resp.read()
                    return
            except (aiohttp.ClientError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise DevHassError(
                    f"Home Assistant did not answer on {self.base_url} in {timeout:g} s"
                )
            await asyncio.sleep(interval)

    async def wait_until_running(self, timeout: float, interval: float = 0.5) -> None:
        """Wait until Home Assistant reports RUNNING (needs the token).

        Raises at once if it started in recovery mode.
        """
        deadline = time.monotonic() + timeout
        state = None
        while time.monotonic() < deadline:
            config = await self.get("/api/config")
            if config.get("recovery_mode"):
                raise DevHassError(
                    "Home Assistant started in recovery mode (see its log: usually the "
                    "frontend failed to set up); it does not load the integration"
                )
            state = config.get("state")
            if state == "RUNNING":
                return
            await asyncio.sleep(interval)
        raise DevHassError(f"Home Assistant still {state} after {timeout:g} s")

    # -- authentication ----------------------------------------------------------------

    async def _token_from_code(self, code: str) -> None:
        tokens = await self.request(
            "POST",
            "/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
            auth=False,
        )
        self.token = tokens["access_token"]
        self.refresh_token = tokens.get("refresh_token")

    async def onboarding_steps(self) -> dict[str, bool] | None:
        """Onboarding steps and whether they are done.

        None when Home Assistant started onboarded (the views are not registered).
        """
        async with self.session.get(
            f"{self.base_url}/api/onboarding", timeout=REQUEST_TIMEOUT
        ) as resp:
            if resp.status == 404:  # the views exist only while onboarding runs
                return None
            if resp.status != 200:
                raise DevHassError(f"GET /api/onboarding: HTTP {resp.status}")
            return {step["step"]: step["done"] for step in await resp.json()}

    async def onboard(
        self,
        *,
        name: str = DEV_NAME,
        username: str = DEV_USERNAME,
        password: str = DEV_PASSWORD,
        language: str = "en",
    ) -> bool:
        """Finish onboarding as the wizard would, logging in; False if already done.

        The owner is created only if onboarding has no user yet; otherwise this logs
        in with ``username``/``password``. The core_config step is never posted (see
        the module docstring); it must have been seeded.
        """
        steps = await self.onboarding_steps()
        if steps is None:
            await self.login(username, password)
            return False
        if not steps.get("user"):
            result = await self.post(
                "/api/onboarding/users",
                {
                    "name": name,
                    "username": username,
                    "password": password,
                    "client_id": self.client_id,
                    "language": language,
                },
                auth=False,
            )
            await self._token_from_code(result["auth_code"])
        else:
            await self.login(username, password)
        if not steps.get("core_config"):
            raise DevHassError(
                "onboarding step core_config is not done: it is never posted here "
                "(it sets up integrations that reach the internet); seed the config "
                "dir with write_onboarding_seed() before the first start"
            )
        await self.set_core_config(CORE_CONFIG)
        if not steps.get("analytics"):
            await self.post("/api/onboarding/analytics", {})
        if not steps.get("integration"):
            await self.post(
                "/api/onboarding/integration",
                {
                    "client_id": self.client_id,
                    "redirect_uri": f"{self.base_url}/?auth_callback=1",
                },
            )
        return True

    async def login(self, username: str, password: str) -> None:
        """Log in with the homeassistant auth provider (the login flow)."""
        flow = await self.post(
            "/auth/login_flow",
            {
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": f"{self.base_url}/?auth_callback=1",
            },
            auth=False,
        )
        result = await self.post(
            f"/auth/login_flow/{flow['flow_id']}",
            {"client_id": self.client_id, "username": username, "password": password},
            auth=False,
        )
        if result.get("type") != "create_entry":
            raise DevHassError(f"login as {username!r} failed: {result}")
        await self._token_from_code(result["result"])

    # -- websocket -------------------------------------------------------------------

    async def ws_command(self, command: dict[str, Any]) -> Any:
        """Run one websocket command and return its result."""
        async with self.session.ws_connect(
            f"{self.base_url}/api/websocket",
            timeout=aiohttp.ClientWSTimeout(ws_close=10),
        ) as ws:
            hello = await ws.receive_json(timeout=30)
            if hello.get("type") != "auth_required":
                raise DevHassError(f"unexpected websocket greeting {hello}")
            await ws.send_json({"type": "auth", "access_token": self.token})
            auth = await ws.receive_json(timeout=30)
            if auth.get("type") != "auth_ok":
                raise DevHassError(f"websocket authentication failed: {auth}")
            await ws.send_json({"id": 1, **command})
            while True:
                message = await ws.receive_json(timeout=30)
                if message.get("id") == 1 and message.get("type") == "result":
                    break
        if not message.get("success"):
            raise DevHassError(f"{command['type']}: {message.get('error')}")
        return message.get("result")

    async def set_core_config(self, values: dict[str, Any]) -> None:
        """What the wizard's core_config page saves (country, units, ...)."""
        await self.ws_command({"type": "config/core/update", **values})

    async def create_long_lived_token(self, client_name: str) -> str:
        """A long-lived access token (for curl and the like)."""
        token: str = await self.ws_command(
            {
                "type": "auth/long_lived_access_token",
                "client_name": client_name,
                "lifespan": 3650,
            }
        )
        return token

    # -- config entries and the venue_av config flow ------------------------------------

    async def config_entries(self, domain: str = DOMAIN) -> list[dict[str, Any]]:
        """The config entries of ``domain`` (as the integrations page sees them)."""
        entries: list[dict[str, Any]] = await self.get(
            f"/api/config/config_entries/entry?domain={domain}"
        )
        return entries

    async def _flow_step(self, flow_id: str, user_input: dict[str, Any]) -> Any:
        return await self.post(f"/api/config/config_entries/flow/{flow_id}", user_input)

    async def _abort_flow(self, flow_id: str) -> None:
        with contextlib.suppress(DevHassError, aiohttp.ClientError):
            await self.request(
                "DELETE",
                f"/api/config/config_entries/flow/{flow_id}",
                expect=(200, 404),
            )

    async def _start_imm_flow(self) -> dict[str, Any]:
        """Start the venue_av flow and take the menu's IMM branch."""
        flow = await self.post(
            "/api/config/config_entries/flow",
            {"handler": DOMAIN, "show_advanced_options": False},
        )
        if flow.get("type") == "menu":
            if "imm" not in flow.get("menu_options", []):
                await self._abort_flow(flow["flow_id"])
                raise DevHassError(f"the venue_av menu offers no 'imm': {flow}")
            flow = await self._flow_step(flow["flow_id"], {"next_step_id": "imm"})
        return dict(flow)

    async def add_imm_client(
        self,
        *,
        client_id: str | None = None,
        host: str | None = None,
        key: str = DEFAULT_KEY,
    ) -> dict[str, Any]:
        """Add one IMM client through the config flow; the created entry.

        The client is chosen from the discovered list by ``client_id`` (any
        discovered one if None); when it is not offered, it is typed in by ``host``.
        """
        flow = await self._start_imm_flow()
        try:
            flow = await self._finish_imm_flow(flow, client_id, host, key)
        except BaseException:
            await self._abort_flow(flow["flow_id"])
            raise
        entry: dict[str, Any] = flow["result"]
        return entry

    async def _finish_imm_flow(
        self,
        flow: dict[str, Any],
        client_id: str | None,
        host: str | None,
        key: str,
    ) -> dict[str, Any]:
        flow_id = flow["flow_id"]
        if flow.get("step_id") == "imm":
            offered = [
                v
                for v in select_options(flow, FIELD_CLIENT)
                if v not in (MANUAL, ADD_ALL)
            ]
            choice = client_id if client_id in offered else None
            if choice is None and client_id is None and host is None and offered:
                choice = offered[0]
            if choice is not None:
                flow = await self._flow_step(flow_id, {FIELD_CLIENT: choice})
            elif host is not None:
                flow = await self._flow_step(flow_id, {FIELD_CLIENT: MANUAL})
            else:
                raise DevHassError(f"client {client_id} not offered (only {offered})")
        if flow.get("step_id") == "imm_key":
            flow = await self._flow_step(flow_id, {FIELD_KEY: key})
        elif flow.get("step_id") in ("imm_manual", "imm_none_found"):
            if host is None:
                raise DevHassError("no client discovered and no host given")
            flow = await self._flow_step(flow_id, {FIELD_HOST: host, FIELD_KEY: key})
        if flow.get("type") != "create_entry":
            raise DevHassError(f"the config flow did not create an entry: {flow}")
        return dict(flow)

    async def discovered_imm_clients(self) -> list[str]:
        """Client ids the config flow offers (not configured yet); the flow is aborted."""
        flow = await self._start_imm_flow()
        try:
            if flow.get("step_id") != "imm":
                return []
            return [
                value
                for value in select_options(flow, FIELD_CLIENT)
                if value not in (MANUAL, ADD_ALL)
            ]
        finally:
            await self._abort_flow(flow["flow_id"])

    async def add_discovered_imm_clients(
        self, *, key: str = DEFAULT_KEY, limit: int = 20
    ) -> list[dict[str, Any]]:
        """Add every discovered IMM client that is not configured yet."""
        created: list[dict[str, Any]] = []
        for _ in range(limit):
            offered = await self.discovered_imm_clients()
            if not offered:
                break
            created.append(await self.add_imm_client(client_id=offered[0], key=key))
        return created

    async def dismiss_stale_discovery_notification(self) -> None:
        """Dismiss "New devices discovered" once no discovery flow is left.

        Background discovery found the clients before they were added; adding them
        aborts those flows, but Home Assistant checks for remaining discovery flows
        before aborting the last ones and so leaves the notification up.
        """
        flows = await self.ws_command({"type": "config_entries/flow/progress"})
        if not flows:
            await self.call_service(
                "persistent_notification",
                "dismiss",
                {"notification_id": "config_entry_discovery"},
            )

    async def _start_family_flow(self, kind: str, *, advanced: bool) -> dict[str, Any]:
        """Start the venue_av flow and take the menu's ``kind`` branch."""
        flow = await self.post(
            "/api/config/config_entries/flow",
            {"handler": DOMAIN, "show_advanced_options": advanced},
        )
        if kind not in flow.get("menu_options", []):
            await self._abort_flow(flow["flow_id"])
            raise DevHassError(f"the venue_av menu offers no {kind!r}: {flow}")
        return dict(await self._flow_step(flow["flow_id"], {"next_step_id": kind}))

    async def _finish_flow(
        self, flow: dict[str, Any], user_input: dict[str, Any], what: str
    ) -> dict[str, Any]:
        result = await self._flow_step(flow["flow_id"], user_input)
        if result.get("type") != "create_entry":
            await self._abort_flow(flow["flow_id"])
            raise DevHassError(
                f"{what}: the config flow did not create an entry: {result}"
            )
        entry: dict[str, Any] = result["result"]
        return entry

    async def add_trio_phone(
        self, host: str, *, port: int, password: str
    ) -> dict[str, Any]:
        """Add a Poly Trio phone through the config flow (its certificate pinned)."""
        flow = await self._start_family_flow("trio", advanced=False)
        return await self._finish_flow(
            flow,
            {"host": host, "port": port, "password": password, "verify_tls": False},
            f"Poly Trio at {host}",
        )

    async def add_telecomx_account(
        self, *, email: str, password: str, api_url: str
    ) -> dict[str, Any]:
        """Add a TelecomX account through the config flow (API URL: advanced mode)."""
        flow = await self._start_family_flow("telecomx", advanced=True)
        return await self._finish_flow(
            flow,
            {"email": email, "password": password, "api_url": api_url},
            f"TelecomX account {email}",
        )

    async def set_options(self, entry_id: str, user_input: dict[str, Any]) -> None:
        """Save an entry's options through its options flow."""
        flow = await self.post(
            "/api/config/config_entries/options/flow", {"handler": entry_id}
        )
        result = await self.post(
            f"/api/config/config_entries/options/flow/{flow['flow_id']}", user_input
        )
        if result.get("type") != "create_entry":
            raise DevHassError(f"options of {entry_id}: {result}")

    async def wait_until_loaded(self, entry_id: str, timeout: float = 60) -> None:
        """Wait until a config entry is loaded."""
        deadline = time.monotonic() + timeout
        state = None
        while time.monotonic() < deadline:
            for entry in await self.config_entries():
                if entry["entry_id"] == entry_id:
                    state = entry["state"]
            if state == "loaded":
                return
            await asyncio.sleep(0.3)
        raise DevHassError(f"config entry {entry_id} is {state} after {timeout:g} s")

    async def install_dashboard(
        self, url_path: str, title: str, config: dict[str, Any]
    ) -> None:
        """Create (or overwrite) a storage-mode dashboard in the sidebar."""
        existing = await self.ws_command({"type": "lovelace/dashboards/list"})
        if not any(item.get("url_path") == url_path for item in existing):
            await self.ws_command(
                {
                    "type": "lovelace/dashboards/create",
                    "url_path": url_path,
                    "title": title,
                    "icon": "mdi:theater",
                    "mode": "storage",
                    "show_in_sidebar": True,
                    "require_admin": False,
                }
            )
        await self.ws_command(
            {"type": "lovelace/config/save", "url_path": url_path, "config": config}
        )

    # -- states and actions ---------------------------------------------------------

    async def render_template(self, template: str) -> str:
        """Render a template on the server."""
        text: str = await self.post("/api/template", {"template": template})
        return text

    async def entity_ids_by_entry(self, domain: str = DOMAIN) -> dict[str, list[str]]:
        """Entity ids of ``domain``'s entities, grouped by config entry id."""
        rows = json.loads(
            await self.render_template(
                "{% set ns = namespace(rows=[]) %}"
                f"{{% for e in integration_entities('{domain}') %}}"
                "{% set ns.rows = ns.rows + [[e, config_entry_id(e)]] %}"
                "{% endfor %}{{ ns.rows | tojson }}"
            )
        )
        grouped: dict[str, list[str]] = {}
        for entity_id, entry_id in rows:
            grouped.setdefault(entry_id, []).append(entity_id)
        return {entry: sorted(ids) for entry, ids in grouped.items()}

    async def state(self, entity_id: str) -> dict[str, Any] | None:
        """The state object of ``entity_id``; None if it has none."""
        result: dict[str, Any] | None = await self.get(
            f"/api/states/{entity_id}", expect=(200, 404)
        )
        if isinstance(result, dict) and "entity_id" in result:
            return result
        return None

    async def call_service(
        self, domain: str, service: str, data: dict[str, Any]
    ) -> Any:
        """Call an action (service) and return the changed states."""
        return await self.post(f"/api/services/{domain}/{service}", data)

    async def wait_for_state(
        self,
        entity_id: str,
        predicate: Callable[[dict[str, Any]], bool],
        timeout: float,
        interval: float = 0.5,
    ) -> dict[str, Any]:
        """Poll ``entity_id`` until ``predicate(state)`` holds; the state."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = await self.state(entity_id)
            if last is not None and predicate(last):
                return last
            await asyncio.sleep(interval)
        raise DevHassError(f"{entity_id} did not reach the expected state; last {last}")


def select_options(flow: dict[str, Any], name: str) -> list[str]:
    """Values of the select field ``name`` of a serialized form."""
    for item in flow.get("data_schema") or []:
        if item.get("name") != name:
            continue
        if "selector" in item:
            options = item["selector"].get("select", {}).get("options", [])
            return [opt["value"] if isinstance(opt, dict) else opt for opt in options]
        if "options" in item:  # a plain vol.In
            return [opt[0] if isinstance(opt, list) else opt for opt in item["options"]]
    return []


# -- scripts/develop -----------------------------------------------------------------


def _pid_alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # The state follows the parenthesized command name; Z: exited, not reaped yet.
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def _provision_phone_and_account(
    api: HassApi, args: argparse.Namespace
) -> list[dict[str, Any]]:
    """First start of each: the simulated phone and IPTV account, through the flows.

    Each family has its own marker, so an instance made before a family joined the
    demo gains it on the next start (and one the developer deleted stays deleted).
    """
    config = Path(args.config)
    added: list[dict[str, Any]] = []
    trio_marker = config / ".venue_av_dev_trio"
    if args.trio and not trio_marker.exists():
        host, _, port = args.trio.partition(":")
        # The phone posts its call events to Home Assistant's own URL.
        await api.set_core_config({"internal_url": api.base_url})
        entry = await api.add_trio_phone(
            host, port=int(port or 443), password=args.trio_password
        )
        await api.wait_until_loaded(entry["entry_id"])
        added.append(entry)
        trio_marker.write_text("Trio phone added by scripts/develop\n")
    telecomx_marker = config / ".venue_av_dev_telecomx"
    if args.telecomx_url and not telecomx_marker.exists():
        entry = await api.add_telecomx_account(
            email=args.telecomx_email,
            password=args.telecomx_password,
            api_url=args.telecomx_url,
        )
        await api.wait_until_loaded(entry["entry_id"])
        # No endpoint names groups: the options name the hotel's own.
        async with api.session.get(
            f"http://{args.telecomx_control}/state", timeout=REQUEST_TIMEOUT
        ) as resp:
            world = await resp.json()
        names = {"Lobby": "Lobby", "Floor 1": "First floor", "Floor 2": "Second floor"}
        await api.set_options(
            entry["entry_id"],
            {
                "poll_interval": 60,
                "ungrouped_boxes": True,
                **{
                    group["_id"]: names[group["name"]]
                    for group in world["groups"]
                    if group["name"] in names
                },
            },
        )
        await api.wait_until_loaded(entry["entry_id"])
        added.append(entry)
        telecomx_marker.write_text("TelecomX account added by scripts/develop\n")
    return added


async def _install_dashboard(api: HassApi, args: argparse.Namespace) -> None:
    """The example dashboard, once (a developer's edits are kept on later starts)."""
    marker = Path(args.config) / ".venue_av_dev_dashboard"
    if marker.exists():
        return
    # The TVs view's message box: a text helper and a script that sends its text to
    # the first floor's TVs (a dashboard action cannot read a field by itself).
    await api.ws_command(
        {
            "type": "input_text/create",
            "name": "TV message",
            "max": 255,
            "icon": "mdi:message-text",
        }
    )
    await api.post(
        "/api/config/script/config/tv_message_first_floor",
        {
            "alias": "Send the TV message to the first floor",
            "icon": "mdi:send",
            "sequence": [
                {
                    "action": "venue_av.iptv_send_message",
                    "target": {"entity_id": "notify.first_floor_message"},
                    "data": {"message": "{{ states('input_text.tv_message') }}"},
                }
            ],
        },
    )
    from homeassistant.util.yaml import load_yaml_dict

    config = load_yaml_dict(args.dashboard)
    await api.install_dashboard("venue-av", "Venue", config)
    marker.write_text("example dashboard installed by scripts/develop\n")


async def _provision(args: argparse.Namespace) -> int:
    base_url = f"http://127.0.0.1:{args.port}"
    marker = Path(args.config) / ".venue_av_dev_provisioned"
    token_file = Path(args.token_file)
    started = time.monotonic()
    async with aiohttp.ClientSession() as session:
        api = HassApi(session, base_url)
        await api.wait_until_up(args.timeout, alive=lambda: _pid_alive(args.pid))
        onboarded_now = await api.onboard()
        await api.wait_until_running(args.timeout)
        if onboarded_now or not token_file.exists():  # a new instance: a new token
            token_file.write_text(
                await api.create_long_lived_token("scripts/develop") + "\n"
            )
            token_file.chmod(0o600)
        added: list[dict[str, Any]] = []
        if not marker.exists():
            # First start: add the simulated clients (later starts leave the entries
            # as the developer left them, deleted ones included). Only as many as
            # expected: scripts/develop leaves one discovered player to add by hand.
            deadline = time.monotonic() + 30
            while True:
                added += await api.add_discovered_imm_clients(
                    limit=args.expect_clients - len(added)
                )
                if len(added) >= args.expect_clients or time.monotonic() > deadline:
                    break
                await asyncio.sleep(1)
            if len(added) < args.expect_clients:
                print(
                    f"devhass: only {len(added)} of {args.expect_clients} simulated "
                    "clients were discovered and added",
                    file=sys.stderr,
                )
                return 1
            marker.write_text("IMM simulator clients added by scripts/develop\n")
            await api.dismiss_stale_discovery_notification()
        added += await _provision_phone_and_account(api, args)
        if args.dashboard:
            await _install_dashboard(api, args)
        entries = await api.config_entries()
        entities = await api.entity_ids_by_entry()
        waiting = [
            flow
            for flow in await api.ws_command({"type": "config_entries/flow/progress"})
            if flow.get("handler") == DOMAIN
        ]
    elapsed = time.monotonic() - started
    rule = "=" * 72
    print(rule)
    print(f"Home Assistant is ready ({elapsed:.0f} s): open {base_url}/")
    if onboarded_now:
        print(f"  onboarded now: user {DEV_USERNAME!r}, password {DEV_PASSWORD!r}")
    else:
        print(f"  user {DEV_USERNAME!r}, password {DEV_PASSWORD!r}")
    print("  (the browser on this machine is logged in without them: trusted network)")
    print(f"  REST token: {token_file}  e.g.")
    print(
        f'    curl -H "Authorization: Bearer $(cat {token_file})" {base_url}/api/states'
    )
    for entry in entries:
        players = [
            e
            for e in entities.get(entry["entry_id"], [])
            if e.startswith("media_player.")
        ]
        new = (
            " (added now)"
            if any(a["entry_id"] == entry["entry_id"] for a in added)
            else ""
        )
        print(f"  {entry['title']}: {entry['state']}{new}  {' '.join(players)}")
    if not entries:
        print("  no venue_av entries: add one under Settings > Devices & services")
    for flow in waiting:
        name = (flow.get("context", {}).get("title_placeholders") or {}).get("name")
        print(
            f"  discovered, not configured: {name or flow['flow_id']} — add it under "
            "Settings > Devices & services"
        )
    print(f"  simulated clients: http://{args.control}/clients (control API)")
    print("  Ctrl-C stops Home Assistant and the simulator")
    print(rule, flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    """CLI for scripts/develop."""
    parser = argparse.ArgumentParser(prog="devhass")
    sub = parser.add_subparsers(dest="command", required=True)
    prepare = sub.add_parser("prepare", help="create the config dir")
    prepare.add_argument("--config", required=True)
    prepare.add_argument("--integration", required=True)
    prepare.add_argument("--port", type=int, default=8123)
    prepare.add_argument("--targets", nargs="+", default=["127.0.0.2", "127.0.0.3"])
    provision = sub.add_parser(
        "provision", help="onboard, add clients, print a summary"
    )
    provision.add_argument("--config", required=True)
    provision.add_argument("--port", type=int, default=8123)
    provision.add_argument("--pid", type=int, help="give up if this process exits")
    provision.add_argument("--token-file", required=True)
    provision.add_argument("--expect-clients", type=int, default=2)
    provision.add_argument("--timeout", type=float, default=300)
    provision.add_argument("--control", default="127.0.0.1:8099")
    provision.add_argument("--trio", help="HOST:PORT of the simulated phone")
    provision.add_argument("--trio-password", default="Trio-Admin-1")
    provision.add_argument("--telecomx-url", help="API URL of the simulated cloud")
    provision.add_argument("--telecomx-email", default="manager@aurora.example")
    provision.add_argument("--telecomx-password", default="manager-pass")
    provision.add_argument("--telecomx-control", default="127.0.0.1:8098")
    provision.add_argument("--dashboard", help="dashboard YAML installed once")
    args = parser.parse_args(argv)
    if args.command == "prepare":
        prepare_config_dir(
            Path(args.config),
            Path(args.integration),
            port=args.port,
            discovery_targets=args.targets,
            develop=True,
        )
        return 0
    try:
        return asyncio.run(_provision(args))
    except (DevHassError, aiohttp.ClientError) as err:
        print(f"devhass: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
