"""Enum helpers shared by the device families."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class FallbackEnum(StrEnum):
    """A string enum whose unseen wire values map to ``UNKNOWN`` instead of failing.

    Subclasses must define a member ``UNKNOWN = "unknown"``. Devices add values with
    firmware updates; an unseen value must not make a whole response unreadable.
    """

    @classmethod
    def parse(cls, value: str | None) -> Self:
        """Map a wire value (any case, padded) to a member, ``UNKNOWN`` if unseen."""
        try:
            return cls((value or "").strip().lower())
        except ValueError:
            return cls("unknown")
