"""The ``calendars:`` entries of a host in the setup file (DESIGN 3.2) → :class:`Calendar`.

Pure: no I/O, and no checks: the entries arrive validated by
:class:`core.setup_schema.CalendarSpec` (one parser of the schema). Each entry
names exactly one kind::

    calendars:
      - google: primary                 # after `slotbot google connect HANDLE`
        write: true                     # receives bookings (default: the first writable)
      - caldav: https://dav.example.com/ana/work/
        username: ana
        password_env: ANA_CALDAV_PASSWORD   # the variable's name, never the secret
      - ics: https://example.com/ana-private.ics   # read-only busy feed
        busy: true                      # false: write-only (its events do not block)
"""

from __future__ import annotations

from collections.abc import Sequence

from core.models import Calendar, CalendarKind
from core.setup_schema import CalendarSpec


def parse_calendars(specs: Sequence[CalendarSpec]) -> list[Calendar]:
    """Build a host's calendars from its validated ``calendars:`` entries, in file order.

    When no entry says ``write: true``, the first Google or CalDAV entry (not
    marked ``write: false``) receives bookings.
    """
    calendars = [Calendar(kind=CalendarKind(spec.kind), address=spec.address,
                          username=spec.username, password_env=spec.password_env,
                          write=spec.write, busy=spec.busy, position=position)
                 for position, spec in enumerate(specs)]
    if not any(c.write for c in calendars):
        first = next((c for c, spec in zip(calendars, specs, strict=True)
                      if c.kind is not CalendarKind.ICS and "write" not in spec.model_fields_set),
                     None)
        if first is not None:
            first.write = True
    return calendars
