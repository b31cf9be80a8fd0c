"""Background jobs: reminders, daily runs (digests, pruning), outbox leases, contacts.

Adds ``hosts.digest_enabled``, ``event_types.reminder_minutes``,
``bookings.reminders_armed`` (existing bookings count as armed: their reminders
are not sent retroactively), the ``reminders`` and ``daily_runs`` tables,
``outbox.claimed_until``, the indexes the sweeps use, and fills ``contacts``
from the bookings already made.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("hosts") as batch:
        batch.add_column(
            sa.Column("digest_enabled", sa.Boolean, nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("event_types") as batch:
        batch.add_column(
            sa.Column("reminder_minutes", sa.JSON, nullable=False, server_default="[1440, 60]")
        )
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(
            sa.Column("reminders_armed", sa.Boolean, nullable=False, server_default=sa.true())
        )
    if op.get_bind().dialect.name != "sqlite":  # SQLite would have to copy the table
        op.alter_column("bookings", "reminders_armed", server_default=None)
    op.create_index("ix_bookings_status_end", "bookings", ["status", "end"])
    op.create_index("ix_bookings_host_id_end", "bookings", ["host_id", "end"])
    op.create_index(
        "ix_bookings_unarmed",
        "bookings",
        ["id"],
        sqlite_where=sa.text("NOT reminders_armed"),
        postgresql_where=sa.text("NOT reminders_armed"),
    )

    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("booking_id", sa.Integer, sa.ForeignKey("bookings.id"), nullable=False),
        sa.Column("minutes_before", sa.Integer, nullable=False),
        sa.Column("due_at", Instant, nullable=False),
        sa.Column("done_at", Instant),
        sa.Column("outcome", sa.String(16)),
        sa.UniqueConstraint(
            "booking_id", "minutes_before", name="uq_reminders_booking_id_minutes_before"
        ),
    )
    op.create_index("ix_reminders_booking_id", "reminders", ["booking_id"])
    op.create_index(
        "ix_reminders_due",
        "reminders",
        ["due_at"],
        sqlite_where=sa.text("done_at IS NULL"),
        postgresql_where=sa.text("done_at IS NULL"),
    )

    op.create_table(
        "daily_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("host_id", sa.Integer, sa.ForeignKey("hosts.id"), nullable=False),
        sa.Column("job", sa.String(16), nullable=False),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("ran_at", Instant, nullable=False),
        sa.UniqueConstraint(
            "job", "local_date", "host_id", name="uq_daily_runs_job_local_date_host_id"
        ),
    )

    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_until", Instant))
    op.create_index(
        "ix_outbox_channel_recipient_status", "outbox", ["channel", "recipient", "status"]
    )

    op.execute(
        "INSERT INTO contacts (host_id, guest_id, total_bookings, last_booked_at) "
        "SELECT host_id, guest_id, COUNT(*), MAX(created_at) FROM bookings "
        "WHERE rescheduled_from_id IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM contacts c "
        "WHERE c.host_id = bookings.host_id AND c.guest_id = bookings.guest_id) "
        "GROUP BY host_id, guest_id"
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_channel_recipient_status", "outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claimed_until")
    op.drop_table("daily_runs")
    op.drop_table("reminders")
    for name in ("ix_bookings_unarmed", "ix_bookings_host_id_end", "ix_bookings_status_end"):
        op.drop_index(name, "bookings")
    with op.batch_alter_table("bookings") as batch:
        batch.drop_column("reminders_armed")
    with op.batch_alter_table("event_types") as batch:
        batch.drop_column("reminder_minutes")
    with op.batch_alter_table("hosts") as batch:
        batch.drop_column("digest_enabled")
