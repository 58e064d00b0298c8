"""Who may perform which action: the access-rule table.

From the spec: group and single-device actions are not for VIEWER; MANAGER and OWNER
need the customer feature ``IPTVBUSINESS``; RESELLER needs ``IPTVBUSINESS`` or
``IPTVPRIVATE``; ADMIN always may. Per type, ``SCREENSHOT``, ``SPEEDTEST`` and
``FIRMWARE`` need RESELLER or ADMIN, and ``MANAGEMENT``, ``SCRIPT``, ``JS`` and
``UIDEBUG`` need ADMIN. Home Assistant offers an account only what this table allows;
the cloud checks again (403 ``access_denied``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from ..enums import FallbackEnum
from .actions import ActionType


class AccessLevel(FallbackEnum):
    """An employee's ``accessLevel`` (wire values are upper case)."""

    NO_LOGIN = "no_login"
    PERSONAL = "personal"
    VIEWER = "viewer"
    MANAGER = "manager"
    OWNER = "owner"
    RESELLER = "reseller"
    RESELLER_ADMIN = "reseller_admin"
    ADMIN = "admin"
    UNKNOWN = "unknown"

    @property
    def wire(self) -> str:
        """The value as the API writes it ("RESELLER_ADMIN")."""
        return self.value.upper()


FEATURE_IPTVBUSINESS: Final = "IPTVBUSINESS"
FEATURE_IPTVPRIVATE: Final = "IPTVPRIVATE"

# Levels that may perform actions at all -> the customer features of which at least
# one is needed (None: no feature needed). Levels not listed never may.
# UNKNOWN FACT: the spec does not mention RESELLER_ADMIN; it is treated like RESELLER.
ACTION_LEVELS: Final[Mapping[AccessLevel, frozenset[str] | None]] = {
    AccessLevel.MANAGER: frozenset({FEATURE_IPTVBUSINESS}),
    AccessLevel.OWNER: frozenset({FEATURE_IPTVBUSINESS}),
    AccessLevel.RESELLER: frozenset({FEATURE_IPTVBUSINESS, FEATURE_IPTVPRIVATE}),
    AccessLevel.RESELLER_ADMIN: frozenset({FEATURE_IPTVBUSINESS, FEATURE_IPTVPRIVATE}),
    AccessLevel.ADMIN: None,
}

_ALL: Final = frozenset(ACTION_LEVELS)
_RESELLER: Final = frozenset(
    {AccessLevel.RESELLER, AccessLevel.RESELLER_ADMIN, AccessLevel.ADMIN}
)
_ADMIN: Final = frozenset({AccessLevel.ADMIN})

# The spec's per-type "Access" column: type -> levels that may use it.
ACTION_ACCESS: Final[Mapping[ActionType, frozenset[AccessLevel]]] = {
    ActionType.MESSAGE: _ALL,
    ActionType.VIDEO: _ALL,
    ActionType.PLAYCHANNEL: _ALL,
    ActionType.SWITCH_OFF: _ALL,
    ActionType.CHANNELS: _ALL,
    ActionType.UI: _ALL,
    ActionType.REBOOT: _ALL,
    ActionType.DVB: _ALL,
    ActionType.SCREENSHOT: _RESELLER,
    ActionType.SPEEDTEST: _RESELLER,
    ActionType.MANAGEMENT: _ADMIN,
    ActionType.SCRIPT: _ADMIN,
    ActionType.JS: _ADMIN,
    ActionType.FIRMWARE: _RESELLER,
    ActionType.PLAYRADIOCHANNEL: _ALL,
    ActionType.UIDEBUG: _ADMIN,
    ActionType.VOLUME: _ALL,
    ActionType.EMULATEKEYS: _ALL,
}

# UNKNOWN FACT: where the login answer lists the customer's features is not
# documented. When they cannot be read (``features=None``) the table assumes these,
# so a MANAGER is offered the actions and the cloud's 403 has the last word.
UNKNOWN_FEATURES_ASSUMED: Final = frozenset({FEATURE_IPTVBUSINESS, FEATURE_IPTVPRIVATE})


def _level_allowed(level: AccessLevel, features: Iterable[str] | None) -> bool:
    if level not in ACTION_LEVELS:
        return False
    needed = ACTION_LEVELS[level]
    if needed is None:
        return True
    have = (
        UNKNOWN_FEATURES_ASSUMED
        if features is None
        else frozenset(feature.upper() for feature in features)
    )
    return bool(needed & have)


def may_perform(
    level: AccessLevel, features: Iterable[str] | None, action_type: ActionType
) -> bool:
    """Return whether an account with ``level`` and ``features`` may use the type."""
    return _level_allowed(level, features) and level in ACTION_ACCESS[action_type]


def allowed_action_types(
    level: AccessLevel, features: Iterable[str] | None
) -> frozenset[ActionType]:
    """Return the action types an account may use (empty for VIEWER and below).

    ``features`` are the customer's features; ``None`` means unknown (see
    ``UNKNOWN_FEATURES_ASSUMED``).
    """
    if features is not None:
        features = tuple(features)
    if not _level_allowed(level, features):
        return frozenset()
    return frozenset(kind for kind, levels in ACTION_ACCESS.items() if level in levels)


def required_access(action_type: ActionType) -> str:
    """Describe the access needed for a type, for messages ("RESELLER or ADMIN")."""
    parts: list[str] = []
    levels = ACTION_ACCESS[action_type]
    for level, needed in ACTION_LEVELS.items():
        if level not in levels:
            continue
        if needed is None:
            parts.append(level.wire)
        else:
            parts.append(f"{level.wire} (with {' or '.join(sorted(needed))})")
    if levels == _ALL:
        return ", ".join(parts[:-1]) + f" or {parts[-1]}"
    return " or ".join(level.wire for level in ACTION_LEVELS if level in levels)
