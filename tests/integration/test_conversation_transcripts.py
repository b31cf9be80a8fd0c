"""Golden multi-turn transcripts: whole guest dialogs through the console adapter, on SQLite.

Each script runs on a fresh database with ``examples/hosts.yaml`` (Ana Lima in
Berlin, Bruno Costa in New York) and a fixed clock; the transcript is what
``slotbot chat --now … `` prints for the same lines piped in.
``SLOTBOT_UPDATE_GOLDEN=1 pytest tests/integration/test_conversation_transcripts.py``
rewrites ``tests/golden/conversation/`` after an intended change.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bots import console
from config.bootstrap import bootstrap
from config.settings import Settings
from core import services
from core.setup_file import parse_setup
from tests.golden import assert_golden

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"
#: Monday 30 Nov 2026, 08:00 UTC (09:00 in Berlin, 02:00 in Chicago).
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Script:
    """One guest's lines, and what the platform says about them."""

    name: str
    lines: tuple[str, ...]
    timezone: str | None = None
    locale: str | None = None


SCRIPTS = (
    Script("chicago_time_in_own_zone", (
        "Hi, can I get an intro call with Ana on Wednesday at 7am Chicago time?",
        "yes",
        "thanks!",
    )),
    Script("chicago_based_in", (
        "I'm based in Chicago. Intro call with Ana tomorrow at 8am?",
        "yes",
    )),
    Script("german_no_locale", (
        "Hallo, ich hätte gern ein Intro call mit Ana am Donnerstag um 10 Uhr",
        "ja",
        "danke!",
    )),
    Script("shift_booking_half_hour", (
        "intro call with Ana tomorrow at 10am",
        "yes",
        "can we push it back by half an hour?",
        "yes",
    )),
    Script("shift_booking_german", (
        "Intro call mit Ana morgen um 14 Uhr",
        "ja",
        "eine halbe Stunde früher bitte",
        "ja",
    ), locale="de"),
    Script("shift_booking_french", (
        "Intro call avec Ana demain à 14h",
        "oui",
        "on peut avancer de 30 minutes ?",
        "oui",
    ), locale="fr"),
    Script("alias_spanish", (
        "¿una consulta con Ana el viernes a las 10?",
        "sí",
    )),
    Script("shift_proposed_slot", (
        "intro call with Ana Thursday at 10am",
        "make it an hour later",
        "yes",
    )),
    Script("yes_to_a_list", (
        "anything free for an intro call with Ana on Thursday morning?",
        "yes",
        "2",
        "ok",
    )),
    Script("friday_or_monday_morning", (
        "intro call with Ana, Friday or Monday morning?",
        "3",
        "yes",
    )),
    Script("not_monday_tuesday", (
        "intro call with Ana Monday afternoon",
        "not Monday — maybe Tuesday?",
    )),
    Script("move_day_same_time", (
        "intro call with Ana Wednesday at 10am",
        "yes",
        "move it from Wed to Thu",
        "yes",
    )),
    Script("length_not_offered", (
        "45 min intro call with Ana tomorrow at 10",
        "yes",
    )),
    Script("cancel_whole_series", (
        "intro call with Ana every Tuesday at 10am",
        "yes",
        "cancel the whole series",
        "yes",
    )),
    Script("start_over", (
        "consultation with Ana on Friday",
        "start over",
        "yes",
        "my bookings",
    )),
)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.name)
def test_transcript(script: Script, tmp_path: Path) -> None:
    settings = Settings(SLOTBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'chat.db'}")
    app = bootstrap(settings, now=NOW)
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())),
                        uow=app.uow_factory())
    out = io.StringIO()
    console.run(app.conversation.handle, script.lines, out, guest_id="guest", name="Guest",
                timezone=script.timezone, locale=script.locale, echo=True)
    assert_golden(f"conversation/{script.name}.txt", out.getvalue())
