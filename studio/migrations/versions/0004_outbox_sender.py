"""Outbox: one sender per studio home (the lease row) and the home that queued each item.

Revision ID: 0004_outbox_sender
Revises: 0003_broadcast_log
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_outbox_sender"
down_revision = "0003_broadcast_log"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_senders",
        sa.Column("origin", sa.String(64), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=True),
    )
    with op.batch_alter_table("outbox_items") as batch:
        batch.add_column(sa.Column("origin", sa.String(64), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("outbox_items") as batch:
        batch.drop_column("origin")
    op.drop_table("outbox_senders")
