"""The platform-neutral guest dialog: IncomingMessage → list of Reply.

Shaped like python-telegram-bot's ConversationHandler — a state enum, step
functions that return the next state, fallbacks (help, cancel, ``/start``),
a timeout — but the state lives in the database (``conversation_states``),
keyed by platform + chat + user, so any process can take the next message
and a restart loses nothing.

Modules: ``_machine`` (the shared state machine: loading, routing, saving),
``_turn`` (states, the turn, shared helpers) and one module per flow —
``_booking``, ``_changes`` (cancel/reschedule), ``_series``, ``_team``.

Every change goes through :mod:`core.services`; nothing is booked, cancelled
or moved without an explicit "yes" from the guest.
"""

from bots.conversation._machine import DUPLICATE_WINDOW, Answer, Conversation
from bots.conversation._turn import State, Turn

__all__ = ["DUPLICATE_WINDOW", "Answer", "Conversation", "State", "Turn"]
