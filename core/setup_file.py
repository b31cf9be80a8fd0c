"""The host setup file (DESIGN 3.2): YAML text → validated models → domain objects.

:func:`read_setup` decodes the YAML (dates and ``8:00`` stay text, so that
``2026-02-30`` is reported like any other mistake), :func:`validate_setup`
checks it against :mod:`core.setup_schema` and :func:`parse_setup` builds the
hosts. Every problem of a file is reported at once, one line each, with its
path::

    hosts[0].event_types[1].minimum_notis: unknown key; did you mean minimum_notice?
    hosts[1].handle: 'ana' is used twice (also hosts[0])

Optional keys beyond DESIGN 3.2 (all may be left out)::

    hosts:
      - tags: [projector]              # for finding time across hosts or rooms
        capacity: 8                    # people a room holds
        max_active_per_guest: 2        # upcoming bookings one guest may hold
        time_off: [{from: 2026-12-24, to: 2026-12-26}]   # local dates, inclusive
        event_types:
          - durations: [30, 60]        # lengths a guest may pick; `duration` is the default
            booking_dates: {from: 2026-12-01, to: 2026-12-20}  # fixed window (local dates)
            limits: {per_day: 4, per_week: 10, minutes_per_day: 240, minutes_per_week: 600}
            confirmation_timeout: 1440 # minutes a pending request waits for the host
            cancel_notice: 1440        # guests change or cancel up to this many minutes before
            reminders: [1440, 60]      # minutes before the start; [] for none (default 24 h, 1 h)
            price: "50.00"             # a paid event type: the guest pays when booking
            currency: EUR              # ISO 4217; the price may have the currency's decimals
            payment_window: 15         # minutes the seat is held while the guest pays
            refund_policy: {full_until: 24h}  # a guest cancel up to 24 h before: full refund
        templates: mail/ana            # email templates, relative to this file
        brand: {name: Lima Coaching, color: "#0b7285", logo_url: https://example.com/logo.png}

``templates`` is only checked for its shape here: ``slotbot load`` reads and
checks the folder (docs/email-templates.md) into ``Host.mail_templates``.
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Hashable, Mapping
from datetime import date, timedelta
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from core.calendar_config import parse_calendars
from core.errors import SetupError
from core.models import DEFAULT_PAYMENT_WINDOW, DateOverride, EventType, Host, WorkingHours
from core.rule_text import WEEKDAYS, parse_clock, parse_hours, parse_weekdays
from core.setup_schema import EventTypeSpec, HostSpec, SetupSpec

__all__ = [
    "WEEKDAYS",
    "SetupError",
    "hosts_from",
    "parse_clock",
    "parse_hours",
    "parse_setup",
    "parse_weekdays",
    "read_setup",
    "validate_setup",
]

# --- YAML --------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """YAML 1.1 safe loading, except that dates, times and ``8:00`` stay strings.

    PyYAML turns ``2026-02-30`` into a ``ValueError`` deep in the parser and
    ``8:00`` into 480 (base 60); both are the validators' business instead.
    Repeated keys in one mapping are refused rather than silently overwritten.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False
                          ) -> dict[Hashable, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable) and key in seen:
                mark = key_node.start_mark
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice in one mapping", mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int",
                           "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(0|[1-9][0-9_]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?([0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)([eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"))


def read_setup(text: str) -> SetupSpec:
    """Decode and validate a setup file's text.

    Raises:
        SetupError: for malformed YAML (one line with its position) or any
            mistake :func:`validate_setup` finds.
    """
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise SetupError([f"{where}{exc.problem or exc.context}"]) from None
    except yaml.YAMLError as exc:
        raise SetupError([f"not valid YAML: {exc}"]) from None
    return validate_setup(data)


# --- validation --------------------------------------------------------------------------


def validate_setup(data: object) -> SetupSpec:
    """Check a decoded setup file against :class:`~core.setup_schema.SetupSpec`.

    Raises:
        SetupError: every problem found, one line each, in file order.
    """
    if not isinstance(data, Mapping):
        raise SetupError(["the file needs a 'hosts:' list at the top"])
    problems: list[tuple[Loc, str]] = []
    spec: SetupSpec | None = None
    try:
        spec = SetupSpec.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(part for part in error["loc"] if part != "[key]")
            problems.append((loc, _describe(loc, error)))
    problems.extend(_duplicates(data))
    if problems or spec is None:
        problems.sort(key=lambda problem: _file_order(data, problem[0]))
        raise SetupError([f"{_path(loc)}: {message}" if loc else message
                          for loc, message in problems])
    return spec


Loc = tuple[int | str, ...]

#: Pydantic error types whose message is clearer with the value that was given.
_SHOW_INPUT = ("int_", "bool_", "string_", "greater_", "less_", "literal_", "decimal_", "date_")


def _describe(loc: Loc, error: ErrorDetails) -> str:
    """One pydantic error → its message (unknown keys get a did-you-mean)."""
    kind = error["type"]
    if kind == "extra_forbidden":
        known = _known_keys(SetupSpec, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        return "unknown key" + (f"; did you mean {close[0]}?" if close
                                else f"; known keys: {', '.join(known)}")
    if kind == "missing":
        return "required"
    if kind == "too_short" and loc:
        return f"needs at least one {str(loc[-1]).removesuffix('s').replace('_', ' ')}"
    if kind in ("model_type", "dict_type"):
        return "expected a mapping (key: value, …)"
    if kind == "list_type":
        return "expected a list"
    message = error["msg"].removeprefix("Value error, ")
    return f"{message}, got {error['input']!r}" if kind.startswith(_SHOW_INPUT) else message


def _path(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _file_order(data: object, loc: Loc) -> list[int]:
    """Sort key of a problem: where ``loc`` sits in the file (key order, list index)."""
    order: list[int] = []
    for part in loc:
        if isinstance(part, int) or not isinstance(data, Mapping):
            order.append(part if isinstance(part, int) else 0)
            data = data[part] if isinstance(data, list) and isinstance(part, int) and \
                part < len(data) else None
            continue
        keys = list(data)
        order.append(keys.index(part) if part in keys else len(keys))
        data = data.get(part)
    return order


def _known_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys the model at ``loc`` (below ``model``) accepts, by their YAML names."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None)
        if field is None:
            return []
        current = _model_in(field.annotation)
        if current is None:
            return []
    return [info.alias or name for name, info in current.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model inside ``list[X]``, ``X | None`` or ``X``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _duplicates(data: Mapping[str, Any]) -> list[tuple[Loc, str]]:
    """Handles, platform user ids, slugs and override dates used twice (on the raw data)."""
    raw_hosts = data.get("hosts")
    if not isinstance(raw_hosts, list):
        return []
    hosts = [(i, h) for i, h in enumerate(raw_hosts) if isinstance(h, Mapping)]
    problems: list[tuple[Loc, str]] = []
    for key in ("handle", "telegram_user_id", "slack_user_id"):
        problems += _twice([(("hosts", i, key), h.get(key)) for i, h in hosts])
    for i, host in hosts:
        for key, field in (("event_types", "slug"), ("date_overrides", "date")):
            items = host.get(key)
            if isinstance(items, list):
                problems += _twice([(("hosts", i, key, n, field), item.get(field))
                                    for n, item in enumerate(items)
                                    if isinstance(item, Mapping)])
    return problems


def _twice(entries: list[tuple[Loc, object]]) -> list[tuple[Loc, str]]:
    """``entries`` whose value (as lowercase text) appeared before, with where it did."""
    first: dict[str, Loc] = {}
    problems = []
    for loc, value in entries:
        text = str(value).strip().lower() if value is not None else ""
        if not text:
            continue
        if text in first:
            problems.append((loc, f"{text!r} is used twice (also {_path(first[text][:-1])})"))
        else:
            first[text] = loc
    return problems


# --- domain objects ----------------------------------------------------------------------


def parse_setup(data: object) -> list[Host]:
    """Validate a decoded setup file and build its hosts.

    Raises:
        SetupError: every problem found (see :func:`validate_setup`).
    """
    return hosts_from(validate_setup(data))


def hosts_from(spec: SetupSpec) -> list[Host]:
    """The domain hosts of a validated file, in file order."""
    return [_host(h) for h in spec.hosts]


def _host(spec: HostSpec) -> Host:
    off = _time_off(spec)
    overrides = [DateOverride(date=o.date, intervals=parse_hours(o.hours))
                 for o in spec.date_overrides if o.date not in off]
    overrides += [DateOverride(date=day, intervals=[]) for day in sorted(off)]
    rules = [WorkingHours(weekday=day, start=start, end=end)
             for days, hours in spec.working_hours.items()
             for day in parse_weekdays(days)
             for start, end in parse_hours(hours)]
    return Host(
        **spec.model_dump(include=_SAME_HOST_FIELDS),
        name=spec.name or spec.handle,
        working_hours=sorted(rules, key=lambda r: (r.weekday, r.start)),
        date_overrides=sorted(overrides, key=lambda o: o.date),
        event_types=[_event_type(e) for e in spec.event_types],
        tags=sorted(set(spec.tags)),
        calendars=parse_calendars(spec.calendars),
        locale=spec.locale,
        brand_name=spec.brand.name,
        brand_color=spec.brand.color,
        brand_logo_url=spec.brand.logo_url,
    )


#: Setup keys that are :class:`Host` / :class:`EventType` fields of the same name and meaning.
_SAME_HOST_FIELDS = {"handle", "timezone", "email", "telegram_user_id", "slack_user_id",
                     "digest_time", "capacity", "max_active_per_guest"}
_SAME_EVENT_TYPE_FIELDS = {"slug", "duration", "buffer_before", "buffer_after",
                           "minimum_notice", "booking_window", "slot_interval", "seats",
                           "requires_confirmation", "confirmation_timeout", "cancel_notice"}


def _time_off(spec: HostSpec) -> set[date]:
    days: set[date] = set()
    for span in spec.time_off:
        days.update(span.first + timedelta(days=n) for n in range((span.end - span.first).days + 1))
    return days


def _event_type(spec: EventTypeSpec) -> EventType:
    event_type = EventType(
        **spec.model_dump(include=_SAME_EVENT_TYPE_FIELDS),
        title=spec.title or spec.slug,
        location=spec.location or None,
        other_durations=[d for d in dict.fromkeys(spec.durations) if d != spec.duration],
        aliases=list(dict.fromkeys(spec.aliases)),
        window_start=spec.booking_dates.first if spec.booking_dates else None,
        window_end=spec.booking_dates.end if spec.booking_dates else None,
        max_per_day=spec.limits.per_day,
        max_per_week=spec.limits.per_week,
        max_minutes_per_day=spec.limits.minutes_per_day,
        max_minutes_per_week=spec.limits.minutes_per_week,
        price=spec.price_minor,
        currency=spec.currency if spec.price_minor else None,
        payment_window=spec.payment_window or DEFAULT_PAYMENT_WINDOW,
        refund_until=spec.refund_policy.full_until if spec.refund_policy else None,
    )
    if spec.reminders is not None:
        event_type.reminder_minutes = sorted(set(spec.reminders), reverse=True)
    return event_type
