"""Signed guest action links: cancel or reschedule a booking from a reminder or an email.

A token is ``PAYLOAD`` (12 characters) followed by its signature (43
characters), 55 characters of ``A-Z a-z 0-9 _ -`` in all, so it fits
Telegram's deep-link ``start`` parameter (at most 64 of those characters):
``https://t.me/<bot>?start=<token>``. The email page of the serve port takes
the same token (``/links/<token>``).

- **Signed**: HMAC-SHA256 by :class:`itsdangerous.Signer` with the key from
  ``SLOTBOT_LINK_SECRET`` (several keys verify, the last signs: rotation).
- **Purpose-scoped**: the salt names guest action links, and the action
  (cancel or reschedule) and the booking id are inside the signed payload, so
  a token signs nothing else and a cancel link cannot be turned into another.
- **Expiring**: the payload carries the instant it stops working (whole
  seconds, UTC), normally the booking's start.
- **Single-use**: :func:`digest` is what the store (:class:`core.ports.LinkRepository`)
  records when a link is used, in the same transaction as its effect.

:func:`verify` is pure: ``verify(token, now, keys=…)`` returns the
:class:`LinkAction` or the :class:`LinkProblem`; nothing here touches storage.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from itsdangerous import Signer

from core.models import require_aware

#: Salt of every guest action link (a key signs nothing else with this purpose).
PURPOSE = "slotbot.guest-action-link.v1"

#: Telegram's limit on a deep link's ``start`` parameter, characters.
MAX_START_PARAMETER = 64

_PAYLOAD = struct.Struct(">cII")  # action, booking id, expiry (Unix seconds)
_PAYLOAD_CHARS = 12  # base64 of 9 bytes
_TOKEN = re.compile(r"[A-Za-z0-9_-]{55}")


class Action(enum.StrEnum):
    CANCEL = "cancel"
    RESCHEDULE = "reschedule"


_CODES = {Action.CANCEL: b"c", Action.RESCHEDULE: b"r"}


class LinkProblem(enum.StrEnum):
    """Why a link does nothing: the reply tells the guest which."""

    FORGED = "forged"  # malformed, or not signed by our key
    EXPIRED = "expired"
    USED = "used"  # the store has it already (see :func:`digest`)


@dataclass(frozen=True)
class LinkAction:
    """What a valid token asks for: ``expires_at`` aware UTC."""

    action: Action
    booking_id: int
    expires_at: datetime
    token: str


def _signer(keys: Sequence[str]) -> Signer:
    if not keys:
        raise ValueError("no link key: set SLOTBOT_LINK_SECRET")
    return Signer(list(keys), salt=PURPOSE, digest_method=hashlib.sha256)


def issue(action: Action, booking_id: int, expires_at: datetime, *, keys: Sequence[str]) -> str:
    """A token for ``action`` on ``booking_id`` that stops working at ``expires_at``.

    Args:
        expires_at: aware; rounded down to the second.
        keys: the link keys, oldest first (the last signs; all verify).

    Raises:
        ValueError: no key, or a booking id or instant outside 32 bits.
    """
    seconds = int(require_aware(expires_at, "expires_at").timestamp())
    payload = base64.urlsafe_b64encode(
        _PAYLOAD.pack(_CODES[action], booking_id, seconds)).decode()
    token = payload + _signer(keys).get_signature(payload).decode()
    assert len(token) <= MAX_START_PARAMETER
    return token


def verify(token: str, now: datetime, *, keys: Sequence[str]) -> LinkAction | LinkProblem:
    """Check a token's shape, signature and expiry (not whether it was used).

    Args:
        now: aware instant; the token is expired from its ``expires_at`` on.

    Returns:
        The action, or :attr:`LinkProblem.FORGED` / :attr:`LinkProblem.EXPIRED`.
    """
    require_aware(now, "now")
    if not _TOKEN.fullmatch(token):
        return LinkProblem.FORGED
    payload, signature = token[:_PAYLOAD_CHARS], token[_PAYLOAD_CHARS:]
    if not _canonical(signature) or not _signer(keys).verify_signature(payload, signature):
        return LinkProblem.FORGED
    try:
        code, booking_id, seconds = _PAYLOAD.unpack(base64.urlsafe_b64decode(payload))
    except (binascii.Error, struct.error):  # pragma: no cover - signed by us, so well-formed
        return LinkProblem.FORGED
    action = next((a for a, c in _CODES.items() if c == code), None)
    if action is None:
        return LinkProblem.FORGED
    expires_at = datetime.fromtimestamp(seconds, UTC)
    if now >= expires_at:
        return LinkProblem.EXPIRED
    return LinkAction(action, booking_id, expires_at, token)


def _canonical(signature: str) -> bool:
    """Whether ``signature`` is the one spelling of its bytes.

    43 base64 characters hold 258 bits for the 256 of the signature: the last
    character's 2 spare bits let four spellings decode alike. Only the one
    with them zero is accepted, so a used link cannot come back respelled
    (the single-use store keeps the :func:`digest` of the exact token).
    """
    raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    return base64.urlsafe_b64encode(raw).decode().rstrip("=") == signature


def digest(token: str) -> str:
    """What the single-use store keeps of a used token (64 hex characters, not the token)."""
    return hashlib.sha256(token.encode()).hexdigest()
