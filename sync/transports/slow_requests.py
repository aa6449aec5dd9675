"""`binhan serve`: a request that crawls in is closed (see `sync.transports.http.make_server`).

Waitress closes a connection that stays silent for its idle time-out, but every byte resets that timer, so a
client sending one byte every few seconds would keep its connection (and a slot) for ever. Here each
connection notes when the request it is reading began and how many bytes of it arrived, and the server's
periodic check closes it once the request has taken longer than `http.request_deadline` allows.
"""

from __future__ import annotations

import logging
import time

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer

from sync.transports import http

log = logging.getLogger("binhan.serve")


class _TimedChannel(HTTPChannel):
    """Waitress's channel, noting when the request being read began and how many bytes of it arrived."""

    started: float | None = None  # time.monotonic() at the first byte of the request being read; None between
    got = 0

    def received(self, data: bytes) -> bool:
        now = time.monotonic()
        reading = self.request
        if reading is None or self.started is None:
            self.started, self.got = now, 0
        self.got += len(data)
        done = super().received(data)
        if self.request is None:
            self.started, self.got = None, 0  # nothing half-read: the idle time-out watches the connection now
        elif reading is not None and self.request is not reading:
            self.started, self.got = now, 0  # one request done and the next begun in the same bytes
        return done


def _close_slow(server, grace: float, min_rate: float) -> None:
    """Close every connection whose request has taken longer to arrive than its bytes allow (one log line each:
    no address, no path, nothing the client sent)."""
    now = time.monotonic()
    for channel in list(server.active_channels.values()):
        started = getattr(channel, "started", None)
        if started is None or channel.requests or channel.will_close:
            continue  # between requests, or being answered
        if now - started > http.request_deadline(channel.got, grace=grace, min_rate=min_rate):
            channel.will_close = True
            log.info("- - closed - too_slow %ds %dB", now - started, channel.got)


def watch_slow(server, grace: float, min_rate: float) -> None:
    """Give each listening server of `server` the timed channels and the check for slow requests."""
    listening = [server] if isinstance(server, BaseWSGIServer) else [
        d for d in getattr(server, "map", {}).values() if isinstance(d, BaseWSGIServer)]
    for one in listening:
        idle_check = one.maintenance

        def maintenance(now: float, one=one, idle_check=idle_check) -> None:
            idle_check(now)  # waitress's own: silent connections
            _close_slow(one, grace, min_rate)

        one.channel_class = _TimedChannel
        setattr(one, "maintenance", maintenance)  # noqa: B010 - an instance's own, over the class's method
