"""Bolt's request verification with an injectable clock.

Bolt's built-in ``RequestVerification`` always reads the wall clock; this is the
same middleware with a ``SignatureVerifier`` whose clock is ours, so tests can
pin "now". ``build_app`` installs it in the built-in's place (first after the
SSL check, before authorization and URL verification).
"""

from __future__ import annotations

from datetime import UTC, datetime

from slack_bolt.middleware.request_verification import RequestVerification
from slack_sdk.signature import Clock as SignatureClock
from slack_sdk.signature import SignatureVerifier

from core.ports import Clock


def utc_now() -> datetime:
    """The wall clock, aware in UTC: the Slack adapter's default clock."""
    return datetime.now(UTC)


class _EpochClock(SignatureClock):
    """slack_sdk's clock shape (epoch seconds) over our aware-datetime clock."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def now(self) -> float:
        return self._clock().timestamp()


class ClockedRequestVerification(RequestVerification):
    """Rejects (HTTP 401) requests whose v0 signature is wrong or missing, or whose
    ``X-Slack-Request-Timestamp`` is more than 5 minutes away from ``clock()``."""

    def __init__(self, signing_secret: str, clock: Clock | None = None) -> None:
        """Verify with ``signing_secret``, judging freshness by ``clock``.

        Args:
            signing_secret: the app's signing secret.
            clock: returns the current instant, aware; default the wall clock.

        Raises:
            ValueError: ``signing_secret`` is empty.
        """
        super().__init__(signing_secret)
        self._clocked_verifier = SignatureVerifier(
            signing_secret=signing_secret, clock=_EpochClock(clock or utc_now)
        )

    @property
    def verifier(self) -> SignatureVerifier:
        return self._clocked_verifier
