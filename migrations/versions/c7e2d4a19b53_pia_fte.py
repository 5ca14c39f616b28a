"""pia_fte: PiA's capacity in FTE per period, for the capacity planning

Local state with history: rows are added, never changed; a later row wins for the days it covers.

Revision ID: c7e2d4a19b53
Revises: c5d8e2f41a07
Create Date: 2026-12-06 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "c7e2d4a19b53"
down_revision = "c5d8e2f41a07"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pia_fte",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisatie_id", sa.Integer(), nullable=True),
        sa.Column("fte", sa.Float(), nullable=False),
        sa.Column("van", sa.Date(), nullable=False),
        sa.Column("tot", sa.Date(), nullable=True),
        sa.Column("gewijzigd_door_id", sa.Integer(), nullable=True),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notitie", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["gewijzigd_door_id"], ["gebruiker.id"],
                                name=op.f("fk_pia_fte_gewijzigd_door_id_gebruiker")),
        sa.ForeignKeyConstraint(["organisatie_id"], ["organisatie.id"],
                                name=op.f("fk_pia_fte_organisatie_id_organisatie")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pia_fte")),
    )
    op.create_index("ix_pia_fte_organisatie_van", "pia_fte", ["organisatie_id", "van"], unique=False)


def downgrade():
    op.drop_index("ix_pia_fte_organisatie_van", table_name="pia_fte")
    op.drop_table("pia_fte")
