"""A host's contacts: every guest who booked, with how often and when last."""

from __future__ import annotations

from core.errors import HostNotFound
from core.models import Contact, Guest
from core.ports import UnitOfWork


def list_contacts(
    handle: str, *, uow: UnitOfWork, search: str | None = None
) -> list[tuple[Contact, Guest]]:
    """The host's contacts, latest booked first, optionally those matching ``search``.

    Args:
        search: text to find in the guest's name or email (any case).

    Raises:
        HostNotFound: no host has this handle.
    """
    with uow:
        host = uow.hosts.get(handle)
        if host is None or host.id is None:
            raise HostNotFound(handle)
        return uow.contacts.search(host.id, search or None)
