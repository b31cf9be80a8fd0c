"""Delivery of the outbox: claim due messages, render, send within platform limits, record.

Every notification is written to the outbox in the transaction that caused it
(DESIGN 1); :func:`deliver_due` is the only place that sends them. A pass claims
due messages oldest first under a lease (``claimed_until``), sends each through
its channel's transport, paced by :class:`Pacer` (Telegram: 1 message/s per
chat and 30/s per bot; Slack: 1/s per channel), and records the outcome in its
own transaction right after the send:

* sent: ``status = sent``, ``sent_at = now``;
* refused for now (429 with ``retry_after``, 5xx, network): retried at
  ``now + max(retry_after, backoff)``, backoff doubling from ``base_delay`` up to
  ``max_delay``; after ``max_attempts`` tries, ``status = failed`` (a transport
  with ``gave_up``, :class:`GivesUp`, is then told: a refund is marked failed). Later
  messages to the same chat wait behind it, so each chat gets its messages in
  order;
* refused for good (unknown chat, bot blocked): ``status = failed`` at once.

A sender killed between a send and its record leaves the message claimed until
the lease ends; it is then sent again (at least once at the network edge: the
platforms have no idempotency key for messages). Channels without a transport
are not claimed: their messages stay queued until one is configured. Channels
switched ``off`` (``email`` without ``SMTP_URL``) are claimed and marked failed
at once with the reason, so ``slotbot outbox`` does not show them as waiting.

Before rendering, a booking notice gets the facts its row may lack, read from
the booking at send time (:func:`facts`): the guest's language for a guest's
chat, and for email the other party's address and the booking chain (the
invitation's UID and sequence).
"""

from __future__ import annotations

import asyncio
import logging
import time as _time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import IO, Any, Protocol, runtime_checkable

from bots import notices
from bots.messages import Attachment, Reply
from bots.pacing import PLATFORM_LIMITS, Limits, SendSchedule
from core.errors import RetryLater, Undeliverable
from core.models import OutboxMessage, OutboxStatus, require_aware
from core.ports import UnitOfWork, UnitOfWorkFactory

_LOGGER = logging.getLogger(__name__)


class Transport(Protocol):
    """Sends one rendered reply to one recipient of a channel.

    A platform that splits a long reply into several messages sends them in
    order, skipping the first ``skip`` (delivered by an earlier try), and on a
    refusal raises :class:`RetryLater` with ``parts_sent``.

    Raises:
        RetryLater, Undeliverable.
    """

    def send(self, recipient: str, reply: Reply, *, skip: int = 0) -> None: ...


@runtime_checkable
class MessageTransport(Protocol):
    """Renders and sends a whole outbox message itself (email: its own templates, ICS).

    ``message.payload`` already carries the :func:`facts`.

    Raises:
        RetryLater, Undeliverable.
    """

    def send_message(self, message: OutboxMessage) -> None: ...


@runtime_checkable
class GivesUp(Protocol):
    """A transport told when one of its messages is marked failed for good (out of
    retries, or refused), to record what that means (a refund that was never made)."""

    def gave_up(self, message: OutboxMessage, error: str) -> None: ...


AnyTransport = Transport | MessageTransport

#: ``(kind, payload)`` → the signed links a guest's chat notice carries
#: (``{"cancel": url, "move": url}``), or None: :func:`bots.link_start.telegram_links`.
ChatLinks = Callable[[str, Mapping[str, Any]], Mapping[str, str] | None]

#: Longest reschedule chain :func:`facts` follows back to its first booking.
MAX_CHAIN = 100


class Pacer:
    """Spaces the outbox's sends to keep to :class:`~bots.pacing.Limits`: sleeps until one may go.

    One :class:`~bots.pacing.SendSchedule` per channel (Telegram: one message a
    second per chat and 30 a second per bot, Telegram Bot FAQ; Slack: one a
    second per channel) holds the arithmetic; this class reads the clock and sleeps.

    Args:
        limits: channel -> limits; channels not listed are not paced.
        clock: monotonic seconds; ``sleep``: waits that many seconds. Tests and
            benchmarks pass a virtual pair.
    """

    def __init__(
        self,
        limits: Mapping[str, Limits] = PLATFORM_LIMITS,
        *,
        clock: Callable[[], float] = _time.monotonic,
        sleep: Callable[[float], None] = _time.sleep,
    ) -> None:
        self.clock = clock
        self._sleep = sleep
        self._schedules = {channel: SendSchedule(rates) for channel, rates in limits.items()}

    def ready_at(self, channel: str, recipient: str) -> float:
        """When (on ``clock``, seconds) a message to ``recipient`` on ``channel`` may go."""
        schedule = self._schedules.get(channel)
        now = self.clock()
        return now if schedule is None else schedule.ready_at(now, recipient)

    def wait(self, channel: str, recipient: str) -> None:
        """Block until a message to ``recipient`` on ``channel`` may go; count it as sent."""
        schedule = self._schedules.get(channel)
        if schedule is None:
            return
        now = self.clock()
        if (ready := schedule.ready_at(now, recipient)) > now:
            self._sleep(ready - now)
        schedule.sent(self.clock(), recipient)

    def hold(self, channel: str, seconds: float) -> None:
        """Send nothing more on ``channel`` for ``seconds`` (after a 429)."""
        if (schedule := self._schedules.get(channel)) is not None:
            schedule.hold(self.clock(), seconds)


@dataclass(frozen=True)
class DeliverySettings:
    """Retry policy and pass limits.

    Attributes:
        max_attempts: tries before a message is marked failed.
        base_delay, max_delay: the backoff after the first failure, and its cap.
        lease: how long a claim holds a message (a dead sender's claim expires).
        batch: messages claimed per transaction.
        budget: seconds (of the pacer's clock) one pass may take; the rest waits
            for the next pass.
    """

    max_attempts: int = 12
    base_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=1)
    lease: timedelta = timedelta(minutes=5)
    batch: int = 100
    budget: float = 50.0


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int, settings: DeliverySettings) -> timedelta:
    """The wait after the ``attempts``-th failure: ``base_delay * 2**(attempts-1)``, capped."""
    delay: timedelta = settings.base_delay * int(2 ** max(attempts - 1, 0))
    return min(delay, settings.max_delay)


def deliver_due(
    now: datetime,
    *,
    uow_factory: UnitOfWorkFactory,
    transports: Mapping[str, AnyTransport],
    pacer: Pacer | None = None,
    settings: DeliverySettings | None = None,
    off: Mapping[str, str] | None = None,
    links: Mapping[str, ChatLinks] | None = None,
) -> DeliveryReport:
    """Send every outbox message due at ``now`` on the channels in ``transports``.

    Args:
        now: aware instant of the pass (due times, ``sent_at``, retry times).
        transports: channel -> transport (``telegram``, ``slack``, ``console``: a
            :class:`Transport`; ``email``: a :class:`MessageTransport`).
        off: channel -> reason, for channels that will not be sent: their
            messages are marked failed with the reason (not counted as failures
            of this pass).
        links: channel -> the signed links its guests' notices carry (Telegram:
            deep links on the cancel / move buttons).

    Returns:
        Counts of messages sent, rescheduled and failed in this pass.
    """
    require_aware(now, "now")
    pacer = pacer or Pacer()
    settings = settings or DeliverySettings()
    off = {channel: reason for channel, reason in (off or {}).items()
           if channel not in transports}
    report = DeliveryReport()
    deadline = pacer.clock() + settings.budget
    while pacer.clock() < deadline:
        with uow_factory() as uow:
            claimed = uow.outbox.claim(now, channels=[*transports, *off], limit=settings.batch,
                                       lease_until=now + settings.lease)
            uow.commit()
        if not claimed:
            break
        blocked: set[tuple[str, str]] = set()
        for message in claimed:
            if message.channel in off:
                _record(uow_factory, message.id, _switched_off(off[message.channel]))
                continue
            key = (message.channel, message.recipient)
            if key in blocked or pacer.ready_at(*key) >= deadline:
                _record(uow_factory, message.id, lambda m: None)  # release: next pass
                continue
            if not _deliver(message, now, transports[message.channel], pacer, settings,
                            uow_factory, report, (links or {}).get(message.channel)):
                blocked.add(key)
        if len(claimed) < settings.batch:
            break
    return report


def facts(message: OutboxMessage, uow_factory: UnitOfWorkFactory) -> dict[str, Any]:
    """The payload of a booking notice with the facts its row may lack, read now.

    Keys already in the payload win; a booking that is gone (pruned) adds nothing.

    * ``guest_locale``: the guest's language tag, for a guest reader;
    * for email also ``host_email``, ``guest_email``, ``chain_id`` (the first
      booking of the reschedule chain; the invitation's UID) and
      ``chain_index`` (reschedules before this booking; its sequence).

    Args:
        message: the outbox row (its payload is not changed).
        uow_factory: read through a unit of work of its own, opened only if needed.
    """
    payload = dict(message.payload)
    booking_id = payload.get("booking_id")
    email = message.channel == "email"
    wanted = {"guest_locale"} if payload.get("reader") == "guest" else set()
    if email:
        wanted |= {"host_email", "guest_email", "chain_id", "chain_index"}
    if not isinstance(booking_id, int) or wanted <= payload.keys():
        return payload
    with uow_factory() as uow:
        found = _read_facts(uow, booking_id, email=email)
    return {**{k: v for k, v in found.items() if k in wanted}, **payload}


def _read_facts(uow: UnitOfWork, booking_id: int, *, email: bool) -> dict[str, Any]:
    booking = uow.bookings.get(booking_id)
    if booking is None:
        return {}
    guest = uow.guests.get_by_id(booking.guest_id)
    found: dict[str, Any] = {
        "guest_locale": guest.locale if guest else None,
        "guest_email": guest.email if guest else None,
    }
    if email:
        host = uow.hosts.get_by_id(booking.host_id)
        found["host_email"] = host.email if host else None
        root, index, seen = booking, 0, {booking_id}
        while root.rescheduled_from_id and index < MAX_CHAIN:
            previous = uow.bookings.get(root.rescheduled_from_id)
            if previous is None or previous.id in seen:
                break
            root, index = previous, index + 1
            seen.add(previous.id or 0)
        found.update(chain_id=root.id, chain_index=index)
    return found


def _deliver(
    message: OutboxMessage,
    now: datetime,
    transport: AnyTransport,
    pacer: Pacer,
    settings: DeliverySettings,
    uow_factory: UnitOfWorkFactory,
    report: DeliveryReport,
    links: ChatLinks | None = None,
) -> bool:
    """Send one message and record the outcome; False if the chat must wait."""
    attempts = message.attempts + 1
    try:
        payload = facts(message, uow_factory)
        found = links(message.kind, payload) if links is not None else None
        if found:
            payload = {**payload, "links": found}
        pacer.wait(message.channel, message.recipient)
        if isinstance(transport, MessageTransport):
            transport.send_message(replace(message, payload=payload))
        else:
            transport.send(message.recipient, notices.render(message.kind, payload),
                           skip=message.parts_sent)
    except RetryLater as exc:
        if exc.retry_after:
            pacer.hold(message.channel, exc.retry_after)
        if attempts >= settings.max_attempts:
            _fail(uow_factory, message, attempts, str(exc), report, transport)
            return True
        wait = max(backoff(attempts, settings), timedelta(seconds=exc.retry_after or 0))
        _record(uow_factory, message.id,
                _retry(attempts, now + wait, str(exc), max(exc.parts_sent, message.parts_sent)))
        report.retried += 1
        return False
    except Undeliverable as exc:
        _fail(uow_factory, message, attempts, str(exc), report, transport)
        return True
    except Exception as exc:  # a rendering bug must not stop the other messages
        _LOGGER.exception("outbox message %s could not be sent", message.id)
        if attempts >= settings.max_attempts:
            _fail(uow_factory, message, attempts, repr(exc), report, transport)
            return True
        _record(uow_factory, message.id,
                _retry(attempts, now + backoff(attempts, settings), repr(exc)))
        report.retried += 1
        return False

    def sent(m: OutboxMessage) -> None:
        m.status, m.sent_at, m.attempts, m.last_error = OutboxStatus.SENT, now, attempts, None

    _record(uow_factory, message.id, sent)
    report.sent += 1
    return True


def _retry(attempts: int, at: datetime, error: str, parts_sent: int | None = None
           ) -> Callable[[OutboxMessage], None]:
    def update(m: OutboxMessage) -> None:
        m.attempts, m.next_attempt_at, m.last_error = attempts, at, error[:1000]
        if parts_sent is not None:
            m.parts_sent = parts_sent

    return update


def _switched_off(reason: str) -> Callable[[OutboxMessage], None]:
    def update(m: OutboxMessage) -> None:
        m.status, m.last_error = OutboxStatus.FAILED, reason

    return update


def _fail(uow_factory: UnitOfWorkFactory, message: OutboxMessage, attempts: int, error: str,
          report: DeliveryReport, transport: AnyTransport | None = None) -> None:
    def update(m: OutboxMessage) -> None:
        m.status, m.attempts, m.last_error = OutboxStatus.FAILED, attempts, error[:1000]

    _LOGGER.warning("outbox message %s to %s:%s failed: %s", message.id, message.channel,
                    message.recipient, error)
    _record(uow_factory, message.id, update)
    report.failed += 1
    report.errors.append(error)
    if isinstance(transport, GivesUp):
        try:
            transport.gave_up(message, error)
        except Exception:  # the message is failed either way; the other messages go on
            _LOGGER.exception("recording the failure of outbox message %s failed", message.id)


def _record(uow_factory: UnitOfWorkFactory, message_id: int | None,
            update: Callable[[OutboxMessage], None]) -> None:
    """Apply ``update`` to the stored message and release its claim, in one transaction."""
    with uow_factory() as uow:
        stored = uow.outbox.get(message_id or 0)
        if stored is not None:
            update(stored)
            stored.claimed_until = None
            uow.commit()


# --- transports ------------------------------------------------------------------------------


class ConsoleTransport:
    """Prints each message (the console adapter's "chat"): ``to RECIPIENT: text``."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def send(self, recipient: str, reply: Reply, *, skip: int = 0) -> None:
        if skip:  # one part only: delivered already
            return
        lines = [f"to {recipient}: {reply.text}"]
        lines += [f"  [{n}] {c.label}" + (f" <{c.url}>" if c.url else "")
                  for n, c in enumerate(reply.choices, 1)]
        if reply.attachment is not None:
            lines.append(f"  [{reply.attachment.title}: {reply.attachment.file()}]")
        print("\n".join(lines), file=self._stream, flush=True)


class TelegramTransport:
    """Sends through python-telegram-bot's ``Bot`` on a private event loop.

    Use as a context manager (or call :meth:`close`); not thread-safe.

    Args:
        token: the bot token; ``base_url``: ``TELEGRAM_API_BASE_URL`` or None.
    """

    def __init__(self, token: str, *, base_url: str | None = None) -> None:
        from telegram import Bot

        self._loop = asyncio.new_event_loop()
        kwargs: dict[str, Any] = {"base_url": base_url} if base_url else {}
        self._bot = Bot(token, **kwargs)
        self._started = False

    def send(self, recipient: str, reply: Reply, *, skip: int = 0) -> None:
        """Send the parts of ``reply`` (``render_parts``) after the first ``skip``, in order;
        its attachment (a chart) is the last part, a ``sendPhoto``.

        Raises:
            RetryLater: with ``parts_sent`` (a 429, 5xx or network error part way).
            Undeliverable: a 400/403 answer.
        """
        from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

        from bots.telegram import render_parts, render_photo, retry_after_seconds

        sent = skip
        try:
            if not self._started:
                self._loop.run_until_complete(self._bot.initialize())
                self._started = True
            parts = render_parts(reply)
            for part in parts[skip:]:
                self._loop.run_until_complete(self._bot.send_message(chat_id=recipient, **part))
                sent += 1
            if reply.attachment is not None and sent == len(parts):
                photo = render_photo(reply.attachment)
                self._loop.run_until_complete(self._bot.send_photo(chat_id=recipient, **photo))
                sent += 1
        except RetryAfter as exc:
            wait = retry_after_seconds(exc)
            raise RetryLater(f"telegram 429: retry after {wait:g}s", wait,
                             parts_sent=sent) from exc
        except (BadRequest, Forbidden) as exc:
            raise Undeliverable(f"telegram: {exc.message}") from exc
        except NetworkError as exc:  # includes TimedOut and 5xx answers
            raise RetryLater(f"telegram: {exc.message}", parts_sent=sent) from exc
        except TelegramError as exc:
            raise RetryLater(f"telegram: {exc.message}", parts_sent=sent) from exc

    def close(self) -> None:
        if self._started:
            self._loop.run_until_complete(self._bot.shutdown())
        self._loop.close()

    def __enter__(self) -> TelegramTransport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class SlackTransport:
    """Posts with slack_sdk's ``WebClient`` (``chat.postMessage``, Block Kit + fallback text).

    Args:
        token: the bot token; ``base_url``: ``SLACK_API_URL`` or None.
    """

    def __init__(self, token: str, *, base_url: str | None = None) -> None:
        from slack_sdk import WebClient

        kwargs: dict[str, Any] = {"base_url": base_url} if base_url else {}
        self._client = WebClient(token=token, **kwargs)

    def send(self, recipient: str, reply: Reply, *, skip: int = 0) -> None:
        """Post ``reply`` to ``recipient`` (a channel, or a user: their DM with the bot), then
        upload its attachment there (``files_upload_v2``); ``skip`` parts were sent already.
        """
        from slack_sdk.errors import SlackApiError

        from bots.slack import fallback_text, render

        sent = skip
        try:
            if not skip:
                self._client.chat_postMessage(channel=recipient, text=fallback_text(reply),
                                              blocks=render(reply))
                sent = 1
            if reply.attachment is not None and sent == 1:
                self._upload(recipient, reply.attachment)
        except SlackApiError as exc:
            response = exc.response
            status = getattr(response, "status_code", 0)
            headers = getattr(response, "headers", {}) or {}
            error = response.get("error") if hasattr(response, "get") else None
            if status == 429 or error == "ratelimited":
                retry = headers.get("Retry-After") or headers.get("retry-after") or "1"
                raise RetryLater(f"slack 429: retry after {retry}s", float(retry),
                                 parts_sent=sent) from exc
            if status >= 500 or error in ("internal_error", "fatal_error", "service_unavailable"):
                raise RetryLater(f"slack {status}: {error}", parts_sent=sent) from exc
            raise Undeliverable(f"slack: {error or status}") from exc
        except OSError as exc:  # connection refused, timeouts (urllib)
            raise RetryLater(f"slack: {exc}", parts_sent=sent) from exc

    def _upload(self, recipient: str, attachment: Attachment) -> None:
        channel = recipient
        if recipient[:1] in ("U", "W"):  # a user: files go to a conversation, their DM
            channel = self._client.conversations_open(users=recipient)["channel"]["id"]
        self._client.files_upload_v2(channel=channel, file=attachment.png(),
                                     title=attachment.title, alt_txt=attachment.title,
                                     filename="slotbot-chart.png")
