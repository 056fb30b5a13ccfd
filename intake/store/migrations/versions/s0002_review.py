"""The review form's tables: review_files, review_claims, review_fields, review_seals.

Revision ID: s0002
Revises: s0001
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_files",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=True),
        sa.Column("intake_flags", sa.JSON(), nullable=False),
        sa.Column("evidence_enc", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_review_files")),
    )
    with op.batch_alter_table("review_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_files_bundle_id"), ["bundle_id"], unique=False)
    op.create_table(
        "review_claims",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("proposed_by", sa.String(length=100), nullable=False),
        sa.Column("postponed_by", sa.String(length=100), nullable=False),
        sa.Column("postponed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('open','accepted','rejected','awaiting_second')",
                           name=op.f("ck_review_claims_status")),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_review_claims")),
    )
    with op.batch_alter_table("review_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_claims_batch_id"), ["batch_id"], unique=False)
    op.create_table(
        "review_fields",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("claim_id", "field", name=op.f("pk_review_fields")),
    )
    op.create_table(
        "review_seals",
        sa.Column("bundle_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id", "document", name=op.f("pk_review_seals")),
    )


def downgrade() -> None:
    op.drop_table("review_seals")
    op.drop_table("review_fields")
    with op.batch_alter_table("review_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_claims_batch_id"))
    op.drop_table("review_claims")
    with op.batch_alter_table("review_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_files_bundle_id"))
    op.drop_table("review_files")
