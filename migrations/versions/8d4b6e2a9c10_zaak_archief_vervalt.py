"""zaak.archief_vervalt: the earliest archive due date, generated, with a partial index

The archive queries used an OR over four due columns, which SQLite and PostgreSQL answer by scanning
every mirrored zaak; with this column they read only the zaken that have a task due.

Revision ID: 8d4b6e2a9c10
Revises: 5c1e0a7f3b21
Create Date: 2026-11-29 08:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = "8d4b6e2a9c10"
down_revision = "5c1e0a7f3b21"
branch_labels = None
depends_on = None

WHERE = "vernietigd_op IS NULL AND archief_vervalt IS NOT NULL"
# The earliest non-NULL due date (models.ARCHIEF_VERVALT_SQL at the time of this revision).
ARCHIEF_VERVALT_SQL = (
    "CASE WHEN aanvullen_vervalt IS NOT NULL AND (vernietigen_vervalt IS NULL OR aanvullen_vervalt <= vernietigen_vervalt) AND (overbrengen_vervalt IS NULL OR aanvullen_vervalt <= overbrengen_vervalt) AND (archiveren_vervalt IS NULL OR aanvullen_vervalt <= archiveren_vervalt) THEN aanvullen_vervalt ELSE "
    "CASE WHEN vernietigen_vervalt IS NOT NULL AND (overbrengen_vervalt IS NULL OR vernietigen_vervalt <= overbrengen_vervalt) AND (archiveren_vervalt IS NULL OR vernietigen_vervalt <= archiveren_vervalt) THEN vernietigen_vervalt ELSE "
    "CASE WHEN overbrengen_vervalt IS NOT NULL AND (archiveren_vervalt IS NULL OR overbrengen_vervalt <= archiveren_vervalt) THEN overbrengen_vervalt ELSE "
    "archiveren_vervalt END END END"
)


def upgrade():
    # Plain ALTER TABLE (no batch copy): SQLite adds a VIRTUAL generated column in place, PostgreSQL a STORED one.
    op.add_column("zaak", sa.Column("archief_vervalt", sa.Date(), sa.Computed(ARCHIEF_VERVALT_SQL), nullable=True))
    op.create_index("ix_zaak_archief_vervalt", "zaak", ["archief_vervalt", "organisatie_id", "team_id"],
                    unique=False, postgresql_where=sa.text(WHERE), sqlite_where=sa.text(WHERE))


def downgrade():
    op.drop_index("ix_zaak_archief_vervalt", table_name="zaak", postgresql_where=sa.text(WHERE),
                  sqlite_where=sa.text(WHERE))
    with op.batch_alter_table("zaak", schema=None) as batch_op:
        batch_op.drop_column("archief_vervalt")
