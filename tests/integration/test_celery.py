"""The Celery shim: ``slotbot.tick`` runs the same jobs as ``slotbot tick``, in-process
(eager) and through a real worker on Redis (``SLOTBOT_TEST_REDIS_URL``; skipped without
it, failing under ``CI=true``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from config.bootstrap import bootstrap
from config.celery_app import TASK, make_celery
from config.settings import Settings
from tests.integration.test_jobs import DUE, HOSTS, PER_HOST, _seed

ROOT = Path(__file__).resolve().parents[2]


def _settings(db: Path, broker: str = "memory://") -> Settings:
    return Settings(SLOTBOT_DATABASE_URL=f"sqlite:///{db}", SLOTBOT_BROKER_URL=broker)


def _reminders(app) -> Counter:
    with app.uow_factory() as uow:
        return Counter(m.payload["booking_id"] for m in uow.outbox.list()
                       if m.kind == "reminder")


def test_beat_schedules_the_tick_task_every_tick_period(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "s.db")
    celery = make_celery(settings)
    schedule = celery.conf.beat_schedule["slotbot-tick"]
    assert (schedule["task"], schedule["schedule"]) == (TASK, 60.0)
    assert TASK in celery.tasks


def test_eager_tick_task_runs_the_jobs_once(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "s.db")
    app = bootstrap(settings)
    _seed(app.uow_factory)
    celery = make_celery(settings, app_factory=lambda: app)
    celery.conf.task_always_eager = True

    first = celery.tasks[TASK].delay(now=DUE.isoformat()).get()
    second = celery.tasks[TASK].delay(now=DUE.isoformat()).get()

    assert (first["jobs"]["armed"], first["jobs"]["reminders_sent"]) == (HOSTS * PER_HOST, HOSTS)
    assert len(first["jobs"]["digests"]) == HOSTS
    assert (second["jobs"]["reminders_sent"], second["jobs"]["digests"]) == (0, {})
    assert set(_reminders(app).values()) == {1} and len(_reminders(app)) == HOSTS


def test_real_worker_on_redis_runs_the_tick_once_per_instant(
    tmp_path: Path, redis_url: str
) -> None:
    settings = _settings(tmp_path / "s.db", broker=redis_url)
    app = bootstrap(settings)
    _seed(app.uow_factory)
    client = make_celery(settings)
    client.control.purge()
    env = {**os.environ, "SLOTBOT_DATABASE_URL": settings.database_url,
           "SLOTBOT_BROKER_URL": redis_url, "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen(
        [sys.executable, "-c", "from config.cli import main; main()", "worker", "--no-beat"],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        first = client.send_task(TASK, kwargs={"now": DUE.isoformat()}).get(timeout=60)
        second = client.send_task(TASK, kwargs={"now": DUE.isoformat()}).get(timeout=30)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

    assert first["jobs"]["reminders_sent"] == HOSTS and len(first["jobs"]["digests"]) == HOSTS
    assert (second["jobs"]["reminders_sent"], second["jobs"]["digests"]) == (0, {})
    assert set(_reminders(app).values()) == {1} and len(_reminders(app)) == HOSTS
