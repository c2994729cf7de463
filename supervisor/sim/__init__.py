"""The simulator server of PROTOCOL.md: a living Chinese retail-bank service center.

``engine`` generates the events (pure, deterministic per seed and start time),
``replay`` replays a day of the anonymous bank data, ``server`` speaks the websocket
protocol, ``serve`` is the ``command-center simulate`` command.
"""
