"""Fixtures of the I/O tests: a fresh journal database per test, SQLite file or PostgreSQL."""

from __future__ import annotations


import pytest


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    # a nested directory: the store must create it
    return f"sqlite:///{tmp_path / 'data' / 'journal.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each store test runs on a SQLite file and on a real PostgreSQL database."""
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_db_url"))
