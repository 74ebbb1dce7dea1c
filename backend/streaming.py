"""A proofread running on another thread, handed to its reader as events: `("token", text)` as the
model writes, then one `("result", Result)` or `("error", exception)`. The HTTP event stream
(backend/api/routes.py, an asyncio reader) and the Space page (space/app.py, a thread) both read
proofreads this way; `cancelled` is how the reader stops the proofread."""

from __future__ import annotations

import asyncio
import queue
import threading
from typing import Any, Callable

from backend.types import Cancelled, Result

Event = tuple[str, Any]


class ProofreadEvents:
    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """`loop`: the event loop of an asyncio reader (it awaits `next_async()`); None for a reader
        on another thread (it calls `next()`)."""
        self.cancelled = threading.Event()
        self._loop = loop
        self._events: asyncio.Queue | queue.Queue = asyncio.Queue() if loop else queue.Queue()

    def run(self, proofread: Callable[..., Result]) -> None:
        """Runs `proofread(on_token=..., cancelled=...)` on this thread and delivers what it gives.
        `Cancelled` propagates: nobody is reading any more (the API's worker counts it)."""
        try:
            result = proofread(on_token=lambda text: self._put(("token", text)), cancelled=self.cancelled.is_set)
        except Cancelled:
            raise
        except Exception as error:  # noqa: BLE001 - handed to the reader, which reports it
            self._put(("error", error))
        else:
            self._put(("result", result))

    def _put(self, event: Event) -> None:
        if self._loop is None:
            self._events.put(event)
        else:
            self._loop.call_soon_threadsafe(self._events.put_nowait, event)

    def next(self, block: bool = True) -> Event:
        """The next event (a thread reader); with block=False raises queue.Empty when none is waiting."""
        return self._events.get(block)

    async def next_async(self) -> Event:
        return await self._events.get()
