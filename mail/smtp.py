"""Sending the outbox's email channel over SMTP (smtplib).

``SMTP_URL`` says where: ``smtp://user:pass@host:port`` (plain, port 25 by
default), ``smtp://…?starttls=true`` (upgraded with STARTTLS, port 587 by
default) or ``smtps://…`` (implicit TLS, port 465 by default). User and
password are optional and percent-decoded.

Outcomes map onto the delivery's retry policy (:mod:`bots.delivery`):
connection errors, timeouts and 4xx answers are temporary (``RetryLater``);
a recipient refused with 5xx, or a message refused with 5xx after ``DATA``, is
permanent (``Undeliverable``). A refused sender or failed login is our
configuration, not the message: it is retried until the operator fixes it or
the attempts run out.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from core.errors import RetryLater, Undeliverable
from core.models import OutboxMessage
from mail.host_mail import HostMailLookup
from mail.render import Email, render_email

#: Seconds to wait for the server on connect and on each command.
TIMEOUT = 30.0
#: ``(kind, payload)`` → the signed links of a guest's email, or None.
LinkMaker = Callable[[str, Mapping[str, Any]], dict[str, str] | None]
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to connect. ``security`` is ``plain``, ``starttls`` or ``tls``."""

    host: str
    port: int
    security: str = "plain"
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpConfig:
    """Read ``SMTP_URL``.

    Raises:
        ValueError: not an ``smtp://`` or ``smtps://`` URL with a host.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("must be smtp://[user:pass@]host[:port][?starttls=true] "
                         "or smtps://[user:pass@]host[:port]")
    starttls = parse_qs(parts.query).get("starttls", ["false"])[-1].lower() in _TRUE
    security = "tls" if parts.scheme == "smtps" else "starttls" if starttls else "plain"
    default_port = {"tls": 465, "starttls": 587, "plain": 25}[security]
    return SmtpConfig(
        host=parts.hostname,
        port=parts.port or default_port,
        security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def mime(email: Email, *, sender: str, recipient: str, message: OutboxMessage) -> EmailMessage:
    """The MIME message: text and HTML alternatives, plus the invitation if any.

    The invitation is both an alternative part (``text/calendar;
    method=…``, which calendar clients act on) and an ``invite.ics``
    attachment (for the rest).
    """
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = recipient
    mail["Subject"] = email.subject
    mail["Date"] = format_datetime(message.created_at)
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    mail["Message-ID"] = make_msgid(f"slotbot.{message.id}", domain=domain)
    mail.set_content(email.text)
    mail.add_alternative(email.html, subtype="html")
    if email.calendar is not None and email.method is not None:
        mail.add_alternative(email.calendar.decode(), subtype="calendar",
                             params={"method": email.method})
        mail.add_attachment(email.calendar, maintype="application", subtype="ics",
                            filename="invite.ics")
    return mail


class SmtpTransport:
    """The ``email`` channel of :func:`bots.delivery.deliver_due`: renders and sends one row.

    One connection per message (a pass sends few emails; nothing to keep alive).

    Args:
        config: from :func:`parse_smtp_url`.
        sender: the From header, e.g. ``Slotbot <bookings@example.com>``.
        timeout: seconds per connect and per command.
        links: ``(kind, payload) -> {"move": url, "cancel": url} | None``, the
            signed links a guest's email carries (:func:`bots.link_page.email_links`).
        hosts: finds the branding and templates of the payload's ``host``
            (:func:`mail.host_mail.lookup`); None: every email in the defaults.
    """

    def __init__(self, config: SmtpConfig, sender: str, *, timeout: float = TIMEOUT,
                 links: LinkMaker | None = None, hosts: HostMailLookup | None = None) -> None:
        self.config = config
        self.sender = sender
        self._links = links
        self._hosts = hosts
        self._address = parseaddr(sender)[1] or sender
        self._timeout = timeout

    def send_message(self, message: OutboxMessage) -> None:
        """Render ``message`` for its reader and hand it to the server.

        Raises:
            RetryLater: the server is unreachable, answered 4xx, refused our
                sender or login, or hung up.
            Undeliverable: the recipient or the message was refused with 5xx.
        """
        payload = message.payload
        found = self._links(message.kind, payload) if self._links is not None else None
        if found:
            payload = {**payload, "links": found}
        handle = payload.get("host")
        host = self._hosts(handle) if self._hosts is not None and isinstance(handle, str) \
            else None
        email = render_email(message.kind, payload, recipient=message.recipient,
                             stamp=message.created_at, sender=self._address, host=host)
        mail = mime(email, sender=self.sender, recipient=message.recipient, message=message)
        try:
            with self._connect() as smtp:
                smtp.send_message(mail, from_addr=self._address, to_addrs=[message.recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            text = f"smtp {code}: {_decode(reply)}"
            raise (Undeliverable(text) if code >= 500 else RetryLater(text)) from exc
        except smtplib.SMTPDataError as exc:
            text = f"smtp {exc.smtp_code}: {_decode(exc.smtp_error)}"
            raise (Undeliverable(text) if exc.smtp_code >= 500 else RetryLater(text)) from exc
        except smtplib.SMTPResponseException as exc:  # sender refused, login failed, 4xx
            raise RetryLater(f"smtp {exc.smtp_code}: {_decode(exc.smtp_error)}") from exc
        except (smtplib.SMTPException, OSError) as exc:  # refused, reset, timed out, TLS
            raise RetryLater(f"smtp: {exc or type(exc).__name__}") from exc

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        smtp: smtplib.SMTP
        if c.security == "tls":
            smtp = smtplib.SMTP_SSL(c.host, c.port, timeout=self._timeout,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(c.host, c.port, timeout=self._timeout)
        try:
            if c.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if c.username:
                smtp.login(c.username, c.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp


def _decode(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply
