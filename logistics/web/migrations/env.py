"""Alembic's entry point: migrate the connection ``store.upgrade`` hands over.

``render_as_batch`` lets later revisions alter columns on SQLite, which cannot ``ALTER`` in place
(Alembic copies the table instead); PostgreSQL alters directly.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from logistics.web.tables import Base

connection: Connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
