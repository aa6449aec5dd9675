"""One background worker for database and file work, with callbacks on the GUI thread.

    run_in_background(lambda: session.cases.count(flt), on_done=label_count, on_error=show_error)

The rule for callers: `fn` runs on the worker thread and must never touch a
widget or any other QObject; it takes what it needs from its closure and
returns a plain value. `on_done(result)` and `on_error(exception)` run later on
the GUI thread, where touching widgets is allowed. Jobs run one at a time, in
the order given, so two jobs never race on the same session.

Tests set `SYNCHRONOUS = True`: every job then runs at once, inside the call,
and its callback has run before `run_in_background` returns.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ui.qt import QObject, QRunnable, QThreadPool, Signal, Slot, qt_object_alive

log = logging.getLogger(__name__)

#: Run each job at once on the calling thread (tests; deterministic).
SYNCHRONOUS = False

_pool: QThreadPool | None = None
# Relays whose callbacks have not run yet; keeping them here keeps them alive.
_pending: set[_Relay] = set()


def _worker_pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        # One thread: jobs on one session never overlap, and order is kept.
        _pool.setMaxThreadCount(1)
        _pool.setExpiryTimeout(-1)
    return _pool


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues, the slots run the callbacks."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done, on_error, owner):
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self._owner = owner
        self.cancelled = False
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_error)

    def _owner_gone(self) -> bool:
        return self.cancelled or (self._owner is not None and not qt_object_alive(self._owner))

    @Slot(object)
    def _deliver_done(self, result) -> None:
        _pending.discard(self)
        if not self._owner_gone() and self._on_done is not None:
            self._on_done(result)

    @Slot(object)
    def _deliver_error(self, error) -> None:
        _pending.discard(self)
        if not self._owner_gone():
            _report(error, self._on_error)


class _Job(QRunnable):
    def __init__(self, fn, relay: _Relay):
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._relay = relay

    def run(self) -> None:  # worker thread: no widgets here
        try:
            result = self._fn()
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the GUI thread
            self._relay.failed.emit(error)
        else:
            self._relay.done.emit(result)


def _report(error: BaseException, on_error: Callable[[BaseException], Any] | None) -> None:
    if on_error is not None:
        on_error(error)
        return
    # No handler: log the kind of failure only; messages may quote what a person typed.
    log.error("background job failed: %s", type(error).__name__)
    raise error


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], Any] | None = None,
                      on_error: Callable[[BaseException], Any] | None = None, *,
                      owner: QObject | None = None, priority: int = 0) -> None:
    """Run `fn()` off the GUI thread; then `on_done(result)` or `on_error(exception)` on the GUI thread.

    `fn` must never touch a widget. With `owner`, the callbacks are skipped when
    that object has been destroyed by the time the job ends (a closed dialog).
    Without `on_error`, a failure is raised on the GUI thread. A job of higher
    `priority` starts before the waiting jobs of lower priority (what the person
    just asked for, before what follows earlier figures).
    """
    if SYNCHRONOUS:
        try:
            result = fn()
        except Exception as error:  # noqa: BLE001
            if owner is None or qt_object_alive(owner):
                _report(error, on_error)
            return
        if on_done is not None and (owner is None or qt_object_alive(owner)):
            on_done(result)
        return
    relay = _Relay(on_done, on_error, owner)
    _pending.add(relay)
    _worker_pool().start(_Job(fn, relay), priority)


def wait_for_jobs(msecs: int = -1) -> bool:
    """Block until every queued job has finished (before closing the session they use)."""
    if _pool is None:
        return True
    return _pool.waitForDone(msecs)


def discard_callbacks() -> None:
    """Forget the callbacks of finished jobs not yet delivered (the session they would use is closing)."""
    for relay in list(_pending):
        relay.cancelled = True
    _pending.clear()


def busy() -> bool:
    """True while some job's callback is still to come."""
    return bool(_pending)
