"""Celery for production: beat triggers ``slotbot.tick`` every minute; workers run it.

:func:`make_celery` builds the app (nothing connects until a worker starts or a
task is sent). The task is a thin shim over :func:`config.periodic.tick`, the
same function as ``slotbot tick``. One tick at a time: the task takes a lock
(a Redis lock with a lease when the broker is Redis, else a process lock) and
skips the run if another tick holds it; the database claims make a double run
harmless anyway, the lock keeps two senders from sharing a platform's limits.

Run one worker with embedded beat (``slotbot worker``); more workers without
beat (``slotbot worker --no-beat``).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
import time as _time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from celery import Celery

from config.bootstrap import App, bootstrap
from config.settings import Settings

TASK = "slotbot.tick"
LOCK_NAME = "slotbot:tick"
BEAT_LOCK_NAME = "slotbot:beat"

_LOGGER = logging.getLogger(__name__)


def make_celery(settings: Settings, *, app_factory: Callable[[], App] | None = None) -> Celery:
    """The Celery app on ``SLOTBOT_BROKER_URL`` with the beat schedule and the tick task.

    Args:
        settings: the validated settings (broker URL, tick period).
        app_factory: builds the Slotbot app on first use in a worker process
            (default: :func:`config.bootstrap.bootstrap` with ``settings``).
    """
    broker = settings.broker_url
    redis = broker.startswith(("redis://", "rediss://"))
    celery = Celery("slotbot", broker=broker, backend=broker if redis else "cache+memory://")
    celery.conf.update(
        beat_schedule={"slotbot-tick": {"task": TASK, "schedule": settings.tick_seconds,
                                        "options": {"expires": settings.tick_seconds}}},
        timezone="UTC",
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        worker_prefetch_multiplier=1,
        task_acks_late=False,
        broker_connection_retry_on_startup=True,
        result_expires=3600,
        worker_hijack_root_logger=False,  # keep Slotbot's private one-line logging
    )
    build = app_factory or (lambda: bootstrap(settings))
    slotbot: list[App] = []
    local_lock = threading.Lock()

    @celery.task(name=TASK, ignore_result=False, shared=False)  # type: ignore[untyped-decorator]
    def tick(now: str | None = None) -> dict[str, Any]:
        """Run the periodic jobs once; ``now`` (ISO 8601, with offset) fixes the instant."""
        from config import periodic

        with _single(broker if redis else None, local_lock,
                     lease=max(settings.tick_seconds * 5, 300)) as acquired:
            if not acquired:
                return {"skipped": "another tick is running"}
            if not slotbot:
                slotbot.append(build())
            moment = datetime.fromisoformat(now) if now else None
            return periodic.tick(slotbot[0], moment).as_dict()

    return celery


@contextmanager
def _single(redis_url: str | None, local: threading.Lock, *, lease: float) -> Iterator[bool]:
    """Hold the tick lock for the block, or yield False if someone else holds it."""
    if redis_url is None:
        acquired = local.acquire(blocking=False)
        try:
            yield acquired
        finally:
            if acquired:
                local.release()
        return
    import redis

    client = redis.Redis.from_url(redis_url)
    lock = client.lock(LOCK_NAME, timeout=lease, blocking=False)
    acquired = bool(lock.acquire(blocking=False))
    try:
        yield acquired
    finally:
        if acquired:
            # LockError: the lease ran out during a long tick (someone may hold it now).
            with contextlib.suppress(redis.exceptions.LockError):
                lock.release()
        client.close()


def run_worker(settings: Settings, *, beat: bool = True, concurrency: int = 1) -> None:
    """Run a Celery worker, with embedded beat unless ``beat`` is False, until stopped.

    On Redis, beat runs only in the worker holding the ``slotbot:beat`` lock (a
    lease renewed while the worker lives): a second ``slotbot worker`` runs
    without beat, so one beat schedules at a time.
    """
    argv = ["worker", "--loglevel=INFO", f"--concurrency={concurrency}"]
    if beat and _hold_beat_lock(settings.broker_url):
        argv.append("--beat")
    elif beat:
        _LOGGER.warning("another worker runs beat; this one only runs tasks")
    make_celery(settings).worker_main(argv)


def _hold_beat_lock(broker: str, lease: float = 60.0) -> bool:
    """Take the beat lock and keep renewing it in a daemon thread; False if it stays taken.

    Waits up to one lease for it, so a worker restarted after a crash takes over
    once the dead worker's lease runs out. Released when the process exits.
    """
    if not broker.startswith(("redis://", "rediss://")):
        return True
    import redis

    lock = redis.Redis.from_url(broker).lock(BEAT_LOCK_NAME, timeout=lease)
    if not lock.acquire(blocking=True, blocking_timeout=lease + 1):
        return False

    def release() -> None:
        with contextlib.suppress(redis.exceptions.LockError):  # the lease may have run out
            lock.release()

    atexit.register(release)

    def renew() -> None:
        while True:
            _time.sleep(lease / 3)
            try:
                lock.reacquire()
            except redis.exceptions.RedisError:
                _LOGGER.exception("could not renew the beat lock")

    threading.Thread(target=renew, name="slotbot-beat-lock", daemon=True).start()
    return True
