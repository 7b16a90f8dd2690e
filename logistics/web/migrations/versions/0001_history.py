"""The history as the server kept it before migrations: uploads and runs.

A database made by that server (with these two tables and no ``alembic_version``) is stamped
with this revision instead of being created again, then upgraded like any other.

Revision ID: 0001_history
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_history"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the uploads and runs tables."""
    op.create_table(
        "uploads",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("client", sa.String(200), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("stored_name", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("valid", sa.Integer(), nullable=False),
        sa.Column("scenario_name", sa.String(255), nullable=False),
        sa.Column("issues_json", sa.Text(), nullable=False),
        sa.Column("ids_json", sa.Text(), nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("upload_id", sa.String(32), sa.ForeignKey("uploads.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("parent_id", sa.String(32), nullable=True),
        sa.Column("batch_id", sa.String(32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("client", sa.String(200), nullable=False),
        sa.Column("input_sha256", sa.String(64), nullable=False),
        sa.Column("settings_json", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("figures_json", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    """Drop the runs and uploads tables."""
    op.drop_table("runs")
    op.drop_table("uploads")
