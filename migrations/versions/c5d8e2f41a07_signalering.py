"""Signalering: gebruiker.email, preferences, the sent-log, per-zaak change records and the mail outbox

Revision ID: c5d8e2f41a07
Revises: e4b7c1a9d352
Create Date: 2026-12-06 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "c5d8e2f41a07"
down_revision = "e4b7c1a9d352"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("gebruiker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=320), nullable=True))
    op.create_table(
        "melding_voorkeur",
        sa.Column("gebruiker_id", sa.Integer(), nullable=False),
        sa.Column("soort", sa.String(length=30), nullable=False),
        sa.Column("actief", sa.Boolean(), nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["gebruiker_id"], ["gebruiker.id"],
                                name=op.f("fk_melding_voorkeur_gebruiker_id_gebruiker")),
        sa.PrimaryKeyConstraint("gebruiker_id", "soort", name=op.f("pk_melding_voorkeur")),
    )
    op.create_table(
        "mail_uitgaand",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gebruiker_id", sa.Integer(), nullable=True),
        sa.Column("soort", sa.String(length=30), nullable=False),
        sa.Column("ontvanger", sa.String(length=320), nullable=False),
        sa.Column("onderwerp", sa.String(length=300), nullable=False),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(length=300), nullable=False),
        sa.Column("afmeld_url", sa.String(length=1000), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("pogingen", sa.Integer(), nullable=False),
        sa.Column("volgende_poging", sa.DateTime(timezone=True), nullable=False),
        sa.Column("geclaimd_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("laatste_fout", sa.Text(), nullable=False),
        sa.Column("laatste_fout_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verzonden_op", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["gebruiker_id"], ["gebruiker.id"],
                                name=op.f("fk_mail_uitgaand_gebruiker_id_gebruiker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_uitgaand")),
    )
    op.create_index("ix_mail_uitgaand_status", "mail_uitgaand", ["status", "volgende_poging"], unique=False)
    op.create_table(
        "melding_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gebruiker_id", sa.Integer(), nullable=False),
        sa.Column("soort", sa.String(length=30), nullable=False),
        sa.Column("periode", sa.String(length=20), nullable=False),
        sa.Column("peildatum", sa.Date(), nullable=False),
        sa.Column("beslist_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uitgaand_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["gebruiker_id"], ["gebruiker.id"],
                                name=op.f("fk_melding_log_gebruiker_id_gebruiker")),
        sa.ForeignKeyConstraint(["uitgaand_id"], ["mail_uitgaand.id"],
                                name=op.f("fk_melding_log_uitgaand_id_mail_uitgaand")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_melding_log")),
        sa.UniqueConstraint("gebruiker_id", "soort", "periode", name="uq_melding_log_periode"),
    )
    op.create_table(
        "melding_zaak",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gebruiker_id", sa.Integer(), nullable=False),
        sa.Column("zaak_id", sa.Integer(), nullable=False),
        sa.Column("wijziging", sa.String(length=20), nullable=False),
        sa.Column("fatale_datum", sa.Date(), nullable=False),
        sa.Column("log_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["gebruiker_id"], ["gebruiker.id"],
                                name=op.f("fk_melding_zaak_gebruiker_id_gebruiker")),
        sa.ForeignKeyConstraint(["zaak_id"], ["zaak.id"], name=op.f("fk_melding_zaak_zaak_id_zaak")),
        sa.ForeignKeyConstraint(["log_id"], ["melding_log.id"], name=op.f("fk_melding_zaak_log_id_melding_log")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_melding_zaak")),
        sa.UniqueConstraint("gebruiker_id", "zaak_id", "wijziging", "fatale_datum", name="uq_melding_zaak_wijziging"),
    )


def downgrade():
    op.drop_table("melding_zaak")
    op.drop_table("melding_log")
    op.drop_index("ix_mail_uitgaand_status", table_name="mail_uitgaand")
    op.drop_table("mail_uitgaand")
    op.drop_table("melding_voorkeur")
    with op.batch_alter_table("gebruiker", schema=None) as batch_op:
        batch_op.drop_column("email")
