"""Signed links opened in Telegram: ``https://t.me/<bot>?start=<token>`` → ``/start <token>``.

The dialog's ``/start`` step hands its argument to :func:`start_payload`: a
host handle gives None (the usual greeting); a valid link gives the payload of
the matching reminder button (``cancel:ID`` / ``move:ID``), so the guest goes
on in the ordinary flow, which still checks the booking is theirs and asks
before changing anything. The link is marked used as it is opened.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from bots.link_page import signed_links
from core.action_links import MAX_START_PARAMETER, Action, LinkProblem, digest
from core.guest_links import LinkRefused, open_link
from core.ports import Clock, UnitOfWorkFactory

_LOOKS_LIKE_TOKEN = re.compile(r"[A-Za-z0-9_-]{40,64}")
_PAYLOADS = {Action.CANCEL: "cancel", Action.RESCHEDULE: "move"}


def telegram_start_link(bot_username: str, token: str) -> str:
    """The deep link that opens the bot with ``/start <token>``."""
    assert len(token) <= MAX_START_PARAMETER
    return f"https://t.me/{bot_username}?start={token}"


def telegram_links(kind: str, payload: Mapping[str, Any], *, keys: Sequence[str],
                   bot_username: str) -> dict[str, str] | None:
    """Signed ``move``/``cancel`` deep links for a guest's Telegram notice (the
    reminder and booking notices of :data:`bots.link_page.LINKED_KINDS`), or None."""
    return signed_links(kind, payload, keys=keys,
                        url=partial(telegram_start_link, bot_username))


def looks_like_link(argument: str, *, keys: Sequence[str]) -> bool:
    """Whether ``/start ARGUMENT`` is meant as a signed link (links on, token-shaped),
    whether or not it is valid; nothing is read or used."""
    return bool(keys) and _LOOKS_LIKE_TOKEN.fullmatch(argument) is not None


def start_payload(argument: str, *, keys: Sequence[str], uow_factory: UnitOfWorkFactory,
                  clock: Clock) -> str | LinkProblem | None:
    """What ``/start ARGUMENT`` means when it is a signed link.

    Returns:
        None if ``argument`` is no link (a host handle, or links are off); the
        dialog payload (``cancel:ID`` / ``move:ID``) of a valid link, which is
        then used up; or why the link does nothing (forged, expired, used).
    """
    if not looks_like_link(argument, keys=keys):
        return None
    try:
        opened = open_link(argument, keys=keys, uow_factory=uow_factory, clock=clock)
    except LinkRefused as refused:
        return refused.problem
    with uow_factory() as uow:
        if not uow.links.use(digest(argument), opened.link.booking_id, clock()):
            return LinkProblem.USED
        uow.commit()
    return f"{_PAYLOADS[opened.link.action]}:{opened.link.booking_id}"
