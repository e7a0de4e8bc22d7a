"""The export log (programmes made, for the periodic report) and emergency destinations.

Revision ID: 0003_broadcast_log
Revises: 0002_outbox
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_broadcast_log"
down_revision = "0002_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "programme_exports",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("category", sa.String(200), nullable=False),
        sa.Column("author", sa.String(300), nullable=False),
        sa.Column("priority", sa.String(10), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("preset", sa.String(60), nullable=False),
        sa.Column("integrated_lufs", sa.Float(), nullable=True),
        sa.Column("programme", sa.Text(), nullable=False),
        sa.Column("target_areas", sa.JSON(), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_programme_exports_sha256", "programme_exports", ["sha256"])
    op.create_index("ix_programme_exports_exported_at", "programme_exports", ["exported_at"])
    # Destinations that every emergency bulletin goes to, without asking.
    with op.batch_alter_table("destinations") as batch:
        batch.add_column(
            sa.Column("emergency", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("destinations") as batch:
        batch.drop_column("emergency")
    op.drop_index("ix_programme_exports_exported_at", table_name="programme_exports")
    op.drop_index("ix_programme_exports_sha256", table_name="programme_exports")
    op.drop_table("programme_exports")
