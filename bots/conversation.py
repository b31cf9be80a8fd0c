"""The platform-neutral guest dialog: IncomingMessage → list of Reply.

Shaped like python-telegram-bot's ConversationHandler — a state enum, step
functions that return the next state, fallbacks (help, cancel), a timeout —
but the state lives in the database (``conversation_states``), keyed by
platform + chat + user, so any process can take the next message and a
restart loses nothing.

Every change goes through :mod:`core.services`; nothing is booked, cancelled
or moved without an explicit "yes" from the guest.
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import nlp
from bots import host_commands, texts
from bots.messages import Choice, IncomingMessage, Reply
from bots.texts import Texts
from core import series, services, team
from core.errors import (
    BookingNotFound,
    BookingNotLive,
    CalendarUnavailable,
    GuestLimitReached,
    OutsideBookingWindow,
    SeriesClash,
    SlotbotError,
    SlotUnavailable,
    TooLateToChange,
    TooSoon,
)
from core.models import ConversationState, EventType, Guest, Host, Slot
from core.ports import Clock, UnitOfWorkFactory
from core.recurrence import MAX_OCCURRENCES, InvalidRecurrence, occurrences
from core.services import Actor, BookingView
from nlp import BookingRequest, Intent
from nlp.recurrence import DEFAULT_COUNT

log = logging.getLogger(__name__)

SLOTS_SHOWN = 6
SEARCH_DAYS = 14
_TIMEZONE = re.compile(r"^\s*(?:my\s+)?(?:time\s*zone|tz)\s*(?:is|:|=)?\s*(\S+)\s*$", re.I)


class State(enum.StrEnum):
    IDLE = "idle"
    CHOOSING_HOST = "choosing_host"
    CHOOSING_EVENT_TYPE = "choosing_event_type"
    CHOOSING_SLOT = "choosing_slot"
    CONFIRMING_BOOKING = "confirming_booking"
    CHOOSING_BOOKING = "choosing_booking"
    CONFIRMING_CANCEL = "confirming_cancel"
    ASKING_NEW_TIME = "asking_new_time"
    CONFIRMING_RESCHEDULE = "confirming_reschedule"
    CONFIRMING_SERIES = "confirming_series"
    ASKING_SERIES_TIME = "asking_series_time"
    CHOOSING_SCOPE = "choosing_scope"


@dataclass
class Turn:
    """One message being handled: who, where the dialog stands, what we say back."""

    message: IncomingMessage
    guest: Guest
    hosts: list[Host]
    now: datetime
    state: State
    data: dict[str, Any]
    first_contact: bool = False
    replies: list[Reply] = field(default_factory=list)

    @property
    def host(self) -> Host | None:
        handle = self.data.get("host")
        if handle is None and len(self.hosts) == 1:
            return self.hosts[0]
        return next((h for h in self.hosts if h.handle == handle), None)

    @property
    def tz(self) -> str:
        """The reader's zone: the guest's if known, else the host's (said in a note)."""
        if self.guest.timezone:
            return self.guest.timezone
        host = self.host or (self.hosts[0] if self.hosts else None)
        return host.timezone if host else "UTC"

    @property
    def t(self) -> Texts:
        """Texts in the guest's language (from the platform, remembered on the guest)."""
        return Texts(texts.language(self.guest.locale or self.message.locale))

    def say(self, text: str, choices: Sequence[Choice] = ()) -> None:
        self.replies.append(Reply(text, tuple(choices)))
        self.data["choices"] = [[c.label, c.payload] for c in choices]


class Conversation:
    """The guest dialog. ``handle`` never raises: failures become an apology."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, *,
                 timeout: timedelta = timedelta(minutes=30)) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.timeout = timeout

    def handle(self, message: IncomingMessage) -> list[Reply]:
        """Answer one message.

        Returns:
            At least one reply, always (an apology if something broke).
        """
        try:
            return self._handle(message)
        except CalendarUnavailable as exc:  # no time is offered that could not be checked
            lang = texts.language(message.locale)
            return [Reply(Texts(lang).text("calendar_unavailable", host=exc.host_name))]
        except Exception:
            log.exception("conversation failed for %s:%s", message.platform, message.user_id)
            return [Reply(texts.apology(message.locale))]

    def _handle(self, message: IncomingMessage) -> list[Reply]:
        text = message.text.strip()
        if len(text) > texts.MAX_MESSAGE_CHARS:
            return [Reply(Texts(texts.language(message.locale)).too_long())]
        if text.startswith("/slotbot"):
            return [Reply(self._host_command(message, text))]
        guest = services.ensure_guest(
            message.platform, message.user_id, uow=self.uow_factory(),
            name=message.display_name, chat_id=message.chat_id,
            timezone=message.timezone, locale=message.locale,
        )
        turn = self._load(message, guest)
        self._step(turn, text)
        if not guest.timezone and message.platform != "slack" and not turn.data.get("tz_told") \
                and turn.host and turn.replies:
            turn.replies.insert(0, Reply(turn.t.timezone_note(turn.tz, turn.host)))
            turn.data["tz_told"] = True
        self._save(turn)
        return turn.replies or [Reply(turn.t.not_understood(turn.hosts))]

    # --- state storage -------------------------------------------------------------------

    def _load(self, message: IncomingMessage, guest: Guest) -> Turn:
        now = self.clock()
        with self.uow_factory() as uow:
            hosts = uow.hosts.list()
            stored = uow.conversations.get(message.platform, message.chat_id, message.user_id)
        state, data = State.IDLE, {}
        if stored is not None:
            data = dict(stored.data)
            state = State(stored.state)
            if stored.updated_at and now - stored.updated_at > self.timeout:
                state = State.IDLE
                data = {k: data[k] for k in ("host", "tz_told") if k in data}
        return Turn(message, guest, hosts, now, state, data, first_contact=stored is None)

    def _save(self, turn: Turn) -> None:
        m = turn.message
        with self.uow_factory() as uow:
            stored = uow.conversations.get(m.platform, m.chat_id, m.user_id)
            if stored is None:
                stored = ConversationState(m.platform, m.chat_id, m.user_id, turn.state.value)
                uow.conversations.add(stored)
            stored.state = turn.state.value
            stored.data = turn.data
            stored.updated_at = turn.now
            uow.commit()

    # --- routing -------------------------------------------------------------------------

    def _host_command(self, message: IncomingMessage, text: str) -> str:
        with self.uow_factory() as uow:
            host = uow.hosts.by_platform_user(message.platform, message.user_id)
        if host is None:
            return host_commands.refusal()
        return host_commands.run(host, text, uow_factory=self.uow_factory, clock=self.clock)

    def _step(self, turn: Turn, text: str) -> None:
        payload = turn.message.payload or self._typed_choice(turn, text)
        if payload:
            turn.state = self._on_payload(turn, payload)
            return
        if text.lower().startswith("/start"):
            turn.state = self._start(turn, text[len("/start"):].strip())
            return
        zone = _TIMEZONE.match(text)
        if zone:
            turn.state = self._set_timezone(turn, zone[1])
            return
        request = self._parse(turn, text)
        turn.state = self._on_request(turn, request)

    def _typed_choice(self, turn: Turn, text: str) -> str | None:
        """A typed "2" or a button's label counts as pressing that button."""
        choices = turn.data.get("choices") or []
        lowered = text.lower()
        if lowered.isdigit() and 1 <= int(lowered) <= len(choices):
            return str(choices[int(lowered) - 1][1])
        return next((str(p) for label, p in choices if str(label).lower() == lowered), None)

    def _parse(self, turn: Turn, text: str) -> BookingRequest:
        """Parse in the guest's zone (or the named host's, while the guest's is unknown)."""
        context = turn.data.get("slot_start")
        known = {
            "hosts": [w for h in turn.hosts
                      for w in (h.handle, h.name.lower(), h.name.split()[0].lower())],
            "event_types": [w for h in turn.hosts for e in h.event_types
                            for w in (e.slug, e.title.lower())],
            "lang": turn.t.lang,
            "context": datetime.fromisoformat(context) if context else None,
        }
        request = nlp.parse(text, now=turn.now, tz=turn.tz, **known)
        host = self._match_host(turn, request.host)
        if host and not turn.guest.timezone and host.timezone != turn.tz:
            turn.data["host"] = host.handle  # times the guest wrote are in this host's zone
            request = nlp.parse(text, now=turn.now, tz=turn.tz, **known)
        return request

    def _on_payload(self, turn: Turn, payload: str) -> State:
        kind, _, value = payload.partition(":")
        if kind == "yes":
            return self._confirmed(turn)
        if kind == "no":
            return self._denied(turn)
        if kind == "host":
            turn.data["host"] = value
            return self._resume(turn)
        if kind == "et":
            turn.data["event_type"] = value
            return self._resume(turn)
        if kind == "slot":
            return self._slot_chosen(turn, datetime.fromisoformat(value))
        if kind == "pick":
            return self._picked(turn, value)
        if kind in ("cancel", "move") and value.isdigit():  # the buttons under a reminder
            action = "cancel" if kind == "cancel" else "reschedule"
            turn.data.update(action=action, booking_id=int(value), request={})
            return self._booking_chosen(turn)
        if kind == "booking":
            turn.data["booking_id"] = int(value)
            return self._booking_chosen(turn)
        if kind == "scope" and turn.state is State.CHOOSING_SCOPE and value in ("one", "following"):
            return self._cancel_series(turn, value)
        turn.say(turn.t.offer_expired())
        return State.IDLE

    def _on_request(self, turn: Turn, request: BookingRequest) -> State:
        intent = request.intent
        if request.choice and turn.data.get("choices"):
            choices = turn.data["choices"]
            if request.choice <= len(choices):
                return self._on_payload(turn, str(choices[request.choice - 1][1]))
        if intent is Intent.CONFIRM:
            return self._confirmed(turn)
        if intent is Intent.DENY and request.start is None:
            return self._denied(turn)
        if intent is Intent.HELP:
            turn.say(turn.t.help(turn.hosts))
            return State.IDLE
        if intent is Intent.LIST:
            return self._list(turn)
        if intent is Intent.CANCEL:
            turn.data.update(action="cancel", request=_request_data(request))
            return self._pick_booking(turn, request)
        if turn.state in (State.CONFIRMING_SERIES, State.ASKING_SERIES_TIME) \
                and request.start is not None and request.recurrence is None:
            # "no, 11am" / "Wednesdays at 3pm instead": the same series at another time
            request = replace(request, recurrence=turn.data.get("series"))
        rescheduling = turn.data.get("action") == "reschedule" and turn.state in (
            State.ASKING_NEW_TIME, State.CHOOSING_SLOT, State.CONFIRMING_RESCHEDULE)
        if intent is Intent.RESCHEDULE or (rescheduling and request.start is not None):
            turn.data.update(action="reschedule", request=_request_data(request))
            if rescheduling and turn.data.get("booking_id"):
                return self._booking_chosen(turn)
            return self._pick_booking(turn, request)
        if intent in (Intent.BOOK, Intent.AVAILABILITY) or request.start is not None:
            # Slot filling: "Ana" after "anything tomorrow before 10?" keeps the window.
            previous = turn.data.get("request", {}) if turn.data.get("action") == "book" else {}
            filled = _request_data(request)
            if filled["start"] is None:
                filled.update(start=previous.get("start"), end=previous.get("end"))
            filled["duration"] = filled["duration"] or previous.get("duration")
            turn.data.update(action="book", request=filled)
            host = self._match_host(turn, request.host)
            if host:
                turn.data["host"] = host.handle
            if request.event_type:
                turn.data["event_type"] = request.event_type
            return self._plan_booking(turn)
        if turn.first_contact:  # "hello": introduce ourselves rather than apologise
            turn.say(turn.t.help(turn.hosts))
            return State.IDLE
        turn.say(turn.t.not_understood(turn.hosts))
        return State.IDLE

    def _resume(self, turn: Turn) -> State:
        """Carry on with the request that was waiting for a host or event type."""
        if turn.data.get("action") == "book" and "request" in turn.data:
            return self._plan_booking(turn)
        turn.say(turn.t.offer_expired())
        return State.IDLE

    # --- start, timezone, list -------------------------------------------------------------

    def _start(self, turn: Turn, handle: str) -> State:
        host = self._match_host(turn, handle.lower()) if handle else turn.host
        if host is None:
            turn.say(turn.t.help(turn.hosts))
            return State.IDLE
        turn.data = {"host": host.handle, "tz_told": turn.data.get("tz_told", False),
                     "action": "book", "request": {}}
        turn.say(turn.t.greeting(host), [Choice(turn.t.kind(e.title, e.duration), f"et:{e.slug}")
                                         for e in host.event_types])
        return State.CHOOSING_EVENT_TYPE

    def _set_timezone(self, turn: Turn, name: str) -> State:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            turn.say(turn.t.timezone_unknown(name))
            return turn.state
        turn.guest = services.ensure_guest(
            turn.guest.platform, turn.guest.platform_user_id, uow=self.uow_factory(),
            timezone=name,
        )
        turn.data["tz_told"] = True
        turn.say(turn.t.timezone_set(name))
        return State.IDLE

    def _list(self, turn: Turn) -> State:
        views = services.guest_bookings(turn.guest.id or 0, uow=self.uow_factory(),
                                        clock=self.clock)
        turn.say(turn.t.your_bookings(views, turn.tz) if views else turn.t.no_bookings())
        return State.IDLE

    # --- booking ---------------------------------------------------------------------------

    def _plan_booking(self, turn: Turn) -> State:
        host = turn.host
        request = turn.data.get("request", {})
        if host is None and request.get("end") and len(turn.hosts) > 1:
            return self._offer_team(turn, request)
        if host is None:
            turn.say(turn.t.choose_host(),
                     [Choice(h.name, f"host:{h.handle}") for h in turn.hosts])
            return State.CHOOSING_HOST
        event_type = self._event_type(host, turn.data.get("event_type"), request.get("duration"))
        if event_type is None:
            turn.say(turn.t.choose_event_type(host, request.get("duration")),
                     [Choice(turn.t.kind(e.title, e.duration), f"et:{e.slug}")
                      for e in host.event_types])
            return State.CHOOSING_EVENT_TYPE
        turn.data["event_type"] = event_type.slug
        minutes = request.get("duration")
        turn.data["minutes"] = minutes if minutes in event_type.durations else None
        start, end = _instant(request.get("start")), _instant(request.get("end"))
        if start is not None and end is None:
            return self._propose(turn, host, event_type, start)
        asked = start is not None
        start = max(start or turn.now, turn.now)
        end = end or start + timedelta(days=SEARCH_DAYS)
        slots = services.free_slots(host.handle, event_type.slug, start, end,
                                    uow=self.uow_factory(), clock=self.clock,
                                    duration=turn.data["minutes"])
        if slots:
            return self._offer(turn, host, slots, turn.t.slots_offer(host, slots, turn.tz,
                                                                     asked=asked))
        later = services.free_slots(host.handle, event_type.slug, end,
                                    end + timedelta(days=SEARCH_DAYS),
                                    uow=self.uow_factory(), clock=self.clock,
                                    duration=turn.data["minutes"])
        if not later:
            turn.say(turn.t.nothing_free(host))
            return State.IDLE
        return self._offer(turn, host, later, turn.t.nothing_free_next(host))

    def _offer_team(self, turn: Turn, request: dict[str, Any]) -> State:
        """No host named and a window given: the first hosts free in it ("anyone free …?")."""
        start = max(_instant(request["start"]) or turn.now, turn.now)
        end = _instant(request["end"]) or start
        found = team.find_free(start, end, uow=self.uow_factory(), clock=self.clock,
                               minutes=request.get("duration"), limit=SLOTS_SHOWN)
        if not found:
            turn.say(turn.t.nobody_free(), [Choice(h.name, f"host:{h.handle}")
                                            for h in turn.hosts])
            return State.CHOOSING_HOST
        turn.say(turn.t.team_offer(turn.tz), [
            Choice(f"{f.host.name} · {turn.t.slot_label(f.slot, turn.tz)}",
                   f"pick:{f.event_type.id}/{int(f.slot.start.timestamp())}")
            for f in found])
        return State.CHOOSING_SLOT

    def _picked(self, turn: Turn, value: str) -> State:
        """A cross-host choice: ``<event type id>/<start as Unix seconds>``."""
        type_id, _, seconds = value.partition("/")
        for host in turn.hosts:
            for event_type in host.event_types:
                if str(event_type.id) == type_id and seconds.isdigit():
                    turn.data.update(host=host.handle, event_type=event_type.slug)
                    start = datetime.fromtimestamp(int(seconds), UTC)
                    return self._propose(turn, host, event_type, start)
        turn.say(turn.t.offer_expired())
        return State.IDLE

    def _event_type(self, host: Host, mention: str | None,
                    duration: int | None) -> EventType | None:
        if mention:
            found = next((e for e in host.event_types
                          if mention.lower() in (e.slug, e.title.lower())), None)
            if found:
                return found
        if duration:
            matching = [e for e in host.event_types if duration in e.durations]
            return matching[0] if len(matching) == 1 else None
        return host.event_types[0] if len(host.event_types) == 1 else None

    def _propose(self, turn: Turn, host: Host, event_type: EventType, start: datetime) -> State:
        rule = turn.data.get("request", {}).get("recurrence")
        if turn.data.get("action") == "book" and rule:
            return self._propose_series(turn, host, event_type, start, rule)
        try:
            slot = services.check_slot(host.handle, event_type.slug, start,
                                       uow=self.uow_factory(), clock=self.clock,
                                       duration=turn.data.get("minutes"))
        except SlotUnavailable as exc:
            return self._offer(turn, host, exc.alternatives,
                               turn.t.unavailable(start, turn.tz, _reason(exc, turn.tz, turn.t)))
        turn.data["slot_start"] = slot.start.isoformat()
        turn.say(turn.t.propose_booking(host, event_type.title, slot, turn.tz),
                 _yes_no(turn, "yes_book", "no"))
        return State.CONFIRMING_BOOKING

    def _offer(self, turn: Turn, host: Host, slots: Sequence[Slot], text: str) -> State:
        if not slots:
            turn.say(text.rstrip(":") + ". " + turn.t.nothing_free(host))
            return State.IDLE
        shown = list(slots)[:SLOTS_SHOWN]
        turn.say(text, [Choice(turn.t.slot_label(s, turn.tz), f"slot:{s.start.isoformat()}")
                        for s in shown])
        return State.CHOOSING_SLOT

    def _slot_chosen(self, turn: Turn, start: datetime) -> State:
        if turn.data.get("action") == "reschedule" and turn.data.get("booking_id"):
            return self._propose_move(turn, start)
        host, slug = turn.host, turn.data.get("event_type")
        if host is None or slug is None or host.event_type(slug) is None:
            turn.say(turn.t.offer_expired())
            return State.IDLE
        return self._propose(turn, host, host.event_type(slug), start)  # type: ignore[arg-type]

    def _confirmed(self, turn: Turn) -> State:
        if turn.state is State.CONFIRMING_BOOKING:
            return self._book(turn)
        if turn.state is State.CONFIRMING_SERIES:
            return self._book_series(turn)
        if turn.state is State.CHOOSING_SCOPE:
            return self._booking_chosen(turn)  # "yes" does not say which: ask again
        if turn.state is State.CONFIRMING_CANCEL:
            return self._cancel(turn)
        if turn.state is State.CONFIRMING_RESCHEDULE:
            return self._move(turn)
        turn.say(turn.t.offer_expired())
        return State.IDLE

    def _denied(self, turn: Turn) -> State:
        if turn.state in (State.CONFIRMING_CANCEL, State.CONFIRMING_RESCHEDULE,
                          State.CHOOSING_SCOPE):
            turn.say(turn.t.kept())
        else:
            turn.say(turn.t.not_booked())
        _forget(turn)
        return State.IDLE

    def _book(self, turn: Turn) -> State:
        host, start = turn.host, _instant(turn.data.get("slot_start"))
        slug = turn.data.get("event_type")
        if host is None or start is None or slug is None:
            turn.say(turn.t.offer_expired())
            return State.IDLE
        try:
            view = services.book(host.handle, slug, start, guest_id=turn.guest.id or 0,
                                 uow=self.uow_factory(), clock=self.clock,
                                 duration=turn.data.get("minutes"))
        except SlotUnavailable as exc:
            return self._offer(turn, host, exc.alternatives, turn.t.just_taken())
        except GuestLimitReached as exc:
            turn.say(turn.t.guest_limit(exc.limit, host))
            _forget(turn)
            return State.IDLE
        turn.say(turn.t.booked(view, turn.tz))
        _forget(turn)
        return State.IDLE

    # --- recurring series ------------------------------------------------------------------

    def _propose_series(self, turn: Turn, host: Host, event_type: EventType, start: datetime,
                        rule: str) -> State:
        """List every date of the series from ``start`` and ask "Book all N?"."""
        try:
            starts = occurrences(rule, start, host.timezone)
        except InvalidRecurrence:
            turn.say(turn.t.series_invalid(MAX_OCCURRENCES))
            _forget(turn)
            return State.IDLE
        minutes = turn.data.get("minutes") or event_type.duration
        turn.data.update(slot_start=starts[0].isoformat(), series=rule)
        default = f"COUNT={DEFAULT_COUNT}" in rule.upper().split(";")
        turn.say(turn.t.propose_series(host, event_type.title, starts, minutes, turn.tz,
                                       default_count=default),
                 _yes_no(turn, "yes_book_all", "no"))
        return State.CONFIRMING_SERIES

    def _book_series(self, turn: Turn) -> State:
        host, start = turn.host, _instant(turn.data.get("slot_start"))
        slug, rule = turn.data.get("event_type"), turn.data.get("series")
        if host is None or start is None or slug is None or not rule:
            turn.say(turn.t.offer_expired())
            return State.IDLE
        try:
            booked = series.book_series(host.handle, slug, start, rule,
                                        guest_id=turn.guest.id or 0, uow=self.uow_factory(),
                                        clock=self.clock, duration=turn.data.get("minutes"))
        except SeriesClash as exc:
            total = len(occurrences(rule, start, host.timezone))
            turn.say(turn.t.series_clash(exc.clashes, total, turn.tz))
            return State.ASKING_SERIES_TIME
        except GuestLimitReached as exc:
            turn.say(turn.t.guest_limit(exc.limit, host))
        except InvalidRecurrence:
            turn.say(turn.t.series_invalid(MAX_OCCURRENCES))
        else:
            turn.say(turn.t.series_booked(booked.occurrences, turn.tz))
        _forget(turn)
        return State.IDLE

    def _cancel_series(self, turn: Turn, scope: str) -> State:
        """Cancel the chosen occurrence only (``one``) or it and the rest (``following``)."""
        view = self._own_booking(turn)
        if view is None:
            turn.say(turn.t.booking_gone(turn.data.get("booking_id")))
            _forget(turn)
            return State.IDLE
        try:
            cancelled = series.cancel_series(
                view.booking.id or 0, "one" if scope == "one" else "following",
                actor=Actor("guest", turn.guest.id or 0), uow=self.uow_factory(),
                clock=self.clock)
        except (BookingNotFound, BookingNotLive):
            turn.say(turn.t.booking_gone(view.booking.id))
        except TooLateToChange as exc:
            self._too_late(turn, exc)
        else:
            turn.say(turn.t.series_cancelled(cancelled, view.host, turn.tz))
        _forget(turn)
        return State.IDLE

    # --- cancel and reschedule ----------------------------------------------------------------

    def _pick_booking(self, turn: Turn, request: BookingRequest) -> State:
        views = services.guest_bookings(turn.guest.id or 0, uow=self.uow_factory(),
                                        clock=self.clock)
        if not views:
            turn.say(turn.t.no_bookings())
            return State.IDLE
        if turn.data["action"] == "cancel" and request.start is not None:
            on_day = [v for v in views if _same_day(v.booking.start, request.start, turn.tz)]
            views = on_day or views
        if len(views) == 1:
            turn.data["booking_id"] = views[0].booking.id
            return self._booking_chosen(turn, views[0])
        verb = "cancel" if turn.data["action"] == "cancel" else "move"
        turn.say(turn.t.choose_booking(verb),
                 [Choice(turn.t.booking_label(v, turn.tz), f"booking:{v.booking.id}")
                  for v in views[:SLOTS_SHOWN]])
        return State.CHOOSING_BOOKING

    def _own_booking(self, turn: Turn) -> BookingView | None:
        booking_id = turn.data.get("booking_id")
        views = services.guest_bookings(turn.guest.id or 0, uow=self.uow_factory(),
                                        clock=self.clock)
        return next((v for v in views if v.booking.id == booking_id), None)

    def _booking_chosen(self, turn: Turn, view: BookingView | None = None) -> State:
        view = view or self._own_booking(turn)
        if view is None:
            turn.say(turn.t.booking_gone(turn.data.get("booking_id")))
            _forget(turn)
            return State.IDLE
        if turn.data.get("action") == "cancel" and view.booking.series_id is not None:
            turn.say(turn.t.ask_cancel_scope(view, turn.tz), [
                Choice(turn.t.button("scope_one"), "scope:one"),
                Choice(turn.t.button("scope_following"), "scope:following"),
                Choice(turn.t.button("keep"), "no")])
            return State.CHOOSING_SCOPE
        if turn.data.get("action") == "cancel":
            turn.say(turn.t.confirm_cancel(view, turn.tz),
                     _yes_no(turn, "yes_cancel", "keep"))
            return State.CONFIRMING_CANCEL
        request = turn.data.get("request", {})
        start, end = _instant(request.get("start")), _instant(request.get("end"))
        turn.data.update(host=view.host.handle, event_type=view.event_type.slug)
        if start is None:
            # A bare "3pm" in the answer means that time on the booking's own day.
            turn.data["slot_start"] = view.booking.start.isoformat()
            turn.say(turn.t.ask_new_time(view, turn.tz))
            return State.ASKING_NEW_TIME
        if end is None:
            return self._propose_move(turn, start, view)
        minutes = int(view.booking.duration.total_seconds() // 60)
        slots = [s for s in services.free_slots(
            view.host.handle, view.event_type.slug, max(start, turn.now), end,
            uow=self.uow_factory(), clock=self.clock, duration=minutes)]
        return self._offer(turn, view.host, slots,
                           turn.t.slots_offer(view.host, slots, turn.tz, asked=True))

    def _propose_move(self, turn: Turn, start: datetime, view: BookingView | None = None) -> State:
        view = view or self._own_booking(turn)
        if view is None:
            turn.say(turn.t.booking_gone(turn.data.get("booking_id")))
            return State.IDLE
        minutes = int(view.booking.duration.total_seconds() // 60)
        try:
            slot = services.check_slot(view.host.handle, view.event_type.slug, start,
                                       uow=self.uow_factory(), clock=self.clock,
                                       duration=minutes, ignore_booking_id=view.booking.id)
        except SlotUnavailable as exc:
            return self._offer(turn, view.host, exc.alternatives,
                               turn.t.unavailable(start, turn.tz, _reason(exc, turn.tz, turn.t)))
        turn.data["slot_start"] = slot.start.isoformat()
        turn.say(turn.t.confirm_reschedule(view, slot, turn.tz),
                 _yes_no(turn, "yes_move", "keep"))
        return State.CONFIRMING_RESCHEDULE

    def _cancel(self, turn: Turn) -> State:
        booking_id = turn.data.get("booking_id")
        try:
            view = services.cancel(int(booking_id or 0), actor=Actor("guest", turn.guest.id or 0),
                                   uow=self.uow_factory(), clock=self.clock)
        except (BookingNotFound, BookingNotLive):
            turn.say(turn.t.booking_gone(booking_id))
        except TooLateToChange as exc:
            self._too_late(turn, exc)
        else:
            turn.say(turn.t.cancelled(view))
        _forget(turn)
        return State.IDLE

    def _move(self, turn: Turn) -> State:
        booking_id, start = turn.data.get("booking_id"), _instant(turn.data.get("slot_start"))
        if booking_id is None or start is None:
            turn.say(turn.t.offer_expired())
            return State.IDLE
        try:
            view = services.reschedule(int(booking_id), start,
                                       actor=Actor("guest", turn.guest.id or 0),
                                       uow=self.uow_factory(), clock=self.clock)
        except SlotUnavailable as exc:
            host = turn.host
            if host is None:
                raise
            return self._offer(turn, host, exc.alternatives, turn.t.just_taken())
        except TooLateToChange as exc:
            self._too_late(turn, exc)
        except (BookingNotFound, BookingNotLive, SlotbotError):
            turn.say(turn.t.booking_gone(booking_id))
        else:
            turn.say(turn.t.rescheduled(view, turn.tz))
        _forget(turn)
        return State.IDLE

    def _too_late(self, turn: Turn, exc: TooLateToChange) -> None:
        view = self._own_booking(turn)  # still live: the change was refused
        if view is None:
            turn.say(turn.t.booking_gone(exc.booking_id))
        else:
            turn.say(turn.t.too_late_to_change(exc.booking_id, exc.cutoff, view.host, turn.tz))

    # --- lookups -------------------------------------------------------------------------

    def _match_host(self, turn: Turn, mention: str | None) -> Host | None:
        if not mention:
            return None
        mention = mention.lower()
        return next((h for h in turn.hosts
                     if mention in (h.handle, h.name.lower(), h.name.split()[0].lower())), None)


def _request_data(request: BookingRequest) -> dict[str, Any]:
    return {
        "start": request.start.isoformat() if request.start else None,
        "end": request.end.isoformat() if request.end else None,
        "duration": int(request.duration.total_seconds() // 60) if request.duration else None,
        "recurrence": request.recurrence,
    }


def _instant(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _same_day(a: datetime, b: datetime, tz: str) -> bool:
    zone = ZoneInfo(tz)
    return a.astimezone(zone).date() == b.astimezone(zone).date()


def _reason(exc: SlotUnavailable, tz: str, t: Texts) -> str:
    if isinstance(exc, TooSoon):
        return t.reason_too_soon(exc.earliest, tz)
    if isinstance(exc, OutsideBookingWindow):
        return t.reason_too_far(exc.latest, tz)
    return t.reason_taken()


def _yes_no(turn: Turn, yes: str, no: str) -> list[Choice]:
    """The two buttons of a confirmation question: ``yes`` and ``no`` payloads."""
    return [Choice(turn.t.button(yes), "yes"), Choice(turn.t.button(no), "no")]


def _forget(turn: Turn) -> None:
    """Drop the finished request; keep who the guest talks to."""
    for key in ("action", "request", "slot_start", "booking_id", "event_type", "minutes",
                "series"):
        turn.data.pop(key, None)
