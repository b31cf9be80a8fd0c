"""The inbox: every incoming delivery is stored before it is acknowledged, and handled once.

An adapter calls :meth:`Inbox.accept` before it acknowledges a delivery to the
platform (before the webhook's or Slack's HTTP 200), or :meth:`Inbox.accept_batch`
for all the updates of one ``getUpdates`` answer (before its next offset). A
delivery id seen before gives None: the duplicate is dropped. Then the adapter
handles the entry with an :class:`AnswerKeeper` (the replies kept in the turn's
own commit), or calls :meth:`Inbox.answered` with replies that were not, sends
them, and calls :meth:`Inbox.done` (for several finished rows at once, if it likes).

Each process leases what it stores (``owner`` = a random id per
:class:`Inbox`) and renews its leases while alive (:meth:`Inbox.sweep`). Rows
whose lease ran out — their process was killed, or stopped before finishing —
are taken over by the next sweep of any process: an answered row only has its
replies sent again; a received one is handled.

An answer goes out in parts (messages, split texts, photos); the adapter
records each delivered part but the last (:meth:`Inbox.sent`), so a row taken
over sends only the parts not yet delivered. A stored answer keeps its images
(:func:`drawn` before :meth:`Inbox.answered`): a resend includes the chart.

A turn's answer is kept by the turn's own transaction (:class:`AnswerKeeper`,
passed to the conversation as its ``keep``): the turn and the row's replies commit
together, so no process can die between them. Only an answer given without a
turn — the rate limit's, an apology after a failure, one with a chart (drawn after
the commit) — is kept by :meth:`answered`, after the conversation returned; a
process killed in between gets that message handled again by the next process.

The remaining window (documented, not hidden): a process killed after a part was
delivered but before its record (:meth:`sent`, or :meth:`done` for the last part)
gets that one part sent again — no platform offers an idempotent send. (Telegram's
adapter writes the done marks of rows finished together in one transaction, so a
kill can leave the few rows of one such write to be taken over; Slack's writes the
new rows, answers and done marks waiting at one moment together with
:meth:`write_together`, each request and answer waiting for that commit and the done
marks riding along unwaited, which changes none of these windows.) A row stored but
not yet handled when its process stops is redelivered by Telegram as a duplicate and
dropped; it is handled when its lease runs out, by the next sweep.
"""

from __future__ import annotations

import base64
import logging
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import timedelta
from functools import partial
from types import TracebackType
from typing import Any, Protocol, runtime_checkable

from bots.messages import Attachment, Choice, Invoice, Reply
from core.ports import Clock
from storage import write_gate
from storage.inbox import InboxEntry, SqlAlchemyInboxRepository

__all__ = ["AnswerKeeper", "Inbox", "InboxEntry", "InboxSettings", "drawn", "replies_from_json",
           "replies_to_json"]

_LOGGER = logging.getLogger(__name__)


@runtime_checkable
class InboxUnitOfWork(Protocol):
    """What the inbox needs of a unit of work (``storage.uow.SqlAlchemyUnitOfWork``)."""

    inbox: SqlAlchemyInboxRepository

    def __enter__(self) -> InboxUnitOfWork: ...
    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...
    def commit(self) -> None: ...


@dataclass(frozen=True)
class InboxSettings:
    """How the inbox leases and keeps rows.

    Attributes:
        lease: how long a row stays with the process that took it without a
            renewal; a killed process's rows are taken over after at most this.
        keep: how long done rows are kept, so that late duplicates are still
            recognised (Slack retries for about an hour; Telegram redelivers what
            was not confirmed).
        batch: rows taken over or pruned per sweep.
    """

    lease: timedelta = timedelta(seconds=30)
    keep: timedelta = timedelta(hours=48)
    batch: int = 200


class Inbox:
    """The inbox of one platform in one process.

    Args:
        uow_factory: units of work on the database (each call is one transaction).
        clock: the current instant, aware UTC.
        platform: ``telegram`` or ``slack``.
        settings: leases and retention.
    """

    def __init__(
        self,
        uow_factory: Callable[[], InboxUnitOfWork],
        clock: Clock,
        *,
        platform: str,
        settings: InboxSettings | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self.platform = platform
        self.settings = settings or InboxSettings()
        self.owner = uuid.uuid4().hex

    def accept(self, delivery_id: str, payload: dict[str, Any]) -> InboxEntry | None:
        """Store a new delivery, leased to this process; None if it is a duplicate.

        Args:
            delivery_id: the platform's id (Telegram ``update_id``, Slack ``event_id``, …).
            payload: JSON-able; what is needed to handle it later, in any process.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the database failed; the delivery must
                not be acknowledged (the platform will deliver it again).
        """
        now = self._clock()
        with self._transaction() as repository:
            return repository.add(self.platform, delivery_id, payload, now=now,
                                  owner=self.owner, lease_until=now + self.settings.lease)

    def accept_batch(self, deliveries: list[tuple[str, dict[str, Any]]]
                     ) -> dict[str, InboxEntry]:
        """Store a batch of deliveries ``(delivery_id, payload)`` in one transaction.

        Args:
            deliveries: as for :meth:`accept`, in arrival order.

        Returns:
            The new rows by delivery id; an id missing from it is a duplicate
            (stored before, or earlier in the same batch).

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the database failed; none of the batch
                may be acknowledged.
        """
        return self.write_together(deliveries)

    def write_together(
        self,
        deliveries: list[tuple[str, dict[str, Any]]] | None = None,
        answers: list[tuple[InboxEntry, list[dict[str, Any]]]] | None = None,
        finished: list[InboxEntry] | None = None,
    ) -> dict[str, InboxEntry]:
        """:meth:`accept_batch`, :meth:`answered` and :meth:`done` of several rows, one
        transaction: all of them are stored, or none (the error is raised).

        Args:
            deliveries: new deliveries ``(delivery_id, payload)``, as for :meth:`accept_batch`.
            answers: ``(entry, replies_to_json(replies))`` for :meth:`answered`.
            finished: rows whose replies were all sent, for :meth:`done`.

        Returns:
            The new rows by delivery id, as for :meth:`accept_batch`.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the database failed; nothing was stored.
        """
        unique = list(dict(deliveries or []).items())
        now = self._clock()
        with self._transaction() as repository:
            stored = repository.add_many(self.platform, unique, now=now, owner=self.owner,
                                         lease_until=now + self.settings.lease)
            repository.answered_many([(entry.id, replies) for entry, replies in answers or []])
            if finished:
                repository.done([entry.id for entry in finished], now)
        return stored

    def answered(self, entry: InboxEntry, replies: list[Reply]) -> None:
        """Keep the conversation's replies to ``entry`` (sent again if this process dies)."""
        with self._transaction() as repository:
            repository.answered(entry.id, replies_to_json(replies))

    def sent(self, entry: InboxEntry, parts: int) -> None:
        """Record that the first ``parts`` parts of ``entry``'s answer were delivered."""
        with self._transaction() as repository:
            repository.sent(entry.id, parts)

    def done(self, *entries: InboxEntry) -> None:
        """Mark ``entries`` handled and their replies sent (one transaction)."""
        if not entries:
            return
        with self._transaction() as repository:
            repository.done([entry.id for entry in entries], self._clock())

    def sweep(self) -> list[InboxEntry]:
        """Renew this process's leases, take over expired rows, prune old done ones.

        Call it every ``lease / 3`` or so.

        Returns:
            The rows taken over (now leased to this process), oldest first; handle
            them like fresh ones (an entry with ``replies`` only needs them sent).
        """
        now = self._clock()
        lease_until = now + self.settings.lease
        with self._transaction() as repository:
            repository.renew(self.owner, lease_until)
            taken = repository.claim_expired(self.platform, now=now, owner=self.owner,
                                             lease_until=lease_until, limit=self.settings.batch)
            pruned = repository.prune(now - self.settings.keep, limit=self.settings.batch)
        if taken:
            _LOGGER.info("inbox: took over %d unfinished %s deliveries", len(taken),
                         self.platform)
        if pruned:
            _LOGGER.debug("inbox: pruned %d done %s deliveries", pruned, self.platform)
        return taken

    def unfinished(self) -> int:
        """How many of this platform's deliveries are stored but not done (any process)."""
        with self._uow_factory() as uow:
            return uow.inbox.unfinished(self.platform)

    @contextmanager
    def _transaction(self) -> Iterator[SqlAlchemyInboxRepository]:
        # Urgent: on SQLite, the inbox's short writes go before the conversation's turns.
        with write_gate.urgent(), self._uow_factory() as uow:
            yield uow.inbox
            uow.commit()


class AnswerKeeper:
    """The :data:`bots.messages.KeepAnswer` of one row: the conversation's answer to
    ``entry`` written in the turn's own transaction, so that the turn and the kept
    answer commit together (one transaction per message instead of two).

    After the turn, :attr:`kept` holds the replies written; an adapter keeps the
    replies it got itself (:meth:`Inbox.answered`) unless they are these — an answer
    given without a turn (the rate limit's) or after a failed commit (an apology) is
    not. An answer with an image is left to the adapter too: the chart is drawn after
    the commit (:func:`drawn`), not while the turn holds the write lock.

    Args:
        entry: the row being answered.
    """

    def __init__(self, entry: InboxEntry) -> None:
        self.entry = entry
        self.kept: list[Reply] | None = None

    def __call__(self, uow: object, replies: list[Reply]) -> None:
        """Write ``replies`` into the row in ``uow`` (an open unit of work with ``inbox``).

        Raises:
            TypeError: ``uow`` has no inbox repository.
        """
        self.kept = None
        if not replies or any(reply.attachment is not None for reply in replies):
            return
        if not isinstance(uow, InboxUnitOfWork):
            raise TypeError(f"{type(uow).__name__} has no inbox repository")
        uow.inbox.answered(self.entry.id, replies_to_json(replies))
        self.kept = replies

    def missed(self, replies: list[Reply]) -> bool:
        """Whether ``replies`` (what the handle returned) still need keeping."""
        return bool(replies) and replies != self.kept


#: Largest image a stored answer keeps (bytes of the PNG); a bigger one is resent as text only.
MAX_KEPT_IMAGE = 2_000_000


def drawn(replies: list[Reply]) -> list[Reply]:
    """``replies`` with each attachment drawn now, once, into memory (no file is left).

    Call it after the conversation's transaction and before :meth:`Inbox.answered`,
    so the stored answer holds the image, off the inbox's threads. An image that
    cannot be drawn is dropped (logged): the texts still go.
    """
    return [replace(r, attachment=_drawn(r.attachment)) if r.attachment is not None else r
            for r in replies]


def _drawn(attachment: Attachment) -> Attachment | None:
    try:
        png = attachment.png()
    except Exception:  # a drawing bug must not cost the text
        _LOGGER.exception("inbox: drawing the image %r failed", attachment.title)
        return None
    return _kept(attachment.title, png)


def replies_to_json(replies: list[Reply]) -> list[dict[str, Any]]:
    """Replies as JSON-able dicts: ``{"text": str, "choices": [[label, payload], …]}``, plus
    ``"attachment": {"title": str, "png": base64}`` with the image (drawn if not yet) and
    ``"invoice"`` (its fields) when the reply bills the guest."""
    found = []
    for reply in replies:
        item: dict[str, Any] = {"text": reply.text,
                                "choices": [[c.label, c.payload] for c in reply.choices]}
        if reply.attachment is not None:
            item["attachment"] = _image_to_json(reply.attachment)
        if reply.invoice is not None:
            item["invoice"] = asdict(reply.invoice)
        found.append(item)
    return found


def replies_from_json(data: list[dict[str, Any]]) -> list[Reply]:
    """The inverse of :func:`replies_to_json` (an image comes back as a file when sent)."""
    return [Reply(item["text"], tuple(Choice(label, payload) for label, payload in
                                      item.get("choices", [])),
                  _image_from_json(item.get("attachment")),
                  invoice=Invoice(**item["invoice"]) if item.get("invoice") else None)
            for item in data]


def _image_to_json(attachment: Attachment) -> dict[str, Any]:
    try:
        png = attachment.png()
    except OSError:
        _LOGGER.warning("inbox: the image %r could not be kept", attachment.title)
        return {"title": attachment.title, "png": None}
    if len(png) > MAX_KEPT_IMAGE:
        _LOGGER.warning("inbox: the image %r is too big to keep", attachment.title)
        return {"title": attachment.title, "png": None}
    return {"title": attachment.title, "png": base64.b64encode(png).decode("ascii")}


def _image_from_json(data: object) -> Attachment | None:
    if not isinstance(data, dict) or not isinstance(data.get("png"), str):
        return None
    return _kept(str(data.get("title", "")), base64.b64decode(data["png"]))


def _kept(title: str, png: bytes) -> Attachment:
    """An image already drawn: sent from ``png``; written to a file only when asked."""
    return Attachment(title, partial(_written, png), data=png)


def _written(png: bytes) -> str:
    """``png`` in a new temporary file (the caller's to remove); its path. Only a caller
    that wants a file (the console) writes one: adapters send ``Attachment.data``."""
    with tempfile.NamedTemporaryFile(prefix="slotbot-kept-", suffix=".png",
                                     delete=False) as file:
        file.write(png)
    return file.name
