"""Host commands on contacts: contacts, contact, note."""

from __future__ import annotations

from bots.host_commands._base import Ctx, status_word
from bots.messages import Reply
from core import booking_details
from core import contacts as contact_list
from core.booking_details import ContactDetail
from core.models import Guest

#: Contacts listed by ``/slotbot contacts`` at most.
CONTACTS_SHOWN = 30
#: A contact's bookings ``/slotbot contact`` shows (the latest).
BOOKINGS_SHOWN = 10


def contacts(ctx: Ctx) -> Reply:
    search = " ".join(ctx.args) or None
    found = contact_list.list_contacts(ctx.host.handle, uow=ctx.uow_factory(), search=search)
    t = ctx.t
    if not found:
        return ctx.say("host_contacts_no_match", search=search) if search else \
            ctx.say("host_contacts_none")
    lines = [t.text("host_contacts_matching", search=search) if search
             else t.text("host_contacts", count=len(found))]
    for contact, guest in found[:CONTACTS_SHOWN]:
        last = (t.text("host_contact_last", day=t.date(
            contact.last_booked_at.astimezone(ctx.host.zone).date(), year=True))
            if contact.last_booked_at else "")
        lines.append(t.text("host_contact_line", name=_name(guest),
                            bookings=t.plural("host_n_bookings", contact.total_bookings),
                            last=last))
    if len(found) > CONTACTS_SHOWN:
        lines.append(t.text("host_contacts_more", count=len(found) - CONTACTS_SHOWN))
    return Reply("\n".join(lines))


def contact(ctx: Ctx) -> Reply:
    name = " ".join(ctx.args)
    if not name:
        return ctx.usage("contact")
    found = booking_details.find_contacts(ctx.host.handle, name, uow=ctx.uow_factory())
    one = _one(ctx, name, found)
    if isinstance(one, Reply):
        return one
    t, tz = ctx.t, ctx.tz
    guest = one.guest
    lines = [t.text("host_contact", name=_name(guest),
                    email=f" <{guest.email}>" if guest.email and guest.name else "",
                    bookings=t.plural("host_n_bookings", one.contact.total_bookings),
                    no_shows=t.plural("host_n_no_shows", one.no_shows))]
    if one.bookings:
        lines.append(t.text("host_contact_bookings"))
        for view in one.bookings[-BOOKINGS_SHOWN:]:
            b = view.booking
            lines.append(t.text("host_contact_booking", id=b.id, title=view.event_type.title,
                                when=f"{t.day(b.start, tz)} {t.clock(b.start, tz)}",
                                status=t.text("host_status", status=status_word(t, b))))
    if one.notes:
        lines.append(t.text("host_booking_notes"))
        lines += [t.text("host_note_line", day=t.day(n.created_at, tz), text=n.text)
                  for n in one.notes]
    return Reply("\n".join(lines))


def note(ctx: Ctx) -> Reply:
    """``note NAME text``: the name is the first word (quote a full name: ``note "Carla M" …``)."""
    if len(ctx.args) < 2:
        return ctx.usage("note")
    name, text = ctx.args[0], " ".join(ctx.args[1:])
    found = booking_details.find_contacts(ctx.host.handle, name, uow=ctx.uow_factory())
    one = _one(ctx, name, found)
    if isinstance(one, Reply):
        return one
    booking_details.add_note(ctx.host.handle, one.guest.id or 0, text, uow=ctx.uow_factory(),
                             now=ctx.now())
    return ctx.say("host_note_kept", name=_name(one.guest))


def _one(ctx: Ctx, name: str, found: list[ContactDetail]) -> ContactDetail | Reply:
    if not found:
        return ctx.say("host_contacts_no_match", search=name)
    if len(found) > 1:
        return ctx.say("host_contact_many", name=name,
                       names=", ".join(sorted(_name(d.guest) for d in found)[:10]))
    return found[0]


def _name(guest: Guest) -> str:
    return guest.name or guest.email or guest.platform_user_id
