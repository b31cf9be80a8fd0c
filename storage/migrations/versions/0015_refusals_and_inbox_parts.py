"""The message path: rate-limit refusals counted per day, and inbox replies sent part by part.

``rate_limit_refusals`` keeps how many messages the per-guest rate limit
refused, per UTC day and platform (the hosts' ``stats``). ``inbox.parts_sent``
counts the parts of a stored answer already delivered, so a process that
takes the row over sends only the rest.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_refusals",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("refused", sa.Integer, nullable=False),
    )
    with op.batch_alter_table("inbox") as batch:
        batch.add_column(sa.Column("parts_sent", sa.Integer(), nullable=False,
                                   server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.drop_column("parts_sent")
    op.drop_table("rate_limit_refusals")
