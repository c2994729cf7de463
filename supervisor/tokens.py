"""Where a command's bearer token comes from, kept out of ``ps``, ``/proc`` and shell history.

CLI.md: every command that takes ``--token TOKEN`` also takes ``--token-file PATH`` and
reads the ``CC_TOKEN`` environment variable. A token file must be readable by its owner
alone (as ssh insists for keys): a token anyone on the machine can read is a token anyone
can use. The token itself is never logged or printed.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

from supervisor.errors import UsageError

ENV_VAR = "CC_TOKEN"
MAX_TOKEN_BYTES = 8192


def read_token_file(path: str) -> str:
    """The token in ``path`` (surrounding whitespace removed); a clear error otherwise."""
    file = Path(path).expanduser()
    try:
        st = file.stat()
        if not stat.S_ISREG(st.st_mode):
            raise UsageError(f"token file {path} is not a regular file")
        if sys.platform != "win32" and st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise UsageError(
                f"token file {path} can be read by other users (mode {stat.S_IMODE(st.st_mode):04o}); "
                f"make it private with: chmod 600 {path}"
            )
        if st.st_size > MAX_TOKEN_BYTES:
            raise UsageError(f"token file {path} is larger than {MAX_TOKEN_BYTES} bytes: not a token")
        text = file.read_text(encoding="utf-8")
    except UsageError:
        raise
    except FileNotFoundError:
        raise UsageError(f"token file {path} does not exist") from None
    except (OSError, UnicodeError) as exc:
        raise UsageError(f"cannot read token file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    token = text.strip()
    if not token or any(ch.isspace() for ch in token):
        raise UsageError(f"token file {path} must hold one token on one line")
    return token


def resolve_token(
    token: str | None, token_file: str | None, env: Mapping[str, str] | None = None
) -> str | None:
    """``--token-file``, else ``--token``, else ``CC_TOKEN``; None when none is given."""
    if token and token_file:
        raise UsageError("give either --token or --token-file, not both")
    if token_file:
        return read_token_file(token_file)
    if token:
        return token
    value = (os.environ if env is None else env).get(ENV_VAR, "").strip()
    return value or None
