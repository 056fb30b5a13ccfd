"""The archive: index, generated documents kept with a batch, the archive's log, page OCR text, disposal of
originals, and the audit chain of decisions and corrections.

The full-text index is dialect-specific and lives outside the ORM metadata (env.py skips it when comparing):
an FTS5 virtual table on SQLite, a table with a GIN-indexed tsvector on PostgreSQL. Both index the same
tokens (archive_text.tokens: character bigrams of Chinese runs, words of the rest), so a query finds the
same pages on either backend.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("disposed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text", sa.Text(), nullable=True))
    for table in ("decisions", "corrections"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("chain_prev", sa.String(length=64), nullable=True))
            batch_op.add_column(sa.Column("chain_hash", sa.String(length=64), nullable=True))
            batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_chain_prev"), ["chain_prev"])
            batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_chain_hash"), ["chain_hash"])

    op.create_table(
        "archived_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("archived_at", sa.DateTime(), nullable=False),
        sa.Column("archived_by", sa.String(length=100), nullable=False),
        sa.Column("policy", sa.String(length=200), nullable=False),
        sa.Column("retention_years", sa.Integer(), nullable=False),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.Column("indexed_at", sa.DateTime(), nullable=False),
        sa.Column("disposed_at", sa.DateTime(), nullable=True),
        sa.Column("disposed_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["batches.id"], name=op.f("fk_archived_batches_batch_id_batches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archived_batches")),
        sa.UniqueConstraint("batch_id", name=op.f("uq_archived_batches_batch_id")),
    )
    with op.batch_alter_table("archived_batches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archived_batches_retain_until"), ["retain_until"], unique=False)

    op.create_table(
        "archive_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("archived_batch_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("stored_path", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["archived_batch_id"], ["archived_batches.id"],
                                name=op.f("fk_archive_documents_archived_batch_id_archived_batches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_documents")),
    )
    with op.batch_alter_table("archive_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archive_documents_archived_batch_id"), ["archived_batch_id"],
                              unique=False)

    op.create_table(
        "archive_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("archived_batch_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("id_masked", sa.String(length=30), nullable=False),
        sa.Column("certificate_no_hash", sa.String(length=64), nullable=False),
        sa.Column("certificate_no_masked", sa.String(length=100), nullable=False),
        sa.Column("institution", sa.String(length=200), nullable=False),
        sa.Column("employer", sa.String(length=200), nullable=False),
        sa.Column("class_period", sa.String(length=100), nullable=False),
        sa.Column("profession", sa.String(length=100), nullable=False),
        sa.Column("batch", sa.String(length=200), nullable=False),
        sa.Column("quarter", sa.String(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("archived_at", sa.DateTime(), nullable=False),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.Column("pages", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["archived_batch_id"], ["archived_batches.id"],
                                name=op.f("fk_archive_entries_archived_batch_id_archived_batches")),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_archive_entries_claim_id_claims")),
        sa.ForeignKeyConstraint(["trainee_id"], ["trainees.id"], name=op.f("fk_archive_entries_trainee_id_trainees")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_entries")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_archive_entries_claim_id")),
    )
    with op.batch_alter_table("archive_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archive_entries_archived_batch_id"), ["archived_batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_archive_entries_batch"), ["batch"], unique=False)
        batch_op.create_index(batch_op.f("ix_archive_entries_certificate_no_hash"), ["certificate_no_hash"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_archive_entries_id_hash"), ["id_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_archive_entries_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_archive_entries_year"), ["year"], unique=False)

    op.create_table(
        "archive_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("batch", sa.String(length=200), nullable=False),
        sa.Column("who", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_events")),
    )

    if op.get_bind().dialect.name == "postgresql":
        # 'simple' config: no stemming or stop words (Chinese has none to apply); the tokens are already
        # bigrams, so each one is a lexeme and phraseto_tsquery matches a substring of two or more characters.
        op.execute("CREATE TABLE archive_fts (page_id integer PRIMARY KEY REFERENCES pages(id), "
                   "archived_batch_id integer NOT NULL REFERENCES archived_batches(id), "
                   "tokens tsvector NOT NULL)")
        op.execute("CREATE INDEX ix_archive_fts_tokens ON archive_fts USING gin (tokens)")
        op.execute("CREATE INDEX ix_archive_fts_archived_batch_id ON archive_fts (archived_batch_id)")
    else:
        op.execute("CREATE VIRTUAL TABLE archive_fts USING fts5(tokens, page_id UNINDEXED, "
                   "archived_batch_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 0')")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS archive_fts")
    op.drop_table("archive_events")
    op.drop_table("archive_entries")
    op.drop_table("archive_documents")
    op.drop_table("archived_batches")
    for table in ("corrections", "decisions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_chain_hash"), type_="unique")
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_chain_prev"), type_="unique")
            batch_op.drop_column("chain_hash")
            batch_op.drop_column("chain_prev")
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_column("text")
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.drop_column("disposed_at")
