"""The KPI tests that read a journal run against both figure engines: the facts kept
beside the journal, aggregated by SQL (the default), and every event fed into a
``KpiBuilder`` (``CC_KPI_ENGINE=events``). The independent figures must come out of both."""

from __future__ import annotations

import pytest

# modules whose tests read journals through the store (the others feed a builder directly)
ENGINE_MODULES = {"test_cli", "test_queue_sla", "test_replay_day", "test_scripted_day"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.module.__name__.rsplit(".", 1)[-1] in ENGINE_MODULES and "kpi_engine" in metafunc.fixturenames:
        metafunc.parametrize("kpi_engine", ["facts", "events"], indirect=True)


@pytest.fixture(autouse=True)
def kpi_engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str | None:
    engine = getattr(request, "param", None)
    if engine is not None:
        monkeypatch.setenv("CC_KPI_ENGINE", engine)
    return engine
