"""Use cases: load hosts, find free slots, book, cancel, reschedule, confirm, list.

Each function is one unit of work: it opens ``uow``, does its checks and
changes inside the transaction (with the host's calendar locked for writes),
writes the notifications it causes to the outbox, and commits. Domain errors
from :mod:`core.errors` tell the caller what went wrong in user terms.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from core import availability, payments
from core.availability import BOOKING_MARGIN, booking_reach
from core.booking_rules import (
    busy_times,
    cancel_booking,
    check_duration,
    check_free,
    check_guest_cap,
    find_event_type,
    find_host,
    locked_view,
    view_of,
)
from core.clean_text import clean_name
from core.errors import (
    BookingConflict,
    BookingNotLive,
    NotAllowed,
    NotPending,
    SetupError,
    SlotUnavailable,
    TooLateToChange,
)
from core.ids import stored_id
from core.models import (
    Booking,
    BookingStatus,
    DateOverride,
    EventType,
    Guest,
    Host,
    Slot,
    require_aware,
)
from core.notifications import email_guest, notify_guest, notify_host, notify_other
from core.ports import BusySource, Clock, UnitOfWork
from core.views import Actor as Actor  # re-exported: callers pass Actor(...) to services
from core.views import BookingView as BookingView

#: Reason stored on a pending request nobody confirmed in time.
EXPIRED_REASON = "not confirmed in time"

#: Longest time off one ``add_time_off`` call may set, in days.
MAX_TIME_OFF_DAYS = 366


# --- hosts -------------------------------------------------------------------------------


def load_hosts(hosts: list[Host], *, uow: UnitOfWork) -> list[str]:
    """Create or update hosts and their event types (``slotbot load``); idempotent.

    What the host changed from chat wins over the file: time off added with
    ``/slotbot off`` (for its dates), the working hours of each weekday set
    with ``/slotbot hours``, the language and digest settings, and each event
    type field set with ``/slotbot type`` (``Host.chat_owned``,
    ``EventType.chat_owned``). Everything else is replaced by the file;
    event types are matched by slug and updated in place (so their bookings
    keep pointing at them); event types missing from the file are left as
    they are.

    Returns:
        The handles loaded, in file order.

    Raises:
        SetupError: if a Telegram or Slack user id is already another host's;
            nothing is changed.
    """
    with uow:
        _refuse_taken_user_ids(hosts, uow.hosts.list())
        for new in hosts:
            old = uow.hosts.get(new.handle)
            if old is None:
                uow.hosts.add(new)
                continue
            _update_host(old, new)
        uow.commit()
    return [h.handle for h in hosts]


#: Host fields ``slotbot load`` sets, and the ``chat_owned`` key that keeps each.
_FILE_FIELDS = {"name": "", "timezone": "", "email": "", "telegram_user_id": "",
                "slack_user_id": "", "digest_time": "digest", "tags": "", "capacity": "",
                "max_active_per_guest": "", "locale": "locale", "brand_name": "",
                "brand_color": "", "brand_logo_url": "", "mail_templates": ""}


def _update_host(old: Host, new: Host) -> None:
    owned = set(old.chat_owned)
    for name, key in _FILE_FIELDS.items():
        if key not in owned:
            setattr(old, name, getattr(new, name))
    kept_days = {int(k.partition(":")[2]) for k in owned if k.startswith("hours:")}
    old.working_hours[:] = [
        *(r for r in old.working_hours if r.weekday in kept_days),
        *(r for r in new.working_hours if r.weekday not in kept_days),
    ]
    _replace_calendars(old, new)
    kept = [o for o in old.date_overrides if o.source == "command"]
    taken = {o.date for o in kept}
    old.date_overrides[:] = [*kept, *(o for o in new.date_overrides if o.date not in taken)]
    for event_type in new.event_types:
        current = old.event_type(event_type.slug)
        if current is None:
            old.event_types.append(event_type)
            continue
        chat = set(current.chat_owned)
        if "*" in chat:
            continue
        for name, value in vars(event_type).items():
            if name not in ("id", "host_id", "chat_owned", *chat) and not name.startswith("_"):
                setattr(current, name, value)


def _refuse_taken_user_ids(hosts: list[Host], stored: list[Host]) -> None:
    loaded = {h.handle for h in hosts}
    owners = {(key, getattr(h, key)): h.handle for h in stored if h.handle not in loaded
              for key in ("telegram_user_id", "slack_user_id") if getattr(h, key)}
    problems = [f"hosts[{i}].{key}: {getattr(h, key)!r} already belongs to host "
                f"{owners[key, getattr(h, key)]!r}"
                for i, h in enumerate(hosts) for key in ("telegram_user_id", "slack_user_id")
                if (key, getattr(h, key)) in owners]
    if problems:
        raise SetupError(problems)


def get_host(handle: str, *, uow: UnitOfWork) -> Host:
    """The host with this handle (case-insensitive).

    Raises:
        HostNotFound: if there is none.
    """
    with uow:
        return find_host(uow, handle)


def list_hosts(*, uow: UnitOfWork) -> list[Host]:
    with uow:
        return uow.hosts.list()


# --- guests ------------------------------------------------------------------------------


def ensure_guest(
    platform: str,
    platform_user_id: str,
    *,
    uow: UnitOfWork,
    name: str | None = None,
    chat_id: str | None = None,
    email: str | None = None,
    timezone: str | None = None,
    locale: str | None = None,
) -> Guest:
    """Find or create the guest for a platform identity; fills in what is new.

    Values given here update the stored guest only where they are not None, so
    a timezone the guest told us is not overwritten by an unknown one. When
    the guest exists and nothing differs, nothing is written (one read, no
    commit); a new guest is one INSERT. Inside a conversation turn it writes in
    the turn's transaction without a savepoint of its own (``uow.writing``).
    """
    given = {field: value for field, value in (
        ("name", clean_name(name)),  # the console and tests pass names straight in
        ("chat_id", chat_id), ("email", email), ("timezone", timezone), ("locale", locale),
    ) if value is not None}
    with uow.reading():
        guest = uow.guests.get(platform, platform_user_id)
    if guest is not None and all(getattr(guest, f) == v for f, v in given.items()):
        return guest
    with uow.writing():
        known = guest or Guest(platform=platform, platform_user_id=platform_user_id)
        for field, value in given.items():
            setattr(known, field, value)
        if guest is None:
            uow.guests.add(known)  # one INSERT with everything known
        uow.commit()
        return known


# --- availability ------------------------------------------------------------------------


def free_slots(
    handle: str,
    slug: str,
    start: datetime,
    end: datetime,
    *,
    uow: UnitOfWork,
    clock: Clock,
    duration: int | None = None,
    busy_source: BusySource | None = None,
) -> list[Slot]:
    """Free slots of an event type whose start lies in ``[start, end)``.

    Args:
        start, end: aware datetimes (any zone).
        duration: minutes, one of the event type's allowed durations (default its first).
        busy_source: time taken outside Slotbot, subtracted like bookings.

    Raises:
        HostNotFound, EventTypeNotFound, DurationNotAllowed.
    """
    require_aware(start, "start")
    require_aware(end, "end")
    with uow.reading():
        host = find_host(uow, handle, read_only=True)
        event_type = find_event_type(host, slug)
        check_duration(event_type, duration)
        margin = booking_reach(event_type)
        bookings = uow.bookings.overlapping(stored_id(host.id), start - margin, end + margin)
        busy = busy_times(uow, host, start - BOOKING_MARGIN, end + BOOKING_MARGIN, busy_source)
        return availability.free_slots(
            host, event_type, start=start, end=end, now=clock(), bookings=bookings,
            busy=busy, duration=duration,
        )


def check_slot(
    handle: str,
    slug: str,
    start: datetime,
    *,
    uow: UnitOfWork,
    clock: Clock,
    duration: int | None = None,
    ignore_booking_id: int | None = None,
    busy_source: BusySource | None = None,
    guest_id: int | None = None,
) -> Slot:
    """The slot at ``start`` if it is bookable now (no lock: a proposal, not a hold).

    ``ignore_booking_id`` leaves one booking out, for proposing a reschedule;
    ``guest_id`` is who would book it (a seat they hold already is refused).

    Raises:
        HostNotFound, EventTypeNotFound, TooSoon, OutsideBookingWindow,
        SlotUnavailable (each with the nearest free alternatives),
        AlreadyBooked (``guest_id`` holds a seat of it).
    """
    require_aware(start, "start")
    with uow.reading():
        host = find_host(uow, handle, read_only=True)
        return check_free(uow, host, find_event_type(host, slug), start, now=clock(),
                          duration=duration, ignore_id=ignore_booking_id,
                          busy_source=busy_source, guest_id=guest_id)


# --- booking -----------------------------------------------------------------------------


def book(
    handle: str,
    slug: str,
    start: datetime,
    *,
    guest_id: int,
    uow: UnitOfWork,
    clock: Clock,
    duration: int | None = None,
    busy_source: BusySource | None = None,
) -> BookingView:
    """Book one seat of ``slug`` with host ``handle`` at ``start`` for the guest.

    The slot is checked again inside the transaction, with the host's calendar
    locked, so two guests racing for the last seat cannot both win; on
    PostgreSQL an exclusion constraint backs this up for one-seat event types
    (a violation is reported as :class:`SlotUnavailable`, like a lost race).
    The booking is ``pending`` (holding its seat) if the event type requires
    confirmation, ``awaiting_payment`` (holding its seat for ``payment_window``
    minutes, :func:`core.payments.hold`) if it has a price, else ``confirmed``.

    Args:
        start: aware datetime (any zone); stored in UTC.
        duration: minutes, one of the event type's allowed durations (default its first).
        busy_source: time taken outside Slotbot, subtracted like bookings.

    Raises:
        HostNotFound, EventTypeNotFound, NotAllowed (unknown guest),
        DurationNotAllowed, GuestLimitReached (the host's cap on a guest's
        upcoming bookings), AlreadyBooked (the guest holds a seat of this slot),
        TooSoon, OutsideBookingWindow, SlotUnavailable (each with alternatives).
    """
    require_aware(start, "start")
    now = clock()
    with uow:
        host = find_host(uow, handle)
        event_type = find_event_type(host, slug)
        guest = uow.guests.get_by_id(guest_id)
        if guest is None:
            raise NotAllowed(f"unknown guest #{guest_id}")
        check_duration(event_type, duration)
        uow.hosts.lock(host)
        check_guest_cap(uow, host, guest_id, now)
        slot = check_free(uow, host, event_type, start, now=now, duration=duration,
                          busy_source=busy_source, guest_id=guest_id)
        booking = Booking(
            host_id=stored_id(host.id),
            event_type_id=stored_id(event_type.id),
            guest_id=guest_id,
            start=slot.start,
            end=slot.end,
            status=(BookingStatus.PENDING if event_type.requires_confirmation
                    else BookingStatus.CONFIRMED),
            created_at=now,
            exclusive=event_type.seats == 1,
        )
        if event_type.paid:
            payments.hold(booking, event_type, now)
        _add_or_taken(uow, booking, host, event_type, now=now, busy_source=busy_source)
        uow.contacts.record_booking(booking.host_id, guest_id, now)  # the guest is a contact
        view = BookingView(booking, host, event_type, guest)
        if booking.status is BookingStatus.AWAITING_PAYMENT:
            pass  # the host hears of it once it is paid (core.payments.record_payment)
        elif booking.status is BookingStatus.PENDING:
            notify_host(uow, view, "booking_requested", now)
        else:
            notify_host(uow, view, "booking_created", now)
            email_guest(uow, view, "booking_created", now)
        uow.commit()
        return view


def cancel(
    booking_id: int,
    *,
    actor: Actor,
    uow: UnitOfWork,
    clock: Clock,
    reason: str | None = None,
    also: Callable[[UnitOfWork], None] | None = None,
) -> BookingView:
    """Cancel a live booking; the other party is notified through the outbox.

    ``also`` runs in the same transaction just before the commit (marking a
    signed link used, :mod:`core.guest_links`); if it raises, nothing changes.

    A guest may cancel only up to the event type's ``cancel_notice`` minutes
    before the start; the host may cancel any time. A guest who cancels also
    gets the cancellation by email (if they gave an address), so their calendar
    drops the event. A paid booking is refunded by its policy
    (:func:`core.payments.settle_cancel`; :func:`core.payments.money_of` lists
    the refunds); an unpaid hold is let go without notices.

    Raises:
        BookingNotFound: no such booking, or (for a guest) not theirs.
        NotAllowed: a host cancelling another host's booking.
        BookingNotLive: already cancelled, declined, completed or a no-show.
        TooLateToChange: a guest after the cutoff (``cutoff`` says when it was).
    """
    now = clock()
    with uow:
        view = locked_view(uow, booking_id, actor)
        _check_notice(view, actor, now)
        held = view.booking.status is BookingStatus.AWAITING_PAYMENT
        cancel_booking(view.booking, now=now, reason=reason)
        refunds = payments.settle_cancel(uow, view, actor, now)
        refunded = {"refunded": sum(r.amount for r in refunds),
                    "currency": refunds[0].currency} if refunds else {}
        if not held:
            notify_other(uow, view, actor, "booking_cancelled", now, **refunded)
        if actor.kind == "guest" and not held:
            email_guest(uow, view, "booking_cancelled", now, **refunded)
        if also is not None:
            also(uow)
        uow.commit()
        return view


def reschedule(
    booking_id: int,
    new_start: datetime,
    *,
    actor: Actor,
    uow: UnitOfWork,
    clock: Clock,
    also: Callable[[UnitOfWork], None] | None = None,
) -> BookingView:
    """Move a live booking: the old one is cancelled and linked from the new one.

    ``also`` runs in the same transaction just before the commit, as in :func:`cancel`.

    The new time may overlap the old booking's own time (moving by 15 minutes
    works); it is checked like a new booking, with the calendar locked. A
    guest may move a booking only up to the event type's ``cancel_notice``
    minutes before its start. The new booking keeps the status (a pending
    request stays pending) and the series of the old one. A guest who moves a
    confirmed booking also gets the new time by email (if they gave an address),
    updating the event in their calendar.

    Returns:
        The new booking (``rescheduled_from_id`` is the old booking's id).

    Raises:
        BookingNotFound, NotAllowed, BookingNotLive, TooLateToChange, TooSoon,
        OutsideBookingWindow, SlotUnavailable.
    """
    require_aware(new_start, "new_start")
    now = clock()
    with uow:
        old = locked_view(uow, booking_id, actor)
        if not old.booking.is_live:
            raise BookingNotLive(old.booking.id, old.booking.status.value)
        _check_notice(old, actor, now)
        minutes = int(old.booking.duration.total_seconds() // 60)
        slot = check_free(uow, old.host, old.event_type, new_start, now=now, duration=minutes,
                          ignore_id=old.booking.id, guest_id=old.booking.guest_id)
        status = old.booking.status
        cancel_booking(old.booking, now=now, reason="rescheduled")
        new = Booking(
            host_id=old.booking.host_id,
            event_type_id=old.booking.event_type_id,
            guest_id=old.booking.guest_id,
            start=slot.start,
            end=slot.end,
            status=status,
            created_at=now,
            rescheduled_from_id=old.booking.id,
            exclusive=old.booking.exclusive,
            series_id=old.booking.series_id,
            hold_until=old.booking.hold_until,
        )
        _add_or_taken(uow, new, old.host, old.event_type, now=now, ignore_id=old.booking.id)
        uow.payments.move(stored_id(old.booking.id), stored_id(new.id))  # the money moves along
        view = BookingView(new, old.host, old.event_type, old.guest)
        notify_other(uow, view, actor, "booking_rescheduled", now,
                      previous_start=old.booking.start)
        if actor.kind == "guest" and status is BookingStatus.CONFIRMED:
            email_guest(uow, view, "booking_rescheduled", now, previous_start=old.booking.start)
        if also is not None:
            also(uow)
        uow.commit()
        return view


def guest_bookings(guest_id: int, *, uow: UnitOfWork, clock: Clock) -> list[BookingView]:
    """The guest's live bookings that have not ended yet, by start."""
    with uow:
        bookings = uow.bookings.for_guest(guest_id, ending_after=clock())
        return [view_of(uow, b) for b in bookings]


def host_bookings(
    handle: str, start: datetime, end: datetime, *, uow: UnitOfWork
) -> list[BookingView]:
    """The host's live bookings overlapping ``[start, end)``, by start.

    Raises:
        HostNotFound.
    """
    with uow:
        host = find_host(uow, handle)
        return [view_of(uow, b) for b in uow.bookings.overlapping(stored_id(host.id), start, end)]


def list_bookings(
    *, uow: UnitOfWork, handle: str | None = None, status: BookingStatus | None = None
) -> list[BookingView]:
    """All bookings, optionally of one host and/or status, by start.

    Raises:
        HostNotFound: if ``handle`` names no host.
    """
    with uow:
        host_id = find_host(uow, handle).id if handle else None
        return [view_of(uow, b) for b in uow.bookings.list(host_id=host_id, status=status)]


# --- confirmation, no-shows, time off ----------------------------------------------------


def confirm(booking_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> BookingView:
    """The host accepts a pending request; the guest is told (``booking_confirmed``).

    Raises:
        BookingNotFound, NotAllowed (not the host's booking, or a guest asking),
        NotPending: the request was already confirmed, declined, expired or cancelled.
    """
    return _decide(booking_id, BookingStatus.CONFIRMED, actor=actor, uow=uow, clock=clock)


def decline(
    booking_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock, reason: str | None = None
) -> BookingView:
    """The host turns down a pending request, freeing its seat; the guest hears the reason.

    Raises:
        BookingNotFound, NotAllowed, NotPending: as for :func:`confirm`.
    """
    return _decide(booking_id, BookingStatus.DECLINED, actor=actor, uow=uow, clock=clock,
                   reason=reason)


def mark_no_show(booking_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> BookingView:
    """The host records that the guest did not come (after the start).

    Raises:
        BookingNotFound, NotAllowed: not the host's booking, a guest asking,
            or the booking has not started yet.
        BookingNotLive: the booking was cancelled or declined (or is a no-show already).
    """
    now = clock()
    with uow:
        view = _host_decision_view(uow, booking_id, actor)
        booking = view.booking
        if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED):
            raise BookingNotLive(booking.id, booking.status.value)
        if now < booking.start:
            raise NotAllowed(f"booking #{booking_id} has not started yet")
        booking.status = BookingStatus.NO_SHOW
        uow.commit()
        return view


def expire_pending(uow: UnitOfWork, now: datetime) -> int:
    """Decline every pending request whose confirmation time has run out, telling the guest.

    A request made at ``created_at`` expires at ``created_at +
    confirmation_timeout`` minutes of its event type, or at its start if that
    comes first. Expired requests become ``declined`` with reason
    :data:`EXPIRED_REASON` (their seat is free again), and the guest gets a
    ``booking_expired`` notification (a paid request is refunded). Idempotent; meant
    for the periodic tick.

    Args:
        uow: a fresh unit of work (committed here).
        now: aware datetime, the tick's instant.

    Returns:
        How many requests expired.
    """
    require_aware(now, "now")
    expired = 0
    with uow:
        pending = uow.bookings.list(status=BookingStatus.PENDING)
        for booking in sorted(pending, key=lambda b: (b.host_id, b.id or 0)):
            view = view_of(uow, booking)
            if now < _expiry(booking, view.event_type):
                continue
            uow.hosts.lock(view.host)
            current = uow.bookings.get_for_update(stored_id(booking.id))
            if current is None or current.status is not BookingStatus.PENDING:
                continue
            current.status = BookingStatus.DECLINED
            current.cancelled_at = now
            current.cancel_reason = EXPIRED_REASON
            notify_guest(uow, view, "booking_expired", now)
            payments.settle_cancel(uow, view, Actor("host", current.host_id), now)
            expired += 1
        uow.commit()
    return expired


def add_time_off(handle: str, first: date, last: date, *, uow: UnitOfWork) -> list[date]:
    """Mark the host's local dates ``first`` … ``last`` (inclusive) as days off.

    Each date gets a date override without hours (replacing any other
    override of that date). Existing bookings are kept.

    Returns:
        The dates now off, in order.

    Raises:
        HostNotFound.
        ValueError: if ``last`` is before ``first`` or the range is longer
            than :data:`MAX_TIME_OFF_DAYS`.
    """
    days = (last - first).days + 1
    if not 1 <= days <= MAX_TIME_OFF_DAYS:
        raise ValueError(f"time off must be 1–{MAX_TIME_OFF_DAYS} days, got {first}..{last}")
    dates = [first + timedelta(days=n) for n in range(days)]
    with uow:
        host = find_host(uow, handle)
        uow.hosts.lock(host)
        off = set(dates)
        host.date_overrides[:] = [o for o in host.date_overrides if o.date not in off]
        host.date_overrides.extend(DateOverride(date=day, intervals=[], source="command")
                                   for day in dates)
        uow.commit()
    return dates


# --- helpers -----------------------------------------------------------------------------


def _replace_calendars(old: Host, new: Host) -> None:
    """Take the file's calendars, keeping the stored ones that are listed again
    (matched by kind and address) so their cached busy times and events stay."""
    kept = {c.key: c for c in old.calendars}
    calendars = []
    for calendar in new.calendars:
        current = kept.get(calendar.key)
        if current is None:
            calendars.append(calendar)
            continue
        for name in ("username", "password_env", "write", "busy", "position"):
            setattr(current, name, getattr(calendar, name))
        calendars.append(current)
    old.calendars[:] = calendars


def _add_or_taken(
    uow: UnitOfWork,
    booking: Booking,
    host: Host,
    event_type: EventType,
    *,
    now: datetime,
    ignore_id: int | None = None,
    busy_source: BusySource | None = None,
) -> None:
    """Add ``booking``; if the database refuses it as overlapping, roll back and say why.

    Raises:
        SlotUnavailable: with the free alternatives seen after the rollback.
    """
    start, minutes = booking.start, int(booking.duration.total_seconds() // 60)
    try:
        uow.bookings.add(booking)
    except BookingConflict:
        uow.rollback()
        check_free(uow, host, event_type, start, now=now, duration=minutes, ignore_id=ignore_id,
               busy_source=busy_source)
        raise SlotUnavailable(start) from None


def _check_notice(view: BookingView, actor: Actor, now: datetime) -> None:
    """Guests change a booking only up to ``cancel_notice`` minutes before it; hosts any time."""
    if actor.kind != "guest":
        return
    cutoff = view.booking.start - timedelta(minutes=view.event_type.cancel_notice)
    if now >= cutoff and view.event_type.cancel_notice > 0:
        raise TooLateToChange(view.booking.id, cutoff)


def _expiry(booking: Booking, event_type: EventType) -> datetime:
    made = booking.created_at or booking.start
    return min(made + timedelta(minutes=event_type.confirmation_timeout), booking.start)


def _host_decision_view(uow: UnitOfWork, booking_id: int, actor: Actor) -> BookingView:
    if actor.kind != "host":
        raise NotAllowed("only the host decides on a booking request")
    return locked_view(uow, booking_id, actor)


def _decide(
    booking_id: int,
    status: BookingStatus,
    *,
    actor: Actor,
    uow: UnitOfWork,
    clock: Clock,
    reason: str | None = None,
) -> BookingView:
    now = clock()
    with uow:
        view = _host_decision_view(uow, booking_id, actor)
        booking = view.booking
        if booking.status is not BookingStatus.PENDING:
            raise NotPending(booking.id, booking.status.value)
        booking.status = status
        if status is BookingStatus.DECLINED:
            booking.cancelled_at = now
            booking.cancel_reason = reason
            payments.settle_cancel(uow, view, actor, now)  # a paid request is refunded
        kind = "booking_confirmed" if status is BookingStatus.CONFIRMED else "booking_declined"
        notify_guest(uow, view, kind, now)
        uow.commit()
        return view


