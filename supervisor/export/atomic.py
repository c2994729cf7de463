"""Safe writing of an output file: a temporary file beside the target, then ``os.replace``.

Readers (and the person who double-clicks the file) only ever see the old complete file
or the new complete file: a failed or cancelled export removes its temporary file and
leaves an existing good file byte for byte as it was. The new file is readable by its owner
alone (0600 on POSIX).
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from supervisor.errors import CommandCenterError, UsageError


class ExportError(CommandCenterError):
    """The workbook cannot be written (unwritable or locked target, full disk): exit 1."""

    exit_code = 1


class ExportCancelled(CommandCenterError):
    """The user cancelled the export; nothing was written."""

    exit_code = 1


def lock_file_of(target: Path) -> Path | None:
    """The lock file an office program keeps beside a document it has open, if present.

    Excel writes ``~$NAME`` and LibreOffice ``.~lock.NAME#`` next to the file; replacing
    a document under an open program loses the user's view of it (and fails on Windows).
    """
    for name in (f"~${target.name}", f".~lock.{target.name}#"):
        candidate = target.with_name(name)
        if candidate.exists():
            return candidate
    return None


def _may(path: Path, mode: int) -> bool:
    # effective ids where the OS can: a set-uid or seteuid'd process gets the truth
    if os.access in os.supports_effective_ids:
        return os.access(path, mode, effective_ids=True)
    return os.access(path, mode)


def check_target(target: Path) -> None:
    """Fail early, in one sentence, when ``target`` cannot be (re)written."""
    if target.suffix.lower() != ".xlsx":
        raise UsageError(f"the output file {str(target)!r} must end in .xlsx")
    parent = target.parent
    if not parent.is_dir():
        raise ExportError(f"cannot write {target}: the folder {parent} does not exist")
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a folder")
    if not _may(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {target}: the folder {parent} is not writable")
    if target.exists() and not _may(target, os.W_OK):
        raise ExportError(f"cannot replace {target}: the file is read-only or locked")
    lock = lock_file_of(target)
    if lock is not None:
        raise ExportError(
            f"cannot replace {target}: it is open in another program ({lock.name}); close it and try again"
        )


def _describe(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    return exc.strerror or str(exc)


@contextmanager
def atomic_output(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces ``target``.

    On any exception (including cancellation) the temporary file is removed and the
    exception propagates; an existing ``target`` is never touched before the final,
    atomic ``os.replace``.
    """
    path = Path(target)
    check_target(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".xlsx.part", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"cannot write in {path.parent}: {_describe(exc)}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        _finish(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        raise


def _finish(tmp: Path, target: Path) -> None:
    """fsync the new file, keep it readable by its owner alone, and swap it in atomically."""
    try:
        # mkstemp makes 0600 files and so the workbook stays: it lists customers (masked,
        # but still a bank's records), so only its owner reads it unless they share it
        if os.name == "posix":
            os.chmod(tmp, 0o600)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {_describe(exc)}") from None
    try:
        os.replace(tmp, target)
    except PermissionError:
        # Windows refuses to replace a file another program holds open
        raise ExportError(
            f"cannot replace {target}: the file is locked (open in another program?)"
        ) from None
    except OSError as exc:
        raise ExportError(f"cannot replace {target}: {_describe(exc)}") from None
    if hasattr(os, "O_DIRECTORY"):
        # make the rename itself durable
        try:
            dir_fd = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        except OSError:
            pass
        finally:
            os.close(dir_fd)
