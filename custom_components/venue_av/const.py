"""Constants every device family shares."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "venue_av"
LOGGER = logging.getLogger(__package__)

# Config entries of every device family carry their kind; one domain, three families.
# The stored values are part of the entries' data: never rename them.
CONF_KIND: Final = "kind"
KIND_IMM: Final = "imm"
KIND_TELECOMX: Final = "telecomx"
KIND_TRIO: Final = "trio"

CONF_POLL_INTERVAL: Final = "poll_interval"

# Home Assistant states hold at most 255 characters.
MAX_STATE_LENGTH: Final = 255
