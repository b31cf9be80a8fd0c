"""Column types that keep Slotbot's time rules at the database boundary."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time

from sqlalchemy import DateTime, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from core.errors import InvalidTime
from core.models import require_aware


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored in UTC: aware datetimes in, aware UTC datetimes out.

    PostgreSQL stores ``timestamptz``; SQLite stores the UTC wall time as text
    without an offset, and the offset is put back on the way out.

    Raises:
        InvalidTime: when a naive datetime is bound (the engine made by
            :func:`storage.db.make_engine` re-raises it unwrapped).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = require_aware(value).astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class TimeIntervals(TypeDecorator[list[tuple[time, time]]]):
    """Local wall-clock intervals as JSON text: ``["09:00-12:00", "13:00-17:00"]``.

    Raises:
        InvalidTime: when a bound time has seconds (rules are to the minute).
    """

    impl = Text
    cache_ok = True

    def process_bind_param(
        self, value: list[tuple[time, time]] | None, dialect: Dialect
    ) -> str | None:
        if value is None:
            return None
        return json.dumps([f"{_hhmm(start)}-{_hhmm(end)}" for start, end in value])

    def process_result_value(
        self, value: str | None, dialect: Dialect
    ) -> list[tuple[time, time]] | None:
        if value is None:
            return None
        spans = (item.split("-") for item in json.loads(value))
        return [(time.fromisoformat(start), time.fromisoformat(end)) for start, end in spans]


def _hhmm(value: time) -> str:
    if value.second or value.microsecond or value.tzinfo is not None:
        raise InvalidTime(f"interval bounds are local times to the minute, got {value}")
    return value.strftime("%H:%M")
