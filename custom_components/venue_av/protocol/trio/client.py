"""Async client of the Poly Trio (UC Software) REST API.

JSON over HTTPS, user ``Polycom`` with the admin password, one request at a time per
phone. Facts the notes mark UNKNOWN live in the constants and small functions at the
top of this module (see ``docs/trio.md``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
import json
import logging
import re
import time
from typing import Any, Final

import aiohttp
from yarl import URL

from ..errors import OUTCOME_UNKNOWN_TEXT
from ..http import (
    REDACTED,
    SECRET_NAMES,
    RequestOutcomeUnknown,
    read_capped,
    request_once,
)
from .auth import USERNAME, DigestAuth, basic_header, parse_challenges
from .errors import (
    CODE_CALL_NOT_FOUND,
    CODE_DEFAULT_PASSWORD,
    CODE_SUCCESS,
    TrioActionOutcomeUnknownError,
    TrioAuthenticationError,
    TrioBusyError,
    TrioCertificateMismatchError,
    TrioConnectionError,
    TrioDeviceError,
    TrioInvalidInputError,
    TrioNoCallError,
    TrioOperationNotSupportedError,
    TrioRequestTooLargeError,
    TrioResponseError,
    TrioRestApiDisabledError,
    TrioTlsError,
    TrioUnsupportedCommandError,
    error_for_code,
)
from .events import NOTIFICATION_URL_PARAM, NotificationEvent, NotificationSettings
from .models import (
    Call,
    CallLogEntry,
    CallLogKind,
    CallLogs,
    CallState,
    CommunicationInfo,
    ConfigResetTarget,
    ConfigValues,
    DeviceInfo,
    DeviceStats,
    DialType,
    JsonObject,
    Line,
    LocationInfo,
    MediaSession,
    NetworkInfo,
    NetworkStats,
    PairedComponent,
    PollStatus,
    RunningConfig,
    SipStatus,
    TouchType,
    TransferType,
    UiXml,
    parse_call_log_list,
    parse_call_v1,
    parse_calls_v2,
    parse_json,
    parse_lines,
    parse_paired_devices,
    parse_presence,
    parse_sessions,
    parse_status,
    parse_transfer_type,
)
from .tls import normalize_fingerprint, transport_fingerprint

_LOGGER = logging.getLogger(__name__)

DEFAULT_PORT: Final = 443
DEFAULT_TIMEOUT: Final = 10.0
# Skype for Business sign-in is slow: POSH waits up to 155 s.
SIGN_IN_TIMEOUT: Final = 160.0
MAX_RESPONSE_BYTES: Final = 2 * 1024 * 1024

# -- rules from the manual's prerequisites (seed manual only, notes §1.5) ----------
# "The REST API cannot accept more than 20 KB of data": whether KB is 1000 or 1024
# bytes is UNKNOWN, so the stricter reading.
MAX_REQUEST_BYTES: Final = 20_000
# The one POST that only reads (every other POST is a command with side effects).
PATH_CONFIG_GET: Final = "/api/v1/mgmt/config/get"
# config/get allows 20 names (4009 beyond); config/set is batched the same way (VVXME).
CONFIG_BATCH_SIZE: Final = 20
# HTTP 403 "busy" (a parallel request from someone else): back-off and give-up time.
BUSY_RETRY_INITIAL: Final = 0.25
BUSY_RETRY_MAX: Final = 2.0
DEFAULT_BUSY_TIMEOUT: Final = 20.0

# -- UNKNOWN paths and bodies (notes §3, §4.27, §4.36, §4.37, §4.46) -----------------
PATH_SET_TRANSFER_TYPE: Final = "/api/v1/mgmt/transferType/set"  # inferred by analogy
PATH_WEB_SIGN_IN: Final = "/api/v1/mgmt/webSignIn"  # UNKNOWN, no source
PATH_WEB_SIGN_IN_CANCEL: Final = "/api/v1/mgmt/webSignInCancel"  # UNKNOWN, no source
PATH_SIMULATE_HOOK: Final = "/api/v1/mgmt/simulateHook"  # UNKNOWN, no source
PATH_EXPORT_CONFIGURATION: Final = "/api/v1/mgmt/config/export"  # one weak hint
# Commands whose path is a guess: a 404 means "not supported", not "API disabled".
UNCERTAIN_PATHS: Final = frozenset(
    {
        PATH_SET_TRANSFER_TYPE,
        PATH_WEB_SIGN_IN,
        PATH_WEB_SIGN_IN_CANCEL,
        PATH_SIMULATE_HOOK,
        PATH_EXPORT_CONFIGURATION,
    }
)
# sendDTMF key: "Digits" in three sources, "digits" in one (notes §4.15). The client
# sends DTMF_KEY first; after a 4000 answer it tries DTMF_FALLBACK_KEY once and keeps
# whichever the phone accepted for every later call.
DTMF_KEY: Final = "Digits"
DTMF_FALLBACK_KEY: Final = "digits"
DTMF_CHARACTERS: Final = frozenset("0123456789*#")

# Telephony notification (push) parameters, notes §8.1; Trio support UNKNOWN. The URL
# is NOTIFICATION_URL_PARAM ("apps.telNotification.URL", events.py); one 0/1 flag per
# event, in NotificationEvent order: incoming call, outgoing call, offhook, onhook,
# call state change, line registration.
NOTIFICATION_EVENT_PARAMS: Final = tuple(event.param for event in NotificationEvent)


# The factory admin password (notes §1.3). A phone that still has it refuses the API
# (4010); how that refusal is delivered is UNKNOWN (notes §7.3).
FACTORY_DEFAULT_PASSWORD: Final = "456"  # noqa: S105 - the documented factory value
_DEFAULT_PASSWORD_TEXT: Final = re.compile(
    rb"default[\s_-]*(?:admin[\s_-]*)?password|\b4010\b", re.IGNORECASE
)


def call_ref_body(ref: str | None) -> JsonObject:
    """Return ``data`` of hold/resume/answer/ignore/reject/end.

    Whether ``Ref`` is optional is UNKNOWN (notes §4.20). The client's commands fill
    in the current call's handle when the caller gives none (some firmware requires
    it); ``None`` here still gives the empty object some clients send.
    """
    return {} if ref is None else {"Ref": ref}


def default_password_refusal(status: int, body: bytes, password: str) -> bool:
    """Whether an HTTP 401/403 without a JSON ``Status`` is the 4010 refusal.

    UNKNOWN delivery (notes §1.3, §7.3): besides ``{"Status": "4010"}`` (in a 200 or
    an error answer) a phone may answer 401 or 403 with a page of its own. It is
    taken as 4010 when the page names the default password or 4010, or when the
    password sent is the factory default: a 403 then is not "busy" (the phone
    would refuse again and again) and a 401 means the same advice, set a custom
    admin password.
    """
    if status not in (401, 403):
        return False
    return (
        password == FACTORY_DEFAULT_PASSWORD
        or _DEFAULT_PASSWORD_TEXT.search(body[:4096]) is not None
    )


def simulate_hook_body(off_hook: bool) -> JsonObject:
    """Return ``data`` of SimulateHook: UNKNOWN (no source); a best guess by analogy."""
    return {"Type": "OffHook" if off_hook else "OnHook"}


def export_configuration_body(url: str | None, config_type: str) -> JsonObject:
    """Return ``data`` of ExportConfiguration: one weak hint (MIV), wrapped like the rest."""
    body: JsonObject = {"ConfigType": config_type}
    if url is not None:
        body["URL"] = url
    return body


def status_in_error_body(body: bytes) -> int | None:
    """Return an API ``Status`` carried by a non-200 answer, if any.

    How 4010 (default password) is delivered is UNKNOWN: HTTP 200 with the code is
    most likely, but an HTTP error with the same JSON is handled by this too.
    """
    try:
        envelope = parse_json(body, what="")
        code = parse_status(envelope, what="")
    except TrioResponseError:
        return None
    return None if code == CODE_SUCCESS else code


_NO_BODY: Final = object()


class TrioClient:
    """One Poly Trio phone.

    Holds no connection of its own: requests go through the caller's session. The
    client serialises its requests (the phone processes one at a time), so Home
    Assistant must use one client per phone for polling and actions alike.
    """

    def __init__(
        self,
        host: str,
        session: aiohttp.ClientSession,
        *,
        password: str,
        port: int = DEFAULT_PORT,
        timeout: float = DEFAULT_TIMEOUT,
        pinned_fingerprint: str | None = None,
        verify_tls: bool = False,
        use_https: bool = True,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    ) -> None:
        """Create a client for the phone at ``host``.

        ``pinned_fingerprint`` (SHA-256, any format): refuse any other certificate
        (``TrioCertificateMismatchError``) before sending credentials. Without it,
        ``verify_tls`` chooses normal CA and host-name verification (off by default,
        because phones present a certificate for their MAC address).
        """
        self.host = host
        self.port = port
        self._session = session
        self._password = password
        self._timeout = timeout
        self._busy_timeout = busy_timeout
        self._lock = asyncio.Lock()
        self._digest: DigestAuth | None = None
        # The sendDTMF key the phone accepted (None until the first success).
        self._dtmf_key: str | None = None
        self.pinned_fingerprint = (
            normalize_fingerprint(pinned_fingerprint) if pinned_fingerprint else None
        )
        self._ssl: aiohttp.Fingerprint | bool
        if self.pinned_fingerprint is not None:
            self._ssl = aiohttp.Fingerprint(bytes.fromhex(self.pinned_fingerprint))
        else:
            self._ssl = verify_tls
        self._base = URL.build(
            scheme="https" if use_https else "http", host=host, port=port
        )
        #: SHA-256 fingerprint of the certificate of the last answer (first contact:
        #: the value to pin). None before the first answer or over plain HTTP.
        self.peer_fingerprint: str | None = None

    def __repr__(self) -> str:
        """Describe the client without its password."""
        return f"TrioClient(host={self.host!r}, port={self.port})"

    @property
    def password(self) -> str:
        """The admin password (deliberately not part of repr or any message)."""
        return self._password

    @property
    def auth_scheme(self) -> str:
        """Return "digest" once the phone challenged with Digest, else "basic"."""
        return "basic" if self._digest is None else "digest"

    # -- transport ---------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        data: object = _NO_BODY,
        *,
        what: str,
        query: Mapping[str, str] | None = None,
        timeout: float | None = None,
        accept: frozenset[int] = frozenset(),
    ) -> JsonObject:
        """Send one command and return its JSON envelope (``Status`` 2000 or accepted).

        Every failure raises a ``TrioError``; texts name host and command, never the
        URL, headers or body.
        """
        label = f"{self.host}: {what}"
        body = b""
        if data is not _NO_BODY:
            body = json.dumps({"data": data}, separators=(",", ":")).encode()
        if len(body) > MAX_REQUEST_BYTES:
            raise TrioRequestTooLargeError(
                f"{label}: request of {len(body)} bytes is over the phone's limit"
            )
        if _LOGGER.isEnabledFor(logging.DEBUG):
            _LOGGER.debug("%s: %s %s %s", self.host, method, path, _redacted(data))
        url = self._base.with_path(path)
        if query:
            url = url.with_query(query)
        # Commands are sent once per exchange; the loops below send them again only
        # after an answer that says the phone did not run them (401 challenge, 403
        # busy). A broken connection ends the call (TrioActionOutcomeUnknownError).
        action = method == "POST" and path != PATH_CONFIG_GET
        async with self._lock:
            deadline = time.monotonic() + self._busy_timeout
            delay = BUSY_RETRY_INITIAL
            while True:
                status, payload = await self._exchange(
                    method, url, body, label, timeout or self._timeout, action=action
                )
                if status == 200:
                    break
                code = status_in_error_body(payload)
                if code is not None:
                    raise error_for_code(code, label)
                if default_password_refusal(status, payload, self._password):
                    raise error_for_code(CODE_DEFAULT_PASSWORD, label)
                if status != 403:
                    raise self._http_error(status, path, label)
                if time.monotonic() + delay > deadline:
                    raise TrioBusyError(
                        f"{label}: the phone stayed busy (HTTP 403) for "
                        f"{self._busy_timeout:g} s"
                    )
                _LOGGER.debug("%s: busy (HTTP 403), retrying in %g s", label, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, BUSY_RETRY_MAX)
        envelope = parse_json(payload, what=label)
        code = parse_status(envelope, what=label)
        if code != CODE_SUCCESS and code not in accept:
            raise error_for_code(code, label)
        return envelope

    @staticmethod
    def _http_error(status: int, path: str, label: str) -> Exception:
        if status == 401:
            return TrioAuthenticationError(
                f"{label}: user {USERNAME} with this admin password was rejected"
            )
        if status == 404 and path in UNCERTAIN_PATHS:
            return TrioUnsupportedCommandError(
                f"{label}: the phone does not know this command "
                "(or its REST API is disabled)"
            )
        if status == 404:
            return TrioRestApiDisabledError(
                f"{label}: the REST API is disabled on the phone "
                "(set apps.restapi.enabled to 1)"
            )
        if status == 413:
            return TrioRequestTooLargeError(f"{label}: the phone refused the size")
        return TrioResponseError(f"{label}: answered HTTP {status}")

    async def _exchange(
        self,
        method: str,
        url: URL,
        body: bytes,
        label: str,
        timeout: float,
        *,
        action: bool = False,
    ) -> tuple[int, bytes]:
        """One HTTP exchange, with a Digest retry when the phone challenges."""
        headers = {"Accept": "application/json"}
        if method == "POST":
            headers["Content-Type"] = "application/json"
        uri = url.raw_path_qs
        for attempt in range(3):
            headers["Authorization"] = self._authorization(method, uri)
            status, challenges, payload = await self._send(
                method,
                url,
                headers=headers,
                body=body,
                label=label,
                timeout=timeout,
                action=action,
            )
            if status != 401 or attempt == 2:
                return status, payload
            digest = challenges.get("digest")
            if digest is None:
                return status, payload
            stale = digest.get("stale", "").lower() == "true"
            if self._digest is not None and attempt > 0 and not stale:
                return status, payload  # our digest answer itself was refused
            try:
                self._digest = DigestAuth(digest)
            except ValueError:
                _LOGGER.debug("%s: unusable digest challenge", label)
                return status, payload
        return status, payload  # pragma: no cover - the loop always returns

    def _authorization(self, method: str, uri: str) -> str:
        if self._digest is not None:
            return self._digest.header(method, uri, USERNAME, self._password)
        return basic_header(USERNAME, self._password)

    async def _send(
        self,
        method: str,
        url: URL,
        *,
        headers: Mapping[str, str],
        body: bytes,
        label: str,
        timeout: float,
        action: bool = False,
    ) -> tuple[int, dict[str, dict[str, str]], bytes]:
        options: dict[str, Any] = {
            "headers": headers,
            "data": body if method == "POST" else None,
            "ssl": self._ssl,
            "allow_redirects": False,
        }
        send = (
            request_once(self._session, method, url, **options)
            if action
            else self._session.request(method, url, **options)
        )
        try:
            async with asyncio.timeout(timeout), send as response:
                fingerprint = transport_fingerprint(_transport_of(response))
                if fingerprint is not None:
                    self.peer_fingerprint = fingerprint
                challenges = (
                    parse_challenges(response.headers.getall("WWW-Authenticate", []))
                    if response.status == 401
                    else {}
                )
                payload = await read_capped(
                    response, MAX_RESPONSE_BYTES, what=label, error=TrioResponseError
                )
                return response.status, challenges, payload
        except TimeoutError:
            raise TrioConnectionError(
                f"{label}: no answer within {timeout:g} s"
            ) from None
        except aiohttp.ServerFingerprintMismatch:
            raise TrioCertificateMismatchError(
                f"{label}: the phone presented a different certificate than the "
                "pinned one; credentials were not sent"
            ) from None
        except aiohttp.ClientSSLError as err:
            raise TrioTlsError(
                f"{label}: TLS failed ({err.__class__.__name__})"
            ) from None
        except aiohttp.ClientPayloadError:
            raise TrioResponseError(f"{label}: truncated body") from None
        except RequestOutcomeUnknown:
            raise TrioActionOutcomeUnknownError(
                f"{label}: {OUTCOME_UNKNOWN_TEXT}"
            ) from None
        except aiohttp.ClientError as err:
            # aiohttp's texts may contain the URL: keep the class name only.
            raise TrioConnectionError(
                f"{label}: failed ({err.__class__.__name__})"
            ) from None

    async def _get(self, path: str, what: str, **kw: Any) -> object:
        return (await self._request("GET", path, what=what, **kw)).get("data")

    async def _post(
        self, path: str, data: object = _NO_BODY, *, what: str, **kw: Any
    ) -> JsonObject:
        return await self._request("POST", path, data, what=what, **kw)

    # -- management --------------------------------------------------------------

    async def restart(self) -> None:
        """Restart the phone application once no call is active (safeRestart)."""
        await self._post("/api/v1/mgmt/safeRestart", what="restart")

    async def reboot(self) -> None:
        """Reboot the phone once no call is active (safeReboot)."""
        await self._post("/api/v1/mgmt/safeReboot", what="reboot")

    async def config_reset(self, target: ConfigResetTarget | None = None) -> None:
        """Reset configuration: everything, or only local/web/device/cloud."""
        path = "/api/v1/mgmt/configReset"
        if target is not None:
            path += f"/{ConfigResetTarget(target).value}"
        await self._post(path, what="config reset")

    async def factory_reset(self) -> None:
        """Factory-reset the phone (also switches the REST API off again)."""
        await self._post("/api/v1/mgmt/factoryReset", what="factory reset")

    async def network_info(self) -> NetworkInfo:
        """Network configuration."""
        return NetworkInfo.from_data(
            await self._get("/api/v1/mgmt/network/info", "network info")
        )

    async def device_info(self) -> DeviceInfo:
        """Device info v1 (model, firmware, MAC, uptime)."""
        return DeviceInfo.from_data(
            await self._get("/api/v1/mgmt/device/info", "device info")
        )

    async def device_info_v2(self) -> DeviceInfo:
        """Device info v2 (adds firmware parts and readiness flags; UC 5.8+)."""
        return DeviceInfo.from_data(
            await self._get("/api/v2/mgmt/device/info", "device info v2")
        )

    async def network_stats(self) -> NetworkStats:
        """Packet counters since boot."""
        return NetworkStats.from_data(
            await self._get("/api/v1/mgmt/network/stats", "network statistics")
        )

    async def get_config(self, names: Iterable[str]) -> ConfigValues:
        """Read configuration parameters (batches of 20 names, merged)."""
        unique = list(dict.fromkeys(names))
        if not unique:
            return ConfigValues(values={})
        batches = _batches(unique, lambda chunk: chunk)
        result = ConfigValues(values={})
        for batch in batches:
            envelope = await self._post(PATH_CONFIG_GET, batch, what="config get")
            result = result.merged(ConfigValues.from_envelope(envelope))
        return result

    async def set_config(self, values: Mapping[str, str | int | bool]) -> None:
        """Write configuration parameters (batches of 20; booleans as "1"/"0").

        Every batch is size-checked before the first is sent. When a later batch
        fails, the earlier ones stay applied and the error is raised.
        """
        items = [(name, _config_value(value)) for name, value in values.items()]
        if not items:
            return
        for batch in _batches(items, dict):
            await self._post("/api/v1/mgmt/config/set", batch, what="config set")

    async def poll_for_status(self) -> PollStatus:
        """Idle/active state of the phone."""
        return PollStatus.from_data(
            await self._get("/api/v1/mgmt/pollForStatus", "poll for status")
        )

    async def transfer_type(self) -> TransferType:
        """Return the transfer type (Consultative, Blind...)."""
        return parse_transfer_type(
            await self._get("/api/v1/mgmt/transferType/get", "transfer type")
        )

    async def set_transfer_type(self, transfer_type: TransferType) -> None:
        """Set the transfer type (path and body UNKNOWN: inferred by analogy)."""
        await self._post(
            PATH_SET_TRANSFER_TYPE,
            {"Type": TransferType(transfer_type).wire},
            what="set transfer type",
        )

    async def uixml(self) -> UiXml:
        """Return a description of the current screen."""
        return UiXml.from_data(await self._get("/api/v1/mgmt/uixml", "uixml"))

    async def device_stats(self) -> DeviceStats:
        """CPU and memory statistics."""
        return DeviceStats.from_data(
            await self._get("/api/v1/mgmt/device/stats", "device statistics")
        )

    async def running_config(self) -> RunningConfig:
        """Return the running configuration as displayed by the phone."""
        return RunningConfig.from_data(
            await self._get("/api/v1/mgmt/device/runningConfig", "running config")
        )

    async def simulate_touch(
        self,
        positions: Sequence[tuple[int, int]],
        *,
        touch_type: TouchType = TouchType.TAP,
        duration_ms: int | None = None,
    ) -> None:
        """Tap (one position) or swipe (two positions) on the screen."""
        if not positions:
            raise ValueError("simulate_touch needs at least one position")
        data: JsonObject = {
            "Type": TouchType(touch_type).value,
            "Positions": [{"X": str(int(x)), "Y": str(int(y))} for x, y in positions],
        }
        if duration_ms is not None:
            data["Duration"] = str(int(duration_ms))
        await self._post("/api/v1/mgmt/simulateTouch", data, what="simulate touch")

    async def simulate_key_event(self, key: str, *, event_type: str = "Tap") -> None:
        """Press a key ("Home", "Dialpad5", "VolUp", ...)."""
        await self._post(
            "/api/v1/mgmt/simulateKeyEvent",
            {"Type": event_type, "KeyName": key},
            what="simulate key event",
        )

    async def simulate_text_input(self, text: str, *, replace: bool = False) -> None:
        """Type text into the focused field (replace its content or append)."""
        await self._post(
            "/api/v1/mgmt/simulateTextInput",
            {"Value": text, "ReplaceText": "true" if replace else "false"},
            what="simulate text input",
        )

    async def simulate_hook(self, off_hook: bool) -> None:
        """Go off or on hook (path and body UNKNOWN)."""
        await self._post(
            PATH_SIMULATE_HOOK, simulate_hook_body(off_hook), what="simulate hook"
        )

    async def skype_sign_in(
        self,
        address: str,
        user: str,
        password: str,
        *,
        domain: str = "",
        lock_code: str | None = None,
    ) -> None:
        """Sign in to Skype for Business (slow: up to ``SIGN_IN_TIMEOUT``)."""
        data: JsonObject = {
            "Address": address,
            "User": user,
            "Password": password,
            "Domain": domain,
        }
        if lock_code is not None:
            data["LockCode"] = lock_code
        await self._post(
            "/api/v1/mgmt/skype/signIn",
            data,
            what="Skype sign-in",
            timeout=SIGN_IN_TIMEOUT,
        )

    async def skype_sign_out(self) -> None:
        """Sign out of Skype for Business."""
        await self._post("/api/v1/mgmt/skype/signOut", what="Skype sign-out")

    async def web_sign_in(self) -> None:
        """Start the web sign-in (path UNKNOWN)."""
        await self._post(PATH_WEB_SIGN_IN, what="web sign-in", timeout=SIGN_IN_TIMEOUT)

    async def web_sign_in_cancel(self) -> None:
        """Cancel the web sign-in (path UNKNOWN)."""
        await self._post(PATH_WEB_SIGN_IN_CANCEL, what="web sign-in cancel")

    async def communication_info(self) -> CommunicationInfo:
        """Audio direction and mute state."""
        return CommunicationInfo.from_data(
            await self._get(
                "/api/v1/mgmt/media/communicationInfo", "communication info"
            )
        )

    async def location_info(self) -> LocationInfo:
        """Return the phone's location information."""
        return LocationInfo.from_data(
            await self._get("/api/v1/mgmt/location/info", "location info")
        )

    async def export_configuration(
        self, url: str | None = None, *, config_type: str = "ALL"
    ) -> None:
        """Export the configuration to ``url`` (path and body weakly known)."""
        await self._post(
            PATH_EXPORT_CONFIGURATION,
            export_configuration_body(url, config_type),
            what="export configuration",
        )

    async def session_stats(self) -> tuple[MediaSession, ...]:
        """Media statistics of each session (UC 5.8+; older Trio firmware froze)."""
        return parse_sessions(
            await self._get("/api/v1/mgmt/media/sessionStats", "session stats")
        )

    async def update_configuration(self) -> None:
        """Make the phone re-read its provisioning."""
        await self._post(
            "/api/v1/mgmt/updateConfiguration", what="update configuration"
        )

    async def line_info(self) -> tuple[Line, ...]:
        """Lines with their registration (v1)."""
        return parse_lines(await self._get("/api/v1/mgmt/lineInfo", "line info"))

    async def line_info_v2(self) -> tuple[Line, ...]:
        """Lines with call servers, DND and active flag (v2)."""
        return parse_lines(await self._get("/api/v2/mgmt/lineInfo", "line info v2"))

    async def paired_devices(self) -> tuple[tuple[PairedComponent, ...], ...]:
        """Components of each device paired with the Trio (cameras, displays)."""
        return parse_paired_devices(
            await self._get("/api/v1/mgmt/mrpair/info", "paired devices")
        )

    async def notification_settings(self) -> NotificationSettings:
        """Read the telephony notification (push) parameters with one config get.

        Names the phone does not know (reported in ``InvalidParams``, left out of
        ``data``, or the whole request refused with 4000/4004) mean "polling only":
        ``supported`` is False and no error is raised. Other failures (connection,
        authentication...) are raised as usual.
        """
        names = (NOTIFICATION_URL_PARAM, *NOTIFICATION_EVENT_PARAMS)
        try:
            values = await self.get_config(names)
        except (TrioInvalidInputError, TrioOperationNotSupportedError):
            return NotificationSettings(supported=False)
        return NotificationSettings.from_config(values)

    async def notification_support(self) -> bool:
        """Whether the phone knows the telephony notification parameters (push).

        Known → push capable; unknown names → polling only (False), no error. Note
        that config/set accepts any name, so only config/get can tell (notes §8.4).
        """
        return (await self.notification_settings()).supported

    @staticmethod
    def notification_config(
        url: str | None,
        events: Iterable[NotificationEvent | str] | None = None,
    ) -> dict[str, str]:
        """Return the SetConfig values that switch push on (``url``) or off (None).

        On: ``apps.telNotification.URL`` = ``url`` and the flag of each of ``events``
        (default: all six) "1", the others "0". Off: URL "" and every flag "0".
        ``url`` must be an absolute ``http://`` or ``https://`` URL (the phone sends
        no credentials: put an unguessable token in its path).
        """
        if url is None:
            return {
                NOTIFICATION_URL_PARAM: "",
                **dict.fromkeys(NOTIFICATION_EVENT_PARAMS, "0"),
            }
        parsed = URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise ValueError("the notification URL must be an http(s) URL with a host")
        wanted = (
            set(NotificationEvent)
            if events is None
            else {NotificationEvent(event) for event in events}
        )
        return {
            NOTIFICATION_URL_PARAM: url,
            **{
                event.param: "1" if event in wanted else "0"
                for event in NotificationEvent
            },
        }

    # -- call control ------------------------------------------------------------

    async def dial(
        self,
        destination: str,
        *,
        line: int | None = 1,
        call_type: DialType | None = None,
    ) -> None:
        """Place a call; returns before it connects (poll call status for the handle).

        ``line=None`` omits Line (the phone picks a matching line); ``call_type``
        None omits Type (the phone's default is TEL).
        """
        if not destination.strip():
            raise ValueError("dial needs a destination")
        data: JsonObject = {"Dest": destination}
        if line is not None:
            data["Line"] = str(int(line))
        if call_type is not None:
            data["Type"] = DialType(call_type).value
        await self._post("/api/v1/callctrl/dial", data, what="dial")

    async def end_call(self, ref: str) -> None:
        """End the call with handle ``ref``."""
        await self._post("/api/v1/callctrl/endCall", {"Ref": ref}, what="end call")

    async def mute(self, muted: bool) -> None:
        """Mute or unmute the phone."""
        await self._post(
            "/api/v1/callctrl/mute", {"state": "1" if muted else "0"}, what="mute"
        )

    async def transfer(self, ref: str, destination: str) -> None:
        """Blind-transfer the call ``ref`` to ``destination``."""
        await self._post(
            "/api/v1/callctrl/transferCall",
            {"Ref": ref, "TransferDest": destination},
            what="transfer call",
        )

    async def send_dtmf(self, digits: str) -> None:
        """Send DTMF digits (0-9, *, #) into the active call."""
        if not digits or not set(digits) <= DTMF_CHARACTERS:
            raise ValueError("DTMF digits must be 0-9, * or #")
        keys = (
            (self._dtmf_key,)
            if self._dtmf_key is not None
            else (DTMF_KEY, DTMF_FALLBACK_KEY)
        )
        for key in keys:
            try:
                await self._post(
                    "/api/v1/callctrl/sendDTMF", {key: digits}, what="send DTMF"
                )
            except TrioInvalidInputError:
                # 4000: the phone did not take the key (nothing was sent as tones).
                if key == keys[-1]:
                    raise
                _LOGGER.debug(
                    "%s: sendDTMF refused %s, trying %s", self.host, key, keys[-1]
                )
                continue
            self._dtmf_key = key
            return

    async def hold(self, ref: str | None = None) -> None:
        """Put a call on hold."""
        ref = await self._current_ref(ref, "hold call", _connected)
        await self._post("/api/v1/callctrl/holdCall", {"Ref": ref}, what="hold call")

    async def resume(self, ref: str | None = None) -> None:
        """Resume a held call."""
        ref = await self._current_ref(ref, "resume call", _held)
        await self._post(
            "/api/v1/callctrl/resumeCall", {"Ref": ref}, what="resume call"
        )

    async def answer(self, ref: str | None = None) -> None:
        """Answer a ringing call."""
        ref = await self._current_ref(ref, "answer call", _ringing)
        await self._post(
            "/api/v1/callctrl/answerCall", {"Ref": ref}, what="answer call"
        )

    async def ignore(self, ref: str | None = None) -> None:
        """Silence a ringing call."""
        ref = await self._current_ref(ref, "ignore call", _ringing)
        await self._post(
            "/api/v1/callctrl/ignoreCall", {"Ref": ref}, what="ignore call"
        )

    async def reject(self, ref: str | None = None) -> None:
        """Decline a ringing call."""
        ref = await self._current_ref(ref, "reject call", _ringing)
        await self._post(
            "/api/v1/callctrl/rejectCall", {"Ref": ref}, what="reject call"
        )

    async def _current_ref(
        self, ref: str | None, what: str, wanted: Callable[[Call], bool]
    ) -> str:
        """``ref``, or the handle of the call ``what`` is meant for.

        Whether the phone needs ``Ref`` is UNKNOWN (notes §4.20, §7.7): without one
        the client reads the calls (v2, else v1) and takes the first that ``wanted``
        accepts, else the first call (the phone then says why it refuses). No call:
        ``TrioNoCallError``, and nothing is sent.
        """
        if ref is not None:
            return ref
        calls: tuple[Call, ...]
        try:
            calls = await self.call_status_v2()
        except (TrioDeviceError, TrioResponseError, TrioRestApiDisabledError):
            call = await self.call_status()
            calls = () if call is None else (call,)
        if not calls:
            raise TrioNoCallError(
                CODE_CALL_NOT_FOUND,
                "NoActiveCall",
                f"{self.host}: {what}: there is no call to act on",
            )
        return next((call for call in calls if wanted(call)), calls[0]).handle

    async def call_logs(self) -> CallLogs:
        """Missed, received and placed calls."""
        return CallLogs.from_data(await self._get("/api/v1/mgmt/callLogs", "call logs"))

    async def call_log(self, kind: CallLogKind) -> tuple[CallLogEntry, ...]:
        """One list of the call log (filtered path)."""
        kind = CallLogKind(kind)
        return parse_call_log_list(
            kind,
            await self._get(f"/api/v1/mgmt/callLogs/{kind.value}", "call logs"),
        )

    async def presence(self) -> str:
        """Return the current presence (Skype for Business; value set UNKNOWN)."""
        return parse_presence(
            await self._request("GET", "/api/v1/mgmt/getPresence", what="presence")
        )

    async def sip_status(self) -> SipStatus:
        """SIP users and their registration events."""
        return SipStatus.from_data(
            await self._get("/api/v1/webCallControl/sipStatus", "SIP status")
        )

    async def call_status(self) -> Call | None:
        """Return the call (v1, one call only); None when there is none (4007)."""
        envelope = await self._request(
            "GET",
            "/api/v1/webCallControl/callStatus",
            what="call status",
            accept=frozenset({CODE_CALL_NOT_FOUND}),
        )
        if parse_status(envelope, what="call status") == CODE_CALL_NOT_FOUND:
            return None
        data = envelope.get("data")
        return None if data is None else parse_call_v1(data)

    async def call_status_v2(
        self,
        *,
        handle: str | None = None,
        line: int | None = None,
        sequence: int | None = None,
    ) -> tuple[Call, ...]:
        """Every call (v2), optionally filtered by handle or line (and sequence)."""
        query: dict[str, str] = {}
        if handle is not None:
            query["handle"] = handle.removeprefix("0x")
        if line is not None:
            query["line"] = str(int(line))
            if sequence is not None:
                query["sequence"] = str(int(sequence))
        envelope = await self._request(
            "GET",
            "/api/v2/webCallControl/callStatus",
            what="call status v2",
            query=query,
            accept=frozenset({CODE_CALL_NOT_FOUND}),
        )
        if parse_status(envelope, what="call status v2") == CODE_CALL_NOT_FOUND:
            return ()
        return parse_calls_v2(envelope.get("data"))

    async def upload_background_capture(self, url: str | None = None) -> None:
        """Upload the background packet capture (to ``url`` or the provisioning server).

        Needs ``diags.pcap.enabled`` and ``diags.pcap.background.enabled``.
        """
        await self._post(
            "/api/v1/mgmt/network/uploadBgCapture",
            {} if url is None else {"url": url},
            what="upload background capture",
        )


def _ringing(call: Call) -> bool:
    return call.state.ringing_in


def _held(call: Call) -> bool:
    return call.state.on_hold


def _connected(call: Call) -> bool:
    return call.state is CallState.CONNECTED


def _transport_of(response: aiohttp.ClientResponse) -> asyncio.BaseTransport | None:
    """Return the transport that carried ``response``.

    ``response.connection`` is already released when a small body arrived with the
    headers; the protocol (private in aiohttp 3.11) still knows the transport then.
    """
    if response.connection is not None:
        return response.connection.transport
    protocol = getattr(response, "_protocol", None)
    transport = getattr(protocol, "transport", None)
    return transport if isinstance(transport, asyncio.BaseTransport) else None


def _config_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _batches[T, B](items: list[T], build: Callable[[list[T]], B]) -> list[B]:
    """Split ``items`` into request payloads of ≤ 20 entries and ≤ the size limit.

    Raises ``TrioRequestTooLargeError`` before anything is sent when one entry alone
    is too large.
    """
    batches: list[B] = []
    current: list[T] = []
    for item in items:
        candidate = [*current, item]
        if len(candidate) > CONFIG_BATCH_SIZE or _size(build(candidate)) > (
            MAX_REQUEST_BYTES
        ):
            if not current:
                raise TrioRequestTooLargeError(
                    "a single configuration parameter is over the phone's limit"
                )
            batches.append(build(current))
            candidate = [item]
            if _size(build(candidate)) > MAX_REQUEST_BYTES:
                raise TrioRequestTooLargeError(
                    "a single configuration parameter is over the phone's limit"
                )
        current = candidate
    if current:
        batches.append(build(current))
    return batches


def _size(data: object) -> int:
    return len(json.dumps({"data": data}, separators=(",", ":")).encode())


def _redacted(data: object) -> object:
    """Return ``data`` for debug logs: secret members replaced (Skype ``Password``)."""
    if data is _NO_BODY:
        return ""
    if isinstance(data, dict):
        return {
            key: REDACTED
            if str(key).lower() in SECRET_NAMES or "password" in str(key).lower()
            else value
            for key, value in data.items()
        }
    return data
