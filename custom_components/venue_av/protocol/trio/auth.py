"""HTTP authentication for Poly Trio phones: Basic, and Digest (RFC 7616 / RFC 2617).

aiohttp 3.11 has no client-side Digest, so this is a small implementation of the part
phones use: ``qop=auth`` (or no qop, RFC 2069), algorithms MD5, SHA-256 and their
``-sess`` variants, ``opaque`` and ``stale``. ``auth-int`` is not offered by any phone
seen and is not implemented; a challenge demanding only it is refused.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from typing import Final

USERNAME: Final = "Polycom"

_PARAM = re.compile(r'([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)')
_HASHES = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}


def basic_header(username: str, password: str) -> str:
    """Return the ``Authorization`` value for HTTP Basic (UTF-8 credentials)."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def parse_challenges(values: list[str]) -> dict[str, dict[str, str]]:
    """Map scheme (lower case) to the parameters of each ``WWW-Authenticate`` value.

    Each header is taken as one challenge (phones send one scheme per header).
    """
    challenges: dict[str, dict[str, str]] = {}
    for value in values:
        scheme, _, rest = value.strip().partition(" ")
        if not scheme:
            continue
        params: dict[str, str] = {}
        for name, token in _PARAM.findall(rest):
            params[name.lower()] = _unquote(token)
        challenges.setdefault(scheme.lower(), params)
    return challenges


class DigestAuth:
    """Digest state for one phone: the last challenge and the nonce count.

    Not a secret holder: the password is passed in for each header and never kept.
    """

    def __init__(self, challenge: dict[str, str]) -> None:
        """Take a parsed ``Digest`` challenge; ValueError when it cannot be answered."""
        algorithm = challenge.get("algorithm", "MD5").upper()
        self.session = algorithm.endswith("-SESS")
        base = algorithm.removesuffix("-SESS")
        if base not in _HASHES:
            raise ValueError(f"unsupported digest algorithm {algorithm}")
        qops = [q.strip().lower() for q in challenge.get("qop", "").split(",") if q]
        if qops and "auth" not in qops:
            raise ValueError("digest challenge offers no qop=auth")
        if "nonce" not in challenge:
            raise ValueError("digest challenge without nonce")
        self.algorithm = algorithm
        self._hash = _HASHES[base]
        self.realm = challenge.get("realm", "")
        self.nonce = challenge["nonce"]
        self.opaque = challenge.get("opaque")
        self.qop = "auth" if qops else None
        self.userhash = challenge.get("userhash", "").lower() == "true"
        self.nonce_count = 0

    def _h(self, text: str) -> str:
        return self._hash(text.encode()).hexdigest()

    def header(
        self, method: str, uri: str, username: str, password: str, *, cnonce: str = ""
    ) -> str:
        """Return the ``Authorization`` value for the next request (increments ``nc``)."""
        self.nonce_count += 1
        nc = f"{self.nonce_count:08x}"
        cnonce = cnonce or os.urandom(16).hex()
        ha1 = self._h(f"{username}:{self.realm}:{password}")
        if self.session:
            ha1 = self._h(f"{ha1}:{self.nonce}:{cnonce}")
        ha2 = self._h(f"{method}:{uri}")
        if self.qop:
            response = self._h(f"{ha1}:{self.nonce}:{nc}:{cnonce}:{self.qop}:{ha2}")
        else:
            response = self._h(f"{ha1}:{self.nonce}:{ha2}")
        user = self._h(f"{username}:{self.realm}") if self.userhash else username
        parts = [
            f'username="{_quote(user)}"',
            f'realm="{_quote(self.realm)}"',
            f'nonce="{_quote(self.nonce)}"',
            f'uri="{_quote(uri)}"',
            f"algorithm={self.algorithm}",
            f'response="{response}"',
        ]
        if self.opaque is not None:
            parts.append(f'opaque="{_quote(self.opaque)}"')
        if self.qop:
            parts += [f"qop={self.qop}", f"nc={nc}", f'cnonce="{cnonce}"']
        if self.userhash:
            parts.append("userhash=true")
        return "Digest " + ", ".join(parts)


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _unquote(token: str) -> str:
    if token.startswith('"'):
        return re.sub(r"\\(.)", r"\1", token[1:-1])
    return token
