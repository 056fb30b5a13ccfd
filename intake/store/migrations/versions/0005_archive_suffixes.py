"""Keyed hashes of the last 4 to 6 digits of the archived entries' ID and phone numbers.

Filled when a batch is (re)indexed: `subsidy archive add` again, or a key rotation.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "archive_suffixes",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["archive_entries.id"],
                                name=op.f("fk_archive_suffixes_entry_id_archive_entries"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("entry_id", "hash", name=op.f("pk_archive_suffixes")),
    )
    with op.batch_alter_table("archive_suffixes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archive_suffixes_hash"), ["hash"], unique=False)


def downgrade() -> None:
    op.drop_table("archive_suffixes")
