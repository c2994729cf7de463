"""Expected failures, each with the exit code of CLI.md; the CLI prints one sentence, no traceback."""

from __future__ import annotations


class CommandCenterError(Exception):
    """An expected failure: its message is one clear sentence for the user."""

    exit_code = 1


class UsageError(CommandCenterError):
    exit_code = 2


class NotAuthorised(CommandCenterError):
    """A refused token (HTTP 401) or a command the role may not run ('forbidden')."""

    exit_code = 3


class Refused(CommandCenterError):
    """Not found, conflict, invalid, or otherwise refused by the server."""

    exit_code = 4


class CannotConnect(CommandCenterError):
    exit_code = 5


class ProtocolVersionError(CommandCenterError):
    """The server speaks another major version of the protocol."""

    exit_code = 1
