"""Reminders: scheduled when a booking appears, sent once when due (DESIGN 2, "reminder").

Two steps of the periodic sweep, both plain functions of ``now``:

* :func:`arm` gives every new booking one reminder row per offset of its event
  type (24 h and 1 h before by default). Offsets that fell before the booking
  was made are left out (the guest has just booked). A reschedule makes a new
  booking, so it is armed afresh; the old one is cancelled and its reminders
  are skipped.
* :func:`send_due` claims due reminders atomically, all of a booking's
  together, and turns the latest of each booking's into outbox messages to
  the guest, in the same transaction: one to the chat they
  booked from and, if they gave an email address, one email. A reminder is
  sent once or, if the sweep dies first, not claimed at all. The messages
  carry the guest's language (``guest_locale``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from core.models import (
    LIVE_STATUSES,
    BookingStatus,
    BookingToArm,
    DueReminder,
    QueuedMessage,
    require_aware,
)
from core.ports import UnitOfWorkFactory

KIND = "reminder"
#: Bookings whose due reminders are claimed per transaction.
BATCH = 1000


@dataclass(frozen=True)
class ReminderCounts:
    """How many reminders one sweep armed (bookings), sent and skipped."""

    armed: int = 0
    sent: int = 0
    skipped: int = 0


def schedule(booking: BookingToArm) -> list[tuple[int, datetime]]:
    """The reminders a booking gets: ``[(minutes before, due at)]``, earliest first.

    None for bookings that are no longer live; none whose moment came before the
    booking was made.
    """
    if booking.status not in LIVE_STATUSES:
        return []
    due = []
    for minutes in sorted({m for m in booking.reminder_minutes if m > 0}, reverse=True):
        at = booking.start - timedelta(minutes=minutes)
        if booking.created_at is None or at > booking.created_at:
            due.append((minutes, at))
    return due


def choose(due: Sequence[DueReminder], now: datetime) -> tuple[list[DueReminder], list[int]]:
    """Split claimed reminders into those to send and the ids of those to skip.

    A reminder is skipped when its booking is no longer live (cancelled,
    declined, …), has started (a reminder missed while the worker was down is
    sent late only before the start), or the guest has neither a chat nor an
    email address to reach; of several due at once for one booking only the
    latest is sent. ``due`` must hold every due reminder of each of its
    bookings (the claim is per booking), so this choice is made once.

    Args:
        due: reminders claimed by one sweep.
        now: the sweep's instant (aware).
    """
    require_aware(now, "now")
    latest: dict[int, DueReminder] = {}
    for reminder in due:
        if (reminder.status in LIVE_STATUSES and reminder.start > now
                and reminder.status is not BookingStatus.AWAITING_PAYMENT  # unpaid: no reminder
                and (reminder.guest_chat_id or reminder.guest_email)):
            kept = latest.get(reminder.booking_id)
            if kept is None or reminder.due_at > kept.due_at:
                latest[reminder.booking_id] = reminder
    send = sorted(latest.values(), key=lambda r: (r.due_at, r.reminder_id))
    chosen = {r.reminder_id for r in send}
    return send, [r.reminder_id for r in due if r.reminder_id not in chosen]


def payload(reminder: DueReminder) -> dict[str, object]:
    """The payload of a reminder's outbox messages.

    The fields of every booking notice (``core.services``) plus
    ``minutes_before`` and ``guest_locale`` (the guest's language tag, or None).
    """
    return {
        "booking_id": reminder.booking_id,
        "host": reminder.host_handle,
        "host_name": reminder.host_name,
        "host_timezone": reminder.host_timezone,
        "event_type": reminder.event_title,
        "guest_name": reminder.guest_name,
        "guest_timezone": reminder.guest_timezone,
        "start": _iso(reminder.start),
        "end": _iso(reminder.end),
        "status": reminder.status.value,
        "reason": None,
        "reader": "guest",
        "minutes_before": reminder.minutes_before,
        "guest_locale": reminder.guest_locale,
    }


@lru_cache(maxsize=4096)
def _iso(instant: datetime) -> str:
    """``instant.isoformat()``, each instant formatted once: a sweep's bookings share
    their start and end times (slots). The instants of a :class:`DueReminder` are UTC, so
    equal ones are spelled alike."""
    return instant.isoformat()


def messages(reminder: DueReminder, now: datetime) -> list[QueuedMessage]:
    """Every outbox message of a reminder, with one :func:`payload`: to the guest's chat on
    the platform they booked from and, if they gave one, to their email address (channel
    ``email``)."""
    body = payload(reminder)
    found = []
    if reminder.guest_chat_id:
        found.append(QueuedMessage(reminder.guest_platform, reminder.guest_chat_id, KIND, body,
                                   now))
    if reminder.guest_email:
        found.append(QueuedMessage("email", reminder.guest_email, KIND, body, now))
    return found


def arm(*, uow_factory: UnitOfWorkFactory, batch: int = BATCH) -> int:
    """Schedule the reminders of every booking not armed yet; returns how many bookings."""
    total = 0
    while True:
        with uow_factory() as uow:
            todo = uow.jobs.bookings_to_arm(batch)
            if todo:
                uow.jobs.arm({b.booking_id: schedule(b) for b in todo})
                uow.commit()
        total += len(todo)
        if len(todo) < batch:
            return total


def send_due(now: datetime, *, uow_factory: UnitOfWorkFactory, batch: int = BATCH
             ) -> ReminderCounts:
    """Turn every reminder due by ``now`` into an outbox message, once.

    Each batch is one transaction: claim the due reminders of up to ``batch``
    bookings (the claim marks them handled), choose among each booking's,
    record which were skipped, write the messages, commit. Two statements per
    batch on PostgreSQL (three when some are skipped), however many reminders
    it holds. A reminder another sweeper handles first is not claimed again.

    Returns:
        Counts of reminders sent and skipped (``armed`` is 0).
    """
    require_aware(now, "now")
    sent = skipped = 0
    while True:
        with uow_factory() as uow:
            due = uow.jobs.claim_due_reminders(now, batch)
            if not due:
                return ReminderCounts(sent=sent, skipped=skipped)
            send, skip = choose(due, now)
            uow.jobs.set_reminder_outcome(skip, "skipped")
            uow.outbox.add_many([m for r in send for m in messages(r, now)])
            uow.commit()
        sent, skipped = sent + len(send), skipped + len(skip)
