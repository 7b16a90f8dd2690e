"""Alembic migrations of the web application's database, run by ``store.upgrade`` at start-up."""
