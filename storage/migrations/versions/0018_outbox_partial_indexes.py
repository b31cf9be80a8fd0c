"""Fewer, partial indexes on the outbox; no second index on reminders by booking.

Every outbox row went into four indexes, although each query reads either the
queued rows or the finished ones: ``ix_outbox_queued`` (channel, recipient,
id) over the queued rows serves delivery's claim, its per-chat order check
and the queued count; ``ix_outbox_finished`` (created_at) over sent and failed
rows serves pruning. A new row (queued) now enters two indexes, the primary
key and ``ix_outbox_queued``; a sent one leaves the latter for the former.
``ix_reminders_booking_id`` repeated the first column of the unique
(booking_id, minutes_before) constraint's index.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_QUEUED = sa.text("status = 'queued'")
_FINISHED = sa.text("status IN ('sent', 'failed')")


def upgrade() -> None:
    for name in ("ix_outbox_status_next_attempt_at", "ix_outbox_status_created_at",
                 "ix_outbox_channel_recipient_status"):
        op.drop_index(name, table_name="outbox")
    op.create_index("ix_outbox_queued", "outbox", ["channel", "recipient", "id"],
                    sqlite_where=_QUEUED, postgresql_where=_QUEUED)
    op.create_index("ix_outbox_finished", "outbox", ["created_at"],
                    sqlite_where=_FINISHED, postgresql_where=_FINISHED)
    op.drop_index("ix_reminders_booking_id", table_name="reminders")


def downgrade() -> None:
    op.create_index("ix_reminders_booking_id", "reminders", ["booking_id"])
    op.drop_index("ix_outbox_finished", table_name="outbox")
    op.drop_index("ix_outbox_queued", table_name="outbox")
    op.create_index("ix_outbox_channel_recipient_status", "outbox",
                    ["channel", "recipient", "status"])
    op.create_index("ix_outbox_status_created_at", "outbox", ["status", "created_at"])
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])
