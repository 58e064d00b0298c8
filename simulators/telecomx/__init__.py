"""Simulator of the TelecomX IPTV cloud management API.

Written from ``shared/specs/telecomx-iptv-group-action.txt`` and
``telecomx-iptv-api-notes.md`` only (no import from the integration). Serves HTTP
on one loopback address (``TelecomXSimulator(host, port)``; port 0 picks a free
one); ``python -m simulators.telecomx`` runs it with a JSON control API.

World (``state.build_world``): reseller "Nordic TV" (IPTVBUSINESS) with customers
"Hotel Aurora" (IPTVBUSINESS; groups Lobby, Floor 1, Floor 2, Restaurant, Bulk)
and "Bar Borealis" (IPTVPRIVATE only; groups Bar, Terrace); admin customer
"TelecomX". Aurora: 10 enabled STBs (Restaurant is in Restaurant and Lobby), a
disabled STB "Room 204", a WEB and an IOS device; Borealis: 4 STBs ("Bar and
terrace" in both groups) and an ANDROID device; ``extra_boxes`` adds STBs to
Aurora's "Bulk", the first ``bench_group`` of them also to "Bench". 40 TV channels, 8 radio channels (``world.radio_channels``).

Accounts (password): viewer@aurora.example (viewer-pass) VIEWER;
manager@aurora.example (manager-pass) MANAGER with IPTVBUSINESS;
owner@aurora.example (owner-pass) OWNER; secure@aurora.example (secure-pass)
MANAGER with a second factor (smsKey 424242 or authenticatorToken 135790);
manager@borealis.example (manager-pass) MANAGER without IPTVBUSINESS;
reseller@nordic.example (reseller-pass) RESELLER; admin@telecomx.example
(admin-pass) ADMIN.

Choices where the specs are silent:

* Login: wrong e-mail/password -> 401 ``credentials_invalid``; a second-factor
  account without smsKey/authenticatorToken -> 401 with
  ``state.second_factor_code`` / ``second_factor_message`` (default
  ``credentials_invalid``, "SMS key or authenticator token required"). The answer
  carries ``customer.features``. Tokens live ``token_minutes`` (15) x
  ``time_scale``; ``persist`` -> ``expiresInMinutes: -1``, never expires.
* Token from ``Authorization: Bearer`` or ``?token=``; a non-Bearer header ->
  401 ``format_error``; none/unknown -> 401 ``invalid_token``; expired -> 401
  ``expired``. ``validateToken?simple=true`` -> bare 200 / 403.
* Device list: default ``type`` ANY, disabled devices only with
  ``showDisabled=true``, ``limit`` 1-500 else 422 ``limit``; items under
  ``items_key`` ("devices"). Devices carry ``customer``, ``model`` (STB) and
  ``lastComm``.
* Actions: checks in order level (403) -> type (422) -> type's access column
  (403) -> group (404; ``WORLD`` only for ADMIN, 403) -> customer features (403;
  MANAGER/OWNER need IPTVBUSINESS, RESELLER either, on the customers owning the
  boxes) -> parameters (422 with the spec's codes and messages). Parameters of
  other types are ignored, ``repeat`` without ``notify`` too. Keys may come as
  repeated ``keys=`` (also ``keys[]=`` or comma-joined). Only enabled STBs are
  addressed. ``ALL``: the account's customers; for ADMIN the ``reseller``
  parameter's customer and its sub-customers (none given: the admin's own, i.e.
  no boxes).
* Queue: each type runs after a delay drawn from ``ACTION_DELAYS`` (1-60 s) x
  ``time_scale``; a type already queued on a box is skipped for that box.
  Single-device answers ``{success, devices: 1, skipped: 0, actionId}`` (skipped:
  devices 0, skipped 1, the queued action's id); ``when`` (ISO-8601 or epoch ms)
  delays it; a non-STB device -> 409 ``device_type``; cancelling an unknown or
  already executed action -> 404 ``action``.
* ``/rtt?date=`` answers a bare JSON list of samples every 15 min (``date``
  field), 422 ``date`` when missing/invalid. Screenshots are PNGs rendered when
  a SCREENSHOT action runs; none yet -> 404 ``screenshot``.
* Answers that only look right: ``screenshot_fault`` (``ScreenshotFault``: a PNG
  cut in half, or a PNG signature followed by an HTML page) and ``ignore_offset``
  (the device and channel lists ignore ``offset``: every page repeats the first).
  A wrong smsKey/authenticatorToken answers 401 ``second_factor_invalid_code`` /
  ``second_factor_invalid_message`` (default ``credentials_invalid``, "Invalid
  credentials"; set them to the "required" texts for a cloud that answers both
  the same way).
* Errors: ``{"error": {code, message, status, path}}``; ``error_as_list``
  switches to the list form; ``inject_error`` answers the next requests with any
  status/code; ``blacklisted`` answers everything 403 ``blacklisted``.
* Faults (``set_fault``; ``count`` limits them to the next n requests): DOWN
  closes the socket (refused) and aborts open connections, SLOW waits ``delay``
  s (not scaled), HTTP_500, MALFORMED, TRUNCATED, OVERSIZED (17 MiB). Every
  request is logged (``request_log``, secrets redacted, no bodies).

``Box.executed`` records what each box carried out: ``Executed(action_id, type,
params, source ("group"|"device"), at)``.
"""

from __future__ import annotations

from .server import FaultMode, RequestRecord, ScreenshotFault, TelecomXSimulator
from .state import (
    AUTHENTICATOR_TOKEN,
    PASSWORDS,
    SMS_KEY,
    Account,
    Box,
    CloudState,
    Executed,
)

__all__ = [
    "AUTHENTICATOR_TOKEN",
    "PASSWORDS",
    "SMS_KEY",
    "Account",
    "Box",
    "CloudState",
    "Executed",
    "FaultMode",
    "RequestRecord",
    "ScreenshotFault",
    "TelecomXSimulator",
]
