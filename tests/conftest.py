"""Suite-wide settings: Qt offscreen, and the real PostgreSQL server the CI run starts."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def pg_url() -> str:
    """URL of the real PostgreSQL server (./dev.sh test starts one); skipped only outside CI."""
    url = os.environ.get("CC_TEST_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must run PostgreSQL tests: CC_TEST_PG_URL is not set (run ./dev.sh test)")
        pytest.skip("no PostgreSQL server: set CC_TEST_PG_URL or run ./dev.sh test")
    return url


@pytest.fixture
def pg_db_url(pg_url: str) -> Iterator[str]:
    """A brand-new, empty PostgreSQL database on the test server, dropped afterwards."""
    import sqlalchemy as sa

    name = f"cc_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield sa.engine.make_url(pg_url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()
