"""Missions: every upload and run belongs to one. The history made before missions existed is
moved into the default mission, so an upgraded server keeps it.

Revision ID: 0002_missions
Revises: 0001_history
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002_missions"
down_revision: str | None = "0001_history"
branch_labels = None
depends_on = None

DEFAULT_MISSION_ID = "default"


def upgrade() -> None:
    """Create the missions table with the default mission, and give uploads and runs theirs."""
    missions = op.create_table(
        "missions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    created = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    op.bulk_insert(
        missions, [{"id": DEFAULT_MISSION_ID, "name": "Default mission", "created_at": created}]
    )
    for table in ("uploads", "runs"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("mission_id", sa.String(32), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET mission_id = :m").bindparams(m=DEFAULT_MISSION_ID))
        with op.batch_alter_table(table) as batch:
            batch.alter_column("mission_id", existing_type=sa.String(32), nullable=False)
            batch.create_foreign_key(f"fk_{table}_mission_id", "missions", ["mission_id"], ["id"])


def downgrade() -> None:
    """Drop the missions (uploads and runs lose theirs)."""
    for table in ("runs", "uploads"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_mission_id", type_="foreignkey")
            batch.drop_column("mission_id")
    op.drop_table("missions")
