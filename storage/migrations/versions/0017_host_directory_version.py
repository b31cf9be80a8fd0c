"""The hosts table's version in one row, so a process checks its host directory
with a primary-key read instead of summing over every host.

``host_directory.version`` is bumped by the same flush hook that bumps a
host's ``rules_version`` (``storage.host_cache``), whenever a host is added,
deleted, or its row or rules change.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "host_directory",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False, server_default="0"),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])


def downgrade() -> None:
    op.drop_table("host_directory")
