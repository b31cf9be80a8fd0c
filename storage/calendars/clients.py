"""The calendar clients of a process by kind, each built (and its library imported) on first use.

Building the CalDAV or Google client imports caldav, the Google API client and,
through them, the iCalendar and mail modules: about half a second of start-up
that a ``slotbot chat`` whose hosts have no calendars never needs.
:class:`Clients` holds a factory per kind and calls it once, the first time
that kind is asked for; an assignment (tests put a stand-in client in) takes
the place of the factory.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any


class Clients(MutableMapping[str, Any]):
    """Calendar kind (``google``/``caldav``/``ics``) -> client, built on first lookup.

    Args:
        factories: kind -> a callable without arguments that returns the client.
            A client that both reads and writes (CalDAV, Google) is shared by
            giving the fetchers' and the writers' :class:`Clients` the same
            factory wrapped in :func:`functools.cache`.
    """

    def __init__(self, factories: Mapping[str, Callable[[], Any]]) -> None:
        self._factories = dict(factories)
        self._built: dict[str, Any] = {}
        self._lock = threading.Lock()

    @classmethod
    def ready(cls, clients: Mapping[str, Any]) -> Clients:
        """Clients already built (what tests pass)."""
        made = cls({})
        made._built.update(clients)
        return made

    def __getitem__(self, kind: str) -> Any:
        with self._lock:
            if kind not in self._built and kind not in self._factories:
                raise KeyError(kind)
            if kind not in self._built:
                self._built[kind] = self._factories[kind]()
            return self._built[kind]

    def __setitem__(self, kind: str, client: Any) -> None:
        with self._lock:
            self._built[kind] = client

    def __delitem__(self, kind: str) -> None:
        with self._lock:
            if kind not in self._built and kind not in self._factories:
                raise KeyError(kind)
            self._built.pop(kind, None)
            self._factories.pop(kind, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(dict.fromkeys([*self._built, *self._factories])))

    def __len__(self) -> int:
        return len({*self._built, *self._factories})

    def built(self) -> list[Any]:
        """The clients built so far (nothing is built by asking)."""
        with self._lock:
            return list(self._built.values())
