"""Email: Jinja2 rendering of booking notices, ICS invitations, and the SMTP sender.

The outbox's ``email`` channel: :class:`SmtpTransport` is handed to
:func:`bots.delivery.deliver_due` when ``SMTP_URL`` is set.
"""

from mail.host_mail import HostMail
from mail.ics import invitation
from mail.render import Email, render_email
from mail.smtp import SmtpConfig, SmtpTransport, mime, parse_smtp_url

__all__ = [
    "Email",
    "HostMail",
    "SmtpConfig",
    "SmtpTransport",
    "invitation",
    "mime",
    "parse_smtp_url",
    "render_email",
]
