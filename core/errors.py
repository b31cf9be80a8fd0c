"""Domain errors. Each carries the facts a friendly reply needs.

Adapters and the conversation turn these into messages; none of them is a
programming error, so none should reach a user as a traceback. The last
section holds the outcomes an outbox transport (chat, email, calendar) raises
for :mod:`bots.delivery`'s retry policy, here so that storage and mail need not
import bots.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.models import Slot


class SlotbotError(Exception):
    """Base class of every domain error."""


class SetupError(SlotbotError):
    """The setup file is wrong: ``problems`` holds one line per mistake, with its path."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


class InvalidTime(SlotbotError, ValueError):
    """A datetime was naive or otherwise unusable."""


class HostNotFound(SlotbotError):
    def __init__(self, handle: str) -> None:
        super().__init__(f"no host called {handle!r}")
        self.handle = handle


class EventTypeNotFound(SlotbotError):
    def __init__(self, host: str, slug: str) -> None:
        super().__init__(f"host {host!r} has no event type {slug!r}")
        self.host = host
        self.slug = slug


class BookingNotFound(SlotbotError):
    def __init__(self, booking_id: int | None) -> None:
        super().__init__(f"no booking #{booking_id}")
        self.booking_id = booking_id


class NotAllowed(SlotbotError):
    """The actor may not do this (not the booking's guest, not the host, …)."""


class SlotUnavailable(SlotbotError):
    """The requested start is not free; ``alternatives`` are the nearest free slots."""

    def __init__(self, start: datetime, alternatives: Sequence[Slot] = ()) -> None:
        super().__init__(f"{start.isoformat()} is not available")
        self.start = start
        self.alternatives = list(alternatives)


class TooSoon(SlotUnavailable):
    """The start is inside the event type's minimum notice."""

    def __init__(self, start: datetime, earliest: datetime, alternatives: Sequence[Slot] = ()):
        super().__init__(start, alternatives)
        self.earliest = earliest


class OutsideBookingWindow(SlotUnavailable):
    """The start is beyond the event type's booking window (``latest`` exclusive)."""

    def __init__(self, start: datetime, latest: datetime, alternatives: Sequence[Slot] = ()):
        super().__init__(start, alternatives)
        self.latest = latest


class BookingNotLive(SlotbotError):
    """The booking is already cancelled, declined, completed or a no-show."""

    def __init__(self, booking_id: int | None, status: str) -> None:
        super().__init__(f"booking #{booking_id} is {status}")
        self.booking_id = booking_id
        self.status = status


class BookingConflict(SlotbotError):
    """The database refused an overlapping booking (PostgreSQL exclusion constraint).

    Storage raises it; services turn it into :class:`SlotUnavailable` with
    alternatives, so a guest hears "just taken", never a traceback.
    """


class DurationNotAllowed(SlotbotError):
    """The guest asked for a length the event type does not offer (``allowed``, minutes)."""

    def __init__(self, minutes: int, allowed: Sequence[int]) -> None:
        super().__init__(f"{minutes} minutes is not offered (allowed: {list(allowed)})")
        self.minutes = minutes
        self.allowed = list(allowed)


class AlreadyBooked(SlotUnavailable):
    """The guest already holds a seat of this slot (booking ``booking_id``): one seat each."""

    def __init__(self, start: datetime, booking_id: int | None) -> None:
        super().__init__(start)
        self.booking_id = booking_id


class GuestLimitReached(SlotbotError):
    """The guest already has ``limit`` upcoming bookings with this host."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"at most {limit} upcoming bookings per guest")
        self.limit = limit


class TooLateToChange(SlotbotError):
    """A guest may no longer cancel or reschedule: ``cutoff`` (aware UTC) has passed."""

    def __init__(self, booking_id: int | None, cutoff: datetime) -> None:
        super().__init__(f"booking #{booking_id} can no longer be changed (after {cutoff})")
        self.booking_id = booking_id
        self.cutoff = cutoff


class NotPending(SlotbotError):
    """Only a pending booking can be confirmed or declined; ``status`` is what it is."""

    def __init__(self, booking_id: int | None, status: str) -> None:
        super().__init__(f"booking #{booking_id} is {status}, not pending")
        self.booking_id = booking_id
        self.status = status


class SeriesClash(SlotbotError):
    """Some occurrences of a recurring booking are not free; nothing was booked.

    ``clashes`` holds one :class:`SlotUnavailable` per refused occurrence (its
    ``start`` and the free ``alternatives`` near it), in time order.
    """

    def __init__(self, clashes: Sequence[SlotUnavailable]) -> None:
        super().__init__(f"{len(clashes)} occurrence(s) are not available")
        self.clashes = list(clashes)


class CalendarUnavailable(SlotbotError):
    """The host's calendar could not be checked and the last busy times are too old.

    No time of this host may be offered or booked until it can be checked
    again; the guest should be told to try again in a few minutes.
    ``host`` is the handle, ``host_name`` the display name.
    """

    def __init__(self, host: str, host_name: str) -> None:
        super().__init__(f"the calendar of {host!r} cannot be checked right now")
        self.host = host
        self.host_name = host_name


class PaymentUnavailable(SlotbotError):
    """The payment provider cannot be reached or refused the request for now; ``provider``
    names it. A checkout that could not be opened books nothing; a refund or a
    checkout closing is retried later."""

    def __init__(self, provider: str, reason: str) -> None:
        super().__init__(f"{provider}: {reason}")
        self.provider = provider
        self.reason = reason


class PaymentRefused(PaymentUnavailable):
    """The provider refused for good (a refund of a payment it does not know, an
    amount above what was paid): not retried; the host is told."""


class DuplicatePayment(SlotbotError):
    """Storage saw a provider payment id that is recorded already (a concurrent duplicate)."""


class PaymentsOff(SlotbotError):
    """A paid event type, but no payment provider is configured for this platform."""

    def __init__(self, platform: str) -> None:
        super().__init__(f"no payment provider for {platform}")
        self.platform = platform


# --- storage outcomes: raised by storage, read by whoever runs a unit of work ----------


class ConnectionLost(Exception):
    """The database connection broke inside a transaction (server restart, network).

    Nothing of that transaction was committed and the connection pool has been
    told to reconnect, so the whole unit of work may simply run again.
    """


class GuestAddedMeanwhile(Exception):
    """Another transaction stored the same guest (platform identity) after this one
    found it missing: two first messages of one person in two chats at once.

    Nothing of this transaction can be committed (PostgreSQL has aborted it), so the
    whole unit of work may simply run again; it then finds the guest.
    """


# --- delivery outcomes: raised by the outbox's transports, read by bots.delivery ----------


class RetryLater(Exception):
    """The platform cannot take the message now; ``retry_after`` seconds if it said.

    ``parts_sent``: parts of a reply split for length that are delivered (those
    skipped included), so the retry sends only the rest.
    """

    def __init__(self, reason: str, retry_after: float | None = None, *,
                 parts_sent: int = 0) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.parts_sent = parts_sent


class Undeliverable(Exception):
    """The platform refused the message for good (unknown chat, blocked bot, bad request)."""
