"""Paid event types: prices, seat holds, payments, refunds and provider events.

Adds to ``event_types`` the price (minor units), currency, payment window and
refund policy; to ``bookings`` ``hold_until`` (an ``awaiting_payment`` seat is
let go then); the tables ``payments``, ``refunds`` and ``payment_events``. On
PostgreSQL the exclusion constraint ``ex_bookings_host_time`` counts
``awaiting_payment`` bookings as live too (a hold takes its seat like a
pending request).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

Instant = sa.DateTime(timezone=True)


def _exclusion(statuses: str) -> str:
    return ("ALTER TABLE bookings ADD CONSTRAINT ex_bookings_host_time EXCLUDE USING gist "
            "(host_id WITH =, tstzrange(start, \"end\", '[)') WITH &&) "
            f"WHERE (exclusive AND status IN ({statuses}))")


def upgrade() -> None:
    with op.batch_alter_table("event_types") as batch:
        batch.add_column(sa.Column("price", sa.Integer))
        batch.add_column(sa.Column("currency", sa.String(3)))
        batch.add_column(
            sa.Column("payment_window", sa.Integer, nullable=False, server_default="15"))
        batch.add_column(sa.Column("refund_until", sa.Integer))
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("hold_until", Instant))
    op.create_index("ix_bookings_status_hold_until", "bookings", ["status", "hold_until"])
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("booking_id", sa.Integer, nullable=False),
        sa.Column("host_id", sa.Integer),
        sa.Column("event_type_id", sa.Integer),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("amount", sa.Integer, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("checkout_id", sa.String(255)),
        sa.Column("checkout_url", sa.Text),
        sa.Column("provider_payment_id", sa.String(255)),
        sa.Column("provider_charge_id", sa.String(255)),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("paid_at", Instant),
        sa.UniqueConstraint("provider", "provider_payment_id",
                            name="uq_payments_provider_provider_payment_id"),
    )
    op.create_index("ix_payments_booking_id", "payments", ["booking_id"])
    op.create_index("ix_payments_host_id", "payments", ["host_id"])
    op.create_index("ix_payments_provider_checkout_id", "payments", ["provider", "checkout_id"])
    op.create_table(
        "refunds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("payment_id", sa.Integer,
                  sa.ForeignKey("payments.id", name="fk_refunds_payment_id_payments"),
                  nullable=False),
        sa.Column("booking_id", sa.Integer, nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("amount", sa.Integer, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("provider_refund_id", sa.String(255)),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("done_at", Instant),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("ix_refunds_payment_id", "refunds", ["payment_id"])
    op.create_index("ix_refunds_booking_id", "refunds", ["booking_id"])
    op.create_table(
        "payment_events",
        sa.Column("provider", sa.String(32), primary_key=True),
        sa.Column("event_id", sa.String(255), primary_key=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("received_at", Instant, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE bookings DROP CONSTRAINT ex_bookings_host_time")
        op.execute(_exclusion("'pending', 'awaiting_payment', 'confirmed'"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE bookings DROP CONSTRAINT ex_bookings_host_time")
        op.execute(_exclusion("'pending', 'confirmed'"))
    op.drop_table("payment_events")
    op.drop_table("refunds")
    op.drop_table("payments")
    op.drop_index("ix_bookings_status_hold_until", "bookings")
    with op.batch_alter_table("bookings") as batch:
        batch.drop_column("hold_until")
    with op.batch_alter_table("event_types") as batch:
        for name in ("refund_until", "payment_window", "currency", "price"):
            batch.drop_column(name)
