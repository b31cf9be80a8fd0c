"""Host commands on bookings: today, upcoming, bookings, booking, cancel, confirm, decline,
noshow, reschedule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bots.host_commands import _dates
from bots.host_commands._base import (
    WEEK,
    Ctx,
    booking_id,
    day_span,
    day_start,
    guest_name,
    line,
    local_midnight,
    status_word,
)
from bots.host_texts import HostTexts
from bots.messages import Choice, Reply
from core import booking_details, services
from core.errors import (
    BookingNotFound,
    BookingNotLive,
    NotAllowed,
    NotPending,
    SlotbotError,
    SlotUnavailable,
    TooSoon,
)
from core.models import BookingStatus
from core.services import Actor, BookingView

#: Bookings one ``/slotbot bookings`` reply lists at most.
BOOKINGS_SHOWN = 40
#: Reasons a host can pick with a button when declining (catalog suffix -> payload code).
DECLINE_REASONS = ("none", "busy", "full")
#: The button code of "Other reason…": the host writes it (bots.host_commands._reasons).
OTHER_REASON = "other"


def today(ctx: Ctx) -> Reply:
    start = local_midnight(ctx.now(), ctx.host)
    views = services.host_bookings(ctx.host.handle, start, start + timedelta(days=1),
                                   uow=ctx.uow_factory())
    day = ctx.t.day(start, ctx.tz)
    if not views:
        return ctx.say("host_today_none", day=day, tz=ctx.tz)
    lines = [ctx.t.text("host_today", day=day, tz=ctx.tz)]
    lines += [line(v, ctx.t, ctx.tz) for v in views]
    return Reply("\n".join(lines))


def upcoming(ctx: Ctx) -> Reply:
    now = ctx.now()
    views = services.host_bookings(ctx.host.handle, now, now + WEEK, uow=ctx.uow_factory())
    if not views:
        return ctx.say("host_upcoming_none")
    return Reply("\n".join([ctx.t.text("host_upcoming", tz=ctx.tz), *_by_day(views, ctx)]))


def bookings(ctx: Ctx) -> Reply:
    """``bookings [today|week|DATE–DATE] [TYPE] [STATUS]``, in any order (default: 7 days)."""
    slugs = {e.slug for e in ctx.host.event_types}
    statuses = {s.value: s for s in BookingStatus} | {"noshow": BookingStatus.NO_SHOW,
                                                     "no-show": BookingStatus.NO_SHOW}
    slug = status = None
    rest = []
    for word in ctx.args:
        if word.lower() in slugs:
            slug = word.lower()
        elif word.lower() in statuses:
            status = statuses[word.lower()]
        else:
            rest.append(word)
    start = local_midnight(ctx.now(), ctx.host)
    end = start + WEEK
    period = " ".join(rest).strip().lower()
    if period in ("today", ctx.t.text("host_use_today")):
        end = start + timedelta(days=1)
    elif period and period != "week":
        found = _dates.days(period, ctx.host, ctx.now(), ctx.t.lang)
        if found is None:
            return ctx.usage("bookings")
        start = day_start(found[0], ctx.host)
        end = day_start(found[1] + timedelta(days=1), ctx.host)
    views = booking_details.bookings_between(ctx.host.handle, start, end, uow=ctx.uow_factory(),
                                             slug=slug, status=status)
    filters = "".join(f" · {f}" for f in (slug, status_word_of(ctx.t, status)) if f)
    period_text = day_span(ctx.t, start.astimezone(ctx.host.zone).date(),
                           (end - timedelta(seconds=1)).astimezone(ctx.host.zone).date())
    if not views:
        return ctx.say("host_bookings_none", period=period_text, filters=filters)
    lines = [ctx.t.text("host_bookings", period=period_text, tz=ctx.tz, filters=filters,
                        count=len(views))]
    lines += _by_day(views[:BOOKINGS_SHOWN], ctx)
    if len(views) > BOOKINGS_SHOWN:
        lines.append(ctx.t.text("host_bookings_more", count=len(views) - BOOKINGS_SHOWN))
    return Reply("\n".join(lines))


def booking(ctx: Ctx) -> Reply:
    number = booking_id(ctx.args)
    if number is None:
        return ctx.usage("booking")
    try:
        detail = booking_details.booking_detail(ctx.host.handle, number, uow=ctx.uow_factory())
    except BookingNotFound:
        return ctx.say("host_no_booking", id=number)
    t, tz, b = ctx.t, ctx.tz, detail.view.booking
    guest = detail.view.guest
    who = guest_name(detail.view, t) + (f" <{guest.email}>" if guest.email else "")
    lines = [
        t.text("host_booking", id=b.id, title=detail.view.event_type.title,
               when=t.span(b.start, b.end, tz, guest.timezone)),
        t.text("host_booking_status", status=status_word(t, b)),
        t.text("host_booking_guest", guest=who),
    ]
    if detail.contact is not None:
        lines.append(t.text("host_booking_contact",
                            bookings=t.plural("host_n_bookings",
                                              detail.contact.contact.total_bookings),
                            no_shows=t.plural("host_n_no_shows", detail.contact.no_shows)))
    lines.append(t.text("host_booking_history"))
    for older in detail.moved_from:
        lines.append(t.text("host_booking_moved_from", id=older.id,
                            when=t.span(older.start, older.end, tz)))
    if b.created_at:
        lines.append(t.text("host_booking_made", when=_stamp(t, b.created_at, tz)))
    if b.cancelled_at and b.status in (BookingStatus.CANCELLED, BookingStatus.DECLINED):
        reason = f" ({b.cancel_reason})" if b.cancel_reason else ""
        lines.append(t.text("host_booking_cancelled", when=_stamp(t, b.cancelled_at, tz),
                            reason=reason))
    notes = detail.contact.notes if detail.contact else []
    if notes:
        lines.append(t.text("host_booking_notes"))
        lines += [t.text("host_note_line", day=t.day(n.created_at, tz), text=n.text)
                  for n in notes]
    return Reply("\n".join(lines), decision_buttons(t, detail.view))


def cancel(ctx: Ctx) -> Reply:
    return _change(ctx, "cancel", "host_cancelled", lambda number: services.cancel(
        number, actor=_actor(ctx), uow=ctx.uow_factory(), clock=ctx.clock,
        reason=" ".join(ctx.args[1:]) or None))


def confirm(ctx: Ctx) -> Reply:
    return _change(ctx, "confirm", "host_confirmed", lambda number: services.confirm(
        number, actor=_actor(ctx), uow=ctx.uow_factory(), clock=ctx.clock))


def _change(ctx: Ctx, command: str, done_key: str,
            change: Callable[[int], BookingView]) -> Reply:
    """Run ``change`` on the booking the first word names; the host's words for the outcome."""
    number = booking_id(ctx.args)
    if number is None:
        return ctx.usage(command)
    try:
        view = change(number)
    except SlotbotError as exc:
        return refused(ctx, number, exc)
    return ctx.say(done_key, id=number, line=line(view, ctx.t, ctx.tz),
                   guest=guest_name(view, ctx.t))


def decline(ctx: Ctx) -> Reply:
    number = booking_id(ctx.args)
    if number is None:
        return ctx.usage("decline")
    reason = " ".join(ctx.args[1:]) or None
    try:
        view = services.decline(number, actor=_actor(ctx), uow=ctx.uow_factory(),
                                clock=ctx.clock, reason=reason)
    except SlotbotError as exc:
        return refused(ctx, number, exc)
    told = ctx.t.text("host_declined_reason", reason=reason) if reason else ""
    return ctx.say("host_declined", id=number, guest=guest_name(view, ctx.t), reason=told)


def ask_decline_reason(ctx: Ctx, number: int) -> Reply:
    """The answer to a Decline button: which reason (buttons), or type one."""
    try:
        detail = booking_details.booking_detail(ctx.host.handle, number, uow=ctx.uow_factory())
    except BookingNotFound:
        return ctx.say("host_no_booking", id=number)
    if detail.view.booking.status is not BookingStatus.PENDING:
        return ctx.say("host_already", id=number, status=status_word(ctx.t, detail.view.booking))
    choices = tuple(Choice(ctx.t.text(f"host_reason_{code}"), f"h:decline:{number}:{code}")
                    for code in (*DECLINE_REASONS, OTHER_REASON))
    return Reply(ctx.t.text("host_decline_ask", id=number,
                            line=line(detail.view, ctx.t, ctx.tz)), choices)


def reason_text(t: HostTexts, code: str) -> str | None:
    """The reason told to the guest for a reason button (None: no reason)."""
    return t.text(f"host_reason_text_{code}") if code in DECLINE_REASONS[1:] else None


def noshow(ctx: Ctx) -> Reply:
    number = booking_id(ctx.args)
    if number is None:
        return ctx.usage("noshow")
    try:
        services.mark_no_show(number, actor=_actor(ctx), uow=ctx.uow_factory(), clock=ctx.clock)
    except NotAllowed as exc:
        if "not started" in str(exc):
            return ctx.say("host_not_started", id=number)
        return ctx.say("host_no_booking", id=number)
    except SlotbotError as exc:
        return refused(ctx, number, exc)
    return ctx.say("host_no_show", id=number)


def reschedule(ctx: Ctx) -> Reply:
    number = booking_id(ctx.args)
    text = " ".join(ctx.args[1:])
    if number is None or not text:
        return ctx.usage("reschedule")
    start = _dates.moment(text, ctx.host, ctx.now(), ctx.t.lang)
    if start is None:
        return ctx.say("host_time_unclear", text=text, id=number)
    try:
        view = services.reschedule(number, start, actor=_actor(ctx), uow=ctx.uow_factory(),
                                   clock=ctx.clock)
    except SlotUnavailable as exc:
        return _not_free(ctx, number, exc)
    except SlotbotError as exc:
        return refused(ctx, number, exc)
    b = view.booking
    return ctx.say("host_rescheduled", old=number, id=b.id, guest=guest_name(view, ctx.t),
                   when=ctx.t.span(b.start, b.end, ctx.tz, view.guest.timezone))


def decision_buttons(t: HostTexts, view: BookingView) -> tuple[Choice, ...]:
    """Confirm/Decline under a pending request, Cancel under a live booking that has not ended."""
    b = view.booking
    if b.status is BookingStatus.PENDING:
        return (Choice(t.text("host_button_confirm"), f"h:confirm:{b.id}"),
                Choice(t.text("host_button_decline"), f"h:decline:{b.id}"))
    if b.status is BookingStatus.CONFIRMED:
        return (Choice(t.text("host_button_cancel"), f"h:cancel:{b.id}"),)
    return ()


def refused(ctx: Ctx, number: int, exc: SlotbotError) -> Reply:
    """A change the services refused, in the host's words."""
    if isinstance(exc, (BookingNotFound, NotAllowed)):
        return ctx.say("host_no_booking", id=number)
    if isinstance(exc, (NotPending, BookingNotLive)):
        return ctx.say("host_already", id=number,
                       status=ctx.t.text(f"host_status_{exc.status}"))
    return ctx.say("host_cannot", id=number, error=str(exc))


def status_word_of(t: HostTexts, status: BookingStatus | None) -> str | None:
    return t.text(f"host_status_{status.value}") if status else None


def _not_free(ctx: Ctx, number: int, exc: SlotUnavailable) -> Reply:
    t, tz = ctx.t, ctx.tz
    reason = (t.reason_too_soon(exc.earliest, tz) if isinstance(exc, TooSoon)
              else t.reason_taken())
    text = t.text("host_not_free", id=number, time=f"{t.day(exc.start, tz)} "
                                                   f"{t.clock(exc.start, tz)}", reason=reason)
    if exc.alternatives:
        text += t.text("host_free_nearby", times=", ".join(
            f"{t.day(s.start, tz)} {t.clock(s.start, tz)}" for s in exc.alternatives))
    return Reply(text)


def _by_day(views: list[BookingView], ctx: Ctx) -> list[str]:
    lines, current = [], ""
    for view in views:
        day = ctx.t.day(view.booking.start, ctx.tz)
        if day != current:
            lines.append(day)
            current = day
        lines.append("  " + line(view, ctx.t, ctx.tz))
    return lines


def _stamp(t: HostTexts, moment: datetime, tz: str) -> str:
    return f"{t.day(moment, tz)} {t.clock(moment, tz)}"


def _actor(ctx: Ctx) -> Actor:
    return Actor("host", ctx.host.id or 0)

