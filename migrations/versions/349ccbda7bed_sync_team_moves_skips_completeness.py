"""sync: rol lists in change detection, skipped records, completeness counts, runs asked for on /bron

- zaak.rollen_hash: a team move changes only the zaak's `rollen` list; the hash of the sorted URLs makes it a
  changed zaak. Existing rows start without it: the first run after this revision rewrites the zaken it lists
  once (their content hash changes too) and derives their teams again, as for any changed zaak.
- zaak.onleesbaar_in_bron: the finding of that name (why the latest record could not be read).
- sync_run.overgeslagen and sync_overgeslagen: one unreadable record skips one zaak, not the run.
- sync_volledigheid: per run and organisation the source's count beside the mirror's, all and open zaken.
- sync_verzoek: "Nu synchroniseren" on /bron asks the worker for a run.

Revision ID: 349ccbda7bed
Revises: a3f9c2d17e45
Create Date: 2026-12-06 02:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "349ccbda7bed"
down_revision = "a3f9c2d17e45"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (nullable, or with a server default) on both databases: no batch copy of the zaak table.
    op.add_column("zaak", sa.Column("rollen_hash", sa.String(length=64), nullable=True))
    op.add_column("zaak", sa.Column("onleesbaar_in_bron", sa.String(length=500), nullable=True))
    op.add_column("sync_run", sa.Column("overgeslagen", sa.Integer(), server_default=sa.text("0"), nullable=False))
    op.create_table(
        "sync_overgeslagen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("zaak_url", sa.String(length=1000), nullable=False),
        sa.Column("zaak_id", sa.Integer(), nullable=True),
        sa.Column("veld", sa.String(length=200), nullable=False),
        sa.Column("reden", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["sync_run.id"], name=op.f("fk_sync_overgeslagen_run_id_sync_run")),
        sa.ForeignKeyConstraint(["zaak_id"], ["zaak.id"], name=op.f("fk_sync_overgeslagen_zaak_id_zaak")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_overgeslagen")),
    )
    with op.batch_alter_table("sync_overgeslagen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_overgeslagen_run_id"), ["run_id"], unique=False)
    op.create_table(
        "sync_volledigheid",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("organisatie_id", sa.Integer(), nullable=False),
        sa.Column("bron_alle", sa.Integer(), nullable=True),
        sa.Column("spiegel_alle", sa.Integer(), nullable=False),
        sa.Column("bron_open", sa.Integer(), nullable=True),
        sa.Column("spiegel_open", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organisatie_id"], ["organisatie.id"],
                                name=op.f("fk_sync_volledigheid_organisatie_id_organisatie")),
        sa.ForeignKeyConstraint(["run_id"], ["sync_run.id"], name=op.f("fk_sync_volledigheid_run_id_sync_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_volledigheid")),
    )
    with op.batch_alter_table("sync_volledigheid", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_volledigheid_run_id"), ["run_id"], unique=False)
    op.create_table(
        "sync_verzoek",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aangevraagd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("aangevraagd_door", sa.String(length=80), nullable=False),
        sa.Column("volledig", sa.Boolean(), nullable=False),
        sa.Column("opgepakt_op", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_verzoek")),
    )
    with op.batch_alter_table("sync_verzoek", schema=None) as batch_op:
        batch_op.create_index("ix_sync_verzoek_opgepakt_op", ["opgepakt_op", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("sync_verzoek", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_verzoek_opgepakt_op")
    op.drop_table("sync_verzoek")
    with op.batch_alter_table("sync_volledigheid", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_volledigheid_run_id"))
    op.drop_table("sync_volledigheid")
    with op.batch_alter_table("sync_overgeslagen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_overgeslagen_run_id"))
    op.drop_table("sync_overgeslagen")
    with op.batch_alter_table("sync_run", schema=None) as batch_op:
        batch_op.drop_column("overgeslagen")
    with op.batch_alter_table("zaak", schema=None) as batch_op:
        batch_op.drop_column("onleesbaar_in_bron")
        batch_op.drop_column("rollen_hash")
