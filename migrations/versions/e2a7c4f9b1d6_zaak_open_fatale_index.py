"""ix_zaak_open_fatale: the open zaken by fatale datum, for the zaak list's default order

Revision ID: e2a7c4f9b1d6
Revises: d1f6a3b8c2e9
Create Date: 2026-12-06 05:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = "e2a7c4f9b1d6"
down_revision = "d1f6a3b8c2e9"
branch_labels = None
depends_on = None

OPEN = "einddatum IS NULL AND vernietigd_op IS NULL"


def upgrade():
    op.create_index("ix_zaak_open_fatale", "zaak", ["einddatum", "fatale_datum", "id"], postgresql_where=sa.text(OPEN),
                    sqlite_where=sa.text(OPEN))


def downgrade():
    op.drop_index("ix_zaak_open_fatale", table_name="zaak")
