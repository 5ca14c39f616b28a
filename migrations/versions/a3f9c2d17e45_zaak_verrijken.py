"""zaak.verrijken: written by an incremental run, team and resultaattype still to fetch

A run that failed or stopped between writing a zaak and fetching its behandelaar rol and resultaat left it
without them until the weekly full run; the flag lets the next run finish the job.

Revision ID: a3f9c2d17e45
Revises: 8d4b6e2a9c10
Create Date: 2026-11-29 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "a3f9c2d17e45"
down_revision = "8d4b6e2a9c10"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("zaak", sa.Column("verrijken", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_index("ix_zaak_verrijken", "zaak", ["id"], unique=False, postgresql_where=sa.text("verrijken"),
                    sqlite_where=sa.text("verrijken"))


def downgrade():
    op.drop_index("ix_zaak_verrijken", table_name="zaak", postgresql_where=sa.text("verrijken"),
                  sqlite_where=sa.text("verrijken"))
    with op.batch_alter_table("zaak", schema=None) as batch_op:
        batch_op.drop_column("verrijken")
