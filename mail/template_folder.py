"""Reading and checking a host's email templates folder when ``slotbot load`` runs.

:func:`read_folder` reads the folder a host's ``templates:`` names (file names
and meaning: :mod:`mail.host_mail`, docs/email-templates.md) and
:func:`check` checks the sources: an unknown file, a syntax error, an unknown
variable or a template that fails on sample facts (:mod:`mail.samples`) is one
line each, with the file and its line, and nothing is loaded.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import Environment, TemplateError, TemplateNotFound, TemplateSyntaxError, meta, nodes

from mail.host_mail import COMMON, LAYOUTS, PARTS, VARIABLES, environment
from mail.samples import contexts

#: Longest template file, characters.
MAX_FILE = 64_000


class TemplateFolderError(Exception):
    """A templates folder cannot be loaded; ``problems``: one line each, ``FILE, line N: …``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


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
    found: dict[str, str] = {}  # each failure once, with the first kind and reader it hit
    for (kind, reader), context in contexts().items():
        for part, problem in _render_problems(env, sources, kind, context):
            found.setdefault(f"{part}: {problem}", f" (rendering {kind} for a {reader})")
    return [problem + when for problem, when in found.items()]


def _line_of(tree: Any, variable: str) -> int:
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
