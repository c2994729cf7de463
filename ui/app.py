"""Entry points of the desktop (CLI.md): ``command-center`` and ``command-center demo``.

``run_desktop`` connects to a real server; ``run_demo`` starts the simulator in-process
on a free loopback port with today's history pre-run, and a fresh journal, so every
screen is alive at once; ``--self-test`` renders the main window offscreen and exits 0
(the PyInstaller smoke test).
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from supervisor import collector
from supervisor.errors import UsageError

if TYPE_CHECKING:
    from ui.scope import Scope

log = logging.getLogger(__name__)

ORG = "CommandCenter"
APP = "CommandCenter"
DEMO_TOKEN = "demo-lead"
DEMO_PRERUN_HOURS = 3.0  # of today's history, so tiles and trends are alive at once
_KEEP: list[object] = []


def _make_app(lang_arg: str | None, offscreen: bool = False):  # type: ignore[no-untyped-def]
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from ui import i18n, look

    existing = QApplication.instance()  # typed QCoreApplication: ours is always a QApplication
    if existing is not None and not isinstance(existing, QApplication):
        raise RuntimeError("a QCoreApplication without widgets is already running")
    app = existing if existing is not None else QApplication(sys.argv[:1])
    _KEEP.append(app)  # outlives every widget, whatever order Python frees locals in
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    from ui.preferences import Preferences

    # --lang for this run, else the language chosen in the settings, else the system's
    prefs = Preferences.load(None if offscreen else _settings())
    lang = i18n.resolve_lang(lang_arg or prefs.language or None)
    app._translators = i18n.install(app, lang)  # type: ignore[attr-defined]  # keep them alive
    look.apply(app, prefs.palette)
    return app


def _quit_on_signals(app) -> None:  # type: ignore[no-untyped-def]
    """SIGINT/SIGTERM (Ctrl+C, systemd stopping a wall PC) quit the event loop cleanly, so
    the feed stops and the journal is flushed; a short timer lets Python see the signal."""
    import signal

    from PySide6.QtCore import QTimer

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    timer = QTimer(app)
    timer.setInterval(250)
    timer.timeout.connect(lambda: None)
    timer.start()


def i18n_lang(arg: str | None) -> str:
    """The UI's language: ``--lang``, else the settings' choice, else the system's."""
    from ui import i18n
    from ui.preferences import Preferences

    return i18n.resolve_lang(arg or Preferences.load(_settings()).language or None)


def _settings():  # type: ignore[no-untyped-def]
    """The desktop's QSettings: an INI file over the floor's defaults (ui/preferences.py),
    readable by its owner alone.

    Qt rewrites the file through QSaveFile, which keeps the mode of the file it replaces,
    so creating it 0600 (and its folder 0700) before the first write is enough; an older
    version's 0644 file is tightened. (macOS plists and the Windows registry: left to the
    OS, whose per-user stores others cannot read.)
    """
    from PySide6.QtCore import QSettings

    from supervisor.paths import private_dir, private_file
    from ui.preferences import migrate_native, open_settings

    settings = open_settings(ORG, APP, migrate=False)  # private first, then written
    if settings.format() in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat) and os.name == "posix":
        path = Path(settings.fileName())
        if path.suffix in (".conf", ".ini"):
            try:
                private_dir(path.parent)
                private_file(path)
            except OSError as exc:
                log.warning("cannot make the settings file %s private: %s", path, exc.strerror or exc)
    migrate_native(settings, ORG, APP)
    return settings


def self_test(lang: str | None, out: Path | None = None) -> Path:
    """Open the main window offscreen without a server, render it to PNG; returns the path."""
    app = _make_app(lang, offscreen=True)
    from ui.shell import Shell

    shell = Shell(None, beep=False)
    shell.window.resize(1600, 1000)
    shell.window.show()
    app.processEvents()
    out = out or Path(tempfile.gettempdir()) / "command-center-self-test.png"
    if not shell.window.grab().save(str(out)):
        raise RuntimeError(f"could not write {out}")
    # the wall too: its fonts, theme and widgets must load from the bundle as well
    shell.wall.resize(1920, 1080)
    shell.wall.refresh()
    wall_png = out.with_name(out.stem + "-wall.png")
    if not shell.wall.grab().save(str(wall_png)):
        raise RuntimeError(f"could not write {wall_png}")
    shell.dispose()
    return out


def run_scope(args: argparse.Namespace) -> Scope | None:
    """``--queues``/``--teams``: my floor for this run (a ui.scope.Scope), None when neither
    is given (the settings' scope then). Either alone scopes the run: the other is all."""
    queues, teams = getattr(args, "queues", None), getattr(args, "teams", None)
    if queues is None and teams is None:
        return None
    from ui.scope import Scope

    scope = Scope.of(queues, teams)
    if scope.whole:
        raise UsageError("--queues/--teams: give at least one queue or team, comma-separated")
    return scope


def run_desktop(args: argparse.Namespace) -> int:
    if getattr(args, "self_test", False):
        path = self_test(args.lang)
        print(f"self-test ok: {path}")
        return 0
    app = _make_app(args.lang)
    from ui.bridge import FeedBridge
    from ui.shell import Shell

    token_from_keyring = False
    if args.url and not args.token:
        from ui.signin import sign_in

        signed_in = sign_in(args.url)
        if signed_in is None:
            return 0  # the user cancelled the sign-in
        args.token, token_from_keyring = signed_in

    db_url = args.db
    if db_url is None:
        from supervisor.paths import default_db_url

        db_url = default_db_url()
    factory = None
    if args.url:
        def factory(inbox):  # type: ignore[no-untyped-def]
            return FeedBridge(inbox, args.url, args.token, ca_file=args.ca_file, db_url=db_url)

    shell = Shell(_settings(), bridge_factory=factory, db_url=db_url, lang=i18n_lang(args.lang),
                  formula=getattr(args, "formula", None), scope=run_scope(args))
    _quit_on_signals(app)
    shell.start(wall=args.wall)
    collector.settle()  # startup's objects (Qt wrappers, modules) leave every later collection
    code = app.exec()
    bridge = shell.bridge
    shell.dispose()
    if bridge is not None and bridge.error is not None:
        from supervisor.errors import CommandCenterError, NotAuthorised

        if isinstance(bridge.error, NotAuthorised) and token_from_keyring:
            from ui.signin import forget_token

            forget_token(args.url)  # refused: the next start asks again
        if isinstance(bridge.error, CommandCenterError):
            raise bridge.error
    return code


def demo_db_url() -> str:
    """A fresh SQLite journal for each demo, in the user's data directory."""
    from supervisor.paths import data_dir

    folder = data_dir() / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return f"sqlite:///{folder / f'journal-{stamp}-{os.getpid()}.db'}"


def start_demo_server(seed: int, speed: float, agents: int, prerun_hours: float = DEMO_PRERUN_HOURS):  # type: ignore[no-untyped-def]
    """The simulator on a free loopback port, today's history pre-run."""
    from supervisor.sim.server import SimConfig, start_in_thread
    from supervisor.timeutil import CHINA

    now = demo_center_time(datetime.now(CHINA).replace(microsecond=0))
    cfg = SimConfig(seed=seed, speed=speed, agents=agents, start=now - timedelta(hours=prerun_hours),
                    prerun_hours=prerun_hours)
    return start_in_thread(cfg)


def start_demo_pbx(seed: int, speed: float, agents: int):  # type: ignore[no-untyped-def]
    """``demo --source asterisk``: the simulator's day as AMI frames, served by a small AMI
    server into the real Asterisk gateway, both on loopback (supervisor/gateway/synthetic.py)."""
    from supervisor.gateway.synthetic import DemoPbx
    from supervisor.timeutil import CHINA

    now = demo_center_time(datetime.now(CHINA).replace(microsecond=0))
    return DemoPbx(seed, now, agents=agents, speed=speed)


DEMO_OPEN_HOURS = (9, 19)  # center time in which the real clock already shows a busy floor
DEMO_LIVELY_HOUR = 14.5  # otherwise the demo day is set at the mid-afternoon peak


def demo_center_time(now: datetime) -> datetime:
    """The simulated 'now' of the demo: the real time of day during opening hours, else
    today's mid-afternoon peak, so the demo shows a living center whenever it is run."""
    if DEMO_OPEN_HOURS[0] <= now.hour < DEMO_OPEN_HOURS[1]:
        return now
    midnight = now.replace(hour=0, minute=0, second=0)
    return midnight + timedelta(hours=DEMO_LIVELY_HOUR)


def run_demo(args: argparse.Namespace) -> int:
    app = _make_app(args.lang)
    from ui.bridge import FeedBridge
    from ui.shell import Shell

    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    if args.agents < 1:
        raise UsageError("--agents must be at least 1")
    if getattr(args, "source", "simulator") == "asterisk":
        sim = start_demo_pbx(seed, args.speed, args.agents)
    else:
        sim = start_demo_server(seed, args.speed, args.agents)
    db_url = args.db or demo_db_url()
    log.info("demo: simulator %s (seed %s), journal %s", sim.url, seed, db_url)

    def factory(inbox):  # type: ignore[no-untyped-def]
        # the bridge backfills: the floor shows the simulator's snapshot at once, and the
        # day's history fills the KPIs in journal order behind it
        return FeedBridge(inbox, sim.url, DEMO_TOKEN, db_url=db_url)

    shell = Shell(_settings(), bridge_factory=factory, on_shutdown=sim.stop, db_url=db_url,
                  lang=i18n_lang(args.lang), scope=run_scope(args))
    shell.window.set_demo_title(seed)
    _quit_on_signals(app)
    shell.start(wall=args.wall)
    collector.settle()  # startup's objects (Qt wrappers, modules) leave every later collection
    code = app.exec()
    shell.dispose()
    return code
