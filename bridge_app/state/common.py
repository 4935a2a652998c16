"""What every UI state shares: database work off the event loop, enqueueing, safe messages."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlmodel import Session

from bridge_app.services.db import session_scope
from bridge_app.services.errors import ServiceError, UploadRejected
from bridge_app.services.queue import NextJob, enqueue_after_commit

log = logging.getLogger("bridge.ui")

T = TypeVar("T")


async def run_db(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(session, *args, **kwargs)` in a thread, inside one committed transaction."""

    def work() -> T:
        with session_scope() as session:
            return fn(session, *args, **kwargs)

    return await asyncio.to_thread(work)


async def read_db(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Like `run_db` but read-only: the transaction is rolled back."""
    from bridge_app.services.db import get_engine

    def work() -> T:
        with Session(get_engine(), expire_on_commit=False) as session:
            try:
                return fn(session, *args, **kwargs)
            finally:
                session.rollback()

    return await asyncio.to_thread(work)


async def enqueue(job: NextJob | None) -> None:
    """Enqueue a stage after its commit; a lost enqueue is repaired by the reconciler."""
    await enqueue_after_commit(job)


def friendly(exc: BaseException) -> str:
    """A message fit for a person: never a stack trace or an internal detail."""
    if isinstance(exc, ServiceError):
        return exc.message
    if isinstance(exc, UploadRejected):
        where = f" (line {exc.line})" if exc.line else ""
        return f"The file was rejected: {exc.message}{where}."
    reference = uuid.uuid4().hex[:8]
    log.error("UI action failed [ref %s]", reference, exc_info=exc)
    return f"Something went wrong; please try again (reference {reference})."


async def follow_live(
    state: Any, tick: Callable[[], Awaitable[bool]], *, poll_s: float, max_s: float
) -> None:
    """Poll while a page is open: every `poll_s`, run `tick` inside the state lock until it
    returns False, the page stops following (`stop_live` bumps `_live_generation`), or `max_s`
    passes (a closed tab never says goodbye). An error shows a safe message and polling goes on.

    A tick clears only the error a tick raised: `error` is shared by every page of the session,
    and a poll left running by a page the browser navigated away from (no unmount event on a
    full navigation) must not wipe the refusal another page has just shown.
    """
    async with state:
        state._live_generation += 1
        generation = state._live_generation
    started = time.monotonic()
    own_error = ""
    while time.monotonic() - started < max_s:
        await asyncio.sleep(poll_s)
        async with state:
            if state._live_generation != generation:
                return
            shown = state.error
            try:
                if not await tick():
                    return
            except Exception as exc:
                state.fail(exc)
                own_error = state.error
                continue
            if shown and not state.error and shown != own_error:
                state.error = shown  # someone else's message: leave it to them (or Dismiss)
            own_error = ""
