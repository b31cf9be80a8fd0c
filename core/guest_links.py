"""Using a signed guest action link (:mod:`core.action_links`): cancel or reschedule.

The link's effect and its single-use mark are one transaction: the booking is
cancelled (or moved) and the link recorded as used together, or neither.
A forged, expired or used link changes nothing and raises :class:`LinkRefused`
saying which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core import services
from core.action_links import Action, LinkAction, LinkProblem, digest, verify
from core.booking_rules import view_of
from core.errors import SlotbotError
from core.ports import Clock, UnitOfWork, UnitOfWorkFactory
from core.views import Actor, BookingView


class LinkRefused(SlotbotError):
    """The link does nothing: ``problem`` says why (forged, expired or used)."""

    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(f"this link is {problem.value}")
        self.problem = problem


@dataclass(frozen=True)
class OpenedLink:
    """A valid, unused link and the booking it is for (nothing done yet)."""

    link: LinkAction
    view: BookingView

    @property
    def actor(self) -> Actor:
        """The booking's guest: the link acts for them."""
        return Actor("guest", self.view.booking.guest_id)


def open_link(token: str, *, keys: Sequence[str], uow_factory: UnitOfWorkFactory,
              clock: Clock) -> OpenedLink:
    """Check a link and read its booking, changing nothing (what a page shows first).

    Raises:
        LinkRefused: forged, expired, or used already.
        BookingNotFound: the booking is gone (pruned).
    """
    checked = verify(token, clock(), keys=keys)
    if isinstance(checked, LinkProblem):
        raise LinkRefused(checked)
    with uow_factory() as uow:
        if uow.links.used(digest(token)):
            raise LinkRefused(LinkProblem.USED)
        booking = uow.bookings.get(checked.booking_id)
        if booking is None:
            raise LinkRefused(LinkProblem.FORGED)
        return OpenedLink(checked, view_of(uow, booking))


def use_link(token: str, *, keys: Sequence[str], uow_factory: UnitOfWorkFactory, clock: Clock,
             new_start: datetime | None = None) -> BookingView:
    """Do what the link says, once: cancel, or move the booking to ``new_start``.

    Args:
        new_start: aware; required for a reschedule link.

    Returns:
        The cancelled booking, or the new one of a reschedule.

    Raises:
        LinkRefused: forged, expired or used (also when another request used it
            a moment ago: then this one's change is rolled back).
        ValueError: a reschedule link without ``new_start``.
        BookingNotLive, TooLateToChange, SlotUnavailable, …: as
            :func:`core.services.cancel` / :func:`core.services.reschedule`;
            the link stays unused.
    """
    opened = open_link(token, keys=keys, uow_factory=uow_factory, clock=clock)
    link = opened.link
    now = clock()

    def mark_used(uow: UnitOfWork) -> None:
        if not uow.links.use(digest(token), link.booking_id, now):
            raise LinkRefused(LinkProblem.USED)

    if link.action is Action.CANCEL:
        return services.cancel(link.booking_id, actor=opened.actor, uow=uow_factory(),
                               clock=clock, also=mark_used)
    if new_start is None:
        raise ValueError("a reschedule link needs the new start")
    return services.reschedule(link.booking_id, new_start, actor=opened.actor,
                               uow=uow_factory(), clock=clock, also=mark_used)
