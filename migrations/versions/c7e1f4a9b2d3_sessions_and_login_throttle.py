"""Revocable sessions, a one-time password flag and the login slow-down instead of the lockout

gebruiker.sessie_versie (in every session cookie; raised to end all of a user's sessions), gebruiker.wachtwoord_wijzigen
(a beheerder's reset: change the password at the next login); the table inlog_vertraging (failed logins per account +
client address and per address) replaces gebruiker.mislukte_pogingen and gebruiker.geblokkeerd_tot.

Revision ID: c7e1f4a9b2d3
Revises: 349ccbda7bed
Create Date: 2026-12-06 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "c7e1f4a9b2d3"
down_revision = "349ccbda7bed"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inlog_vertraging",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sleutel", sa.String(length=64), nullable=False),
        sa.Column("mislukt", sa.Integer(), nullable=False),
        sa.Column("geweigerd", sa.Integer(), nullable=False),
        sa.Column("laatste", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inlog_vertraging")),
        sa.UniqueConstraint("sleutel", name=op.f("uq_inlog_vertraging_sleutel")),
    )
    op.create_index(op.f("ix_inlog_vertraging_laatste"), "inlog_vertraging", ["laatste"], unique=False)
    with op.batch_alter_table("gebruiker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sessie_versie", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch_op.add_column(sa.Column("wachtwoord_wijzigen", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.drop_column("mislukte_pogingen")
        batch_op.drop_column("geblokkeerd_tot")


def downgrade():
    with op.batch_alter_table("gebruiker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("geblokkeerd_tot", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("mislukte_pogingen", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch_op.drop_column("wachtwoord_wijzigen")
        batch_op.drop_column("sessie_versie")
    op.drop_index(op.f("ix_inlog_vertraging_laatste"), table_name="inlog_vertraging")
    op.drop_table("inlog_vertraging")
