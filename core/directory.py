"""The host directory: every host's name, zone and event types, without their rules.

What a guest message needs to know about *all* hosts — the names the parser
recognizes, who "Ana" is, which host an event type id belongs to, the names
listed in help — is small and changes rarely. Storage builds one immutable
:class:`HostDirectory` per version of the hosts table and shares it between
messages (:meth:`core.ports.HostRepository.directory`); a message then loads
the full rules of the one host it is about (``hosts.get``), not of every host.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from core.ids import stored_id
from core.models import Host


@dataclass(frozen=True)
class EventTypeEntry:
    """An event type as the directory knows it (``duration`` in minutes)."""

    id: int
    slug: str
    title: str
    duration: int
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class HostEntry:
    """A host as the directory knows it: who, in which zone, offering what."""

    id: int
    handle: str
    name: str
    timezone: str
    event_types: tuple[EventTypeEntry, ...] = ()

    @classmethod
    def of(cls, host: Host) -> HostEntry:
        """The entry of a loaded host (ids must be set)."""
        return cls(stored_id(host.id), host.handle, host.name, host.timezone, tuple(
            EventTypeEntry(stored_id(e.id), e.slug, e.title, e.duration, tuple(e.aliases))
            for e in host.event_types))

    @property
    def mentions(self) -> tuple[str, str, str]:
        """How a guest may name the host: handle, full name, first name (lower case)."""
        return self.handle, self.name.lower(), self.name.split()[0].lower()


@dataclass(frozen=True)
class HostDirectory:
    """Every host, by handle; lookups by mention, handle and event type id.

    Attributes:
        entries: the hosts in handle order.
        host_words: every host's mentions, for :func:`nlp.parse` (``hosts=``).
        event_type_words: every event type's slug and title (lower case, each
            once), for :func:`nlp.parse` (``event_types=``).
        event_type_aliases: every event type's aliases (lower case) → its slug,
            for :func:`nlp.parse` (``aliases=``); an alias two event types share
            goes to the first (in host handle order).
    """

    entries: tuple[HostEntry, ...]
    host_words: tuple[str, ...] = field(init=False)
    event_type_words: tuple[str, ...] = field(init=False)
    event_type_aliases: Mapping[str, str] = field(init=False)
    _by_mention: dict[str, HostEntry] = field(init=False, repr=False)
    _by_handle: dict[str, HostEntry] = field(init=False, repr=False)
    _by_event_type: dict[int, tuple[HostEntry, EventTypeEntry]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_mention: dict[str, HostEntry] = {}
        for entry in self.entries:
            for word in entry.mentions:
                by_mention.setdefault(word, entry)  # the first host in handle order wins
        words = (w for e in self.entries for t in e.event_types for w in (t.slug, t.title.lower()))
        set_ = object.__setattr__
        set_(self, "host_words", tuple(w for e in self.entries for w in e.mentions))
        set_(self, "event_type_words", tuple(dict.fromkeys(words)))
        aliases: dict[str, str] = {}
        for entry in self.entries:
            for kind in entry.event_types:
                for alias in kind.aliases:
                    aliases.setdefault(alias.lower(), kind.slug)
        set_(self, "event_type_aliases", MappingProxyType(aliases))
        set_(self, "_by_mention", by_mention)
        set_(self, "_by_handle", {e.handle: e for e in self.entries})
        set_(self, "_by_event_type",
             {t.id: (e, t) for e in self.entries for t in e.event_types})

    @classmethod
    def of(cls, entries: Iterable[HostEntry]) -> HostDirectory:
        """A directory of ``entries`` (any order; kept in handle order)."""
        return cls(tuple(sorted(entries, key=lambda e: e.handle)))

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, mention: str | None) -> HostEntry | None:
        """The host a guest named by handle, full name or first name (any case), if any."""
        return self._by_mention.get(mention.lower()) if mention else None

    def get(self, handle: str) -> HostEntry | None:
        """The host with this handle, if any."""
        return self._by_handle.get(handle)

    def event_type(self, event_type_id: int) -> tuple[HostEntry, EventTypeEntry] | None:
        """The host offering event type ``event_type_id``, and that event type."""
        return self._by_event_type.get(event_type_id)

    @property
    def names(self) -> Sequence[str]:
        """The hosts' names, in handle order (for help texts)."""
        return [e.name for e in self.entries]
