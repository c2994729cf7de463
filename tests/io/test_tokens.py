"""Tokens off the command line: --token-file and CC_TOKEN for every command that takes one."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from supervisor.errors import UsageError
from supervisor.sim.server import SimConfig, SimulatorThread, start_in_thread
from supervisor.tokens import resolve_token
from tests.io.test_recorder_e2e import ENV, command
from tests.io.test_with_simulator import START

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")


def token_file(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "token"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


@posix_only
def test_a_private_file_gives_the_token(tmp_path: Path) -> None:
    path = token_file(tmp_path, "  demo-lead\n")
    assert resolve_token(None, str(path), env={}) == "demo-lead"


@posix_only
def test_a_file_others_can_read_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = token_file(tmp_path, "demo-lead\n", 0o644)
    with pytest.raises(UsageError, match=r"chmod 600"):
        resolve_token(None, str(path), env={})


def test_order_and_conflicts(tmp_path: Path) -> None:
    assert resolve_token(None, None, env={"CC_TOKEN": " from-env "}) == "from-env"
    assert resolve_token("flag", None, env={"CC_TOKEN": "from-env"}) == "flag"
    assert resolve_token(None, None, env={}) is None
    with pytest.raises(UsageError, match="not both"):
        resolve_token("flag", "file", env={})
    with pytest.raises(UsageError, match="does not exist"):
        resolve_token(None, str(tmp_path / "missing"), env={})


@posix_only
def test_an_empty_or_two_word_file_is_refused(tmp_path: Path) -> None:
    for text in ("\n", "two words\n"):
        path = token_file(tmp_path, text)
        with pytest.raises(UsageError, match="one token"):
            resolve_token(None, str(path), env={})


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorThread]:
    with start_in_thread(SimConfig(seed=4, speed=0.0, agents=10, start=START, hours=0.5)) as server:
        yield server


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(*args), capture_output=True, text=True, timeout=60,
                          env={**ENV, **(env or {})})


@posix_only
def test_record_with_a_token_file_and_reassign_with_cc_token(sim: SimulatorThread, tmp_path: Path) -> None:
    path = token_file(tmp_path, "demo-lead\n")
    db = f"sqlite:///{tmp_path / 'j.db'}"
    recorded = run("record", "--url", sim.url, "--token-file", str(path), "--db", db, "--duration", "1")
    assert recorded.returncode == 0, recorded.stderr
    assert "recorded" in recorded.stdout
    # a floor supervisor's token from the environment reaches the server: it is refused
    # the command (forbidden, exit 3), which proves it was read and sent
    refused = run("reassign", "--url", sim.url, "e-1", "s-1", "--reason", "测试",
                  env={"CC_TOKEN": "demo-supervisor"})
    assert refused.returncode == 3, refused.stderr
    for result in (recorded, refused):
        assert "demo-lead" not in result.stdout + result.stderr  # never printed
        assert "demo-supervisor" not in result.stdout + result.stderr


def test_no_token_at_all_is_a_usage_error(tmp_path: Path) -> None:
    env = {k: v for k, v in ENV.items() if k != "CC_TOKEN"}
    result = subprocess.run(command("record", "--url", "ws://127.0.0.1:1/v1/events", "--db",
                                    f"sqlite:///{tmp_path / 'j.db'}"),
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 2
    assert "--token-file" in result.stderr and "CC_TOKEN" in result.stderr
    assert not (tmp_path / "j.db").exists()  # refused before anything was created


@posix_only
def test_a_readable_token_file_exits_2_before_connecting(tmp_path: Path) -> None:
    path = token_file(tmp_path, "demo-lead\n", 0o640)
    result = run("reassign", "--url", "ws://127.0.0.1:1/v1/events", "--token-file", str(path),
                 "e-1", "s-1", "--reason", "x")
    assert result.returncode == 2
    assert "chmod 600" in result.stderr and "Traceback" not in result.stderr
    assert os.stat(path).st_mode & 0o777 == 0o640  # never "fixed" behind the user's back


def test_token_options_never_swallow_another_commands_options() -> None:
    """`--to` of kpi/export must not be read as an abbreviation of `--token`/`--token-file`."""
    from supervisor.cli import build_parser

    parser = build_parser()
    args = parser.parse_args(["kpi", "--db", "sqlite:///j.db", "--from", "2026-11-20", "--to", "2026-11-21"])
    assert (args.from_, args.to) == ("2026-11-20", "2026-11-21")
    args = parser.parse_args(["export", "--db", "sqlite:///j.db", "--from", "2026-11-20", "--to",
                              "2026-11-21", "--out", "x.xlsx"])
    assert args.to == "2026-11-21"
    with pytest.raises(SystemExit):
        parser.parse_args(["--tok", "abc"])  # no prefix matching at all
