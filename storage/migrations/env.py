"""Alembic environment: runs on the connection :func:`storage.migrate.upgrade` passes."""

from alembic import context

from storage.orm import metadata

context.configure(connection=context.config.attributes["connection"], target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
