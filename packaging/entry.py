"""Entry point of the PyInstaller bundle: the same ``command-center`` command as the installed script.

Kept tiny so the bundle and ``pip install`` behave alike; everything lives in supervisor.cli.
"""

from __future__ import annotations

import multiprocessing
import sys

from supervisor.cli import main

if __name__ == "__main__":
    # A frozen app re-executes itself for any multiprocessing child; let those children run.
    multiprocessing.freeze_support()
    sys.exit(main())
