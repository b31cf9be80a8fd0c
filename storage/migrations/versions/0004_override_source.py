"""Where a date override came from: the setup file or a host command.

``slotbot load`` replaces the file's overrides but must keep the time off a
host added with ``/slotbot off``; ``source`` tells them apart.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("date_overrides") as batch:
        batch.add_column(sa.Column("source", sa.String(16), nullable=False,
                                   server_default="file"))


def downgrade() -> None:
    with op.batch_alter_table("date_overrides") as batch:
        batch.drop_column("source")
