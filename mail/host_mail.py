"""A host's own email templates and branding: the folder, the sandbox, the checks at load.

A host's setup file may name a folder (``templates: mail/ana``, relative to
the setup file) holding any of these files (docs/email-templates.md)::

    <kind>.subject.txt   the subject line (one line; plain text)
    <kind>.txt           the plain-text body
    <kind>.html          the HTML body (autoescaped)
    layout.txt           the body of every kind without its own file
    layout.html

``<kind>`` is a notice kind of :data:`VARIABLES`. The default templates stay
reachable as ``default/layout.html`` and ``default/layout.txt`` (to extend).
Templates run in Jinja2's :class:`~jinja2.sandbox.SandboxedEnvironment` with
:class:`~jinja2.StrictUndefined`: no attribute of Python's internals, no
unknown variable, ranges and repetitions bounded (:data:`MAX_SIZE`).

:func:`read_folder` reads and checks a folder when ``slotbot load`` runs: an
unknown file, a syntax error, an unknown variable or a template that fails on
sample facts is one line each, with the file and its line, and nothing is
loaded. The sources are stored with the host; :func:`environment` compiles
them (once per distinct set) when an email is rendered.
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import TracebackType
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
    TemplateSyntaxError,
    meta,
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
#: Longest template file, characters; longest string or list an expression may build.
MAX_FILE = 64_000
MAX_SIZE = 100_000


@dataclass(frozen=True)
class HostMail:
    """What a host's emails look like: branding (each None when unset) and template sources.

    ``templates``: file name (``booking_confirmed.html``) -> Jinja2 source, as
    :func:`read_folder` returned it. ``color`` is ``#rrggbb`` or ``#rgb``;
    ``logo_url`` an https URL.
    """

    name: str | None = None
    color: str | None = None
    logo_url: str | None = None
    templates: Mapping[str, str] = field(default_factory=dict)


#: ``host handle -> HostMail | None``: how a sender finds a host's branding and templates.
HostMailLookup = Callable[[str], "HostMail | None"]


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


class TemplateFolderError(Exception):
    """A templates folder cannot be loaded; ``problems``: one line each, ``FILE, line N: …``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


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


def read_folder(folder: Path, *, label: str | None = None) -> dict[str, str]:
    """Read and check a host's templates folder.

    Args:
        folder: the folder (resolved against the setup file's folder by the caller).
        label: how problems name the folder (default: ``folder`` as given).

    Returns:
        File name -> source of every template in it (hidden files are skipped).

    Raises:
        TemplateFolderError: the folder is missing, or any file is unknown, not
            UTF-8, too long, or fails :func:`check`; every problem at once.
    """
    where = label or str(folder)
    if not folder.is_dir():
        raise TemplateFolderError([f"{where}: no such folder (paths are relative to the "
                                   "setup file)"])
    sources: dict[str, str] = {}
    problems: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        problem = _unknown_file(path)
        if problem is None:
            try:
                sources[path.name] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                problem = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
            else:
                if len(sources[path.name]) > MAX_FILE:
                    problem = f"longer than {MAX_FILE} characters"
        if problem is not None:
            problems.append(f"{where}/{path.name}: {problem}")
    if not problems:
        problems = [f"{where}/{line}" for line in check(sources)]
    if problems:
        raise TemplateFolderError(problems)
    return sources


def _unknown_file(path: Path) -> str | None:
    """Why ``path`` is not a template a host may give, or None."""
    if not path.is_file():
        return "not a file (templates sit directly in the folder)"
    name = path.name
    if name in LAYOUTS:
        return None
    kind = _kind_of(name)
    if kind is None:
        return ("not a template name: KIND.subject.txt, KIND.txt, KIND.html, layout.txt or "
                "layout.html")
    if kind not in VARIABLES:
        close = difflib.get_close_matches(kind, list(VARIABLES), n=1)
        hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(VARIABLES)}"
        return f"{kind!r} is not a notice kind; {hint}"
    return None


def _kind_of(name: str) -> str | None:
    return next((name.removesuffix(part) for part in PARTS if name.endswith(part)
                 and len(name) > len(part)), None)


def check(sources: Mapping[str, str]) -> list[str]:
    """Problems of a host's templates, one line each: ``FILE, line N: message``.

    Syntax first; then every variable must be one its kind documents
    (:data:`VARIABLES`; a layout: :data:`COMMON`); then each kind is rendered
    for a host and a guest reader on sample facts, which catches what only
    running shows (a sandbox refusal, an unknown template, a subject on
    several lines).
    """
    env = environment(sources)
    problems: list[str] = []
    for name, source in sorted(sources.items()):
        try:
            tree = env.parse(source, name, name)
        except TemplateSyntaxError as exc:
            problems.append(f"{name}, line {exc.lineno}: {exc.message}")
            continue
        kind = _kind_of(name) if name not in LAYOUTS else None
        allowed = VARIABLES[kind] if kind else COMMON
        for variable in sorted(meta.find_undeclared_variables(tree) - allowed - set(env.globals)):
            problems.append(f"{name}, line {_line_of(tree, variable)}: "
                            f"{_unknown_variable(variable, allowed, kind)}")
    if problems:
        return problems
    from mail.samples import contexts  # the sample facts render through mail.render

    found: dict[str, str] = {}  # each failure once, with the first kind and reader it hit
    for (kind, reader), context in contexts().items():
        for part, problem in _render_problems(env, sources, kind, context):
            found.setdefault(f"{part}: {problem}", f" (rendering {kind} for a {reader})")
    return [problem + when for problem, when in found.items()]


def _line_of(tree: Any, variable: str) -> int:
    from jinja2 import nodes

    return min((n.lineno for n in tree.find_all(nodes.Name) if n.name == variable), default=1)


def _unknown_variable(variable: str, allowed: frozenset[str], kind: str | None) -> str:
    close = difflib.get_close_matches(variable, sorted(allowed), n=1)
    where = f"a {kind} email" if kind else "a layout (every kind)"
    owners = [k for k, names in VARIABLES.items() if variable in names]
    hint = (f"; only {', '.join(owners)} has it" if owners else
            f"; did you mean {close[0]}?" if close else " (docs/email-templates.md lists them)")
    return f"unknown variable {variable!r} for {where}{hint}"


def _render_problems(env: Environment, sources: Mapping[str, str], kind: str,
                     context: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(file, problem) for each of ``kind``'s templates that fails on ``context``."""
    subject = f"{kind}.subject.txt"
    names = [[subject]] if subject in sources else []
    names += [[f"{kind}.txt", "layout.txt"], [f"{kind}.html", "layout.html"]]
    for choice in names:
        try:
            text = env.select_template(choice).render(context)
        except Exception as exc:  # any failure of a host's template is reported, not raised
            name, line = _failing_line(exc.__traceback__, sources) or (choice[0], None)
            at = f", line {line}" if line else ""
            yield f"{name}{at}", _message(exc)
            continue
        if choice == [subject] and not text.strip():
            yield subject, "the subject is empty"
        elif choice == [subject] and "\n" in text.strip():
            yield subject, "the subject must be one line"


def _failing_line(tb: TracebackType | None, sources: Mapping[str, str]
                  ) -> tuple[str, int] | None:
    """The innermost frame of a host template in ``tb``: (file name, line)."""
    found = None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name in sources:
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _message(exc: BaseException) -> str:
    if isinstance(exc, TemplateNotFound):
        return f"no template {exc.name!r} to extend or include"
    if isinstance(exc, RecursionError):
        return "a template extends or includes itself"
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {text}"
