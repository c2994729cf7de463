"""A loopback TCP proxy that a test can cut and restore, like a failing network link."""

from __future__ import annotations

import asyncio
import contextlib
import threading


class CuttableProxy:
    """Forwards 127.0.0.1:``port`` to ``target_port`` on its own thread.

    ``cut()`` stops listening and aborts every open connection (no close frames: the
    peers see the line die); ``restore()`` listens again on the same port.
    ``rate`` (bytes/s) slows the server-to-client direction like a thin line, so a cut
    is sure to fall mid-stream rather than after the client already holds everything.
    """

    def __init__(self, target_port: int, rate: float | None = None) -> None:
        self.target_port = target_port
        self.rate = rate
        self.port = 0
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="proxy", daemon=True)
        self._server: asyncio.Server | None = None
        self._transports: set[asyncio.WriteTransport] = set()
        self._thread.start()

    def __enter__(self) -> CuttableProxy:
        self.restore()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def _call(self, coro):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    def restore(self) -> None:
        async def listen() -> None:
            self._server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port)
            self.port = self._server.sockets[0].getsockname()[1]

        self._call(listen())

    def cut(self) -> None:
        async def cut() -> None:
            if self._server is not None:
                self._server.close()
                self._server = None
            for t in list(self._transports):
                t.abort()
            self._transports.clear()

        self._call(cut())

    async def _pipe(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            server_r, server_w = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_w.transport.abort()
            return
        self._transports.update({client_w.transport, server_w.transport})

        async def copy(r: asyncio.StreamReader, w: asyncio.StreamWriter, rate: float | None) -> None:
            with contextlib.suppress(OSError, ConnectionError):
                while data := await r.read(65536):
                    w.write(data)
                    await w.drain()
                    if rate:
                        await asyncio.sleep(len(data) / rate)
            w.transport.abort()

        await asyncio.gather(copy(client_r, server_w, None), copy(server_r, client_w, self.rate))
        self._transports.discard(client_w.transport)
        self._transports.discard(server_w.transport)
