"""The fingerprint of the store's key, and the state of a key rotation.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "store_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("next_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("rotation", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_key")),
    )


def downgrade() -> None:
    op.drop_table("store_key")
