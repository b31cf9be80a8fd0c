"""In-memory implementations of core.ports for unit tests (cosmicpython's fakes)."""

from __future__ import annotations

import itertools
from datetime import datetime
from types import TracebackType
from typing import Self

from core.models import (
    Booking,
    BookingStatus,
    ConversationState,
    Guest,
    Host,
    OutboxMessage,
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

    def list(self) -> list[Host]:
        return sorted(self.items, key=lambda h: h.handle)

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

    def overlapping(self, host_id: int, start: datetime, end: datetime) -> list[Booking]:
        return sorted(
            (b for b in self.items
             if b.host_id == host_id and b.is_live and b.start < end and start < b.end),
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


class FakeOutbox:
    def __init__(self) -> None:
        self.items: list[OutboxMessage] = []

    def add(self, message: OutboxMessage) -> None:
        _assign_id(message)
        self.items.append(message)

    def list(self) -> list[OutboxMessage]:
        return list(self.items)


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
        self.commits = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        return None

    def commit(self) -> None:
        self.commits += 1

    def rollback(self) -> None:
        return None
