"""The Asterisk gateway: a server of PROTOCOL.md in front of a live Asterisk (AMI), and
the importer of Asterisk's ``queue_log`` history.

- ``ami``: the AMI wire format (a sans-I/O frame parser) and a small asyncio client.
- ``floor``: the sans-I/O mapping, AMI frames in, protocol events out.
- ``server``: the websocket side (sessions, replay buffer and tokens of ``supervisor.sim``)
  and the AMI connection with its faults.
- ``queuelog``: ``queue_log`` lines into journal events.
- ``amiserver``: a small scripted AMI server (tests, the demo, the benchmark).
"""
