"""Guest notices in private chats only, and the single-use store of signed links.

Guests whose stored chat was a group or channel (it used to follow the last
chat they wrote in) get their private chat back: on Telegram and Slack a user
id addresses the one-to-one chat with the bot. ``used_tokens`` records each
signed guest action link once it has been used (``core.action_links``).

Revision ID: 0008
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "used_links",
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_used_links")),
    )
    guests = sa.table("guests", sa.column("platform", sa.String), sa.column("chat_id", sa.String),
                      sa.column("platform_user_id", sa.String))
    op.execute(guests.update()
               .where(guests.c.platform == "telegram", guests.c.chat_id.like("-%"))
               .values(chat_id=guests.c.platform_user_id))
    op.execute(guests.update()
               .where(guests.c.platform == "slack",
                      sa.or_(guests.c.chat_id.like("C%"), guests.c.chat_id.like("G%")))
               .values(chat_id=guests.c.platform_user_id))


def downgrade() -> None:
    op.drop_table("used_links")  # the group chats are not worth restoring
