"""Text → :class:`BookingRequest` (DESIGN 3.4)."""

from nlp.parse import parse
from nlp.request import BookingRequest, Intent

__all__ = ["BookingRequest", "Intent", "parse"]
