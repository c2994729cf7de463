"""Where the tests find the Anonymous Bank data: ../shared beside the repository (as in CI),
or the folder named by CC_BANK_DATA. Missing data skips a test on a developer's machine and
fails it in CI, so a real-data test is never silently left out there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BANK = Path(os.environ.get("CC_BANK_DATA") or REPO.parent / "shared" / "data" / "anonymous_bank")
RAW = BANK / "raw_monthly"


def raw_month(month: str) -> Path:
    """raw_monthly/<month>.txt, or skip (fail in CI) with a clear reason."""
    path = RAW / f"{month}.txt"
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the real-data tests: {path} is missing")
        pytest.skip(f"the Anonymous Bank data is not on this machine ({path})")
    return path
