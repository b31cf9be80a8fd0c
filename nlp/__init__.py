"""Text → :class:`BookingRequest` (DESIGN 3.4)."""

from nlp.parse import MAX_CHARS, parse, warm_up
from nlp.request import BookingRequest, Intent

__all__ = ["MAX_CHARS", "BookingRequest", "Intent", "parse", "warm_up"]
