"""notificatie_wachtrij: zaken a notification (Notificaties API, kanaal zaken) asked the worker to re-read

The receiver answers at once and only stores the zaak URL; one waiting row per zaak URL (a partial unique
index), so a burst of notifications about one zaak is one re-read.

Revision ID: e7b41c9d2f60
Revises: c7e1f4a9b2d3
Create Date: 2026-12-06 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "e7b41c9d2f60"
down_revision = "c7e1f4a9b2d3"
branch_labels = None
depends_on = None

WAITING = "status = 'wachtend'"


def upgrade():
    op.create_table(
        "notificatie_wachtrij",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zaak_url", sa.String(length=1000), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("laatst_ontvangen_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("laatste_melding", sa.String(length=120), nullable=False),
        sa.Column("pogingen", sa.Integer(), nullable=False),
        sa.Column("verwerkt_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("melding", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notificatie_wachtrij")),
    )
    op.create_index("uq_notificatie_wachtrij_wachtend", "notificatie_wachtrij", ["zaak_url"], unique=True,
                    postgresql_where=sa.text(WAITING), sqlite_where=sa.text(WAITING))
    op.create_index("ix_notificatie_wachtrij_status", "notificatie_wachtrij", ["status", "ontvangen_op"],
                    unique=False)
    op.create_index("ix_notificatie_wachtrij_verwerkt_op", "notificatie_wachtrij", ["verwerkt_op"], unique=False)


def downgrade():
    op.drop_index("ix_notificatie_wachtrij_verwerkt_op", table_name="notificatie_wachtrij")
    op.drop_index("ix_notificatie_wachtrij_status", table_name="notificatie_wachtrij")
    op.drop_index("uq_notificatie_wachtrij_wachtend", table_name="notificatie_wachtrij",
                  postgresql_where=sa.text(WAITING), sqlite_where=sa.text(WAITING))
    op.drop_table("notificatie_wachtrij")
