"""``command-center kpi``: errors in one sentence with CLI.md's exit codes, and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from supervisor import cli
from tests.kpi import day


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["kpi", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> str:
    from supervisor.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('kpi-cli') / 'journal.db'}"
    with Store(url) as store:
        day.build_script().write(store)
    return url


def one_sentence(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err  # no traceback
    assert lines[0].startswith("command-center: ")
    return lines[0]


@pytest.mark.parametrize("bad", ["yesterday", "2026-11-20T00:00:00", "2026-13-01", "20261120", ""])
def test_a_bad_time_is_a_usage_error(journal: str, capsys: pytest.CaptureFixture[str], bad: str) -> None:
    code, out, err = run(capsys, "--db", journal, "--from", bad, "--to", "2026-11-21")
    assert (code, out) == (2, "")
    assert "--from" in one_sentence(err)


def test_a_bad_time_fails_before_the_journal_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'absent.db'}", "--from", "2026-11-20",
                       "--to", "noon")
    assert code == 2 and "--to" in one_sentence(err)


@pytest.mark.parametrize("bounds", [("2026-11-21", "2026-11-20"), ("2026-11-20", "2026-11-20"),
                                    ("2026-11-20T08:00:00+08:00", "2026-11-20T00:00:00Z")])
def test_an_empty_or_reversed_period_is_a_usage_error(
    journal: str, capsys: pytest.CaptureFixture[str], bounds: tuple[str, str]
) -> None:
    code, out, err = run(capsys, "--db", journal, "--from", bounds[0], "--to", bounds[1], "--json")
    assert (code, out) == (2, "")
    assert "empty" in one_sentence(err)


def test_a_missing_journal_file_is_an_error_and_is_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nowhere" / "journal.db"
    code, out, err = run(capsys, "--db", f"sqlite:///{path}", "--from", "2026-11-20", "--to", "2026-11-21")
    assert (code, out) == (1, "")
    assert str(path) in one_sentence(err)
    assert not path.exists() and not path.parent.exists()


def test_a_file_that_is_not_a_database_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not a journal\n" * 100)
    code, out, err = run(capsys, "--db", f"sqlite:///{path}", "--from", "2026-11-20", "--to", "2026-11-21")
    assert (code, out) == (1, "")
    assert "cannot read" in one_sentence(err)
    assert path.read_text().startswith("this is not a journal")  # left as it was


def test_not_a_database_url_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", "journal please", "--from", "2026-11-20", "--to", "2026-11-21")
    assert code == 2
    one_sentence(err)


def test_an_unknown_formula_is_refused_by_the_parser(journal: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["kpi", "--db", journal, "--from", "2026-11-20", "--to", "2026-11-21", "--formula", "magic"])
    assert exc.value.code == 2
    capsys.readouterr()


def test_an_empty_journal_gives_empty_figures_in_the_center_default_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from supervisor.store import Store

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    Store(url).close()
    code, out, _ = run(capsys, "--db", url, "--from", "2026-11-20", "--to", "2026-11-21", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["from"] == "2026-11-20T00:00:00+08:00"
    assert data["queues"] == {} and data["agents"] == {} and data["total"]["offered"] == 0
    assert data["total"]["service_level"] is None


# --------------------------------------------------------------------------- PostgreSQL


def test_kpi_from_a_postgresql_journal(pg_db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from supervisor.store import Store

    with Store(pg_db_url) as store:
        day.build_script().write(store)
    code, out, err = run(capsys, "--db", pg_db_url, "--from", "2026-11-20", "--to", "2026-11-21",
                         "--json", "--formula", "removed_within_sla")
    assert (code, err) == (0, "")
    assert json.loads(out) == day.expected_cli_json("removed_within_sla")


def test_an_unreachable_postgresql_server_cannot_connect(capsys: pytest.CaptureFixture[str]) -> None:
    # port 9 (discard) on loopback: nothing listens there
    code, out, err = run(capsys, "--db", "postgresql+psycopg://nobody@127.0.0.1:9/x",
                         "--from", "2026-11-20", "--to", "2026-11-21")
    assert (code, out) == (5, "")
    one_sentence(err)
