"""Initial schema: every table of intake.store.models as first released.

Money columns are integer fen (models.Money); personal fields are sealed bytes (crypto.py).

Revision ID: 0001
Revises: -
Create Date: 2026-11-29 01:15:30.629784
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "employers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employers")),
        sa.UniqueConstraint("name", name=op.f("uq_employers_name")),
    )
    op.create_table(
        "institutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institutions")),
        sa.UniqueConstraint("name", name=op.f("uq_institutions_name")),
    )
    op.create_table(
        "prior_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("id_number_enc", sa.LargeBinary(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("profession", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=50), nullable=True),
        sa.Column("certificate_no", sa.String(length=100), nullable=False),
        sa.Column("certificate_no_enc", sa.LargeBinary(), nullable=True),
        sa.Column("claim_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=True),
        sa.Column("source_file", sa.String(length=500), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prior_claims")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_prior_claims_fingerprint")),
    )
    with op.batch_alter_table("prior_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prior_claims_id_hash"), ["id_hash"], unique=False)

    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("original_name", sa.String(length=500), nullable=False),
        sa.Column("stored_path", sa.String(length=200), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uploads")),
        sa.UniqueConstraint("sha256", name=op.f("uq_uploads_sha256")),
    )
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("quarter", sa.String(length=6), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft','submitted','publicised','approved','paid')", name=op.f("ck_batches_status")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institutions.id"], name=op.f("fk_batches_institution_id_institutions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batches")),
        sa.UniqueConstraint("name", name=op.f("uq_batches_name")),
    )
    op.create_table(
        "trainees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("id_number_enc", sa.LargeBinary(), nullable=True),
        sa.Column("phone_enc", sa.LargeBinary(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("gender", sa.String(length=4), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["employer_id"], ["employers.id"], name=op.f("fk_trainees_employer_id_employers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trainees")),
        sa.UniqueConstraint("id_hash", name=op.f("uq_trainees_id_hash")),
    )
    op.create_table(
        "training_classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("class_period", sa.String(length=100), nullable=False),
        sa.Column("profession", sa.String(length=100), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institutions.id"], name=op.f("fk_training_classes_institution_id_institutions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_classes")),
        sa.UniqueConstraint("class_period", "profession", name="uq_training_classes_period_profession"),
    )
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("who", sa.String(length=100), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=True),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["trainee_id"], ["trainees.id"], name=op.f("fk_access_log_trainee_id_trainees")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_log_id_hash"), ["id_hash"], unique=False)

    op.create_table(
        "bundles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("engine", sa.String(length=50), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["batches.id"], name=op.f("fk_bundles_batch_id_batches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bundles")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_bundles_fingerprint")),
    )
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("certificate_no", sa.String(length=100), nullable=False),
        sa.Column("certificate_no_enc", sa.LargeBinary(), nullable=True),
        sa.Column("certificate_no_hash", sa.String(length=64), nullable=False),
        sa.Column("profession", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=50), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["trainee_id"], ["trainees.id"], name=op.f("fk_certificates_trainee_id_trainees")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint(
            "trainee_id", "profession", "certificate_no_hash", name="uq_certificates_trainee_profession_no"
        ),
    )
    op.create_table(
        "bundle_uploads",
        sa.Column("bundle_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["bundle_id"], ["bundles.id"], name=op.f("fk_bundle_uploads_bundle_id_bundles")),
        sa.ForeignKeyConstraint(["upload_id"], ["uploads.id"], name=op.f("fk_bundle_uploads_upload_id_uploads")),
        sa.PrimaryKeyConstraint("bundle_id", "position", name=op.f("pk_bundle_uploads")),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=True),
        sa.Column("class_id", sa.Integer(), nullable=True),
        sa.Column("profession", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=50), nullable=True),
        sa.Column("training_date", sa.String(length=30), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("claim_date", sa.Date(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=True),
        sa.Column("page_refs", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["batches.id"], name=op.f("fk_claims_batch_id_batches")),
        sa.ForeignKeyConstraint(["bundle_id"], ["bundles.id"], name=op.f("fk_claims_bundle_id_bundles")),
        sa.ForeignKeyConstraint(
            ["certificate_id"], ["certificates.id"], name=op.f("fk_claims_certificate_id_certificates")
        ),
        sa.ForeignKeyConstraint(
            ["class_id"], ["training_classes.id"], name=op.f("fk_claims_class_id_training_classes")
        ),
        sa.ForeignKeyConstraint(["trainee_id"], ["trainees.id"], name=op.f("fk_claims_trainee_id_trainees")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("batch_id", "trainee_id", "profession", name="uq_claims_batch_trainee_prof"),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index("ix_claims_claim_date", ["claim_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_trainee_id"), ["trainee_id"], unique=False)

    op.create_table(
        "pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("rotation", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["bundle_id"], ["bundles.id"], name=op.f("fk_pages_bundle_id_bundles")),
        sa.ForeignKeyConstraint(["upload_id"], ["uploads.id"], name=op.f("fk_pages_upload_id_uploads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pages")),
        sa.UniqueConstraint("bundle_id", "number", name="uq_pages_bundle_number"),
    )
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("trainee_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=50), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("sealed", sa.Boolean(), nullable=False),
        sa.Column("who", sa.String(length=100), nullable=False),
        sa.Column("corrected_at", sa.DateTime(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_corrections_claim_id_claims")),
        sa.ForeignKeyConstraint(["trainee_id"], ["trainees.id"], name=op.f("fk_corrections_trainee_id_trainees")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_corrections_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_corrections_trainee_id"), ["trainee_id"], unique=False)

    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=50), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint("outcome IN ('pass','fail','needs_review')", name=op.f("ck_decisions_outcome")),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_decisions_claim_id_claims")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_claim_id"), ["claim_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_claim_id"))

    op.drop_table("decisions")
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_corrections_trainee_id"))
        batch_op.drop_index(batch_op.f("ix_corrections_claim_id"))

    op.drop_table("corrections")
    op.drop_table("pages")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claims_trainee_id"))
        batch_op.drop_index("ix_claims_claim_date")
        batch_op.drop_index(batch_op.f("ix_claims_batch_id"))

    op.drop_table("claims")
    op.drop_table("bundle_uploads")
    op.drop_table("certificates")
    op.drop_table("bundles")
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_log_id_hash"))

    op.drop_table("access_log")
    op.drop_table("training_classes")
    op.drop_table("trainees")
    op.drop_table("batches")
    op.drop_table("uploads")
    with op.batch_alter_table("prior_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prior_claims_id_hash"))

    op.drop_table("prior_claims")
    op.drop_table("institutions")
    op.drop_table("employers")
