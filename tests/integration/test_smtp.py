"""The email channel through a real SMTP server (aiosmtpd on 127.0.0.1) and smtplib.

Each test runs on SQLite and PostgreSQL (the outbox and the booking chain are
read from the database); the server speaks real SMTP with AUTH (LOGIN/PLAIN).
"""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from icalendar import Calendar

from bots.delivery import DeliverySettings, deliver_due
from config.bootstrap import bootstrap
from config.periodic import tick
from config.settings import Settings
from core import jobs, services
from core.models import OutboxMessage, OutboxStatus
from core.services import Actor
from core.setup_file import parse_setup
from mail import SmtpTransport, parse_smtp_url
from mail.host_mail import lookup
from mail.template_folder import read_folder

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
USER, PASSWORD = "slotbot", "s3cret"
SENDER = "Slotbot <bookings@slotbot.example>"

# AUTH over plain SMTP on loopback is what these tests mean to exercise.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


class Inbox:
    """An aiosmtpd handler: keeps what it accepts; ``gone@`` gets 550, ``busy@`` 451."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        if address.startswith("gone@"):
            return "550 5.1.1 No such user here"
        if address.startswith("busy@"):
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.content if isinstance(envelope.content, bytes) else b""
        self.received.append(message_from_bytes(data, policy=policy.default))  # type: ignore[arg-type]
        self.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 Message accepted"


def _authenticator(server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                   auth_data: object) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server(inbox: Inbox, port: int) -> Controller:
    return Controller(inbox, hostname="127.0.0.1", port=port, authenticator=_authenticator,
                      auth_required=True, auth_require_tls=False)


@pytest.fixture
def port() -> int:
    return _free_port()


@pytest.fixture
def inbox(port: int) -> Iterator[Inbox]:
    inbox = Inbox()
    server = _server(inbox, port)
    server.start()
    yield inbox
    server.stop()


def _transport(port: int, password: str = PASSWORD) -> SmtpTransport:
    return SmtpTransport(parse_smtp_url(f"smtp://{USER}:{password}@127.0.0.1:{port}"), SENDER,
                         timeout=5)


def test_a_branded_hosts_own_templates_are_stored_and_sent(uow_factory, inbox, port):
    hosts = parse_setup(yaml.safe_load((ROOT / "examples" / "hosts.yaml").read_text()))
    hosts[0].brand_name, hosts[0].brand_color = "Lima Coaching", "#0b7285"
    hosts[0].brand_logo_url = "https://example.com/logo.png"
    hosts[0].mail_templates = read_folder(ROOT / "examples" / "mail-templates")
    services.load_hosts(hosts, uow=uow_factory())
    _queue(uow_factory, "erin@example.com")
    transport = SmtpTransport(parse_smtp_url(f"smtp://{USER}:{PASSWORD}@127.0.0.1:{port}"),
                              SENDER, timeout=5, hosts=lookup(uow_factory))

    report = deliver_due(NOW, uow_factory=uow_factory, transports={"email": transport})

    assert report.sent == 1
    [mail] = inbox.received
    assert str(mail["Subject"]) == "Lima Coaching: your Intro call is confirmed"
    parts = _parts(mail)
    assert parts["text/plain"].get_content().startswith("Hello Erin,")
    html = parts["text/html"].get_content()
    assert '<img src="https://example.com/logo.png" alt="Lima Coaching"' in html
    assert '<p style="color: #0b7285;">See you soon, Lima Coaching.</p>' in html
    assert parts["text/calendar"].get_param("method") == "REQUEST"


def _deliver(uow_factory, port: int, at: datetime = NOW, *, password: str = PASSWORD):
    return deliver_due(at, uow_factory=uow_factory, transports={"email": _transport(
        port, password)}, settings=DeliverySettings(base_delay=timedelta(seconds=30)))


def _emails(uow_factory) -> list[OutboxMessage]:
    with uow_factory() as uow:
        return [m for m in uow.outbox.list() if m.channel == "email"]


def _all(uow_factory) -> list[OutboxMessage]:
    with uow_factory() as uow:
        return uow.outbox.list()


def _queue(uow_factory, recipient: str) -> None:
    payload = {"booking_id": 999, "host": "ana", "host_name": "Ana Lima",
               "host_timezone": "Europe/Berlin", "event_type": "Intro call",
               "guest_name": "Erin", "guest_timezone": None,
               "start": "2026-12-01T09:00:00+00:00", "end": "2026-12-01T09:30:00+00:00",
               "status": "confirmed", "reason": None, "reader": "guest",
               "host_email": "ana@example.com"}
    with uow_factory() as uow:
        uow.outbox.add(OutboxMessage("email", recipient, "booking_confirmed", payload,
                                     created_at=NOW))
        uow.commit()


def _book_with_ana(uow_factory, email: str):
    hosts = parse_setup(yaml.safe_load((ROOT / "examples" / "hosts.yaml").read_text()))
    services.load_hosts(hosts, uow=uow_factory())
    guest = services.ensure_guest("telegram", "77", uow=uow_factory(), name="Erin",
                                  chat_id="77", email=email, timezone="America/New_York",
                                  locale="de")
    view = services.book("ana", "intro", datetime(2026, 12, 1, 9, tzinfo=UTC),
                         guest_id=guest.id or 0, uow=uow_factory(), clock=lambda: NOW)
    return view


def _parts(message: EmailMessage) -> dict[str, EmailMessage]:
    return {part.get_content_type(): part for part in message.walk()
            if not part.is_multipart()}


def test_host_cancellation_reaches_the_guest_with_a_cancel_invitation(uow_factory, inbox, port):
    view = _book_with_ana(uow_factory, "erin@example.com")
    services.cancel(view.booking.id or 0, actor=Actor("host", view.host.id or 0),
                    uow=uow_factory(), clock=lambda: NOW, reason="ill")

    report = _deliver(uow_factory, port)

    assert report.sent == 3  # Ana's "new booking", Erin's own booking and her cancellation
    assert sorted(str(m["To"]) for m in inbox.received) == [
        "ana@example.com", "erin@example.com", "erin@example.com"]
    booked, mail = [m for m in inbox.received if str(m["To"]) == "erin@example.com"]
    assert str(booked["Subject"]) == "Gebucht: Intro call mit Ana Lima, Di. 1 Dez. 04:00"
    assert _parts(booked)["text/calendar"].get_param("method") == "REQUEST"
    assert str(mail["From"]) == SENDER
    assert str(mail["Subject"]) == "Abgesagt: Intro call, Di. 1 Dez. 04:00"
    parts = _parts(mail)
    assert parts["text/plain"].get_content().startswith(
        f"Ana Lima hat deinen Termin Intro call #{view.booking.id} abgesagt, Di. 1 Dez., "
        "04:00–04:30 (America/New_York) = Di. 1 Dez., 10:00–10:30 (Europe/Berlin). Grund: ill.")
    assert parts["text/calendar"].get_param("method") == "CANCEL"
    assert parts["application/ics"].get_filename() == "invite.ics"
    [event] = Calendar.from_ical(parts["text/calendar"].get_content()).walk("VEVENT")
    assert str(event["UID"]) == f"slotbot-booking-{view.booking.id}@slotbot.example"
    assert str(event["ORGANIZER"]) == "mailto:ana@example.com"
    assert inbox.envelopes[0][0] == "bookings@slotbot.example"
    assert {m.status for m in _emails(uow_factory)} == {OutboxStatus.SENT}


def test_guest_with_an_email_gets_the_reminder_by_chat_and_by_email_once(
        uow_factory, inbox, port):
    view = _book_with_ana(uow_factory, "erin@example.com")
    due = view.booking.start - timedelta(hours=1)
    first = jobs.run_due(due, uow_factory=uow_factory)
    again = jobs.run_due(due, uow_factory=uow_factory)
    reminders = [m for m in _all(uow_factory) if m.kind == "reminder"]
    assert (first.reminders_sent, again.reminders_sent) == (1, 0)
    assert sorted((m.channel, m.recipient) for m in reminders) == [
        ("email", "erin@example.com"), ("telegram", "77")]
    assert {m.payload["guest_locale"] for m in reminders} == {"de"}

    _deliver(uow_factory, port, due)

    [mail] = [m for m in inbox.received if "Erinnerung" in str(m["Subject"])]
    assert str(mail["Subject"]) == "Erinnerung: Intro call mit Ana Lima, Di. 1 Dez. 04:00"
    assert "text/calendar" not in _parts(mail)


def test_refused_recipient_fails_at_once_and_busy_mailbox_is_retried(
        uow_factory, inbox, port):
    _queue(uow_factory, "gone@example.com")
    _queue(uow_factory, "busy@example.com")

    report = _deliver(uow_factory, port)

    gone, busy = _emails(uow_factory)
    assert (report.sent, report.failed, report.retried) == (0, 1, 1)
    assert (gone.status, gone.attempts) == (OutboxStatus.FAILED, 1)
    assert gone.last_error == "smtp 550: 5.1.1 No such user here"
    assert (busy.status, busy.attempts) == (OutboxStatus.QUEUED, 1)
    assert busy.next_attempt_at == NOW + timedelta(seconds=30)
    assert inbox.received == []


def test_server_down_then_up_the_email_is_delivered_on_a_later_pass(uow_factory, port):
    _queue(uow_factory, "erin@example.com")

    down = _deliver(uow_factory, port)
    [waiting] = _emails(uow_factory)
    too_early = _deliver(uow_factory, port, NOW + timedelta(seconds=10))
    inbox = Inbox()
    server = _server(inbox, port)
    server.start()
    try:
        up = _deliver(uow_factory, port, NOW + timedelta(seconds=31))
    finally:
        server.stop()

    assert (down.retried, down.sent) == (1, 0)
    assert waiting.status is OutboxStatus.QUEUED and waiting.attempts == 1
    assert waiting.last_error is not None and waiting.last_error.startswith("smtp:")
    assert (too_early.sent, too_early.retried) == (0, 0)
    assert up.sent == 1
    [sent] = _emails(uow_factory)
    assert (sent.status, sent.attempts) == (OutboxStatus.SENT, 2)
    assert [str(m["To"]) for m in inbox.received] == ["erin@example.com"]


def test_wrong_password_is_retried_not_dropped(uow_factory, inbox, port):
    _queue(uow_factory, "erin@example.com")
    report = _deliver(uow_factory, port, password="wrong")
    [message] = _emails(uow_factory)
    assert (report.retried, message.status) == (1, OutboxStatus.QUEUED)
    assert message.last_error is not None and message.last_error.startswith("smtp 535")
    assert inbox.received == []


def test_tick_sends_email_when_smtp_url_is_set(tmp_path: Path, inbox: Inbox, port: int) -> None:
    settings = Settings(SLOTBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'tick.db'}",
                        SMTP_URL=f"smtp://{USER}:{PASSWORD}@127.0.0.1:{port}",
                        SLOTBOT_MAIL_FROM=SENDER)
    app = bootstrap(settings, now=NOW)
    try:
        view = _book_with_ana(app.uow_factory, "erin@example.com")
        report = tick(app, console=io.StringIO())
    finally:
        app.engine.dispose()
    assert report.delivery.sent >= 1
    mail, erins = inbox.received  # Ana's notice, then Erin's copy of her own booking
    assert (str(mail["To"]), str(mail["Subject"])) == (
        "ana@example.com", "New booking: Intro call with Erin, Tue 1 Dec 10:00")
    assert (str(erins["To"]), str(erins["Subject"])) == (
        "erin@example.com", "Gebucht: Intro call mit Ana Lima, Di. 1 Dez. 04:00")
    assert f"New booking #{view.booking.id}: Intro call with Erin" in \
        _parts(mail)["text/plain"].get_content()
