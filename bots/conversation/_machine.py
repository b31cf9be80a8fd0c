"""The shared state machine: load the dialog, route the message to a flow's step, save.

Routing, in order (python-telegram-bot's ConversationHandler: entry points,
per-state handlers, fallbacks):

1. a button payload (or its label / number typed) → :data:`_PAYLOADS` by kind;
   ``yes`` goes to the step waiting in the current state (:data:`_ON_YES`);
2. ``/start [host]`` and ``my timezone is …`` → their fallbacks;
3. anything else is parsed (:func:`nlp.parse`) and routed by intent:
   confirm / deny / help / list / cancel / reschedule / book.

A dialog left alone for longer than ``timeout`` starts again from ``IDLE``
(keeping only who the guest talks to).

A turn is one transaction: lock the dialog's row, update the guest (only if
something changed), step, save, commit once. The services the steps call get
the turn's open unit of work and run as savepoints inside it (see
:class:`core.ports.UnitOfWork`), so a turn's effects — booking, outbox rows,
the new state — are committed together or not at all.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import nlp
from bots import texts
from bots.conversation import _booking, _changes, _series, _team
from bots.conversation._turn import (
    State,
    Step,
    Turn,
    expired,
    forget,
    instant,
    match_host,
    number,
    request_data,
)
from bots.host_commands import HostCommands
from bots.link_start import looks_like_link, start_payload
from bots.messages import Choice, IncomingMessage, KeepAnswer, Reply
from bots.texts import Texts
from core import services
from core.action_links import LinkProblem
from core.errors import CalendarUnavailable, ConnectionLost, GuestAddedMeanwhile
from core.models import ConversationState, Guest
from core.ports import Clock, PaymentGateways, UnitOfWork, UnitOfWorkFactory
from nlp import BookingRequest, Intent

log = logging.getLogger(__name__)

_TIMEZONE = re.compile(r"^\s*(?:my\s+)?(?:time\s*zone|tz)\s*(?:is|:|=)?\s*(\S+)\s*$", re.I)

#: How long after a "yes" was carried out the same message again counts as its copy.
DUPLICATE_WINDOW = timedelta(minutes=2)

#: What a dialog keeps when it starts again (timeout, "start over"): whom the guest
#: talks to, whether the zone note was shown, the language the guest writes in.
_KEPT = ("host", "tz_told", "lang")

#: What "yes" does in each state that asked a yes/no question.
_ON_YES: dict[State, Step] = {
    State.CONFIRMING_BOOKING: _booking.book,
    State.CONFIRMING_SERIES: _series.book,
    State.CHOOSING_SCOPE: _changes.booking_chosen,  # "yes" does not say which: ask again
    State.CONFIRMING_CANCEL: _changes.cancel,
    State.CONFIRMING_RESCHEDULE: _changes.move,
    State.CONFIRMING_SERIES_CANCEL: lambda turn: _series.cancel(turn, "following"),
}

#: States that show a list to choose from (a "yes" there asks which one).
_CHOOSING = frozenset({State.CHOOSING_HOST, State.CHOOSING_EVENT_TYPE, State.CHOOSING_SLOT,
                       State.CHOOSING_BOOKING})

#: States in which "no" keeps an existing booking (elsewhere it books nothing).
_KEEPING = frozenset({State.CONFIRMING_CANCEL, State.CONFIRMING_RESCHEDULE, State.CHOOSING_SCOPE,
                      State.CONFIRMING_SERIES_CANCEL})

#: While in these states, a new time is for the series being proposed.
_SERIES_STATES = frozenset({State.CONFIRMING_SERIES, State.ASKING_SERIES_TIME})

#: While in these states (and moving a booking), a new time is the booking's new time.
_MOVING_STATES = frozenset({State.ASKING_NEW_TIME, State.CHOOSING_SLOT,
                            State.CONFIRMING_RESCHEDULE})

#: States with a slot under discussion (``data["slot_start"]``): the proposed time, the
#: booking being moved, a series' first meeting. "An hour later" there moves that slot.
_DISCUSSING = frozenset({State.CONFIRMING_BOOKING, State.CONFIRMING_RESCHEDULE,
                         State.ASKING_NEW_TIME, State.CONFIRMING_SERIES,
                         State.ASKING_SERIES_TIME})


@dataclass(frozen=True)
class Answer:
    """The replies to one message and what the message was (the metrics' label).

    ``intent`` is the language layer's intent (``book``, ``availability``, …
    ``unknown``) when the text was parsed, ``button`` for a pressed (or typed)
    choice, ``host_command`` for a ``/slotbot`` command, ``start`` for ``/start``;
    ``unknown`` otherwise (a timezone statement, a failed turn).
    """

    replies: list[Reply]
    intent: str = "unknown"


class Conversation:
    """The guest dialog, one database transaction per message (a *turn*).

    A turn locks the dialog's row (:meth:`core.ports.ConversationRepository.lock`),
    brings the guest up to date (in the turn's transaction, no savepoint of its
    own), steps the state machine — whose calls to :mod:`core.services` run as
    savepoints of the same transaction — saves
    the new state and commits once. Two copies of one message (a
    double-clicked button, an update delivered twice) are therefore handled
    one after the other: the second sees the state the first left behind,
    and when the first carried out a "yes", it is answered
    :meth:`~bots.texts.Texts.already_done` ("Already done — see my message
    above") instead of doing anything again (:data:`DUPLICATE_WINDOW`).

    ``handle`` never raises: failures become an apology, and nothing of the
    failed turn is kept.

    Args:
        uow_factory: builds the units of work the dialog and the services use.
        clock: the current instant (aware, UTC).
        timeout: how long an unanswered question stays open (default 30 minutes).
        gateways: payment providers by name (``stripe``, ``telegram``), for paid
            event types; none: paid event types cannot be booked.
        link_keys: the keys of the signed guest links a ``/start <token>`` deep
            link carries (``SLOTBOT_LINK_SECRET``, oldest first); empty: links off.
    """

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, *,
                 timeout: timedelta = timedelta(minutes=30),
                 host_commands: HostCommands | None = None,
                 gateways: PaymentGateways | None = None,
                 link_keys: Sequence[str] = ()) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.timeout = timeout
        self.gateways: PaymentGateways = gateways or {}
        self.link_keys = tuple(link_keys)
        self.host_commands = host_commands or HostCommands(uow_factory, clock)

    def handle(self, message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
        """Answer one message in a transaction of its own (a :class:`bots.messages.Handle`).

        Args:
            message: the message to answer.
            keep: called in that transaction before its commit, with the replies
                (:data:`bots.messages.KeepAnswer`: an adapter's inbox row commits with
                the turn); not called for an answer given after a failure.

        Returns:
            At least one reply, always (an apology if something broke).
        """
        return self.answer(message, keep).replies

    def answer(self, message: IncomingMessage, keep: KeepAnswer | None = None) -> Answer:
        """:meth:`handle`, also saying what the message was (the metrics' label), so
        nothing has to parse it a second time.

        A turn whose database connection broke runs once more on a new one, and so
        does a new guest's first turn that another transaction's insert of the same
        guest overtook (nothing of the first attempt was committed).
        """
        try:
            try:
                return self._commit_turn(message, keep)
            except (ConnectionLost, GuestAddedMeanwhile) as exc:
                log.warning("%s (%s); turn of %s:%s runs again", type(exc).__name__, exc,
                            message.platform, message.user_id)
                return self._commit_turn(message, keep)
        except CalendarUnavailable as exc:  # no time is offered that could not be checked
            t = Texts(texts.language(message.locale))
            return Answer([Reply(t.text("calendar_unavailable", host=exc.host_name))])
        except Exception:
            log.exception("conversation failed for %s:%s", message.platform, message.user_id)
            return Answer([Reply(texts.apology(message.locale))])

    def _commit_turn(self, message: IncomingMessage, keep: KeepAnswer | None) -> Answer:
        with self.uow_factory() as uow:
            answered = self._turn(uow, message)
            if keep is not None:
                keep(uow, answered.replies)
            uow.commit()
        return answered

    def _turn(self, uow: UnitOfWork, message: IncomingMessage) -> Answer:
        text = message.text.strip()
        if len(text) > texts.MAX_MESSAGE_CHARS:
            return Answer([Reply(Texts(texts.language(message.locale)).too_long())])
        hosted = self.host_commands.answer(message, uow=uow)  # /slotbot …, host buttons
        if hosted is not None:
            return Answer([hosted], "button" if message.payload is not None else "host_command")
        stored = uow.conversations.lock(message.platform, message.chat_id, message.user_id)
        typed = self.host_commands.typed_reason(message, stored, uow=uow)  # "Other reason…"
        if typed is not None:
            return Answer([typed], "host_command")
        guest = services.ensure_guest(
            message.platform, message.user_id, uow=uow,
            name=message.display_name, chat_id=message.private_chat_id,
            timezone=message.timezone, locale=message.locale,
        )
        turn = self._load(uow, message, guest, stored)
        _step(turn, text)
        if not guest.timezone and message.platform != "slack" and not turn.data.get("tz_told") \
                and turn.host and turn.replies:
            first = turn.replies[0]  # one message, not two sends (the note, then the answer)
            turn.replies[0] = replace(
                first, text=f"{turn.t.timezone_note(turn.tz, turn.host)}\n\n{first.text}")
            turn.data["tz_told"] = True
        uow.conversations.save(stored, state=turn.state.value, data=turn.data,
                               updated_at=turn.now)
        return Answer(turn.replies or [Reply(turn.t.not_understood(turn.directory.entries))],
                      turn.intent)

    def _load(self, uow: UnitOfWork, message: IncomingMessage, guest: Guest,
              stored: ConversationState) -> Turn:
        """The turn for the locked ``stored`` dialog; a timed-out question is dropped."""
        now = self.clock()
        directory = uow.hosts.directory()
        data = dict(stored.data)
        state = State(stored.state)
        if stored.updated_at and now - stored.updated_at > self.timeout:
            state = State.IDLE
            data = {k: data[k] for k in _KEPT if k in data}
        return Turn(message, guest, directory, now, state, data, uow, self.clock,
                    first_contact=stored.updated_at is None, gateways=self.gateways,
                    link_keys=self.link_keys)


# --- routing -------------------------------------------------------------------------------


def _step(turn: Turn, text: str) -> None:
    payload = turn.message.payload or _typed_choice(turn, text)
    turn.input = payload or text.lower()
    done = turn.data.pop("done", None)
    if _repeats(turn, done):
        turn.data["done"] = done
        turn.say(turn.t.already_done())
        return
    if payload:
        turn.intent = "button"
        turn.state = _on_payload(turn, payload)
        return
    if text.lower().startswith("/start"):
        turn.intent = "start"
        turn.state = _start(turn, text[len("/start"):].strip())
        return
    zone = _TIMEZONE.match(text)
    if zone:
        turn.state = _set_timezone(turn, zone[1])
        return
    turn.state = _on_request(turn, _parse(turn, text))


def _typed_choice(turn: Turn, text: str) -> str | None:
    """A typed "2" or a button's label counts as pressing that button."""
    choices = turn.data.get("choices") or []
    lowered = text.lower()
    picked = number(lowered)
    if picked is not None and 1 <= picked <= len(choices):
        return str(choices[picked - 1][1])
    return next((str(p) for label, p in choices if str(label).lower() == lowered), None)


def _parse(turn: Turn, text: str) -> BookingRequest:
    """Parse in the guest's zone (or the named host's, while the guest's is unknown)."""
    known: dict[str, Any] = {
        "hosts": turn.directory.host_words,
        "event_types": turn.directory.event_type_words,
        "aliases": turn.directory.event_type_aliases,
        "lang": turn.data.get("lang") or turn.guest.locale or turn.message.locale,
        "context": _context(turn),
    }
    request = nlp.parse(text, now=turn.now, tz=turn.tz, **known)
    host = match_host(turn, request.host)
    if host and not turn.guest.timezone and host.timezone != turn.tz:
        turn.data["host"] = host.handle  # times the guest wrote are in this host's zone
        request = nlp.parse(text, now=turn.now, tz=turn.tz, **known)
    if request.lang in texts.LANGUAGES:  # the reply follows the language written in
        turn.data["lang"] = request.lang
    turn.intent = str(request.intent)
    return request


def _context(turn: Turn) -> datetime | None:
    """The start of the slot under discussion, if a question about one is open."""
    return instant(turn.data.get("slot_start")) if turn.state in _DISCUSSING else None


def _on_payload(turn: Turn, payload: str) -> State:
    kind, _, value = payload.partition(":")
    handler = _PAYLOADS.get(kind)
    return handler(turn, value) if handler else expired(turn)


def _repeats(turn: Turn, done: object) -> bool:
    """Whether this message is a copy of the "yes" carried out just before (``data["done"]``)."""
    if not isinstance(done, list) or turn.state is not State.IDLE:
        return False
    copied, at = done
    return bool(copied == turn.input and turn.now - datetime.fromisoformat(at) <= DUPLICATE_WINDOW)


def _carried_out(turn: Turn, state: State) -> State:
    """Note a "yes" that finished its question, so a copy of it is not carried out again."""
    if state is State.IDLE:
        turn.data["done"] = [turn.input, turn.now.isoformat()]
    return state


def _confirmed(turn: Turn) -> State:
    step = _ON_YES.get(turn.state)
    if step is not None:
        return _carried_out(turn, step(turn))
    if turn.state in _CHOOSING and turn.data.get("choices"):
        return _which_one(turn)
    return expired(turn)


def _which_one(turn: Turn) -> State:
    """"Yes" / "ok" / 👍 to a list: ask which one, showing the same choices again."""
    turn.say(turn.t.which_one(), [Choice(str(label), str(payload))
                                  for label, payload in turn.data["choices"]])
    return turn.state


def _denied(turn: Turn) -> State:
    keeping = turn.state in _KEEPING or turn.data.get("action") == "reschedule"
    turn.say(turn.t.kept() if keeping else turn.t.not_booked())
    forget(turn)
    return State.IDLE


def _chose_host(turn: Turn, handle: str) -> State:
    turn.data["host"] = handle
    return _resume(turn)


def _chose_event_type(turn: Turn, slug: str) -> State:
    turn.data["event_type"] = slug
    return _resume(turn)


def _reminder_button(action: str) -> Callable[[Turn, str], State]:
    """The cancel / move buttons under a reminder: ``cancel:<id>``, ``move:<id>``."""
    def pressed(turn: Turn, value: str) -> State:
        booking_id = number(value)
        if booking_id is None:
            return expired(turn)
        turn.data.update(action=action, booking_id=booking_id, request={})
        return _changes.booking_chosen(turn)
    return pressed


def _chose_booking(turn: Turn, value: str) -> State:
    booking_id = number(value)
    if booking_id is None:
        return expired(turn)
    turn.data["booking_id"] = booking_id
    return _changes.booking_chosen(turn)


def _chose_slot(turn: Turn, value: str) -> State:
    """``slot:<aware ISO 8601 start>``; anything else is a stale or forged button."""
    try:
        start = datetime.fromisoformat(value)
    except ValueError:
        return expired(turn)
    if start.tzinfo is None:
        return expired(turn)
    return _booking.slot_chosen(turn, start)


def _chose_scope(turn: Turn, value: str) -> State:
    if turn.state is State.CHOOSING_SCOPE and value in ("one", "following"):
        return _carried_out(turn, _series.cancel(turn, value))
    return expired(turn)


#: Button payloads ``kind:value`` → the step that handles them.
_PAYLOADS: dict[str, Callable[[Turn, str], State]] = {
    "yes": lambda turn, _: _confirmed(turn),
    "no": lambda turn, _: _denied(turn),
    "host": _chose_host,
    "et": _chose_event_type,
    "slot": _chose_slot,
    "pick": _team.picked,
    "cancel": _reminder_button("cancel"),
    "move": _reminder_button("reschedule"),
    "booking": _chose_booking,
    "scope": _chose_scope,
}


def _on_request(turn: Turn, request: BookingRequest) -> State:
    intent = request.intent
    if request.choice and turn.data.get("choices"):
        choices = turn.data["choices"]
        if request.choice <= len(choices):
            return _on_payload(turn, str(choices[request.choice - 1][1]))
    if request.restart:
        return _start_over(turn)
    if request.own_zone is not None and request.own_zone.name:
        _own_zone(turn, request.own_zone.name)
        if request.start is None and intent is Intent.UNKNOWN:
            return State.IDLE
    if request.zone is not None and request.start is not None:
        if request.zone.ambiguous:  # "3pm IST": never guessed, the guest is asked
            turn.say(turn.t.zone_ambiguous(request.zone.written, request.zone.choices))
            return turn.state
        _zone_note(turn, request)
    if request.page and request.start is None and turn.data.get("action") == "book" \
            and turn.data.get("offered") and turn.host is not None:
        return _booking.page(turn, request.page)
    if request.pleasantry and intent is Intent.UNKNOWN and not turn.first_contact:
        return _pleasantry(turn, request.pleasantry)
    if turn.state in _SERIES_STATES and request.start is not None and request.recurrence is None:
        # "no, 11am" / "Wednesdays at 3pm instead": the same series at another time
        request = replace(request, recurrence=turn.data.get("series"))
    if request.shift is not None and intent not in (Intent.HELP, Intent.LIST, Intent.CANCEL):
        return _shifted(turn, request)  # "yes, but half an hour later" is no "yes" to the time
    if intent is Intent.CONFIRM:
        return _confirmed(turn)
    if intent is Intent.DENY and request.start is None:
        return _denied(turn)
    if intent is Intent.HELP:
        turn.say(turn.t.help(turn.directory.entries))
        return State.IDLE
    if intent is Intent.LIST:
        return _changes.list_bookings(turn)
    if intent is Intent.CANCEL:
        turn.data.update(action="cancel", request=request_data(request))
        if request.series:
            return _series.propose_cancel(turn, request)
        return _changes.pick_booking(turn, request)
    rescheduling = turn.data.get("action") == "reschedule" and turn.state in _MOVING_STATES
    if intent is Intent.RESCHEDULE or (rescheduling and request.start is not None):
        turn.data.update(action="reschedule", request=request_data(request))
        if rescheduling and turn.data.get("booking_id"):
            return _changes.booking_chosen(turn)
        return _changes.pick_booking(turn, request)
    if intent in (Intent.BOOK, Intent.AVAILABILITY) or request.start is not None:
        return _book_request(turn, request)
    if turn.first_contact:  # "hello": introduce ourselves rather than apologise
        turn.say(turn.t.help(turn.directory.entries))
        return State.IDLE
    turn.say(turn.t.not_understood(turn.directory.entries))
    return State.IDLE


def _shifted(turn: Turn, request: BookingRequest) -> State:
    """"45 minutes later" / "eine halbe Stunde früher": the slot under discussion moved
    (the parser moved it: ``request.start``), else the guest's next booking."""
    if _context(turn) is None or request.start is None:
        return _changes.shift_booking(turn, request.shift or timedelta())
    if turn.data.get("action") == "reschedule" and turn.data.get("booking_id"):
        return _changes.propose_move(turn, request.start)
    return _book_request(turn, request)


def _book_request(turn: Turn, request: BookingRequest) -> State:
    """Slot filling: "Ana" after "anything tomorrow before 10?" keeps the window."""
    previous = turn.data.get("request", {}) if turn.data.get("action") == "book" else {}
    filled = request_data(request)
    if filled["start"] is None:
        filled.update({k: previous.get(k) for k in ("start", "end", "windows")})
    filled["duration"] = filled["duration"] or previous.get("duration")
    turn.data.update(action="book", request=filled)
    host = match_host(turn, request.host)
    if host:
        turn.data["host"] = host.handle
    if request.event_type:
        turn.data["event_type"] = request.event_type
    return _plan(turn)


def _plan(turn: Turn) -> State:
    """A booking request: a team search when no host is chosen, else the booking flow."""
    request = turn.data.get("request", {})
    if _team.wanted(turn, request):
        return _team.offer(turn, request)
    return _booking.plan(turn)


def _resume(turn: Turn) -> State:
    """Carry on with the request that was waiting for a host or event type."""
    if turn.data.get("action") == "book" and "request" in turn.data:
        return _plan(turn)
    return expired(turn)


# --- fallbacks -------------------------------------------------------------------------------


def _start_over(turn: Turn) -> State:
    """"Start over" (any state): drop the request, keep whom the guest talks to."""
    turn.data = {k: turn.data[k] for k in _KEPT if k in turn.data}
    turn.say(turn.t.restart_done())
    return State.IDLE


def _own_zone(turn: Turn, zone: str) -> None:
    """"I'm based in Chicago": the guest's zone from now on (a region, never an offset)."""
    turn.guest = services.ensure_guest(turn.guest.platform, turn.guest.platform_user_id,
                                       uow=turn.uow, timezone=zone)
    turn.data["tz_told"] = True
    turn.replies.append(Reply(turn.t.own_zone_set(zone)))


def _zone_note(turn: Turn, request: BookingRequest) -> None:
    """A time written in another zone: say it in both ("16:30 Chicago = 23:30 Berlin")."""
    zone, start = request.zone, request.start
    assert zone is not None and zone.name is not None and start is not None
    if zone.name == turn.tz:
        return
    note = turn.t.zone_both(start, zone.name, turn.tz)
    if zone.regional:
        note += " " + turn.t.zone_regional(zone.written, zone.name, start)
    turn.replies.append(Reply(note))


def _pleasantry(turn: Turn, kind: str) -> State:
    """"Thanks!" / "hello" on their own: a short friendly answer; the open question stays."""
    text = turn.t.thanks_reply() if kind == "thanks" else turn.t.hello_reply()
    turn.replies.append(Reply(text))  # not say(): the offered choices still count
    return turn.state


def _start(turn: Turn, argument: str) -> State:
    """``/start [host]`` (a deep link): greet and list the host's event types offered to
    guests; ``/start ana-intro`` (a link to one event type, hidden or not) goes on to its times;
    ``/start <signed token>`` (a reminder's cancel / reschedule link) asks about that booking,
    in a private chat only: elsewhere the link is neither opened nor used up."""
    if argument and not turn.message.private and looks_like_link(argument,
                                                                 keys=turn.link_keys):
        turn.say(turn.t.text("link_private_only"))
        return State.IDLE
    if argument:
        link = start_payload(argument, keys=turn.link_keys, uow_factory=lambda: turn.uow,
                             clock=turn.clock)
        if isinstance(link, LinkProblem):  # forged, expired or used: nothing happens
            turn.say(turn.t.text(f"link_{link.value}"))
            return State.IDLE
        if link is not None:
            return _on_payload(turn, link)
    handle = argument.lower()
    entry = match_host(turn, handle) if handle else None
    slug = None
    if handle and entry is None and "-" in handle:
        name, _, slug = handle.rpartition("-")
        entry = match_host(turn, name)
    host = (turn.load_host(entry.handle) if entry else None) if handle else turn.host
    if host is None:
        help_text = turn.t.help(turn.directory.entries)
        turn.say(turn.t.text("start_unknown_host", name=argument) + "\n\n" + help_text
                 if handle else help_text)
        return State.IDLE
    turn.data = {"host": host.handle, "tz_told": turn.data.get("tz_told", False),
                 "action": "book", "request": {}}
    if slug and host.event_type(slug):
        turn.data["event_type"] = slug
        return _booking.plan(turn)
    turn.say(turn.t.greeting(host), [Choice(turn.t.kind(e.title, e.duration), f"et:{e.slug}")
                                     for e in host.listed_event_types])
    return State.CHOOSING_EVENT_TYPE


def _set_timezone(turn: Turn, name: str) -> State:
    """"My timezone is America/Chicago": remembered on the guest."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        turn.say(turn.t.timezone_unknown(name))
        return turn.state
    turn.guest = services.ensure_guest(
        turn.guest.platform, turn.guest.platform_user_id, uow=turn.uow,
        timezone=name,
    )
    turn.data["tz_told"] = True
    turn.say(turn.t.timezone_set(name))
    return State.IDLE
