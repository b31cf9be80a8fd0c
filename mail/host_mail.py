"""A host's email branding and templates, and the sandbox they are rendered in.

A host's setup file may give ``brand: {name, color, logo_url}`` and name a
folder of templates (``templates: mail/ana``; read and checked at ``slotbot
load`` by :mod:`mail.template_folder`, docs/email-templates.md)::

    <kind>.subject.txt   the subject line (one line; plain text)
    <kind>.txt           the plain-text body
    <kind>.html          the HTML body (autoescaped)
    layout.txt           the body of every kind without its own file
    layout.html

``<kind>`` is a notice kind of :data:`VARIABLES`. The default templates stay
reachable as ``default/layout.html`` and ``default/layout.txt`` (to extend).
Templates run in Jinja2's :class:`~jinja2.sandbox.SandboxedEnvironment` with
:class:`~jinja2.StrictUndefined`: no attribute of Python's internals, no
unknown variable, ranges and repetitions bounded (:data:`MAX_SIZE`). The
sources are stored with the host (:class:`HostMail`); :func:`environment`
compiles them, once per distinct set, when an email is rendered.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    select_autoescape,
)
from jinja2.sandbox import SandboxedEnvironment

from core.models import Host
from core.ports import UnitOfWorkFactory

#: Variables every notice kind's templates may use (docs/email-templates.md).
COMMON = frozenset({
    "lang", "reader", "subject", "notice", "details", "booking_id", "event_type", "host_name",
    "guest_name", "when", "status", "action_links", "calendar_note", "footer",
    "brand_name", "brand_color", "brand_logo_url",
})
#: Notice kinds a host may override, and the variables each one's templates may use.
VARIABLES: Mapping[str, frozenset[str]] = {
    "booking_created": COMMON,
    "booking_requested": COMMON,
    "booking_confirmed": COMMON,
    "booking_cancelled": COMMON | {"reason"},
    "booking_declined": COMMON | {"reason"},
    "booking_expired": COMMON | {"reason"},
    "booking_rescheduled": COMMON | {"previous_when"},
    "reminder": COMMON | {"lead", "change_hint"},
}
#: File name endings of a kind's templates, in the order they are listed.
PARTS = (".subject.txt", ".txt", ".html")
LAYOUTS = ("layout.txt", "layout.html")
#: Longest string or list a template expression may build.
MAX_SIZE = 100_000


@dataclass(frozen=True)
class HostMail:
    """What a host's emails look like: branding (each None when unset) and template sources.

    ``templates``: file name (``booking_confirmed.html``) -> Jinja2 source, as
    :func:`mail.template_folder.read_folder` returned it. ``color`` is ``#rrggbb`` or
    ``#rgb``; ``logo_url`` an https URL.
    """

    name: str | None = None
    color: str | None = None
    logo_url: str | None = None
    templates: Mapping[str, str] = field(default_factory=dict)


#: ``host handle -> HostMail | None``: how a sender finds a host's branding and templates.
HostMailLookup = Callable[[str], HostMail | None]


def of_host(host: Host) -> HostMail:
    """The branding and templates stored with ``host``."""
    return HostMail(name=host.brand_name, color=host.brand_color, logo_url=host.brand_logo_url,
                    templates=dict(host.mail_templates or {}))


def lookup(uow_factory: UnitOfWorkFactory) -> HostMailLookup:
    """A :data:`HostMailLookup` reading the host through its own unit of work."""
    def find(handle: str) -> HostMail | None:
        with uow_factory() as uow:
            host = uow.hosts.get(handle)
            return of_host(host) if host is not None else None

    return find


class _Sandbox(SandboxedEnvironment):
    """The sandbox, with ``*`` and ``**`` refused when they would build something huge."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "**" and isinstance(right, int) and abs(right) > 64:
            raise TemplateError(f"the exponent {right} is too large")
        if operator_ == "*":
            sizes = [len(x) for x in (left, right) if isinstance(x, str | list | tuple)]
            counts = [x for x in (left, right) if isinstance(x, int)]
            if sizes and counts and sizes[0] * counts[0] > MAX_SIZE:
                raise TemplateError(f"repeating that makes more than {MAX_SIZE} items")
            return operator.mul(left, right)
        return super().call_binop(context, operator_, left, right)


class _Files(BaseLoader):
    """The host's sources by name; each template's file name is its own (for line numbers)."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        self.sources = dict(sources)

    def get_source(self, environment: Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        if template not in self.sources:
            raise TemplateNotFound(template)
        return self.sources[template], template, lambda: True

    def list_templates(self) -> list[str]:
        return sorted(self.sources)


_DEFAULTS = PackageLoader("mail", "templates")


def environment(templates: Mapping[str, str] | None = None) -> Environment:
    """The sandboxed environment of a host's templates over the defaults (cached per set)."""
    return _environment(tuple(sorted((templates or {}).items())))


@lru_cache(maxsize=256)
def _environment(items: tuple[tuple[str, str], ...]) -> Environment:
    loaders: list[BaseLoader] = [_Files(dict(items))] if items else []
    loaders += [PrefixLoader({"default": _DEFAULTS}), _DEFAULTS]
    return _Sandbox(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
