"""External calendars: the host's calendars, their busy-time cache, booking events, Google grants.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "calendars",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("host_id", sa.Integer, sa.ForeignKey("hosts.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("address", sa.String(1000), nullable=False),
        sa.Column("username", sa.String(200)),
        sa.Column("password_env", sa.String(200)),
        sa.Column("write", sa.Boolean, nullable=False),
        sa.Column("busy", sa.Boolean, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_index("ix_calendars_host_id", "calendars", ["host_id"])
    op.create_table(
        "calendar_sync",
        sa.Column("calendar_id", sa.Integer,
                  sa.ForeignKey("calendars.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("fetched_at", Instant),
        sa.Column("covers_from", Instant),
        sa.Column("covers_to", Instant),
        sa.Column("busy_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("validator", sa.String(500)),
        sa.Column("sync_token", sa.Text),
        sa.Column("last_error", sa.Text),
        sa.Column("last_error_at", Instant),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_try_at", Instant),
        sa.Column("wanted_at", Instant),
        sa.Column("stale_told_at", Instant),
        sa.Column("disconnected", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_calendar_sync_wanted_at", "calendar_sync", ["wanted_at"])
    op.create_table(
        "busy_intervals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("calendar_id", sa.Integer,
                  sa.ForeignKey("calendars.id", ondelete="CASCADE"), nullable=False),
        sa.Column("start", Instant, nullable=False),
        sa.Column("end", Instant, nullable=False),
    )
    op.create_index("ix_busy_intervals_calendar_id_start", "busy_intervals",
                    ["calendar_id", "start"])
    op.create_table(
        "calendar_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("booking_id", sa.Integer,
                  sa.ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False),
        sa.Column("calendar_id", sa.Integer,
                  sa.ForeignKey("calendars.id", ondelete="CASCADE"), nullable=False),
        sa.Column("uid", sa.String(500), nullable=False),
        sa.Column("remote_id", sa.String(1000), nullable=False),
        sa.Column("etag", sa.String(500)),
        sa.Column("start", Instant, nullable=False),
        sa.Column("end", Instant, nullable=False),
        sa.Column("changed", sa.String(16)),
        sa.Column("noticed_at", Instant),
        sa.UniqueConstraint("booking_id", name="uq_calendar_events_booking_id"),
    )
    op.create_index("ix_calendar_events_calendar_id", "calendar_events", ["calendar_id"])
    op.create_table(
        "google_grants",
        sa.Column("host_id", sa.Integer, sa.ForeignKey("hosts.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("refresh_token", sa.Text, nullable=False),
        sa.Column("access_token", sa.Text),
        sa.Column("expires_at", Instant),
        sa.Column("connected_at", Instant, nullable=False),
        sa.Column("invalid_at", Instant),
    )


def downgrade() -> None:
    for table in ("google_grants", "calendar_events", "busy_intervals", "calendar_sync",
                  "calendars"):
        op.drop_table(table)
