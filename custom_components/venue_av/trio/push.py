"""Instant call events: the phone posts telephony notifications to a Home Assistant webhook.

The phone's ``apps.telNotification.URL`` points at ``/api/webhook/<id>``; the id is
random per phone and is the only secret (the phone sends no credentials), so the
handler also accepts posts from the phone's own address only, reads at most
``MAX_EVENT_BYTES`` and parses with the protocol layer's hardened XML parser. Whether
a Trio firmware posts these events is not confirmed: polling stays on regardless.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant
from homeassistant.helpers.network import NoURLAvailableError

from ..const import DOMAIN, LOGGER
from ..protocol.trio import (
    MAX_EVENT_BYTES,
    TrioClient,
    TrioError,
    TrioResponseError,
    parse_events,
)
from .const import CONF_PUSH, CONF_WEBHOOK_ID
from .coordinator import TrioConfigEntry, TrioRuntime


async def async_phone_addresses(hass: HomeAssistant, host: str) -> frozenset[str]:
    """The IP addresses of ``host`` (resolved once; an IP literal is itself)."""
    try:
        return frozenset({str(ipaddress.ip_address(host))})
    except ValueError:
        pass
    try:
        infos = await hass.loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return frozenset()
    return frozenset(str(info[4][0]) for info in infos)


def webhook_url(hass: HomeAssistant, webhook_id: str) -> str | None:
    """The URL the phone posts to: Home Assistant's address on the local network."""
    try:
        return webhook.async_generate_url(
            hass,
            webhook_id,
            allow_internal=True,
            allow_ip=True,
            prefer_external=False,
        )
    except NoURLAvailableError:
        return None


def register_webhook(hass: HomeAssistant, entry: TrioConfigEntry) -> None:
    """Receive the phone's events while the entry is loaded."""
    webhook_id = entry.data[CONF_WEBHOOK_ID]

    async def _async_handle(
        hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response:
        runtime: TrioRuntime = entry.runtime_data
        # A dual-stack listener reports IPv4 peers as "::ffff:a.b.c.d".
        remote = (request.remote or "").removeprefix("::ffff:")
        if remote not in runtime.phone_addresses:
            LOGGER.debug(
                "Ignored a telephony event for %s from %s", entry.title, request.remote
            )
            return web.Response(status=403)
        if (request.content_length or 0) > MAX_EVENT_BYTES:
            return web.Response(status=413)
        body = await request.content.read(MAX_EVENT_BYTES + 1)
        try:
            events = parse_events(body)
        except TrioResponseError as err:
            LOGGER.debug("Ignored a telephony event of %s: %s", entry.title, err)
            return web.Response(status=400)
        runtime.calls.async_handle_push(events)
        return web.Response(status=200)

    webhook.async_register(
        hass,
        DOMAIN,
        f"Poly Trio {entry.title}",
        webhook_id,
        _async_handle,
        local_only=True,
        allowed_methods=["POST"],
    )
    entry.async_on_unload(lambda: webhook.async_unregister(hass, webhook_id))


async def async_configure_push(hass: HomeAssistant, entry: TrioConfigEntry) -> None:
    """Point the phone at the webhook (option on), or take it away (option off).

    Never fails the entry: a phone without notification support, or a Home Assistant
    without a local URL, stays on polling alone.
    """
    runtime = entry.runtime_data
    runtime.push_url = None
    client = runtime.client
    webhook_id = entry.data[CONF_WEBHOOK_ID]
    try:
        settings = await client.notification_settings()
        if not settings.supported:
            LOGGER.info(
                "%s does not offer telephony notifications: call state is polled",
                entry.title,
            )
            return
        if not entry.options.get(CONF_PUSH, True):
            if webhook_id in settings.url:
                await client.set_config(client.notification_config(None))
            return
        url = webhook_url(hass, webhook_id)
        if url is None:
            LOGGER.warning(
                "Home Assistant has no local URL for %s to post call events to "
                "(Settings > System > Network): call state is polled",
                entry.title,
            )
            return
        if not (settings.url == url and settings.events == settings.known_events):
            await client.set_config(client.notification_config(url))
        runtime.push_url = url
    except TrioError as err:
        LOGGER.warning(
            "Could not switch on instant call events of %s (%s): call state is polled",
            entry.title,
            err,
        )


async def async_switch_off_push(client: TrioClient, webhook_id: str) -> None:
    """Stop a removed phone posting to a webhook that no longer exists."""
    try:
        async with asyncio.timeout(15):
            settings = await client.notification_settings()
            if settings.supported and webhook_id in settings.url:
                await client.set_config(client.notification_config(None))
    except (TrioError, TimeoutError) as err:
        LOGGER.info("Could not switch off the call events of %s: %s", client.host, err)
