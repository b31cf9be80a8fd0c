"""The host's answer to "the event of booking #N was deleted or moved in your calendar".

The notice (``calendar_event_changed``, :mod:`bots.notices`) carries two
buttons: ``calendar-keep:ID`` (nothing changes) and ``calendar-cancel:ID``
(the booking is cancelled by the host, so the guest is told and the event
is deleted). The dialog routes a host's button press here.
"""

from __future__ import annotations

from bots import host_commands
from bots.texts import Texts, language
from core.models import Host
from core.ports import Clock, UnitOfWorkFactory

KEEP, CANCEL = "calendar-keep:", "calendar-cancel:"

#: Stored with the cancellation, shown to the guest.
REASON = "removed from the host's calendar"


def is_calendar_button(payload: str | None) -> bool:
    return bool(payload) and str(payload).startswith((KEEP, CANCEL))


def answer(host: Host, payload: str, *, uow_factory: UnitOfWorkFactory, clock: Clock,
           locale: str | None = None) -> str:
    """Carry out the host's choice; returns the reply text.

    Raises:
        ValueError: if ``payload`` is not a calendar button (see :func:`is_calendar_button`).
    """
    prefix, _, number = payload.partition(":")
    if not is_calendar_button(payload) or not number.isdigit():
        raise ValueError(f"not a calendar button: {payload!r}")
    if prefix + ":" == KEEP:
        return Texts(language(locale)).text("calendar_kept", id=int(number))
    return host_commands.run(host, f"cancel {number} {REASON}", uow_factory=uow_factory,
                             clock=clock)
