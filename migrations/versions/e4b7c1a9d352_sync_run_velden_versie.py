"""sync_run.velden_versie: the derivation rules a successful run wrote the mirror with

A run after an upgrade that changed a derivation (SYNC_FIELDS_VERSION 3: the fatale datum by the verlenging
rule and Atw art. 1) is a full one, so every mirrored zaak is derived again; existing runs have none (NULL).

Revision ID: e4b7c1a9d352
Revises: e7b41c9d2f60
Create Date: 2026-12-06 02:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "e4b7c1a9d352"
down_revision = "e7b41c9d2f60"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("sync_run", sa.Column("velden_versie", sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table("sync_run", schema=None) as batch_op:
        batch_op.drop_column("velden_versie")
