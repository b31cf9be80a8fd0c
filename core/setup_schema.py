"""The host setup file's shape (DESIGN 3.2) as strict pydantic models.

Every model forbids unknown keys, so a misspelled key (``minimum_notis``) is an
error instead of a silently dropped setting; :mod:`core.setup_file` turns the
validation errors into one line each, with the path and a did-you-mean. These
models only check the shape and the ranges; :func:`core.setup_file.parse_setup`
builds the domain objects from them.

Adding a key: one field per line in the model it belongs to, with its range.
Keys whose feature lives elsewhere (``calendars``, ``locale``, ``aliases``,
``price``/``currency``, ``templates``) are validated here and passed through on the model
(:func:`core.setup_file.validate_setup`) for the code that uses them.
"""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from core.money import known_currency, to_minor
from core.rule_text import parse_clock, parse_hours, parse_weekdays

_HANDLE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_COLOR = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_HTTPS = re.compile(r"^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s\"'<>]*)?$")

#: Minutes in a day, the upper bound of most minute counts.
DAY = 24 * 60
#: The longest run of time off one ``time_off`` entry may cover, days.
MAX_TIME_OFF_DAYS = 366


def _matches(pattern: re.Pattern[str], hint: str) -> AfterValidator:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f"{value!r} {hint}")
        return value

    return AfterValidator(check)


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not an IANA zone like Europe/Berlin") from None
    return value


def _real_date(value: Any) -> Any:
    """Dates stay strings in the YAML reader, so ``2026-02-30`` reaches this check."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a real date (YYYY-MM-DD): {exc}") from None
    return value


def _clock(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a time; quote it, like \"08:00\"")
    return parse_clock(value)


def _hours(value: Any) -> Any:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not hours like \"09:00-17:00\"; quote it")
    parse_hours(value)
    return value


def _weekdays(value: str) -> str:
    parse_weekdays(value)
    return value


def _id_text(value: Any) -> Any:
    """Platform user ids: YAML reads ``1001`` as a number; keep it as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _price(value: Any) -> Any:
    """``"50.00"``, ``50`` or ``50.5`` → an exact Decimal (a YAML float through its text)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise ValueError(f"{value!r} is not a price like \"50.00\"")
    try:
        price = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a price like \"50.00\"") from None
    if not price.is_finite():
        raise ValueError(f"{value!r} is not a price like \"50.00\"")
    return price


def _currency(value: str) -> str:
    if not known_currency(value):
        raise ValueError(f"{value!r} is not an ISO 4217 currency code like EUR or USD")
    return value


_SPAN = re.compile(r"^\s*(\d{1,6})\s*([mhd]?)\s*$")
_SPAN_MINUTES = {"": 1, "m": 1, "h": 60, "d": DAY}


def _span(value: Any) -> Any:
    """``24h``, ``90m``, ``2d`` or a number of minutes → minutes."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = _SPAN.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{value!r} is not a span like 24h, 90m or 2d")
    return int(match[1]) * _SPAN_MINUTES[match[2]]


Count = Annotated[int, Field(strict=True, ge=1, le=100_000)]
RealDate = Annotated[date, BeforeValidator(_real_date)]
Hours = Annotated[str, BeforeValidator(_hours)]
Weekdays = Annotated[str, AfterValidator(_weekdays)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
UserId = Annotated[str, BeforeValidator(_id_text),
                   StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Url = Annotated[str, StringConstraints(strip_whitespace=True),
                _matches(re.compile(r"^https?://[^/\s]+"), "is not an http(s) URL")]


class Strict(BaseModel):
    """Base of every setup model: unknown keys are errors, values are not coerced loosely."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


class DateRange(Strict):
    """``{from: 2026-12-24, to: 2026-12-26}``: local dates, both included."""

    first: RealDate = Field(alias="from")
    last: RealDate | None = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.last is not None and self.last < self.first:
            raise ValueError(f"'to' ({self.last}) is before 'from' ({self.first})")
        return self

    @property
    def end(self) -> date:
        return self.last or self.first


class TimeOffSpec(DateRange):
    """Days off from ``from`` to ``to``, both included; at most :data:`MAX_TIME_OFF_DAYS`."""

    @model_validator(mode="after")
    def _not_too_long(self) -> TimeOffSpec:
        if (self.end - self.first).days >= MAX_TIME_OFF_DAYS:
            raise ValueError(f"at most {MAX_TIME_OFF_DAYS} days at a time")
        return self


class DateOverrideSpec(Strict):
    """``{date: 2026-12-28, hours: "10:00-14:00"}``; ``hours: ""`` is a day off."""

    date: RealDate
    hours: Hours = ""


class LimitsSpec(Strict):
    """Bookings of one event type per local day / week, as a count or minutes."""

    per_day: Count | None = None
    per_week: Count | None = None
    minutes_per_day: Count | None = None
    minutes_per_week: Count | None = None


class RefundPolicySpec(Strict):
    """``{full_until: 24h}``: a guest who cancels at least that long before the start
    gets a full refund, later none. Minutes, or a number with ``m``, ``h`` or ``d``."""

    full_until: Annotated[int, BeforeValidator(_span), Field(ge=0, le=365 * DAY)]


class EventTypeSpec(Strict):
    """One event type of a host; minutes unless the name says otherwise."""

    slug: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True),
                    _matches(_SLUG, "must be lowercase letters, digits, - or _")]
    title: Text | None = None
    duration: Annotated[int, Field(strict=True, ge=1, le=DAY)]
    durations: list[Annotated[int, Field(strict=True, ge=1, le=DAY)]] = []
    buffer_before: Annotated[int, Field(strict=True, ge=0, le=DAY)] = 0
    buffer_after: Annotated[int, Field(strict=True, ge=0, le=DAY)] = 0
    minimum_notice: Annotated[int, Field(strict=True, ge=0, le=365 * DAY)] = 0
    booking_window: Annotated[int, Field(strict=True, ge=1, le=3650)] = 60  # days
    booking_dates: DateRange | None = None
    slot_interval: Annotated[int, Field(strict=True, ge=1, le=DAY)] | None = None
    seats: Annotated[int, Field(strict=True, ge=1, le=10_000)] = 1
    requires_confirmation: Annotated[bool, Field(strict=True)] = False
    confirmation_timeout: Annotated[int, Field(strict=True, ge=1, le=30 * DAY)] = DAY
    cancel_notice: Annotated[int, Field(strict=True, ge=0, le=30 * DAY)] = 0
    reminders: list[Annotated[int, Field(strict=True, ge=1, le=30 * DAY)]] | None = None
    limits: LimitsSpec = LimitsSpec()
    location: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
    aliases: list[Text] = []
    price: Annotated[Decimal, BeforeValidator(_price), Field(ge=0, le=1_000_000)] | None = None
    currency: Annotated[str, AfterValidator(_currency)] | None = None
    payment_window: Annotated[int, Field(strict=True, ge=1, le=DAY)] | None = None
    refund_policy: RefundPolicySpec | None = None

    @model_validator(mode="after")
    def _price_has_currency(self) -> EventTypeSpec:
        if (self.price is None) != (self.currency is None):
            raise ValueError("price and currency go together (price: \"50.00\", currency: EUR)")
        if self.price is not None and self.currency is not None:
            try:
                to_minor(self.price, self.currency)
            except ValueError as exc:
                raise ValueError(f"price {exc}") from None
        if self.price is None and (self.payment_window is not None
                                   or self.refund_policy is not None):
            raise ValueError("payment_window and refund_policy belong to a paid event type "
                             "(give price and currency)")
        return self

    @property
    def price_minor(self) -> int | None:
        """The price in the currency's minor unit (``50.00`` EUR → 5000), or None."""
        if self.price is None or self.currency is None:
            return None
        return to_minor(self.price, self.currency)


class CalendarSpec(Strict):
    """One external calendar: exactly one of ``google``, ``caldav``, ``ics``.

    :func:`core.calendar_config.parse_calendars` builds the domain calendars
    from these; every check of an entry is here.
    """

    google: Text | None = None
    caldav: Url | None = None
    ics: Url | None = None
    write: Annotated[bool, Field(strict=True)] = False
    #: False: write-only (its events do not block).
    busy: Annotated[bool, Field(strict=True)] = True
    username: Text | None = None
    #: The name of the environment variable holding the password, never the secret.
    password_env: Annotated[str, _matches(_ENV_NAME, "is not a variable name")] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> CalendarSpec:
        kinds = [k for k in ("google", "caldav", "ics") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("give exactly one of google, caldav or ics")
        if kinds[0] != "caldav" and (self.username or self.password_env):
            raise ValueError("username and password_env belong to a caldav calendar")
        if kinds[0] == "ics" and self.write:
            raise ValueError("an ics feed is read-only (write: false)")
        if kinds[0] == "ics" and not self.busy:
            raise ValueError("an ics feed with busy: false does nothing")
        if kinds[0] == "caldav" and not self.username:
            raise ValueError("a caldav calendar needs a username")
        if kinds[0] == "caldav" and not self.password_env:
            raise ValueError("a caldav calendar needs password_env: the name of an environment "
                             "variable holding the password (like ANA_CALDAV_PASSWORD), never "
                             "the password itself")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("google", "caldav", "ics") if getattr(self, k) is not None)

    @property
    def address(self) -> str:
        """The Google calendar id, or the CalDAV / ICS URL."""
        return str(getattr(self, self.kind))


def _calendar_list(calendars: list[CalendarSpec]) -> list[CalendarSpec]:
    """No calendar twice, at most one ``write: true``."""
    keys = [(c.kind, c.address) for c in calendars]
    if len(set(keys)) != len(keys):
        raise ValueError("the same calendar is listed twice")
    if sum(c.write for c in calendars) > 1:
        raise ValueError("only one calendar may say write: true")
    return calendars


def _color(value: Any) -> Any:
    if value is None:
        raise ValueError("quote the colour, like \"#0b7285\" (an unquoted # starts a comment)")
    return value


class BrandSpec(Strict):
    """How a host's emails look: the name shown, a colour and a logo (docs/email-templates.md)."""

    name: Text | None = None
    color: Annotated[str | None, BeforeValidator(_color),
                     _matches(_COLOR, "is not a hex colour like \"#0b7285\"")] = None
    logo_url: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000),
                        _matches(_HTTPS, "is not an https:// URL")] | None = None


class HostSpec(Strict):
    """One host (a person or a room) and its rules."""

    handle: Annotated[str, _matches(_HANDLE, "must be lowercase letters, digits, - or _")]
    name: Text | None = None
    email: Annotated[str, _matches(_EMAIL, "is not an email address")] | None = None
    timezone: Annotated[str, AfterValidator(_zone)]
    telegram_user_id: UserId | None = None
    slack_user_id: UserId | None = None
    digest_time: Annotated[time, BeforeValidator(_clock)] | None = None
    locale: Literal["en", "de", "es", "fr", "pt"] | None = None
    working_hours: dict[Weekdays, Hours] = {}
    date_overrides: list[DateOverrideSpec] = []
    time_off: list[TimeOffSpec] = []
    event_types: Annotated[list[EventTypeSpec], Field(min_length=1)]
    calendars: Annotated[list[CalendarSpec], AfterValidator(_calendar_list)] = []
    tags: list[Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True,
                                                min_length=1, max_length=64)]] = []
    capacity: Annotated[int, Field(strict=True, ge=1, le=100_000)] | None = None
    max_active_per_guest: Annotated[int, Field(strict=True, ge=1, le=1000)] | None = None
    #: A folder of email templates, relative to the setup file (read by ``slotbot load``).
    templates: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                max_length=500)] | None = None
    brand: BrandSpec = BrandSpec()


class SetupSpec(Strict):
    """The whole file: ``hosts:`` and nothing else."""

    hosts: Annotated[list[HostSpec], Field(min_length=1)]
