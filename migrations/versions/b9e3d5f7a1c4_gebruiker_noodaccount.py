"""gebruiker.noodaccount: the break-glass flag that keeps local login open when DUO_ZAAK_LOCAL_LOGIN=false

Revision ID: b9e3d5f7a1c4
Revises: c7e2d4a19b53
Create Date: 2026-12-06 02:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = "b9e3d5f7a1c4"
down_revision = "c7e2d4a19b53"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("gebruiker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("noodaccount", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("gebruiker", schema=None) as batch_op:
        batch_op.drop_column("noodaccount")
