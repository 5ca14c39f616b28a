"""sync staging table; zaak.laatst_gezien becomes gewijzigd_op

A full sync lists rollen and resultaten first into sync_verrijking so every zaak is written once. Unchanged
zaken are no longer rewritten at every run, so the column says what it holds: the last sync that wrote it.

Revision ID: 5c1e0a7f3b21
Revises: 97482c37de13
Create Date: 2026-11-29 08:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = "5c1e0a7f3b21"
down_revision = "97482c37de13"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sync_verrijking",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zaak_url", sa.String(length=1000), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("rol_moment", sa.Float(), nullable=True),
        sa.Column("resultaattype_url", sa.String(length=1000), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_verrijking")),
    )
    with op.batch_alter_table("sync_verrijking", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_verrijking_zaak_url"), ["zaak_url"], unique=False)
    # Both SQLite (>= 3.25) and PostgreSQL rename in place; a batch copy would rebuild the whole zaak table.
    op.execute("ALTER TABLE zaak RENAME COLUMN laatst_gezien TO gewijzigd_op")


def downgrade():
    op.execute("ALTER TABLE zaak RENAME COLUMN gewijzigd_op TO laatst_gezien")
    with op.batch_alter_table("sync_verrijking", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_verrijking_zaak_url"))
    op.drop_table("sync_verrijking")
