"""Hosts' email branding and templates (setup file ``brand:`` and ``templates:``).

``mail_templates`` holds the checked sources of the host's templates folder
(file name -> Jinja2 source), so that whichever process sends an email renders
what ``slotbot load`` checked.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hosts") as batch:
        batch.add_column(sa.Column("brand_name", sa.String(200)))
        batch.add_column(sa.Column("brand_color", sa.String(7)))
        batch.add_column(sa.Column("brand_logo_url", sa.String(2000)))
        batch.add_column(sa.Column("mail_templates", sa.JSON, nullable=False,
                                   server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("hosts") as batch:
        batch.drop_column("mail_templates")
        batch.drop_column("brand_logo_url")
        batch.drop_column("brand_color")
        batch.drop_column("brand_name")
