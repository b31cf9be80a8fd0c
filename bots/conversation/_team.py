"""The team search flow: "anyone free tomorrow 2–3pm?" across every host.

Steps: with no host named and a window given, offer the first hosts free in
it (``CHOOSING_SLOT``, buttons ``pick:<event type id>/<Unix start>``); a pick
continues as the booking flow's proposal.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bots.conversation import _booking
from bots.conversation._turn import (
    SLOTS_SHOWN,
    State,
    Turn,
    expired,
    interleave,
    number,
    windows,
)
from bots.messages import Choice
from core import team


def wanted(turn: Turn, request: dict[str, Any]) -> bool:
    """Whether a booking request is a team search: no host chosen, a window, several hosts."""
    return turn.host is None and bool(request.get("end")) and len(turn.directory) > 1


def offer(turn: Turn, request: dict[str, Any]) -> State:
    """The first hosts free in the requested window (in each, when several), as buttons."""
    found = interleave([team.find_free(max(a, turn.now), b or a, uow=turn.uow, clock=turn.clock,
                                       minutes=request.get("duration"), limit=SLOTS_SHOWN)
                        for a, b in windows(request)], key=lambda f: f.slot.start)
    if not found:
        turn.say(turn.t.nobody_free(), [Choice(h.name, f"host:{h.handle}")
                                        for h in turn.directory.entries])
        return State.CHOOSING_HOST
    turn.say(turn.t.team_offer(turn.tz), [
        Choice(f"{f.host.name} · {turn.t.slot_label(f.slot, turn.tz)}",
               f"pick:{f.event_type.id}/{int(f.slot.start.timestamp())}")
        for f in found])
    return State.CHOOSING_SLOT


def picked(turn: Turn, value: str) -> State:
    """A cross-host choice: ``<event type id>/<start as Unix seconds>``."""
    type_id, _, seconds = (number(part) for part in value.partition("/"))
    found = turn.directory.event_type(type_id) if type_id is not None else None
    host = turn.load_host(found[0].handle) if found and seconds is not None else None
    event_type = host.event_type(found[1].slug) if host and found else None
    if host is None or event_type is None or seconds is None:
        return expired(turn)
    turn.data.update(host=host.handle, event_type=event_type.slug)
    return _booking.propose(turn, host, event_type, datetime.fromtimestamp(seconds, UTC))
