"""The inbox: every incoming Telegram update and Slack request, stored before it is acknowledged.

Unique by (platform, delivery id), so a redelivered update or a Slack retry is
dropped; ``owner`` and ``lease_until`` let another process take over the rows of
one that died.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("delivery_id", sa.String(255), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("replies", sa.JSON),
        sa.Column("owner", sa.String(64)),
        sa.Column("lease_until", Instant),
        sa.Column("received_at", Instant, nullable=False),
        sa.Column("done_at", Instant),
        sa.UniqueConstraint("platform", "delivery_id", name="uq_inbox_platform_delivery_id"),
    )
    op.create_index(
        "ix_inbox_platform_status_lease_until", "inbox", ["platform", "status", "lease_until"]
    )
    op.create_index("ix_inbox_status_done_at", "inbox", ["status", "done_at"])


def downgrade() -> None:
    op.drop_table("inbox")
