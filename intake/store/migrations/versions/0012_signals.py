"""Signals across trainees, bundles and batches: the keyed hash of each trainee's phone (stored trainees get
theirs from their sealed phone), and the descriptors of signatures, fingerprints and certificate cards with
the indexes the cross-batch look-ups use.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "image_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("box", sa.JSON(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("number_key", sa.String(length=64), nullable=True),
        sa.Column("name_key", sa.String(length=64), nullable=True),
        sa.Column("item", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["bundle_id"], ["bundles.id"], name=op.f("fk_image_marks_bundle_id_bundles")),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_image_marks_claim_id_claims")),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"],
                                name=op.f("fk_image_marks_institution_id_institutions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_image_marks")),
    )
    with op.batch_alter_table("image_marks") as batch:
        batch.create_index("ix_image_marks_number_key", ["kind", "number_key"], unique=False)
        batch.create_index("ix_image_marks_name_key", ["kind", "name_key"], unique=False)
        batch.create_index(batch.f("ix_image_marks_bundle_id"), ["bundle_id"], unique=False)
        batch.create_index(batch.f("ix_image_marks_claim_id"), ["claim_id"], unique=False)
        batch.create_index("ix_image_marks_institution_kind", ["institution_id", "kind"], unique=False)
    with op.batch_alter_table("trainees") as batch:
        batch.add_column(sa.Column("phone_hash", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_trainees_phone_hash"), ["phone_hash"], unique=False)
    trainees = sa.table("trainees", sa.column("id", sa.Integer), sa.column("phone_enc", sa.LargeBinary),
                        sa.column("phone_hash", sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(trainees.c.id, trainees.c.phone_enc)
                              .where(trainees.c.phone_enc.is_not(None))).all()
    if rows:
        cipher = context.config.attributes.get("cipher")
        if cipher is None:
            raise RuntimeError("migration 0012 hashes stored phones: run it through intake.store.db.open_store")
        for trainee_id, sealed in rows:
            phone = cipher.open(sealed, "trainee.phone")
            connection.execute(trainees.update().where(trainees.c.id == trainee_id)
                               .values(phone_hash=cipher.phone_hash(phone) if phone else None))


def downgrade() -> None:
    with op.batch_alter_table("trainees") as batch:
        batch.drop_index(batch.f("ix_trainees_phone_hash"))
        batch.drop_column("phone_hash")
    op.drop_table("image_marks")
