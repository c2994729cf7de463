"""The PyInstaller one-folder bundle: builds from build.spec, starts, finds its resources.

Slow (about two minutes to build): marked ``slow``. Runs the frozen executable the way a
wall PC would: offscreen self-test, a CLI form on a real SQLite journal, and a
PostgreSQL URL to prove the driver is inside.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NAME = "command-center"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _require_pyinstaller() -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI must build the bundle: PyInstaller is not installed (pip install -e '.[test]')")
        pytest.skip("PyInstaller is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the bundle once for this module; returns dist/command-center."""
    _require_pyinstaller()
    base = tmp_path_factory.mktemp("pyinstaller")
    done = subprocess.run(
        [sys.executable, "-m", "PyInstaller", str(REPO / "build.spec"), "--noconfirm", "--log-level", "WARN",
         "--distpath", str(base / "dist"), "--workpath", str(base / "work")],
        cwd=REPO, capture_output=True, text=True, timeout=800,
    )
    assert done.returncode == 0, f"pyinstaller failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    folder = base / "dist" / NAME
    assert (folder / NAME).is_file()
    return folder


def _run(bundle: Path, *args: str, tmp: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    # A clean environment: nothing from the source tree or the venv may leak in.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp), TMPDIR=str(tmp), XDG_CONFIG_HOME=str(tmp / "config"),
               XDG_DATA_HOME=str(tmp / "data"))
    return subprocess.run([str(bundle / NAME), *args], cwd=tmp, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_bundle_carries_resources_and_qt_platforms(bundle: Path) -> None:
    internal = bundle / "_internal"
    res = internal / "resources"
    for rel in ("styles/normal.qss", "styles/wall.qss", "fonts/CommandCenterSansSC-Regular.otf",
                "fonts/CommandCenterSansSC-Bold.otf", "fonts/OFL.txt", "icons/command-center.png"):
        assert (res / rel).is_file(), rel
    for qm in (REPO / "resources" / "i18n").glob("*.qm"):
        assert (res / "i18n" / qm.name).is_file(), qm.name
    # Data only: the resolver's sources live in the archive, tools and .ts sources stay home.
    assert not [p for p in res.rglob("*") if p.suffix in {".py", ".sh", ".ts"}]
    platforms = {p.name for p in internal.rglob("platforms/*.so")} | {p.name for p in internal.rglob("platforms/*.dll")}
    if sys.platform.startswith("linux"):
        assert {"libqoffscreen.so", "libqxcb.so"} <= platforms
    assert not list(internal.rglob("pytest*")) and not list(internal.rglob("PyQt5*"))


def test_bundle_help(bundle: Path, tmp_path: Path) -> None:
    done = _run(bundle, "--help", tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "usage: command-center" in done.stdout and "--self-test" in done.stdout


def test_bundle_self_test_renders_the_main_window(bundle: Path, tmp_path: Path) -> None:
    done = _run(bundle, "--self-test", tmp=tmp_path)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr[-4000:]}"
    assert "self-test ok" in done.stdout
    png = Path(done.stdout.strip().splitlines()[-1].split("self-test ok:", 1)[1].strip())
    assert png.is_file() and png.stat().st_size > 10_000
    assert "Traceback" not in done.stderr


def test_bundle_cli_reads_a_real_sqlite_journal(bundle: Path, tmp_path: Path) -> None:
    from supervisor.store.store import Store

    db = tmp_path / "journal.db"
    Store(f"sqlite:///{db}").close()  # an empty journal, made by the source tree
    done = _run(bundle, "kpi", "--db", f"sqlite:///{db}", "--from", "2026-11-20", "--to", "2026-11-21", "--json",
                tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["from"] == "2026-11-20T00:00:00+08:00" and figures["queues"] == {}


def test_bundle_has_the_postgresql_driver(bundle: Path, tmp_path: Path) -> None:
    # A loopback port nobody listens on: the bundled psycopg must try and fail to
    # connect (exit 5, CLI.md), not fail to import.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = _run(bundle, "kpi", "--db", f"postgresql+psycopg://postgres@127.0.0.1:{port}/x",
                "--from", "2026-11-20", "--to", "2026-11-21", tmp=tmp_path)
    assert done.returncode == 5, (done.returncode, done.stderr)
    assert "connect" in done.stderr and "Traceback" not in done.stderr
