"""What hosts set from chat: their language, hidden event types, contact notes.

``chat_owned`` on hosts and event types lists the settings a host changed with
``/slotbot …``; ``slotbot load`` keeps those (the chat wins over the file).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hosts") as batch:
        batch.add_column(sa.Column("locale", sa.String(35)))
        batch.add_column(sa.Column("chat_owned", sa.JSON, nullable=False, server_default="[]"))
    with op.batch_alter_table("event_types") as batch:
        batch.add_column(sa.Column("hidden", sa.Boolean, nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("chat_owned", sa.JSON, nullable=False, server_default="[]"))
    op.create_table(
        "contact_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("host_id", sa.Integer, nullable=False),
        sa.Column("guest_id", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["host_id"], ["hosts.id"],
                                name="fk_contact_notes_host_id_hosts"),
        sa.ForeignKeyConstraint(["guest_id"], ["guests.id"],
                                name="fk_contact_notes_guest_id_guests"),
        sa.PrimaryKeyConstraint("id", name="pk_contact_notes"),
    )
    op.create_index("ix_contact_notes_host_id_guest_id", "contact_notes",
                    ["host_id", "guest_id"])


def downgrade() -> None:
    op.drop_index("ix_contact_notes_host_id_guest_id", table_name="contact_notes")
    op.drop_table("contact_notes")
    with op.batch_alter_table("event_types") as batch:
        batch.drop_column("chat_owned")
        batch.drop_column("hidden")
    with op.batch_alter_table("hosts") as batch:
        batch.drop_column("chat_owned")
        batch.drop_column("locale")
