"""What ``slotbot chat`` imports before its first reply (issue 14: start-up within 1 s).

Each module below is needed by other commands or other platforms only; importing
any of them on the way to a guest's first reply costs every start-up its load
time (the PostgreSQL dialect alone ~50 ms; dateparser's languages far more).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Not needed for a guest's first reply on SQLite in one of the grammar's five languages.
NOT_ON_THE_CHAT_PATH = (
    "sqlalchemy.dialects.postgresql",  # the PostgreSQL engine's (storage.orm.PartialIndex)
    "alembic",  # a database at head is checked with one query (storage.migrate)
    "dateparser",  # languages outside en/de/es/fr/pt only (nlp.fallback)
    "celery", "kombu",  # `slotbot worker`, `serve`
    "jinja2", "mail",  # emails: sent by the outbox, not by a turn
    "telegram", "slack_sdk", "slack_bolt",  # `slotbot serve`
    "googleapiclient", "caldav", "stripe",  # calendars and payments, when configured
    "yaml",  # `slotbot load`
    "bots.host_commands._dispatch", "core.stats", "bots.charts", "bots.notices",  # hosts
    "config.serving", "config.periodic",
)

PROBE = """
import io, json, sys
from config.cli import main
sys.argv = ["slotbot", "chat", "--as", "probe", "--now", "2026-12-01T09:00:00+00:00"]
sys.stdin, sys.stdout, printed = io.StringIO("hi\\n"), io.StringIO(), sys.stdout
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
reply = sys.stdout.getvalue()
sys.stdout = printed
print(json.dumps({"reply": reply, "modules": sorted(sys.modules)}))
"""


def test_the_first_chat_reply_imports_none_of_the_other_commands_modules(
        tmp_path: Path, sqlite_at_head: Callable[[Path], str]) -> None:
    env = {**os.environ, "SLOTBOT_DATABASE_URL": sqlite_at_head(tmp_path / "chat.db")}
    slotbot = Path(sys.executable).parent / "slotbot"
    subprocess.run([str(slotbot), "load", str(ROOT / "examples" / "hosts.yaml")], env=env,
                   cwd=tmp_path, check=True, capture_output=True, timeout=60)

    probe = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)

    assert found["reply"].startswith("probe> hi\nbot> I book meetings with Ana Lima")
    loaded = [name for name in found["modules"]
              if any(name == m or name.startswith(m + ".") for m in NOT_ON_THE_CHAT_PATH)]
    assert loaded == []


def test_importing_the_command_line_leaves_the_cyclic_collector_on() -> None:
    probe = ("import gc; gc.collect(); import config.cli; "
             "print(gc.isenabled(), gc.get_freeze_count() > 0)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=ROOT, timeout=60, check=True)
    # On again after the imports, with what they built frozen (never scanned again).
    assert result.stdout.split() == ["True", "True"]
