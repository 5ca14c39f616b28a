"""figuur_stand and figuur_cel: the figures every page reads, stored for today's peildatum

Revision ID: d1f6a3b8c2e9
Revises: b9e3d5f7a1c4
Create Date: 2026-12-06 04:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = "d1f6a3b8c2e9"
down_revision = "b9e3d5f7a1c4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "figuur_stand",
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("peildatum", sa.Date(), nullable=False),
        sa.Column("berekend_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("aanleiding", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("soort"),
    )
    op.create_table(
        "figuur_cel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("organisatie_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("waarde", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_figuur_cel_soort", "figuur_cel", ["soort", "organisatie_id", "team_id"])


def downgrade():
    op.drop_index("ix_figuur_cel_soort", table_name="figuur_cel")
    op.drop_table("figuur_cel")
    op.drop_table("figuur_stand")
