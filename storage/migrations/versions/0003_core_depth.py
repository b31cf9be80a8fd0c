"""Scheduling core depth: durations, limits, fixed windows, policies, series, exclusivity.

Adds to ``event_types`` other durations, a fixed date window, booking limits
per day/week, the pending-request timeout and the guest change notice; to
``hosts`` tags, capacity and a per-guest cap; to ``bookings`` the
``exclusive`` flag and ``series_id``; the ``booking_series`` table. On
PostgreSQL, the ``btree_gist`` extension and the exclusion constraint
``ex_bookings_host_time``: no two live exclusive bookings of one host overlap.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

Instant = sa.DateTime(timezone=True)

_EXCLUSION = (
    'ALTER TABLE bookings ADD CONSTRAINT ex_bookings_host_time EXCLUDE USING gist '
    "(host_id WITH =, tstzrange(start, \"end\", '[)') WITH &&) "
    "WHERE (exclusive AND status IN ('pending', 'confirmed'))"
)


def upgrade() -> None:
    op.create_table(
        "booking_series",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("host_id", sa.Integer, sa.ForeignKey("hosts.id"), nullable=False),
        sa.Column("event_type_id", sa.Integer, sa.ForeignKey("event_types.id"), nullable=False),
        sa.Column("guest_id", sa.Integer, sa.ForeignKey("guests.id"), nullable=False),
        sa.Column("rule", sa.String(500), nullable=False),
        sa.Column("first_start", Instant, nullable=False),
        sa.Column("created_at", Instant),
    )
    op.create_index("ix_booking_series_host_id", "booking_series", ["host_id"])
    with op.batch_alter_table("hosts") as batch:
        batch.add_column(sa.Column("tags", sa.JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("capacity", sa.Integer))
        batch.add_column(sa.Column("max_active_per_guest", sa.Integer))
    with op.batch_alter_table("event_types") as batch:
        batch.add_column(
            sa.Column("other_durations", sa.JSON, nullable=False, server_default="[]")
        )
        batch.add_column(sa.Column("window_start", sa.Date))
        batch.add_column(sa.Column("window_end", sa.Date))
        for name in ("max_per_day", "max_per_week", "max_minutes_per_day",
                     "max_minutes_per_week"):
            batch.add_column(sa.Column(name, sa.Integer))
        batch.add_column(
            sa.Column("confirmation_timeout", sa.Integer, nullable=False, server_default="1440")
        )
        batch.add_column(
            sa.Column("cancel_notice", sa.Integer, nullable=False, server_default="0")
        )
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(
            sa.Column("exclusive", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column(
                "series_id",
                sa.Integer,
                sa.ForeignKey("booking_series.id", name="fk_bookings_series_id_booking_series"),
            )
        )
    op.create_index("ix_bookings_series_id", "bookings", ["series_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        # Existing one-seat live bookings become exclusive (the service sets it from now on).
        op.execute(
            "UPDATE bookings SET exclusive = true FROM event_types "
            "WHERE event_types.id = bookings.event_type_id AND event_types.seats = 1 "
            "AND bookings.status IN ('pending', 'confirmed')"
        )
        op.execute(_EXCLUSION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE bookings DROP CONSTRAINT ex_bookings_host_time")
    op.drop_index("ix_bookings_series_id", "bookings")
    with op.batch_alter_table("bookings") as batch:
        batch.drop_constraint("fk_bookings_series_id_booking_series", type_="foreignkey")
        batch.drop_column("series_id")
        batch.drop_column("exclusive")
    with op.batch_alter_table("event_types") as batch:
        for name in ("cancel_notice", "confirmation_timeout", "max_minutes_per_week",
                     "max_minutes_per_day", "max_per_week", "max_per_day", "window_end",
                     "window_start", "other_durations"):
            batch.drop_column(name)
    with op.batch_alter_table("hosts") as batch:
        for name in ("max_active_per_guest", "capacity", "tags"):
            batch.drop_column(name)
    op.drop_index("ix_booking_series_host_id", "booking_series")
    op.drop_table("booking_series")
