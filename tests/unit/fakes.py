"""In-memory implementations of core.ports for unit tests (cosmicpython's fakes)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Any, Self

from core.directory import HostDirectory, HostEntry
from core.models import (
    Booking,
    BookingSeries,
    BookingStatus,
    BookingToArm,
    Contact,
    ContactNote,
    ConversationState,
    DueReminder,
    Guest,
    Host,
    HostSchedule,
    OutboxMessage,
    OutboxStatus,
    Payment,
    QueuedMessage,
    Refund,
)

_ids = itertools.count(1)


def _assign_id(obj: object) -> None:
    if getattr(obj, "id", None) is None:
        obj.id = next(_ids)  # type: ignore[attr-defined]


class FakeHosts:
    def __init__(self) -> None:
        self.items: list[Host] = []
        self.locked: list[str] = []

    def add(self, host: Host) -> None:
        _assign_id(host)
        for child in (*host.working_hours, *host.date_overrides, *host.event_types):
            _assign_id(child)
            child.host_id = host.id  # type: ignore[attr-defined]
        self.items.append(host)

    def get(self, handle: str) -> Host | None:
        return next((h for h in self.items if h.handle == handle), None)

    def get_by_id(self, host_id: int) -> Host | None:
        return next((h for h in self.items if h.id == host_id), None)

    def read(self, handle: str) -> Host | None:
        return self.get(handle)

    def list(self) -> list[Host]:
        return sorted(self.items, key=lambda h: h.handle)

    def directory(self) -> HostDirectory:
        return HostDirectory.of(HostEntry.of(h) for h in self.items)

    def snapshots(self) -> list[Host]:
        return self.list()

    def by_platform_user(self, platform: str, user_id: str) -> Host | None:
        field = {"telegram": "telegram_user_id", "slack": "slack_user_id"}.get(platform)
        return next((h for h in self.items if field and getattr(h, field) == user_id), None)

    def lock(self, host: Host) -> None:
        self.locked.append(host.handle)


class FakeBookings:
    def __init__(self) -> None:
        self.items: list[Booking] = []

    def add(self, booking: Booking) -> None:
        _assign_id(booking)
        self.items.append(booking)

    def get(self, booking_id: int) -> Booking | None:
        return next((b for b in self.items if b.id == booking_id), None)

    def get_for_update(self, booking_id: int) -> Booking | None:
        return self.get(booking_id)

    def of_series(self, series_id: int) -> list[Booking]:
        return sorted((b for b in self.items if b.series_id == series_id), key=lambda b: b.start)

    def overlapping(self, host_id: int, start: datetime, end: datetime) -> list[Booking]:
        return sorted(
            (b for b in self.items
             if b.host_id == host_id and b.is_live and b.start < end and start < b.end),
            key=lambda b: b.start,
        )

    def overlapping_hosts(self, host_ids: Sequence[int], start: datetime, end: datetime
                          ) -> list[Booking]:
        ids = set(host_ids)
        return sorted(
            (b for b in self.items
             if b.host_id in ids and b.is_live and b.start < end and start < b.end),
            key=lambda b: b.start,
        )

    def for_guest(self, guest_id: int, *, ending_after: datetime) -> list[Booking]:
        return sorted(
            (b for b in self.items
             if b.guest_id == guest_id and b.is_live and b.end > ending_after),
            key=lambda b: b.start,
        )

    def list(self, *, host_id: int | None = None,
             status: BookingStatus | None = None) -> list[Booking]:
        return sorted(
            (b for b in self.items
             if (host_id is None or b.host_id == host_id)
             and (status is None or b.status == status)),
            key=lambda b: b.start,
        )

    def activity(self, host_id: int, since: datetime) -> list[Booking]:
        return sorted(
            (b for b in self.items if b.host_id == host_id and any(
                t is not None and t >= since for t in (b.start, b.created_at, b.cancelled_at))),
            key=lambda b: b.start,
        )


    def starting(self, host_id: int, start: datetime, end: datetime) -> list[Booking]:
        return [b for b in self.list(host_id=host_id) if start <= b.start < end]

    def of_contact(self, host_id: int, guest_id: int) -> list[Booking]:
        return [b for b in self.list(host_id=host_id) if b.guest_id == guest_id]


class FakeGuests:
    def __init__(self) -> None:
        self.items: list[Guest] = []

    def add(self, guest: Guest) -> None:
        _assign_id(guest)
        self.items.append(guest)

    def get(self, platform: str, platform_user_id: str) -> Guest | None:
        return next((g for g in self.items
                     if g.platform == platform and g.platform_user_id == platform_user_id), None)

    def get_by_id(self, guest_id: int) -> Guest | None:
        return next((g for g in self.items if g.id == guest_id), None)


class FakeConversations:
    def __init__(self) -> None:
        self.items: list[ConversationState] = []

    def add(self, state: ConversationState) -> None:
        _assign_id(state)
        self.items.append(state)

    def get(self, platform: str, chat_id: str, user_id: str) -> ConversationState | None:
        return next((s for s in self.items
                     if (s.platform, s.chat_id, s.user_id) == (platform, chat_id, user_id)), None)

    def lock(self, platform: str, chat_id: str, user_id: str) -> ConversationState:
        stored = self.get(platform, chat_id, user_id)
        if stored is None:
            stored = ConversationState(platform, chat_id, user_id, "idle")
            self.add(stored)
        return stored

    def save(self, stored: ConversationState, *, state: str, data: dict[str, Any],
             updated_at: datetime) -> None:
        stored.state, stored.data, stored.updated_at = state, data, updated_at


class FakeOutbox:
    def __init__(self) -> None:
        self.items: list[OutboxMessage] = []

    def add(self, message: OutboxMessage) -> None:
        _assign_id(message)
        self.items.append(message)

    def add_many(self, messages: Sequence[OutboxMessage | QueuedMessage]) -> None:
        for m in messages:
            self.add(m if isinstance(m, OutboxMessage) else OutboxMessage(
                m.channel, m.recipient, m.kind, m.payload, created_at=m.created_at))

    def get(self, message_id: int) -> OutboxMessage | None:
        return next((m for m in self.items if m.id == message_id), None)

    def prune(self, created_before: datetime, *, limit: int) -> int:
        done = {OutboxStatus.SENT, OutboxStatus.FAILED}
        old = [m for m in self.items if m.status in done and m.created_at < created_before]
        gone = {id(m) for m in old[:limit]}
        self.items = [m for m in self.items if id(m) not in gone]
        return len(gone)

    def list(self) -> list[OutboxMessage]:
        return list(self.items)

    def claim(self, now: datetime, *, channels: Iterable[str], limit: int,
              lease_until: datetime) -> list[OutboxMessage]:
        wanted, blocked, claimed = set(channels), set(), []
        for m in sorted(self.items, key=lambda m: m.id or 0):
            if m.status is not OutboxStatus.QUEUED:
                continue
            key = (m.channel, m.recipient)
            held = m.claimed_until is not None and m.claimed_until > now
            waiting = m.next_attempt_at is not None and m.next_attempt_at > now
            if held or waiting or key in blocked:
                blocked.add(key)
                continue
            if m.channel in wanted and len(claimed) < limit:
                m.claimed_until = lease_until
                claimed.append(m)
        return claimed


class FakeContacts:
    def __init__(self, guests: FakeGuests) -> None:
        self.items: list[Contact] = []
        self.notes_kept: list[ContactNote] = []
        self._guests = guests

    def record_booking(self, host_id: int, guest_id: int, at: datetime) -> None:
        contact = next((c for c in self.items
                        if (c.host_id, c.guest_id) == (host_id, guest_id)), None)
        if contact is None:
            contact = Contact(host_id, guest_id)
            _assign_id(contact)
            self.items.append(contact)
        contact.total_bookings += 1
        contact.last_booked_at = at

    def search(self, host_id: int, text: str | None) -> list[tuple[Contact, Guest]]:
        found = []
        for contact in self.items:
            guest = self._guests.get_by_id(contact.guest_id)
            words = f"{guest.name or ''} {guest.email or ''}".lower() if guest else ""
            if guest and contact.host_id == host_id and (not text or text.lower() in words):
                found.append((contact, guest))
        return sorted(found, key=lambda pair: pair[0].last_booked_at or datetime.min,
                      reverse=True)

    def add_note(self, note: ContactNote) -> None:
        _assign_id(note)
        self.notes_kept.append(note)

    def notes(self, host_id: int, guest_id: int) -> list[ContactNote]:
        return [n for n in self.notes_kept if (n.host_id, n.guest_id) == (host_id, guest_id)]


@dataclass
class FakeReminder:
    id: int
    booking_id: int
    minutes_before: int
    due_at: datetime
    done_at: datetime | None = None
    outcome: str | None = None


class FakeJobs:
    """The job queries over the other fakes; ``runs`` holds (host id, job, local date, at)."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow
        self.reminders: list[FakeReminder] = []
        self.armed: set[int] = set()
        self.runs: list[tuple[int, str, date, datetime]] = []

    def complete_ended(self, now: datetime) -> int:
        ended = [b for b in self._uow.bookings.items
                 if b.status is BookingStatus.CONFIRMED and b.end <= now]
        for booking in ended:
            booking.status = BookingStatus.COMPLETED
        return len(ended)

    def bookings_to_arm(self, limit: int) -> list[BookingToArm]:
        todo = []
        for b in self._uow.bookings.items:
            if b.id in self.armed:
                continue
            host = self._uow.hosts.get_by_id(b.host_id)
            event_type = next(e for e in host.event_types if e.id == b.event_type_id)  # type: ignore[union-attr]
            todo.append(BookingToArm(b.id or 0, b.start, b.created_at,
                                     tuple(event_type.reminder_minutes), b.status))
        return todo[:limit]

    def arm(self, reminders: dict[int, list[tuple[int, datetime]]]) -> None:
        for booking_id, due in reminders.items():
            for minutes, due_at in due:
                self.reminders.append(FakeReminder(next(_ids), booking_id, minutes, due_at))
            self.armed.add(booking_id)

    def claim_due_reminders(self, now: datetime, limit: int) -> list[DueReminder]:
        due_bookings = sorted({r.booking_id for r in self.reminders
                               if r.done_at is None and r.due_at <= now})[:limit]
        due = sorted((r for r in self.reminders if r.done_at is None and r.due_at <= now
                      and r.booking_id in due_bookings), key=lambda r: (r.booking_id, r.due_at))
        claimed = []
        for r in due:
            b = self._uow.bookings.get(r.booking_id)
            assert b is not None
            host = self._uow.hosts.get_by_id(b.host_id)
            guest = self._uow.guests.get_by_id(b.guest_id)
            assert host is not None and guest is not None
            title = next(e.title for e in host.event_types if e.id == b.event_type_id)
            r.done_at, r.outcome = now, "sent"
            claimed.append(DueReminder(
                r.id, r.minutes_before, r.due_at, r.booking_id, b.start, b.end, b.status,
                host.handle, host.name, host.timezone, title, guest.name, guest.timezone,
                guest.platform, guest.chat_id, guest.email, guest.locale))
        return claimed

    def set_reminder_outcome(self, reminder_ids: Sequence[int], outcome: str) -> None:
        for r in self.reminders:
            if r.id in reminder_ids:
                r.outcome = outcome

    def schedules(self) -> list[HostSchedule]:
        return [HostSchedule(h.id or 0, h.handle, h.name, h.timezone, h.digest_time,
                             h.digest_enabled, h.telegram_user_id, h.slack_user_id, h.locale)
                for h in sorted(self._uow.hosts.items, key=lambda h: h.id or 0)]

    def claim_daily_many(self, job: str, runs: Sequence[tuple[int, date]], now: datetime
                         ) -> set[int]:
        won = set()
        for host_id, day in runs:
            if not any(r[:3] == (host_id, job, day) for r in self.runs):
                self.runs.append((host_id, job, day, now))
                won.add(host_id)
        return won

    def daily_done(self, job: str, dates: Iterable[date]) -> set[tuple[int, date]]:
        wanted = set(dates)
        return {(h, d) for h, j, d, _ in self.runs if j == job and d in wanted}

    def last_daily_many(self, job: str, host_ids: Sequence[int], *, before: date
                        ) -> dict[int, datetime]:
        last: dict[int, datetime] = {}
        for h, j, d, at in self.runs:
            if j == job and h in host_ids and d < before and (h not in last or at > last[h]):
                last[h] = at
        return last

    def digest_activity(self, host_ids: Sequence[int], since: datetime
                        ) -> list[tuple[Booking, str, str | None]]:
        found = []
        for host_id in host_ids:
            host = self._uow.hosts.get_by_id(host_id)
            titles = {e.id: e.title for e in host.event_types} if host else {}
            for b in self._uow.bookings.activity(host_id, since):
                guest = self._uow.guests.get_by_id(b.guest_id)
                found.append((b, titles.get(b.event_type_id, "?"), guest.name if guest else None))
        return sorted(found, key=lambda f: (f[0].start, f[0].id or 0))

    def prune(self, host_id: int, ended_before: datetime) -> int:
        bookings = self._uow.bookings
        old = [b for b in bookings.items if b.host_id == host_id and b.end < ended_before]
        bookings.items = [b for b in bookings.items if b not in old]
        gone = {b.id for b in old}
        self.reminders = [r for r in self.reminders if r.booking_id not in gone]
        self.runs = [r for r in self.runs if r[0] != host_id or r[2] >= ended_before.date()]
        return len(old)


class FakeSeries:
    def __init__(self) -> None:
        self.items: list[BookingSeries] = []

    def add(self, series: BookingSeries) -> None:
        _assign_id(series)
        self.items.append(series)

    def get(self, series_id: int) -> BookingSeries | None:
        return next((s for s in self.items if s.id == series_id), None)


class FakeLinks:
    def __init__(self) -> None:
        self.records: dict[str, tuple[int, datetime]] = {}

    def use(self, digest: str, booking_id: int, now: datetime) -> bool:
        if digest in self.records:
            return False
        self.records[digest] = (booking_id, now)
        return True

    def used(self, digest: str) -> bool:
        return digest in self.records


class FakePayments:
    def __init__(self, bookings: FakeBookings) -> None:
        self.items: list[Payment] = []
        self.refund_items: list[Refund] = []
        self.events: set[tuple[str, str]] = set()
        self._bookings = bookings

    def add(self, payment: Payment) -> None:
        _assign_id(payment)
        self.items.append(payment)

    def get(self, payment_id: int) -> Payment | None:
        return next((p for p in self.items if p.id == payment_id), None)

    def by_checkout(self, provider: str, checkout_id: str) -> Payment | None:
        return next((p for p in self.items
                     if (p.provider, p.checkout_id) == (provider, checkout_id)), None)

    def by_provider_id(self, provider: str, provider_payment_id: str) -> Payment | None:
        return next((p for p in self.items
                     if (p.provider, p.provider_payment_id) == (provider, provider_payment_id)),
                    None)

    def of_booking(self, booking_id: int) -> list[Payment]:
        return [p for p in self.items if p.booking_id == booking_id]

    def move(self, from_booking_id: int, to_booking_id: int) -> None:
        for item in [*self.items, *self.refund_items]:
            if item.booking_id == from_booking_id:
                item.booking_id = to_booking_id

    def list(self, *, host_id: int | None = None, since: datetime | None = None
             ) -> list[Payment]:
        return [p for p in self.items if (host_id is None or p.host_id == host_id)
                and (since is None or p.created_at >= since)]

    def of_hosts(self, host_ids: Sequence[int], since: datetime
                 ) -> tuple[list[Payment], list[tuple[int, Refund]]]:
        hosts = {p.id: p.host_id for p in self.items}
        return ([p for p in self.items if p.host_id in host_ids and p.paid_at is not None
                 and p.paid_at >= since],
                [(hosts[r.payment_id] or 0, r) for r in self.refund_items
                 if hosts.get(r.payment_id) in host_ids and r.created_at >= since])

    def add_refund(self, refund: Refund) -> None:
        _assign_id(refund)
        self.refund_items.append(refund)

    def get_refund(self, refund_id: int) -> Refund | None:
        return next((r for r in self.refund_items if r.id == refund_id), None)

    def refunds(self, *, payment_id: int | None = None, booking_id: int | None = None,
                host_id: int | None = None, since: datetime | None = None) -> list[Refund]:
        hosts = {p.id: p.host_id for p in self.items}
        return [r for r in self.refund_items
                if (payment_id is None or r.payment_id == payment_id)
                and (booking_id is None or r.booking_id == booking_id)
                and (host_id is None or hosts.get(r.payment_id) == host_id)
                and (since is None or r.created_at >= since)]

    def first_event(self, provider: str, event_id: str, kind: str, now: datetime) -> bool:
        if (provider, event_id) in self.events:
            return False
        self.events.add((provider, event_id))
        return True

    def expired_holds(self, now: datetime, limit: int) -> list[Booking]:
        held = [b for b in self._bookings.items if b.status is BookingStatus.AWAITING_PAYMENT
                and b.hold_until is not None and b.hold_until <= now]
        return held[:limit]
class FakeRefusals:
    def __init__(self) -> None:
        self.days: dict[tuple[date, str], int] = {}

    def add(self, day: date, platform: str, count: int = 1) -> None:
        self.days[(day, platform)] = self.days.get((day, platform), 0) + count

    def total(self, first: date, last: date) -> int:
        return sum(n for (day, _), n in self.days.items() if first <= day <= last)


class FakeUnitOfWork:
    """Shares its repositories across uses, like one database; counts commits.

    Changes are not rolled back (objects are mutated in place), so tests assert
    on ``commits`` to prove a use case committed.
    """

    def __init__(self) -> None:
        self.hosts = FakeHosts()
        self.bookings = FakeBookings()
        self.guests = FakeGuests()
        self.conversations = FakeConversations()
        self.outbox = FakeOutbox()
        self.contacts = FakeContacts(self.guests)
        self.jobs = FakeJobs(self)
        self.series = FakeSeries()
        self.links = FakeLinks()
        self.payments = FakePayments(self.bookings)
        self.refusals = FakeRefusals()
        self.commits = 0
        self.busy = None  # no external calendars

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        return None

    def reading(self) -> AbstractContextManager[Self]:
        return nullcontext(self)

    def writing(self) -> AbstractContextManager[Self]:
        return nullcontext(self)

    def commit(self) -> None:
        self.commits += 1

    def rollback(self) -> None:
        return None
