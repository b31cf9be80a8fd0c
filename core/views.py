"""Read models shared by the use cases and the adapters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.models import Booking, EventType, Guest, Host


@dataclass(frozen=True)
class Actor:
    """Who asks for a change: a guest (by guest id) or a host (by host id)."""

    kind: Literal["guest", "host"]
    id: int


@dataclass(frozen=True)
class BookingView:
    """A booking with the names a message needs."""

    booking: Booking
    host: Host
    event_type: EventType
    guest: Guest
