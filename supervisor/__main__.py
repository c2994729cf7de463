"""``python -m supervisor`` is the ``command-center`` command."""

from supervisor.cli import main

raise SystemExit(main())
