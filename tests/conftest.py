"""Suite-wide settings: Qt offscreen, and the real PostgreSQL server the CI run starts."""

from __future__ import annotations

import os

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
