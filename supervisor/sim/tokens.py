"""Who may connect: bearer tokens and the user (id, name, role) each one stands for.

Without a tokens file the simulator knows the three demo users of CLI.md. A tokens
file is JSON, token -> {"id", "name", "role"}; anything else is refused with a
sentence that says what is wrong and where.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROLES = ("floor_supervisor", "duty_lead", "manager")

DEMO_TOKENS: dict[str, dict[str, str]] = {
    "demo-supervisor": {"id": "u-supervisor", "name": "林晓（现场主管）", "role": "floor_supervisor"},
    "demo-lead": {"id": "u-lead", "name": "陈志远（值班长）", "role": "duty_lead"},
    "demo-manager": {"id": "u-manager", "name": "王海燕（中心经理）", "role": "manager"},
}


class TokenError(ValueError):
    """A tokens file or mapping that cannot be used, with the reason."""


def check_tokens(tokens: Mapping[str, Any], where: str = "tokens") -> dict[str, dict[str, str]]:
    """Validate token -> {id, name, role}; returns a clean copy."""
    if not isinstance(tokens, Mapping) or not tokens:
        raise TokenError(f"{where}: expected a non-empty JSON object mapping token -> user")
    out: dict[str, dict[str, str]] = {}
    for token, user in tokens.items():
        if not isinstance(token, str) or not token.strip():
            raise TokenError(f"{where}: a token must be a non-empty string")
        if not isinstance(user, Mapping):
            raise TokenError(f"{where}: token {token!r} must map to an object with id, name and role")
        uid, name, role = user.get("id"), user.get("name", ""), user.get("role")
        if not isinstance(uid, str) or not uid:
            raise TokenError(f"{where}: token {token!r} has no user id")
        if not isinstance(name, str):
            raise TokenError(f"{where}: token {token!r} has a name that is not a string")
        if role not in ROLES:
            raise TokenError(f"{where}: token {token!r} has role {role!r}; expected one of {', '.join(ROLES)}")
        out[token] = {"id": uid, "name": name, "role": role}
    return out


def load_tokens(path: str | Path) -> dict[str, dict[str, str]]:
    """Read and validate a tokens file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise TokenError(f"cannot read tokens file {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TokenError(f"tokens file {path} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    return check_tokens(data, f"tokens file {path}")


def resolve_tokens(spec: Mapping[str, Any] | str | Path | None) -> dict[str, dict[str, str]]:
    """The token table from a mapping, a file path, or None for the demo users."""
    if spec is None:
        return {k: dict(v) for k, v in DEMO_TOKENS.items()}
    if isinstance(spec, (str, Path)):
        return load_tokens(spec)
    return check_tokens(spec)


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, else None."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    token = token.strip()
    return token or None
