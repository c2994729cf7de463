"""Safe writing and clear errors: a good file is never damaged, a failure is one sentence
with the exit code of CLI.md (usage 2; unwritable or locked target 1)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from supervisor.export import ExportCancelled, ExportRequest, export_workbook
from supervisor.export import workbook as workbook_module
from supervisor.export.atomic import atomic_output
from supervisor.kpi_cli import resolve_period
from supervisor.timeutil import CHINA
from tests.export.reading import export

GOOD = b"PK\x03\x04 an existing good workbook, byte for byte"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err  # one sentence, no traceback
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ("2026-11-21", "2026-11-20", "empty"),  # reversed
        ("2026-11-20", "2026-11-20", "empty"),
        ("2026-11-20T09:00:00+08:00", "2026-11-20T09:00:00+08:00", "empty"),
        ("yesterday", "2026-11-20", "--from"),
        ("2026-11-20", "2026-13-01", "--to"),
        ("2026-11-20T09:00:00", "2026-11-21", "--from"),  # no offset
    ],
)
def test_bad_periods_are_usage_errors(day_url: str, out: Path, capsys: pytest.CaptureFixture[str],
                                      start: str, end: str, words: str) -> None:
    out.write_bytes(GOOD)
    assert export(day_url, start, end, out) == 2
    assert words in _error_line(capsys)
    assert out.read_bytes() == GOOD


def test_target_must_be_xlsx(day_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export(day_url, "2026-11-20", "2026-11-21", tmp_path / "review.csv") == 2
    assert ".xlsx" in _error_line(capsys)


def test_missing_folder_and_missing_journal(day_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export(day_url, "2026-11-20", "2026-11-21", tmp_path / "nope" / "r.xlsx") == 1
    assert "does not exist" in _error_line(capsys)
    missing = f"sqlite:///{tmp_path / 'none.db'}"
    assert export(missing, "2026-11-20", "2026-11-21", tmp_path / "r.xlsx") == 1
    assert "no journal database" in _error_line(capsys)
    assert not (tmp_path / "none.db").exists()  # reading never creates a database


def test_open_in_another_program(day_url: str, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """LibreOffice's .~lock.NAME# (or Excel's ~$NAME) beside the file: refuse, keep the file."""
    out.write_bytes(GOOD)
    lock = out.with_name(f".~lock.{out.name}#")
    lock.write_text("someone,host,...")
    assert export(day_url, "2026-11-20", "2026-11-21", out) == 1
    assert "open in another program" in _error_line(capsys)
    assert out.read_bytes() == GOOD
    lock.unlink()
    excel = out.with_name(f"~${out.name}")
    excel.write_text("x")
    assert export(day_url, "2026-11-20", "2026-11-21", out) == 1
    assert out.read_bytes() == GOOD


@contextlib.contextmanager
def _unprivileged() -> Iterator[None]:
    """Run as nobody when the suite runs as root (root ignores file permissions)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder under the system temp dir (reachable by an unprivileged user)."""
    path = Path(tempfile.mkdtemp(prefix="cc-export-"))
    path.chmod(0o777)
    yield path
    path.chmod(0o777)
    shutil.rmtree(path)


def test_read_only_folder_is_a_clear_error_and_the_file_survives(
    day_url: str, shared_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = shared_dir / "review.xlsx"
    out.write_bytes(GOOD)
    out.chmod(0o644)
    shared_dir.chmod(0o555)
    with _unprivileged():
        rc = export(day_url, "2026-11-20", "2026-11-21", out)
    assert rc == 1
    line = _error_line(capsys)
    assert "not writable" in line and str(shared_dir) in line
    assert out.read_bytes() == GOOD
    assert _leftovers(shared_dir) == []


def test_read_only_file_is_not_replaced(day_url: str, shared_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = shared_dir / "review.xlsx"
    out.write_bytes(GOOD)
    out.chmod(0o444)
    with _unprivileged():
        rc = export(day_url, "2026-11-20", "2026-11-21", out)
    assert rc == 1
    assert "read-only" in _error_line(capsys)
    assert out.read_bytes() == GOOD


def _request(url: str, out: Path) -> ExportRequest:
    start, end = resolve_period("2026-11-20", "2026-11-21", CHINA)
    return ExportRequest(db_url=url, start=start, end=end, out=out, lang="en")


def test_failure_while_writing_keeps_the_good_file(
    day_url: str, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out.write_bytes(GOOD)

    def broken(*_: object, **__: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(workbook_module, "write_audit", broken)
    with pytest.raises(OSError):
        export_workbook(_request(day_url, out))
    assert out.read_bytes() == GOOD
    assert _leftovers(out.parent) == []


@pytest.mark.parametrize("after", [1, 3, 10_000])
def test_cancelled_export_keeps_the_good_file(day_url: str, out: Path, after: int) -> None:
    """Cancelled while reading, while writing, or at the very end: nothing is replaced."""
    out.write_bytes(GOOD)
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    temp_before = {p for p in ALL_TEMP_FILES if os.path.exists(p)}
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls >= after

    seen: list[float] = []
    if after == 10_000:
        # cancel only once the last stage has begun: after the save, before the replace
        def late() -> bool:
            return bool(seen) and seen[-1] >= 1.0
        with pytest.raises(ExportCancelled):
            export_workbook(_request(day_url, out), cancelled=late,
                            progress=lambda f, stage: seen.append(f) if stage == "saving" else None)
    else:
        with pytest.raises(ExportCancelled):
            export_workbook(_request(day_url, out), cancelled=cancelled)
    assert out.read_bytes() == GOOD
    assert _leftovers(out.parent) == []
    # openpyxl's per-sheet temporary files of the abandoned workbook are gone too
    assert {p for p in ALL_TEMP_FILES if os.path.exists(p)} <= temp_before


def test_success_replaces_atomically_readable_by_its_owner_alone(day_url: str, out: Path) -> None:
    out.write_bytes(GOOD)
    inode_before = out.stat().st_ino
    result = export_workbook(_request(day_url, out))
    assert result.path == out
    data = out.read_bytes()
    assert data.startswith(b"PK") and data != GOOD
    assert out.stat().st_ino != inode_before  # a new file swapped in, not rewritten in place
    if os.name == "posix":  # readable by its owner alone (issue 9), whatever the umask
        assert out.stat().st_mode & 0o777 == 0o600
    assert _leftovers(out.parent) == []
    assert set(result.rows) == {"queues", "intervals", "agents", "escalations", "breaches", "audit"}


def test_atomic_output_on_its_own(tmp_path: Path) -> None:
    target = tmp_path / "a.xlsx"
    target.write_bytes(GOOD)
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            tmp.write_bytes(b"half a workbook")
            raise RuntimeError("boom")
    assert target.read_bytes() == GOOD
    with atomic_output(target) as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert _leftovers(tmp_path) == []
