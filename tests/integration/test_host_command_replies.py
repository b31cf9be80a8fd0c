"""Golden files: every host command's reply, in English and German, on SQLite.

``SLOTBOT_UPDATE_GOLDEN=1 pytest tests/integration/test_host_command_replies.py``
rewrites ``tests/golden/host/<lang>/`` after an intended change.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from config.bootstrap import App, bootstrap
from config.settings import Settings
from core import host_settings, services
from core.setup_file import parse_setup
from tests.golden import assert_golden

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"
#: Monday 30 Nov 2026, 08:00 UTC (09:00 in Berlin).
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)

#: (golden file name, command), run in this order on one database.
SCRIPT = (
    ("help", "help"),
    ("help_type", "help type"),
    ("unknown", "bokings"),
    ("today", "today"),
    ("upcoming", "upcoming"),
    ("bookings", "bookings"),
    ("bookings_filtered", "bookings dec 1-2 intro pending"),
    ("booking", "booking 2"),
    ("confirm", "confirm 3"),
    ("decline", "decline 4 on holiday"),
    ("cancel", "cancel 2 ill"),
    ("noshow", "noshow 1"),
    ("reschedule", "reschedule 3 2026-12-03 10:00"),
    ("hours", "hours"),
    ("hours_set", "hours sat 10-14"),
    ("hours_bad", "hours sat 14-10"),
    ("off", "off"),
    ("off_add", "off dec 28-30"),
    ("on", "on dec 29"),
    ("types", "types"),
    ("type_duration", "type intro duration 45"),
    ("type_confirm", "type intro confirm off"),
    ("type_hide", "type consultation hide"),
    ("new_type", 'new type coaching "Coaching session" 60'),
    ("link", "link"),
    ("note", "note Carla prefers mornings"),
    ("contacts", "contacts"),
    ("contact", "contact Carla"),
    ("stats", "stats 30d"),
    ("digest", "digest 07:30"),
)


def _app(tmp_path: Path, locale: str) -> App:
    settings = Settings(SLOTBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'golden.db'}",
                        TELEGRAM_BOT_USERNAME="SlotBot")
    app = bootstrap(settings, now=NOW)
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=app.uow_factory())
    host_settings.set_locale("ana", locale, uow=app.uow_factory())
    uow = app.uow_factory
    carla = services.ensure_guest("telegram", "c1", uow=uow(), name="Carla", chat_id="c1",
                                  email="carla@example.com")
    dan = services.ensure_guest("slack", "U0DAN", uow=uow(), name="Dan Brown", chat_id="D0DAN")
    past = NOW - timedelta(days=3, hours=-1)  # Fri 27 Nov 10:00 Berlin
    services.book("ana", "intro", past, guest_id=carla.id or 0, uow=uow(),
                  clock=lambda: past - timedelta(days=2))                        # 1
    services.book("ana", "consultation", NOW + timedelta(days=2, hours=5),
                  guest_id=dan.id or 0, uow=uow(), clock=app.clock)              # 2
    host_settings.update_event_type("ana", "intro", uow=uow(), requires_confirmation=True)
    for n, guest in enumerate((carla, dan)):                                    # 3, 4
        services.book("ana", "intro", NOW + timedelta(days=1, hours=1 + n),
                      guest_id=guest.id or 0, uow=uow(), clock=app.clock)
    return app


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_host_command_reply_matches_its_golden_file(tmp_path, lang):
    app = _app(tmp_path, lang)
    for name, command in SCRIPT:
        host = services.get_host("ana", uow=app.uow_factory())
        reply = app.host_commands.run(host, command)
        text = reply.text + "".join(f"\n[{c.label}] {c.payload}" for c in reply.choices)
        if reply.attachment is not None:
            text += f"\n[{reply.attachment.title}: PNG]"
        assert_golden(f"host/{lang}/{name}.txt", text + "\n")
