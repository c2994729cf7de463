"""Journals shared by the export tests (built once per session: real SQLite files)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from supervisor.timeutil import CHINA
from tests.export.journals import write_script, write_simulated

WEEK_START = datetime(2026, 11, 16, tzinfo=CHINA)  # a Monday

# Every export test that reads a journal runs against both figure engines: the facts
# kept beside the journal, aggregated by SQL (the default), and every event fed into a
# KpiBuilder (CC_KPI_ENGINE=events). The dialog and LibreOffice tests use the default.
SINGLE_ENGINE_MODULES = {"test_dialog", "test_libreoffice"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if (metafunc.module.__name__.rsplit(".", 1)[-1] not in SINGLE_ENGINE_MODULES
            and "kpi_engine" in metafunc.fixturenames):
        metafunc.parametrize("kpi_engine", ["facts", "events"], indirect=True)


@pytest.fixture(autouse=True)
def kpi_engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str | None:
    engine = getattr(request, "param", None)
    if engine is not None:
        monkeypatch.setenv("CC_KPI_ENGINE", engine)
    return engine


@pytest.fixture(scope="session")
def day_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The KPI tests' scripted day 2026-11-20 (+08:00): transfers, short abandons, a
    snapshot gap, an idle queue (empty denominators), escalations and reassignments."""
    path = tmp_path_factory.mktemp("day") / "journal.db"
    url = f"sqlite:///{path}"
    assert write_script(url) > 100
    return url


@pytest.fixture(scope="session")
def week_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A simulated week (Mon 2026-11-16 .. Mon 2026-11-23) of the synthetic center."""
    path = tmp_path_factory.mktemp("week") / "journal.db"
    url = f"sqlite:///{path}"
    assert write_simulated(url, WEEK_START, 7 * 24, agents=20) > 10_000
    return url


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "review.xlsx"
