"""The segment library: categories, segments, usage history and the search index.

Revision 0001_library (first schema). Search indexes depend on the dialect:
- SQLite: an FTS5 external-content table `segment_fts` over `segments.search_text`, with
  prefix indexes for 1–3 character prefixes, kept in step by three triggers. A later migration
  that rebuilds `segments` (batch mode) drops the triggers with it and must create them again.
- PostgreSQL: a pg_trgm GIN index on `segments.search_text` for `LIKE '% word%'` (pg_trgm is a
  trusted extension from PostgreSQL 13: the database owner may create it).
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_library"
down_revision = None
branch_labels = None
depends_on = None

DEFAULT_CATEGORIES = (
    "Chính trị",
    "Kinh tế",
    "Nông nghiệp",
    "Y tế",
    "Giáo dục",
    "An ninh trật tự",
    "Phòng chống thiên tai",
    "Văn hoá–xã hội",
    "Môi trường",
    "Giao thông",
    "Thông báo của UBND",
)

SQLITE_FTS = (
    "CREATE VIRTUAL TABLE segment_fts USING fts5(search_text, content='segments', "
    "content_rowid='id', prefix='1 2 3', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER segments_fts_insert AFTER INSERT ON segments BEGIN "
    "INSERT INTO segment_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER segments_fts_delete AFTER DELETE ON segments BEGIN "
    "INSERT INTO segment_fts(segment_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER segments_fts_update AFTER UPDATE OF search_text ON segments BEGIN "
    "INSERT INTO segment_fts(segment_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO segment_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)


def upgrade() -> None:
    categories = op.create_table(
        "categories",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(120), nullable=False, unique=True),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "segments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("category", sa.String(120), nullable=False, server_default=""),
        sa.Column("tags", sa.Text, nullable=False, server_default=""),
        sa.Column("author", sa.String(300), nullable=False, server_default=""),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("recorded_on", sa.Date),
        sa.Column("valid_from", sa.Date),
        sa.Column("valid_until", sa.Date),
        sa.Column("frames", sa.Integer, nullable=False),
        sa.Column("store_rate", sa.Integer, nullable=False),
        sa.Column("sample_rate", sa.Integer, nullable=False),
        sa.Column("channels", sa.Integer, nullable=False),
        sa.Column("integrated_lufs", sa.Float),
        sa.Column("true_peak_dbtp", sa.Float),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("peaks_ref", sa.String(200), nullable=False),
        sa.Column("source_name", sa.String(500), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.Column("search_text", sa.Text, nullable=False, server_default=""),
        sa.Column("sort_title", sa.String(500), nullable=False, server_default=""),
        sa.UniqueConstraint("sha256", name="uq_segments_sha256"),
    )
    for column in ("kind", "category", "recorded_on", "valid_until", "last_used_at", "sort_title"):
        op.create_index(f"ix_segments_{column}", "segments", [column])
    op.create_table(
        "segment_usages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "segment_id",
            sa.Integer,
            sa.ForeignKey("segments.id", ondelete="CASCADE", name="fk_segment_usages_segment"),
            nullable=False,
        ),
        sa.Column("programme", sa.String(500), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_segment_usages_segment_used", "segment_usages", ["segment_id", "used_at"])
    op.bulk_insert(
        categories, [{"name": n, "position": i} for i, n in enumerate(DEFAULT_CATEGORIES)]
    )

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_segments_search_trgm ON segments USING gin (search_text gin_trgm_ops)"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS segments_fts_{name}")
        op.execute("DROP TABLE IF EXISTS segment_fts")
    op.drop_table("segment_usages")
    op.drop_table("segments")
    op.drop_table("categories")
