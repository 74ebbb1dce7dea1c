"""One thread owns the model; requests wait in a bounded queue. llama.cpp objects are not
thread-safe, and two 2-thread generations on 2 cores are ~5x slower each than one after another."""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from typing import Any, Callable

from backend.types import Cancelled


class Busy(Exception):
    """The queue is full: the client should retry later."""


class ModelWorker:
    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.cancelled_total = 0  # jobs whose client left: skipped in the queue or stopped mid-generation
        self._jobs: queue.Queue = queue.Queue(maxsize=capacity)
        self._thread = threading.Thread(target=self._run, name="model-worker", daemon=True)
        self._thread.start()

    @property
    def waiting(self) -> int:
        return self._jobs.qsize()

    def submit(self, fn: Callable[[], Any], cancelled: threading.Event | None = None) -> Future:
        future: Future = Future()
        try:
            self._jobs.put_nowait((fn, future, cancelled))
        except queue.Full:
            raise Busy() from None
        return future

    def close(self) -> None:
        self._jobs.put((None, None, None))
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            fn, future, cancelled = self._jobs.get()
            if fn is None:
                return
            # A client that left while waiting frees its slot without costing any model time.
            if (cancelled is not None and cancelled.is_set()) or not future.set_running_or_notify_cancel():
                self.cancelled_total += 1
                continue
            try:
                future.set_result(fn())
            except Cancelled as exc:
                self.cancelled_total += 1
                future.set_exception(exc)
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting request
                future.set_exception(exc)
