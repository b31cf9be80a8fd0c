"""Initial schema: hosts and their rules, guests, contacts, bookings, dialogs, outbox.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Instants are stored in UTC (storage.types.UTCDateTime); on SQLite without offset.
Instant = sa.DateTime(timezone=True)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True)


def _fk(column: str, table: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(column, sa.Integer, sa.ForeignKey(f"{table}.id"), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "hosts",
        _id(),
        sa.Column("handle", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("email", sa.String(320)),
        sa.Column("telegram_user_id", sa.String(64)),
        sa.Column("slack_user_id", sa.String(64)),
        sa.Column("digest_time", sa.Time),
        sa.UniqueConstraint("handle", name="uq_hosts_handle"),
    )
    op.create_index("ix_hosts_telegram_user_id", "hosts", ["telegram_user_id"])
    op.create_index("ix_hosts_slack_user_id", "hosts", ["slack_user_id"])

    op.create_table(
        "event_types",
        _id(),
        _fk("host_id", "hosts"),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("duration", sa.Integer, nullable=False),
        sa.Column("buffer_before", sa.Integer, nullable=False),
        sa.Column("buffer_after", sa.Integer, nullable=False),
        sa.Column("minimum_notice", sa.Integer, nullable=False),
        sa.Column("booking_window", sa.Integer, nullable=False),
        sa.Column("slot_interval", sa.Integer),
        sa.Column("seats", sa.Integer, nullable=False),
        sa.Column("requires_confirmation", sa.Boolean, nullable=False),
        sa.Column("location", sa.String(500)),
        sa.UniqueConstraint("host_id", "slug", name="uq_event_types_host_id_slug"),
    )

    op.create_table(
        "working_hours",
        _id(),
        _fk("host_id", "hosts"),
        sa.Column("weekday", sa.Integer, nullable=False),
        sa.Column("start", sa.Time, nullable=False),
        sa.Column("end", sa.Time, nullable=False),
    )
    op.create_index("ix_working_hours_host_id", "working_hours", ["host_id"])

    op.create_table(
        "date_overrides",
        _id(),
        _fk("host_id", "hosts"),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("intervals", sa.Text, nullable=False),
    )
    op.create_index("ix_date_overrides_host_id", "date_overrides", ["host_id"])

    op.create_table(
        "guests",
        _id(),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("platform_user_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("email", sa.String(320)),
        sa.Column("timezone", sa.String(64)),
        sa.Column("locale", sa.String(35)),
        sa.Column("chat_id", sa.String(64)),
        sa.UniqueConstraint(
            "platform", "platform_user_id", name="uq_guests_platform_platform_user_id"
        ),
    )

    op.create_table(
        "contacts",
        _id(),
        _fk("host_id", "hosts"),
        _fk("guest_id", "guests"),
        sa.Column("total_bookings", sa.Integer, nullable=False),
        sa.Column("last_booked_at", Instant),
        sa.UniqueConstraint("host_id", "guest_id", name="uq_contacts_host_id_guest_id"),
    )

    op.create_table(
        "bookings",
        _id(),
        _fk("host_id", "hosts"),
        _fk("event_type_id", "event_types"),
        _fk("guest_id", "guests"),
        sa.Column("start", Instant, nullable=False),
        sa.Column("end", Instant, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", Instant),
        sa.Column("cancelled_at", Instant),
        sa.Column("cancel_reason", sa.Text),
        _fk("rescheduled_from_id", "bookings", nullable=True),
    )
    op.create_index("ix_bookings_host_id_start", "bookings", ["host_id", "start"])
    op.create_index("ix_bookings_guest_id", "bookings", ["guest_id"])
    op.create_index("ix_bookings_status", "bookings", ["status"])

    op.create_table(
        "conversation_states",
        _id(),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("state", sa.String(64), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_at", Instant),
        sa.UniqueConstraint(
            "platform", "chat_id", "user_id", name="uq_conversation_states_platform_chat_id_user_id"
        ),
    )

    op.create_table(
        "outbox",
        _id(),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", Instant),
        sa.Column("sent_at", Instant),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])


def downgrade() -> None:
    for table in (
        "outbox",
        "conversation_states",
        "bookings",
        "contacts",
        "guests",
        "date_overrides",
        "working_hours",
        "event_types",
        "hosts",
    ):
        op.drop_table(table)
