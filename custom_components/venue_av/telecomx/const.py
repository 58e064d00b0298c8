"""Constants of the TelecomX IPTV family."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

# Entry data. The token is stored under a name the root diagnostics redact
# (protocol/http.py SECRET_NAMES); the password is never stored.
CONF_API_URL: Final = "api_url"
CONF_TOKEN: Final = "token"  # noqa: S105 - a key name, not a secret
CONF_CUSTOMER_ID: Final = "customer_id"
CONF_EMPLOYEE_ID: Final = "employee_id"
CONF_ACCESS_LEVEL: Final = "access_level"
# The customer's features as the login answered them; None when it named none.
CONF_FEATURES: Final = "features"

# Flow-only fields (never stored).
CONF_SMS_KEY: Final = "sms_key"
CONF_AUTHENTICATOR_TOKEN: Final = "authenticator_token"  # noqa: S105 - a key name

# Options.
CONF_GROUPS: Final = "groups"  # {group id: name the user gave it}
CONF_UNGROUPED_BOXES: Final = "ungrouped_boxes"

# The device list is polled at most once a minute: the API documents no rate limits.
DEFAULT_POLL_INTERVAL: Final = 60
MIN_POLL_INTERVAL: Final = 60
MAX_POLL_INTERVAL: Final = 3600
# The channel list changes rarely.
CHANNELS_MAX_AGE: Final = timedelta(hours=1)
# Health samples are written every 15 minutes by the cloud.
HEALTH_INTERVAL: Final = timedelta(minutes=15)
# How long a fetched screenshot is served before the cloud is asked again.
SCREENSHOT_MAX_AGE: Final = timedelta(seconds=30)
# A box carries out an action within 1-60 s; the image is re-read after that.
SCREENSHOT_SETTLE: Final = timedelta(seconds=65)

MANUFACTURER: Final = "TelecomX"
# Device identifiers: ``telecomx_<account>[_box_<id> | _group_<id> | _all]``.
ALL_GROUP_KEY: Final = "all"
