"""Poly Trio phone simulator: HTTPS REST API of UC Software 5.9 (see docs/trio.md)."""

from .notify import NotificationRecord
from .server import FaultMode, RequestRecord, TrioSimulator
from .state import AuthMode, BusyMode, DefaultPasswordStyle, PhoneSpec, PhoneState

__all__ = [
    "AuthMode",
    "BusyMode",
    "DefaultPasswordStyle",
    "FaultMode",
    "NotificationRecord",
    "PhoneSpec",
    "PhoneState",
    "RequestRecord",
    "TrioSimulator",
]
