"""Who a Slack user is (name, zone, locale), from ``users.info``, cached in memory.

A returning guest costs no Web API call: the answer is kept per user id for
``ttl`` (default 10 minutes, ``USER_TTL``), then asked again, so a changed time
zone, locale or name shows within that time.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bots.slack import _strings
from bots.slack._verification import utc_now
from core.ports import Clock

logger = logging.getLogger(__name__)

#: How long a ``users.info`` answer is used before it is asked again.
USER_TTL = timedelta(minutes=10)


@dataclass(frozen=True)
class SlackUser:
    """The profile facts an ``IncomingMessage`` carries; None when Slack did not say.

    Attributes:
        display_name: ``user.real_name`` (else ``profile.real_name``, else ``name``).
        timezone: ``user.tz``, an IANA zone such as ``America/New_York``.
        locale: ``user.locale`` such as ``en-US``.
    """

    display_name: str | None = None
    timezone: str | None = None
    locale: str | None = None


class UserDirectory:
    """``users.info`` lookups, cached per user id for ``ttl``; the least recently used
    is evicted beyond ``max_size``.

    Thread-safe: Bolt runs listeners on a thread pool. A failed lookup is not
    cached, so the next message from that user tries again.
    """

    def __init__(self, client: WebClient, *, max_size: int = 1024,
                 ttl: timedelta = USER_TTL, clock: Clock | None = None) -> None:
        """Keep up to ``max_size`` users for ``ttl`` each, asking Slack through ``client``.

        Args:
            client: the app's Web API client (bot token with ``users:read``).
            max_size: at most this many users are kept (default 1024).
            ttl: how long an answer is used (default ``USER_TTL``, 10 minutes).
            clock: the current instant, aware; default the wall clock.

        Raises:
            ValueError: ``max_size`` is below 1 or ``ttl`` is not positive.
        """
        if max_size < 1:
            raise ValueError(f"max_size must be at least 1, got {max_size}")
        if ttl <= timedelta(0):
            raise ValueError(f"ttl must be positive, got {ttl}")
        self._client = client
        self._max_size = max_size
        self._ttl = ttl
        self._clock = clock or utc_now
        self._cache: OrderedDict[str, tuple[SlackUser, datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def lookup(self, user_id: str) -> SlackUser:
        """The user's profile facts, from the cache or one ``users.info`` call.

        Args:
            user_id: a Slack user id (``U…``/``W…``).

        Returns:
            The facts; all None when ``users.info`` failed (logged, not raised).
        """
        now = self._clock()
        with self._lock:
            cached = self._cache.get(user_id)
            if cached is not None and now < cached[1]:
                self._cache.move_to_end(user_id)
                return cached[0]
        try:
            response = self._client.users_info(user=user_id, include_locale=True)
        except (SlackApiError, SlackClientError, OSError) as error:
            logger.warning(_strings.log_users_info_failed(user_id, str(error)))
            return SlackUser()
        user = _from_users_info(response.get("user") or {})
        with self._lock:
            self._cache[user_id] = (user, now + self._ttl)
            self._cache.move_to_end(user_id)
            while len(self._cache) > self._max_size:
                self._cache.popitem(last=False)
        return user


def _from_users_info(user: dict[str, object]) -> SlackUser:
    profile = user.get("profile")
    profile_name = profile.get("real_name") if isinstance(profile, dict) else None
    name = user.get("real_name") or profile_name or user.get("name")
    tz = user.get("tz")
    locale = user.get("locale")
    return SlackUser(
        display_name=name if isinstance(name, str) and name else None,
        timezone=tz if isinstance(tz, str) and tz else None,
        locale=locale if isinstance(locale, str) and locale else None,
    )
