"""The dialog's shared parts: its states, the turn being handled, the flows' helpers."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from bots import texts
from bots.messages import Choice, IncomingMessage, Invoice, Reply
from bots.texts import Texts
from core import services
from core.directory import HostDirectory, HostEntry
from core.errors import AlreadyBooked, OutsideBookingWindow, SlotUnavailable, TooSoon
from core.models import Guest, Host, Slot
from core.ports import Clock, PaymentGateways, UnitOfWork
from nlp import BookingRequest

T = TypeVar("T")

#: Slots (or bookings) shown as buttons at most.
SLOTS_SHOWN = 6

#: Days searched for free slots when the guest gave no window.
SEARCH_DAYS = 14


class State(enum.StrEnum):
    """Where the dialog stands: what the last reply asked (stored as its value)."""

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
    CONFIRMING_SERIES_CANCEL = "confirming_series_cancel"


@dataclass
class Turn:
    """One message being handled: who, where the dialog stands, what we say back.

    Attributes:
        directory: every host's name, zone and event types (no rules); a flow
            loads the rules of the host it needs with :meth:`load_host`.
        data: the dialog's stored data (JSON-safe); flows read and update it.
        uow: the turn's unit of work, already open: flows pass it to
            :mod:`core.services`, whose use cases then run as savepoints of the
            turn's one transaction (committed once, after the state is saved).
        clock: the current instant, for the services.
        gateways: the payment providers, for paid event types.
        input: what the guest sent, normalised (the payload, or the text in
            lower case): how a second copy of the same message is recognised.
        link_keys: the keys of the signed guest links (``/start <token>``), oldest
            first; empty when links are off.
        intent: what the message was, for the metrics: the language layer's
            intent (``book``, ``availability``, … ``unknown``), ``button`` or ``start``.
    """

    message: IncomingMessage
    guest: Guest
    directory: HostDirectory
    now: datetime
    state: State
    data: dict[str, Any]
    uow: UnitOfWork
    clock: Clock
    input: str = ""
    intent: str = "unknown"
    first_contact: bool = False
    #: The payment providers configured (:func:`core.payments.gateway_for` picks one).
    gateways: PaymentGateways = field(default_factory=dict)
    link_keys: Sequence[str] = ()
    replies: list[Reply] = field(default_factory=list)
    _loaded: dict[str, Host | None] = field(default_factory=dict, repr=False)

    def load_host(self, handle: str) -> Host | None:
        """The host with its rules (from the rules cache, to read only), loaded once per turn."""
        if handle not in self._loaded:
            self._loaded[handle] = self.uow.hosts.read(handle)
        return self._loaded[handle]

    @property
    def host_handle(self) -> str | None:
        """Whom the guest talks to: the host chosen, or the only host there is."""
        handle = self.data.get("host")
        if handle is None and len(self.directory) == 1:
            return self.directory.entries[0].handle
        return handle if isinstance(handle, str) else None

    @property
    def host(self) -> Host | None:
        """The host the guest talks to, with its rules, if any."""
        handle = self.host_handle
        return self.load_host(handle) if handle is not None else None

    @property
    def tz(self) -> str:
        """The reader's zone: the guest's if known, else the host's (said in a note)."""
        if self.guest.timezone:
            return self.guest.timezone
        handle = self.host_handle
        entry = self.directory.get(handle) if handle is not None else None
        entry = entry or (self.directory.entries[0] if self.directory.entries else None)
        return entry.timezone if entry else "UTC"

    @property
    def t(self) -> Texts:
        """Texts in the language the guest writes in (read from their messages, see
        :attr:`nlp.BookingRequest.lang`), else the platform's (remembered on the guest)."""
        return Texts(texts.language(self.data.get("lang") or self.guest.locale
                                    or self.message.locale))

    def say(self, text: str, choices: Sequence[Choice] = (), *,
            invoice: Invoice | None = None) -> None:
        self.replies.append(Reply(text, tuple(choices), invoice=invoice))
        self.data["choices"] = [[c.label, c.payload] for c in choices]


#: A step function: handles the turn and returns the dialog's next state.
Step = Callable[[Turn], State]


def offer(turn: Turn, host: Host, slots: Sequence[Slot], text: str) -> State:
    """Show up to :data:`SLOTS_SHOWN` slots as buttons (or say nothing is free)."""
    if not slots:
        turn.say(text.rstrip(":") + ". " + turn.t.nothing_free(host))
        return State.IDLE
    shown = list(slots)[:SLOTS_SHOWN]
    turn.say(text, [Choice(turn.t.slot_label(s, turn.tz), f"slot:{s.start.isoformat()}")
                    for s in shown])
    turn.data["offered"] = [shown[0].start.isoformat(), shown[-1].start.isoformat()]
    return State.CHOOSING_SLOT


def expired(turn: Turn) -> State:
    """The answer to a button or "yes" that no longer belongs to an open question."""
    turn.say(turn.t.offer_expired())
    return State.IDLE


def already_booked(turn: Turn, exc: AlreadyBooked) -> State:
    """The guest asked for a seat of a slot they hold already: say so, drop the request."""
    turn.say(turn.t.already_booked(exc.booking_id))
    forget(turn)
    return State.IDLE


def match_host(turn: Turn, mention: str | None) -> HostEntry | None:
    """The host a guest named by handle, full name or first name (any case), if any."""
    return turn.directory.find(mention)


def request_data(request: BookingRequest) -> dict[str, Any]:
    """The parts of a parsed request the dialog keeps (JSON-safe; minutes as int)."""
    return {
        "start": request.start.isoformat() if request.start else None,
        "end": request.end.isoformat() if request.end else None,
        "duration": int(request.duration.total_seconds() // 60) if request.duration else None,
        "recurrence": request.recurrence,
        "windows": [[a.isoformat(), b.isoformat() if b else None]
                    for a, b in request.windows] if len(request.windows) > 1 else None,
        "instead_of": None if request.instead_of is None else [
            request.instead_of[0].isoformat(),
            request.instead_of[1].isoformat() if request.instead_of[1] else None],
    }


def windows(request: dict[str, Any]) -> list[tuple[datetime, datetime | None]]:
    """The windows a stored request asks about: every alternative ("Friday or Monday
    morning"), else its one ``start``/``end`` (empty when it has no time)."""
    alternatives = request.get("windows") or [[request.get("start"), request.get("end")]]
    found = [(instant(a), instant(b)) for a, b in alternatives]
    return [(a, b) for a, b in found if a is not None]


def free_in(turn: Turn, host: str, slug: str, spans: Sequence[tuple[datetime, datetime]],
            minutes: int | None) -> list[Slot]:
    """Free slots in each of ``spans`` (past parts skipped), taken in turn from each
    so that every alternative is shown; at most :data:`SLOTS_SHOWN`, by start."""
    return interleave([services.free_slots(host, slug, max(a, turn.now), b, uow=turn.uow,
                                           clock=turn.clock, duration=minutes)
                       for a, b in spans if b > turn.now], key=lambda s: s.start)


def interleave(found: Sequence[Sequence[T]], key: Callable[[T], datetime]) -> list[T]:
    """The first of each list, then the second of each, …: at most :data:`SLOTS_SHOWN`,
    sorted by ``key`` — every alternative the guest gave gets its share."""
    shown: list[T] = []
    for rank in range(SLOTS_SHOWN):
        shown += [items[rank] for items in found if rank < len(items)]
    return sorted(shown[:SLOTS_SHOWN], key=key)


def spans(alternatives: Sequence[tuple[datetime, datetime | None]]
          ) -> list[tuple[datetime, datetime]]:
    """Alternatives as spans to search: a point ("Friday 3pm") is that one start."""
    return [(a, b or a + timedelta(minutes=1)) for a, b in alternatives]


def number(text: str) -> int | None:
    """``text`` as a non-negative whole number written in ASCII digits ("2"), else None.

    (``str.isdigit`` alone also accepts "²", which ``int`` refuses.)
    """
    return int(text) if text.isascii() and text.isdigit() else None


def instant(value: object) -> datetime | None:
    """A stored ISO 8601 instant back as a datetime (None if absent)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def same_day(a: datetime, b: datetime, tz: str) -> bool:
    zone = ZoneInfo(tz)
    return a.astimezone(zone).date() == b.astimezone(zone).date()


def reason(exc: SlotUnavailable, tz: str, t: Texts) -> str:
    """Why a slot cannot be booked, in the reader's words."""
    if isinstance(exc, TooSoon):
        return t.reason_too_soon(exc.earliest, tz)
    if isinstance(exc, OutsideBookingWindow):
        return t.reason_too_far(exc.latest, tz)
    return t.reason_taken()


def yes_no(turn: Turn, yes: str, no: str) -> list[Choice]:
    """The two buttons of a confirmation question: ``yes`` and ``no`` payloads."""
    return [Choice(turn.t.button(yes), "yes"), Choice(turn.t.button(no), "no")]


def forget(turn: Turn) -> None:
    """Drop the finished request; keep who the guest talks to."""
    for key in ("action", "request", "slot_start", "booking_id", "event_type", "minutes",
                "series", "offered"):
        turn.data.pop(key, None)
