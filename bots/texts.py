"""The conversation's user-facing texts, in the reader's language and zone.

Wording lives in the gettext catalogs (:mod:`bots.locales`: keyed msgids, one
``.po``/``.mo`` per language and domain); this module fills them in. Dates and
times are formatted with Babel for the language and always shown in the
reader's zone, with the other party's zone beside them when it differs. Texts
are plain: renderers escape them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, get_timezone_location

from bots.locales import LANGUAGES, SOURCE_LANGUAGE, translations
from core.directory import HostEntry
from core.errors import SlotUnavailable
from core.models import Booking, EventType, Host, Refund, Slot
from core.money import format_amount
from core.services import BookingView
from nlp.zones import zone_info

MAX_MESSAGE_CHARS = 2000
DEFAULT_LANGUAGE = SOURCE_LANGUAGE


def language(tag: str | None) -> str:
    """The catalog language for a platform tag (``de-DE`` → ``de``); English if unknown."""
    code = (tag or DEFAULT_LANGUAGE)[:2].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def apology(lang: str | None = None) -> str:
    """The reply when something broke on our side (adapters use it too)."""
    return Texts(language(lang)).apology()


def only_text(lang: str | None = None) -> str:
    """The reply to a photo, sticker, voice note or file: only text is read (adapters)."""
    return Texts(language(lang)).text("only_text")


class Texts:
    """Every conversation text for one language (``en``, ``de``, ``es``, ``fr``, ``pt``)."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE) -> None:
        self.lang = language(lang)
        self._catalog = translations(self.lang)

    def _(self, key: str, **fields: object) -> str:
        return self._catalog.gettext(key).format(**fields)

    def text(self, key: str, **fields: object) -> str:
        """Catalog entry ``key`` filled with ``fields`` (English if the catalog lacks it).

        Raises:
            KeyError: no catalog has ``key``, or a field is missing.
        """
        return self._(key, **fields)

    def plural(self, key: str, count: int, **fields: object) -> str:
        """Plural message ``key`` for ``count`` (``ngettext``, the catalog's Plural-Forms).

        French says "1 réservation" and "0 réservation", English "0 bookings".
        ``count`` is passed to the template as ``{count}``.

        Raises:
            KeyError: no catalog has ``key``, or a field is missing.
        """
        return self._catalog.ngettext(key, key, count).format(count=count, **fields)

    # --- dates and times -------------------------------------------------------------------

    def day(self, moment: datetime, tz: str) -> str:
        """``Tue 1 Dec`` (``Di. 1 Dez.`` in German), the local date in ``tz``."""
        return format_date(moment.astimezone(ZoneInfo(tz)).date(), "EEE d MMM", locale=self.lang)

    @staticmethod
    def clock(moment: datetime, tz: str) -> str:
        """``09:30``, the local time in ``tz`` (24-hour in every catalog language)."""
        return f"{moment.astimezone(ZoneInfo(tz)):%H:%M}"

    def span(self, start: datetime, end: datetime, tz: str, other_tz: str | None = None) -> str:
        """``Tue 1 Dec, 10:00–10:30 (Europe/Berlin)``, plus the other zone where it differs.

        Args:
            start, end: aware datetimes.
            tz: the reader's IANA zone; ``other_tz`` the other party's.
        """
        text = f"{self.day(start, tz)}, {self.clock(start, tz)}–{self.clock(end, tz)} ({tz})"
        if other_tz and other_tz != tz and (
            start.astimezone(ZoneInfo(other_tz)).utcoffset()
            != start.astimezone(ZoneInfo(tz)).utcoffset()
        ):
            text += f" = {self.day(start, other_tz)}, {self.clock(start, other_tz)}–" \
                    f"{self.clock(end, other_tz)} ({other_tz})"
        return text

    def moment(self, moment: datetime, tz: str) -> dict[str, str]:
        return {"day": self.day(moment, tz), "time": self.clock(moment, tz)}

    def slot_label(self, slot: Slot, tz: str) -> str:
        """A short button label: ``Tue 1 Dec 10:00``."""
        return f"{self.day(slot.start, tz)} {self.clock(slot.start, tz)}"

    def booking_label(self, view: BookingView, tz: str) -> str:
        b = view.booking
        return f"#{b.id} {view.event_type.title} – {self.slot_label(Slot(b.start, b.end, 1), tz)}"

    def _booking(self, view: BookingView, tz: str) -> dict[str, object]:
        b = view.booking
        return {"id": b.id, "title": view.event_type.title, "host": view.host.name,
                "when": self.span(b.start, b.end, tz, view.host.timezone)}

    # --- messages ------------------------------------------------------------------------

    def help(self, hosts: Sequence[Host | HostEntry]) -> str:
        return self._("help", names=", ".join(h.name for h in hosts) or self._("nobody"))

    def greeting(self, host: Host) -> str:
        kinds = ", ".join(self._("kind", title=e.title, minutes=e.duration)
                          for e in host.listed_event_types)
        return self._("greeting", host=host.name, kinds=kinds)

    def kind(self, title: str, minutes: int) -> str:
        return self._("kind", title=title, minutes=minutes)

    def timezone_note(self, tz: str, host: Host) -> str:
        return self._("timezone_note", tz=tz, host=host.name)

    def timezone_set(self, tz: str) -> str:
        return self._("timezone_set", tz=tz)

    def timezone_unknown(self, name: str) -> str:
        return self._("timezone_unknown", name=name)

    # --- zones written in a message (nlp.BookingRequest.zone / own_zone) -------------------

    def place(self, zone: str) -> str:
        """A zone's city in the catalog language ("Chicago", "Wien"); ``UTC+05:30`` as is."""
        if zone.startswith("UTC"):
            return zone
        return get_timezone_location(zone, locale=self.lang, return_city=True)

    def zone_both(self, moment: datetime, written: str, tz: str) -> str:
        """``16:30 Chicago = 23:30 Berlin``: a time in the zone the guest wrote and in ``tz``.

        Args:
            moment: aware datetime.
            written: ``BookingRequest.zone.name`` (IANA id or ``UTC±HH:MM``).
            tz: the reader's IANA zone.
        """
        there = moment.astimezone(zone_info(written))
        here = moment.astimezone(ZoneInfo(tz))
        written_day = reader_day = ""
        if there.date() != here.date():  # "Thu 19 Nov 23:30 Sydney = Thu 19 Nov 13:30 Berlin"
            written_day = format_date(there.date(), "EEE d MMM ", locale=self.lang)
            reader_day = format_date(here.date(), "EEE d MMM ", locale=self.lang)
        return self._("zone_both", written=f"{written_day}{there:%H:%M} {self.place(written)}",
                      reader=f"{reader_day}{here:%H:%M} {self.place(tz)}")

    def zone_regional(self, abbr: str, zone: str, moment: datetime) -> str:
        """The note for an abbreviation read as a region ("EST" → New York time)."""
        offset = moment.astimezone(zone_info(zone)).strftime("UTC%z")
        return self._("zone_regional", abbr=abbr.upper(), place=self.place(zone),
                      offset=f"{offset[:-2]}:{offset[-2:]}")

    def zone_ambiguous(self, abbr: str, choices: Sequence[str]) -> str:
        """The question for an ambiguous abbreviation ("IST": India, Ireland or Israel?)."""
        return self._("zone_ambiguous", abbr=abbr.upper(),
                      choices=", ".join(f"{self.place(z)} ({z})" for z in choices))

    def own_zone_set(self, zone: str) -> str:
        return self._("own_zone_set", place=self.place(zone), tz=zone)

    def thanks_reply(self) -> str:
        return self._("thanks_reply")

    def hello_reply(self) -> str:
        return self._("hello_reply")

    def restart_done(self) -> str:
        return self._("restart_done")

    def too_long(self) -> str:
        return self._("too_long", limit=MAX_MESSAGE_CHARS)

    def choose_host(self) -> str:
        return self._("choose_host")

    def choose_event_type(self, host: Host, minutes: int | None) -> str:
        if minutes:
            return self._("no_such_duration", host=host.name, minutes=minutes)
        return self._("choose_event_type", host=host.name)

    def length_not_offered(self, event_type: EventType, asked: int, nearest: int) -> str:
        """A stated length the event type lacks: said, with the nearest it offers (minutes)."""
        lengths = ", ".join(str(d) for d in sorted(event_type.durations))
        return self._("length_not_offered", title=event_type.title, asked=asked,
                      lengths=lengths, nearest=nearest)

    def propose_booking(self, host: Host, title: str, slot: Slot, tz: str) -> str:
        when = self.span(slot.start, slot.end, tz, host.timezone)
        return self._("propose_booking", title=title, host=host.name, when=when)

    def slots_offer(self, host: Host, slots: Sequence[Slot], tz: str, *, asked: bool) -> str:
        key = "slots_asked" if asked else "slots_next"
        return self._(key, host=host.name, tz=tz, day=self.day(slots[0].start, tz))

    def team_offer(self, tz: str) -> str:
        return self._("team_offer", tz=tz)

    def nobody_free(self) -> str:
        return self._("nobody_free")

    def nothing_free(self, host: Host) -> str:
        return self._("nothing_free", host=host.name)

    def nothing_free_next(self, host: Host) -> str:
        return self._("nothing_free_next", host=host.name)

    def unavailable(self, start: datetime, tz: str, reason: str) -> str:
        return self._("unavailable", reason=reason, **self.moment(start, tz))

    def reason_too_soon(self, earliest: datetime, tz: str) -> str:
        return self._("reason_too_soon", **self.moment(earliest, tz))

    def reason_too_far(self, latest: datetime, tz: str) -> str:
        return self._("reason_too_far", day=self.day(latest, tz))

    def reason_taken(self) -> str:
        return self._("reason_taken")

    def just_taken(self) -> str:
        return self._("just_taken")

    def booked(self, view: BookingView, tz: str) -> str:
        key = "requested" if view.booking.status.value == "pending" else "booked"
        return self._(key, **self._booking(view, tz))

    def money(self, amount: int, currency: str) -> str:
        """``50,00 €`` in German: an amount in minor units, formatted by Babel for the language."""
        return format_amount(amount, currency, self.lang)

    def price_note(self, event_type: EventType) -> str:
        """`` Price: 50,00 €, paid when booking.`` after a proposal; "" when free."""
        if not event_type.paid:
            return ""
        return self._("price_note", amount=self.money(event_type.price or 0,
                                                      event_type.currency or ""))

    def pay(self, view: BookingView, url: str | None, tz: str) -> str:
        """The reply to "yes" for a paid booking: held until when, how much, where to pay."""
        b, et = view.booking, view.event_type
        fields = {**self._booking(view, tz), "amount": self.money(et.price or 0, et.currency or ""),
                  "until": self.clock(b.hold_until or b.start, tz), "url": url}
        return self._("pay_link" if url else "pay_pending", **fields)

    def refund_note(self, host: str, refunds: Sequence[Refund], paid: bool) -> str:
        """What a guest's cancel does to their money: refunded (by the provider or by
        hand), or kept under the policy; "" for a booking that was not paid."""
        if not refunds:
            return self._("no_refund") if paid else ""
        amount = self.money(sum(r.amount for r in refunds), refunds[0].currency)
        manual = all(r.status.value == "manual" for r in refunds)
        return self._("refund_by_hand" if manual else "refund_coming", amount=amount, host=host)

    def not_booked(self) -> str:
        return self._("not_booked")

    def offer_expired(self) -> str:
        return self._("offer_expired")

    def already_done(self) -> str:
        """The answer to a second copy of a "yes" that was just carried out."""
        return self._("already_done")

    def which_one(self) -> str:
        """A "yes" to a list of choices: which of them?"""
        return self._("which_one")

    def already_booked(self, booking_id: int | None) -> str:
        """The guest asked for a seat of a slot they hold already."""
        return self._("already_booked", booking_id=booking_id)

    def no_bookings(self) -> str:
        return self._("no_bookings")

    def your_bookings(self, views: Sequence[BookingView], tz: str) -> str:
        lines = [self._("your_bookings")]
        notes = {"pending": "awaiting", "awaiting_payment": "awaiting_payment_note"}
        for view in views:
            note = notes.get(view.booking.status.value)
            lines.append(self._("booking_line", **self._booking(view, tz))
                         + (self._(note) if note else ""))
        return "\n".join(lines)

    def choose_booking(self, action: str) -> str:
        return self._("choose_cancel" if action == "cancel" else "choose_move")

    def confirm_cancel(self, view: BookingView, tz: str) -> str:
        return self._("confirm_cancel", **self._booking(view, tz))

    def cancelled(self, view: BookingView, refund: str = "") -> str:
        """``refund``: :meth:`refund_note`, appended."""
        return self._("cancelled", id=view.booking.id, host=view.host.name) + refund

    def kept(self) -> str:
        return self._("kept")

    def ask_new_time(self, view: BookingView, tz: str) -> str:
        return self._("ask_new_time", id=view.booking.id, **self.moment(view.booking.start, tz))

    def confirm_reschedule(self, view: BookingView, slot: Slot, tz: str) -> str:
        fields = {**self._booking(view, tz), **self.moment(view.booking.start, tz),
                  "when": self.span(slot.start, slot.end, tz, view.host.timezone)}
        return self._("confirm_reschedule", **fields)

    def rescheduled(self, view: BookingView, tz: str) -> str:
        return self._("rescheduled", old_id=view.booking.rescheduled_from_id,
                      **self._booking(view, tz))

    def nothing_booked_on(self, day: datetime, tz: str) -> str:
        """The guest named a day (aware ``day``) on which they have no booking."""
        return self._("nothing_booked_on", day=self.day(day, tz))

    def booking_gone(self, booking_id: object) -> str:
        return self._("booking_gone", id=booking_id)

    def too_late_to_change(self, booking_id: object, cutoff: datetime, host: Host,
                           tz: str) -> str:
        """A guest's change refused: the host's cancel notice ended at ``cutoff`` (aware)."""
        return self._("too_late_to_change", id=booking_id, host=host.name,
                      **self.moment(cutoff, tz))

    def guest_limit(self, limit: int, host: Host) -> str:
        return self._("guest_limit", limit=limit, host=host.name)

    # --- recurring series --------------------------------------------------------------

    def propose_series(self, host: Host, title: str, starts: Sequence[datetime],
                       minutes: int, tz: str, *, default_count: bool) -> str:
        """Every date of a proposed series, then "Book all N?".

        Args:
            starts: aware datetimes, the occurrences in time order.
            minutes: each meeting's length.
            tz: the reader's zone; the host's zone is shown beside it where it differs.
            default_count: the guest said no end, so the count is our default (said so).
        """
        length = timedelta(minutes=minutes)
        lines = [self._("series_propose", title=title, host=host.name, count=len(starts))]
        lines += [self._("series_line", when=self.span(s, s + length, tz, host.timezone))
                  for s in starts]
        if default_count:
            lines.append(self._("series_default", count=len(starts)))
        lines.append(self._("series_ask", count=len(starts)))
        return "\n".join(lines)

    def series_booked(self, views: Sequence[BookingView], tz: str) -> str:
        """The series is booked (or requested, when the host confirms bookings)."""
        first, last = views[0], views[-1]
        pending = first.booking.status.value == "pending"
        return self._("series_requested" if pending else "series_booked", count=len(views),
                      title=first.event_type.title, host=first.host.name,
                      first=self.slot_label(Slot(first.booking.start, first.booking.end, 1), tz),
                      last=self.slot_label(Slot(last.booking.start, last.booking.end, 1), tz),
                      ids=", ".join(f"#{v.booking.id}" for v in views))

    def series_clash(self, clashes: Sequence[SlotUnavailable], total: int, tz: str) -> str:
        """Which dates of a series are not free, each with its nearest free time."""
        lines = [self._("series_clash", count=len(clashes), total=total)]
        for clash in clashes:
            moment = self.moment(clash.start, tz)
            if clash.alternatives:
                lines.append(self._("series_clash_line", **moment,
                                    alternative=self.slot_label(clash.alternatives[0], tz)))
            else:
                lines.append(self._("series_clash_none", **moment))
        lines.append(self._("series_retry"))
        return "\n".join(lines)

    def series_invalid(self, limit: int) -> str:
        return self._("series_invalid", limit=limit)

    def ask_cancel_scope(self, view: BookingView, tz: str) -> str:
        """The booking is an occurrence of a series: only it, or it and the following?"""
        return self._("series_ask_scope", **self._booking(view, tz))

    def confirm_cancel_series(self, bookings: Sequence[Booking], host: Host, tz: str) -> str:
        """"Cancel the whole series?": ``bookings``, what is left of it, by start."""
        days = ", ".join(self.slot_label(Slot(b.start, b.end, 1), tz) for b in bookings)
        return self._("confirm_cancel_series", count=len(bookings), days=days, host=host.name)

    def series_cancelled(self, cancelled: Sequence[Booking], host: Host, tz: str) -> str:
        """``cancelled``: the cancelled occurrences, by start."""
        days = ", ".join(self.slot_label(Slot(b.start, b.end, 1), tz) for b in cancelled)
        return self._("series_cancelled", count=len(cancelled), days=days, host=host.name)

    def not_understood(self, hosts: Sequence[Host | HostEntry]) -> str:
        return f"{self._('not_understood')} {self.help(hosts)}"

    def apology(self) -> str:
        return self._("apology")

    def slow_down(self) -> str:
        """The one reply a guest gets when over the per-guest rate limit."""
        return self._("slow_down")

    def button(self, key: str) -> str:
        """Button labels: ``yes_book``, ``yes_book_all``, ``yes_cancel``,
        ``yes_cancel_all``, ``yes_move``, ``no``, ``keep``, ``scope_one``,
        ``scope_following``."""
        return self._(key)
