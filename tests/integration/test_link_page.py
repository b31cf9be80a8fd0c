"""The email link page on the serve port (the Slack HTTP server), on SQLite and PostgreSQL."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import yaml

from bots.link_page import PREFIX, link_url, make_link_app
from bots.slack import SlackServer, build_app
from core import services
from core.action_links import Action, issue
from core.models import BookingStatus
from core.setup_file import parse_setup
from tests.e2e.slack_fixtures import BOT_TOKEN, SIGNING_SECRET
from tests.e2e.slack_server import SlackApiServer

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TUESDAY_10 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KEY = "s" * 40


@pytest.fixture
def site(uow_factory) -> Iterator[tuple[str, int]]:
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=uow_factory())
    guest = services.ensure_guest("email", "erin@example.org", uow=uow_factory(), name="Erin",
                                  email="erin@example.org", locale="de")
    view = services.book("ana", "intro", TUESDAY_10, guest_id=guest.id, uow=uow_factory(),
                         clock=lambda: NOW)
    page = make_link_app(keys=[KEY], uow_factory=uow_factory, clock=lambda: NOW)
    with SlackApiServer(token=BOT_TOKEN) as api:
        slack_app = build_app(token=BOT_TOKEN, signing_secret=SIGNING_SECRET,
                              handle=lambda message, keep=None: [], base_url=api.base_url)
        server = SlackServer(slack_app, port=0, host="127.0.0.1", mount={PREFIX: page}).start()
        yield f"http://127.0.0.1:{server.port}", view.booking.id
        server.stop()


def status_of(uow_factory, booking_id):
    with uow_factory() as uow:
        return uow.bookings.get(booking_id).status


def test_get_only_shows_and_post_cancels_once(site, uow_factory):
    base, booking_id = site
    url = link_url(base, issue(Action.CANCEL, booking_id, TUESDAY_10, keys=[KEY]))
    with httpx.Client(timeout=10) as http:
        shown = http.get(url)
        assert shown.status_code == 200 and "Intro call" in shown.text and "<form" in shown.text
        assert status_of(uow_factory, booking_id) is BookingStatus.CONFIRMED  # GET changes nothing
        done = http.post(url)
        assert done.status_code == 200 and f"#{booking_id}" in done.text
        replay = http.post(url, headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert status_of(uow_factory, booking_id) is BookingStatus.CANCELLED
    assert replay.status_code == 410 and "schon benutzt" in replay.text


def test_forged_and_expired_links_do_nothing_and_say_so(site, uow_factory):
    base, booking_id = site
    token = issue(Action.CANCEL, booking_id, TUESDAY_10, keys=[KEY])
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    expired = issue(Action.CANCEL, booking_id, NOW, keys=[KEY])
    other_key = issue(Action.CANCEL, booking_id, TUESDAY_10, keys=["x" * 40])
    with httpx.Client(timeout=10) as http:
        answers = [http.post(link_url(base, t)) for t in (forged, expired, other_key)]
    assert [a.status_code for a in answers] == [403, 410, 403]
    assert "not valid" in answers[0].text and "expired" in answers[1].text
    assert status_of(uow_factory, booking_id) is BookingStatus.CONFIRMED


def test_a_reschedule_link_offers_free_times_and_moves_the_booking(site, uow_factory):
    base, booking_id = site
    url = link_url(base, issue(Action.RESCHEDULE, booking_id, TUESDAY_10, keys=[KEY]))
    with httpx.Client(timeout=10) as http:
        page = http.get(url)
        assert page.status_code == 200 and 'name="start"' in page.text
        moved = http.post(url, data={"start": "2026-12-01T10:00:00+00:00"})
        again = http.post(url, data={"start": "2026-12-01T11:00:00+00:00"})
    assert moved.status_code == 200 and again.status_code == 410
    with uow_factory() as uow:
        live = [b for b in uow.bookings.list() if b.is_live]
    assert [(b.start, b.rescheduled_from_id) for b in live] == [
        (datetime(2026, 12, 1, 10, 0, tzinfo=UTC), booking_id)]
