"""The SQLAlchemy :class:`core.ports.PaymentRepository`: payments, refunds, provider events."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import DuplicatePayment
from core.models import Booking, BookingStatus, Payment, Refund
from storage.db import dialect_insert as _insert
from storage.orm import bookings, payment_events, payments, refunds


class SqlAlchemyPaymentRepository:
    """Works in its unit of work's session; never commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, payment: Payment) -> None:
        self._session.add(payment)
        try:
            self._session.flush()
        except IntegrityError as exc:
            raise DuplicatePayment(f"{payment.provider} payment "
                                   f"{payment.provider_payment_id} is recorded") from exc

    def get(self, payment_id: int) -> Payment | None:
        return self._session.get(Payment, payment_id)

    def by_checkout(self, provider: str, checkout_id: str) -> Payment | None:
        query = (select(Payment).where(payments.c.provider == provider,
                                       payments.c.checkout_id == checkout_id)
                 .order_by(payments.c.id).execution_options(populate_existing=True))
        return self._session.scalars(query).first()

    def by_provider_id(self, provider: str, provider_payment_id: str) -> Payment | None:
        query = (select(Payment).where(payments.c.provider == provider,
                                       payments.c.provider_payment_id == provider_payment_id)
                 .execution_options(populate_existing=True))
        return self._session.scalars(query).first()

    def of_booking(self, booking_id: int) -> builtins.list[Payment]:
        query = (select(Payment).where(payments.c.booking_id == booking_id)
                 .order_by(payments.c.id).execution_options(populate_existing=True))
        return list(self._session.scalars(query))

    def move(self, from_booking_id: int, to_booking_id: int) -> None:
        self._session.flush()
        for table in (payments, refunds):
            self._session.execute(update(table).where(table.c.booking_id == from_booking_id)
                                  .values(booking_id=to_booking_id))
        self._session.expire_all()

    def list(self, *, host_id: int | None = None, since: datetime | None = None
             ) -> builtins.list[Payment]:
        query = select(Payment).order_by(payments.c.id)
        if host_id is not None:
            query = query.where(payments.c.host_id == host_id)
        if since is not None:
            query = query.where(payments.c.created_at >= since)
        return list(self._session.scalars(query))

    def of_hosts(self, host_ids: Sequence[int], since: datetime
                 ) -> tuple[builtins.list[Payment], builtins.list[tuple[int, Refund]]]:
        if not host_ids:
            return [], []
        paid = select(Payment).where(payments.c.host_id.in_(host_ids),
                                     payments.c.paid_at >= since).order_by(payments.c.id)
        given_back = (select(payments.c.host_id, Refund)
                      .join(payments, refunds.c.payment_id == payments.c.id)
                      .where(payments.c.host_id.in_(host_ids), refunds.c.created_at >= since)
                      .order_by(refunds.c.id))
        return (list(self._session.scalars(paid)),
                [(int(host_id), refund) for host_id, refund in self._session.execute(given_back)])

    def add_refund(self, refund: Refund) -> None:
        self._session.add(refund)
        self._session.flush()

    def get_refund(self, refund_id: int) -> Refund | None:
        query = (select(Refund).where(refunds.c.id == refund_id)
                 .execution_options(populate_existing=True))
        return self._session.scalars(query).first()

    def refunds(self, *, payment_id: int | None = None, booking_id: int | None = None,
                host_id: int | None = None, since: datetime | None = None
                ) -> builtins.list[Refund]:
        query = select(Refund).order_by(refunds.c.id)
        if payment_id is not None:
            query = query.where(refunds.c.payment_id == payment_id)
        if booking_id is not None:
            query = query.where(refunds.c.booking_id == booking_id)
        if host_id is not None:
            query = query.where(refunds.c.payment_id.in_(
                select(payments.c.id).where(payments.c.host_id == host_id)))
        if since is not None:
            query = query.where(refunds.c.created_at >= since)
        return list(self._session.scalars(query))

    def first_event(self, provider: str, event_id: str, kind: str, now: datetime) -> bool:
        """Insert the event unless present (``ON CONFLICT DO NOTHING``); True if it was new."""
        dialect = self._session.get_bind().dialect.name
        statement = (
            _insert(dialect, payment_events).on_conflict_do_nothing()
            .values(provider=provider, event_id=event_id, kind=kind, received_at=now)
            .returning(payment_events.c.event_id)
        )
        return self._session.execute(statement).scalar() is not None

    def expired_holds(self, now: datetime, limit: int) -> builtins.list[Booking]:
        query = (select(Booking)
                 .where(bookings.c.status == BookingStatus.AWAITING_PAYMENT,
                        bookings.c.hold_until <= now)
                 .order_by(bookings.c.host_id, bookings.c.id).limit(limit))
        return list(self._session.scalars(query))
