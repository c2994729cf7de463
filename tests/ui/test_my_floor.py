"""My floor (issue 12 point 2) on the screens: ``--queues``/``--teams`` for one run, the
scope remembered in the settings, and the tables, counts and labels that follow it.

Expectations are counted by hand from the scene (tests/ui/scenes.py): contact c-i waits
in queue QUEUES[i % 7]; agent a-i is in team ["一组", "二组", "三组"][i % 3] and skilled
for QUEUES[i % 7] and QUEUES[(i + 2) % 7].
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from supervisor.cli import build_parser
from supervisor.errors import UsageError
from ui.app import run_scope
from ui.scope import Scope


def test_the_command_line_takes_queues_and_teams():
    parser = build_parser()
    args = parser.parse_args(["--queues", "credit_card,vip", "--teams", "一组，二组", "--wall"])
    assert run_scope(args) == Scope(("credit_card", "vip"), ("一组", "二组"))  # a full-width comma too
    demo = parser.parse_args(["demo", "--queues", " vip ", "--wall"])
    assert run_scope(demo) == Scope(("vip",), None)  # teams: all
    assert run_scope(parser.parse_args([])) is None  # the remembered scope, then
    assert run_scope(parser.parse_args(["demo"])) is None
    with pytest.raises(UsageError):
        run_scope(parser.parse_args(["--queues", ","]))


def _shell(path, **kw):
    from ui.bridge import FeedBridge
    from ui.shell import Shell

    made: list[FeedBridge] = []

    def factory(inbox):
        made.append(FeedBridge(inbox, "ws://x", "t"))  # never started: set_scope only records
        return made[-1]

    shell = Shell(QSettings(path, QSettings.Format.IniFormat), bridge_factory=factory, beep=False, **kw)
    return shell, made[0]


def test_a_command_line_scope_reaches_the_feed_thread_for_that_run_only(qtbot, tmp_path):
    path = str(tmp_path / "s.ini")
    QSettings(path, QSettings.Format.IniFormat).setValue("scope/queues", "e_banking")
    shell, bridge = _shell(path, scope=Scope(("credit_card", "vip"), ("一组",)))
    try:
        assert shell.live.scope == Scope(("credit_card", "vip"), ("一组",))
        assert bridge.scope == (("credit_card", "vip"), ("一组",))  # before it starts
        shell.live.set_scope(Scope(None, ("二组",)))
        assert bridge.scope == (None, ("二组",))
    finally:
        shell.dispose()
    # the remembered one is untouched, and the next run without flags starts with it
    assert QSettings(path, QSettings.Format.IniFormat).value("scope/queues") == "e_banking"
    shell, bridge = _shell(path)
    try:
        assert shell.live.scope == Scope(("e_banking",), None)
        assert bridge.scope == (("e_banking",), None)
    finally:
        shell.dispose()
