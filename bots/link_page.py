"""The small page behind the signed links in emails: ``/links/<token>`` on the serve port.

A WSGI application (:func:`make_link_app`), so any server of the serve port
can mount it. ``GET`` only shows what the link will do (mail scanners that
fetch links change nothing); ``POST`` does it once. A cancel link shows the
booking and one button; a reschedule link shows the next free times, each a
button. Forged, expired and used links change nothing and say so (403, 410,
410). Texts come from the catalogs in the guest's language; this renderer is
the only place they are escaped for HTML.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import parse_qs

from bots.texts import Texts, language
from core import services
from core.action_links import Action, LinkProblem, issue
from core.errors import SlotbotError
from core.guest_links import LinkRefused, OpenedLink, open_link, use_link
from core.ports import Clock, UnitOfWorkFactory

#: Path prefix of the page.
PREFIX = "/links/"
#: How far ahead a reschedule page looks for free times, and how many it offers.
SEARCH_AHEAD = timedelta(days=14)
MAX_CHOICES = 8

_STATUS = {200: "200 OK", 400: "400 Bad Request", 403: "403 Forbidden", 404: "404 Not Found",
           405: "405 Method Not Allowed", 409: "409 Conflict", 410: "410 Gone"}
_PROBLEM_STATUS = {LinkProblem.FORGED: 403, LinkProblem.EXPIRED: 410, LinkProblem.USED: 410}

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


#: Notices to a guest that carry move/cancel links in their email.
LINKED_KINDS = frozenset({"reminder", "booking_created", "booking_confirmed",
                          "booking_rescheduled"})


def link_url(public_url: str, token: str) -> str:
    """The page of ``token`` under the serve port's public URL."""
    return public_url.rstrip("/") + PREFIX + token


def signed_links(kind: str, payload: Mapping[str, Any], *, keys: Sequence[str],
                 url: Callable[[str], str]) -> dict[str, str] | None:
    """Signed ``move``/``cancel`` links (``url(token)``) for a guest's notice, valid until
    the booking's start.

    None for hosts' notices, other kinds, and bookings without an id or start.
    """
    if kind not in LINKED_KINDS or payload.get("reader") != "guest":
        return None
    booking_id, start = payload.get("booking_id"), payload.get("start")
    if not isinstance(booking_id, int) or not isinstance(start, str):
        return None
    until = datetime.fromisoformat(start)
    return {name: url(issue(action, booking_id, until, keys=keys))
            for name, action in (("move", Action.RESCHEDULE), ("cancel", Action.CANCEL))}


def email_links(kind: str, payload: Mapping[str, Any], *, keys: Sequence[str],
                public_url: str) -> dict[str, str] | None:
    """:func:`signed_links` to this page under the serve port's ``public_url``."""
    return signed_links(kind, payload, keys=keys, url=partial(link_url, public_url))


def make_link_app(*, keys: Sequence[str], uow_factory: UnitOfWorkFactory,
                  clock: Clock) -> WsgiApp:
    """The WSGI app serving ``GET``/``POST /links/<token>``; other paths are 404."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")  # mounted or not
        method = environ.get("REQUEST_METHOD", "GET")
        if not path.startswith(PREFIX):
            return _page(start_response, 404, _reader_texts(environ), "")
        token = path[len(PREFIX):]
        if method not in ("GET", "POST"):
            return _page(start_response, 405, _reader_texts(environ), "")
        try:
            opened = open_link(token, keys=keys, uow_factory=uow_factory, clock=clock)
        except LinkRefused as refused:
            texts = _reader_texts(environ)
            return _page(start_response, _PROBLEM_STATUS[refused.problem], texts,
                         _p(texts.text(f"link_{refused.problem.value}")))
        texts = Texts(language(opened.view.guest.locale)) if opened.view.guest.locale \
            else _reader_texts(environ)
        if method == "GET":
            return _page(start_response, 200, texts, _offer(opened, texts, uow_factory, clock))
        return _act(start_response, environ, opened, texts, token,
                    keys=keys, uow_factory=uow_factory, clock=clock)

    return app


def _reader_texts(environ: dict[str, Any]) -> Texts:
    """Texts in the browser's first language (``Accept-Language``) when the guest's is unknown."""
    first = str(environ.get("HTTP_ACCEPT_LANGUAGE", "")).split(",")[0].split(";")[0].strip()
    return Texts(language(first or None))


def _zone(opened: OpenedLink) -> str:
    return opened.view.guest.timezone or opened.view.host.timezone


def _offer(opened: OpenedLink, texts: Texts, uow_factory: UnitOfWorkFactory,
           clock: Clock) -> str:
    view, tz = opened.view, _zone(opened)
    if opened.link.action is Action.CANCEL:
        return _p(texts.confirm_cancel(view, tz)) + _form([("", texts.text("yes_cancel"))])
    now = clock()
    minutes = int(view.booking.duration.total_seconds() // 60)
    slots = services.free_slots(view.host.handle, view.event_type.slug, now, now + SEARCH_AHEAD,
                                uow=uow_factory(), clock=clock, duration=minutes)
    choices = [(s.start.isoformat(), texts.slot_label(s, tz)) for s in slots
               if s.start != view.booking.start][:MAX_CHOICES]
    if not choices:
        return _p(texts.nothing_free(view.host))
    return _p(texts.ask_new_time(view, tz)) + _form(choices)


def _act(start_response: StartResponse, environ: dict[str, Any], opened: OpenedLink,
         texts: Texts, token: str, *, keys: Sequence[str], uow_factory: UnitOfWorkFactory,
         clock: Clock) -> Iterable[bytes]:
    new_start = None
    if opened.link.action is Action.RESCHEDULE:
        new_start = _posted_start(environ)
        if new_start is None:
            return _page(start_response, 400, texts, _p(texts.text("link_pick_time")))
    try:
        view = use_link(token, keys=keys, uow_factory=uow_factory, clock=clock,
                        new_start=new_start)
    except LinkRefused as refused:
        return _page(start_response, _PROBLEM_STATUS[refused.problem], texts,
                     _p(texts.text(f"link_{refused.problem.value}")))
    except SlotbotError:
        return _page(start_response, 409, texts, _p(texts.text("link_not_possible")))
    done = texts.cancelled(view) if opened.link.action is Action.CANCEL \
        else texts.rescheduled(view, _zone(opened))
    return _page(start_response, 200, texts, _p(done))


def _posted_start(environ: dict[str, Any]) -> datetime | None:
    try:
        length = min(int(environ.get("CONTENT_LENGTH") or 0), 4096)
    except ValueError:
        return None
    form = parse_qs(environ["wsgi.input"].read(length).decode("utf-8", "replace"))
    try:
        start = datetime.fromisoformat(form.get("start", [""])[0])
    except ValueError:
        return None
    return start if start.tzinfo is not None else None


def _p(text: str) -> str:
    return "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines())


def _form(choices: Sequence[tuple[str, str]]) -> str:
    buttons = "".join(
        f'<button name="start" value="{html.escape(value)}">{html.escape(label)}</button>'
        if value else f"<button>{html.escape(label)}</button>" for value, label in choices)
    return f'<form method="post">{buttons}</form>'


def _page(start_response: StartResponse, status: int, texts: Texts, body: str) -> list[bytes]:
    page = (f'<!doctype html><html lang="{texts.lang}"><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width"><meta name="robots" '
            f'content="noindex"><title>Slotbot</title><body>{body}</body></html>').encode()
    start_response(_STATUS[status], [("Content-Type", "text/html; charset=utf-8"),
                                     ("Content-Length", str(len(page))),
                                     ("Cache-Control", "no-store"),
                                     ("Referrer-Policy", "no-referrer")])
    return [page]
