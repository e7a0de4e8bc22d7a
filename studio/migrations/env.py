"""Alembic environment: runs on the connection `studio.db.upgrade_schema` hands it."""

from alembic import context

import studio.export_log  # noqa: F401
import studio.library.models  # noqa: F401 - registers the tables on Base.metadata
import studio.outbox.models  # noqa: F401
from studio.db import Base

connection = context.config.attributes.get("connection")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
