"""db.bulk_insert on SQLite writes exactly what a SQLAlchemy Core insert of the same rows writes.

It bypasses SQLAlchemy's parameter handling (one DB-API executemany, each value through its column type's bind
processor, dates by isoformat), so the stored values and their SQLite types are compared column by column with
rows inserted the ordinary way."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import text

from duo_zaak.db import bulk_insert, db
from duo_zaak.models import Zaak


def _row(url: str, **extra: object) -> dict[str, object]:
    return {"url": url, "uuid": "", "identificatie": "ZAAK-1", "bronorganisatie": "123456782",
            "zaaktype_url": "http://x/zt/1", "omschrijving": "Ω & 'quote'", "registratiedatum": None,
            "startdatum": date(999, 1, 2), "einddatum": date(2026, 2, 28), "einddatum_gepland": None,
            "uiterlijke_einddatum_afdoening": date(9999, 12, 31), "opgeschort": True, "opschorting_reden": "",
            "verlenging_reden": None, "verlenging_duur": "P15D", "archiefstatus": "nog_te_archiveren",
            "verrijken": False, "aanvullen_ooit": True, "content_hash": "ab" * 32,
            "eerst_gezien": datetime(2026, 5, 15, 10, 30, 1, 250, tzinfo=UTC),
            "gewijzigd_op": datetime(2026, 5, 15, 10, 30, 1, tzinfo=UTC), **extra}


def test_bulk_insert_stores_what_a_core_insert_stores(app):
    with app.app_context():
        bulk_insert(Zaak.__table__, [_row("http://x/zaken/1"), _row("http://x/zaken/2", opgeschort=False)])
        db.session.execute(Zaak.__table__.insert(), [_row("http://x/zaken/3"), _row("http://x/zaken/4",
                                                                                     opgeschort=False)])
        db.session.commit()
        columns = [c.name for c in Zaak.__table__.columns if c.name not in ("id", "url")]
        typed = ", ".join(f"typeof({c}), {c}" for c in columns) if db.engine.dialect.name == "sqlite" \
            else ", ".join(f"{c}::text" for c in columns)
        rows = db.session.execute(text(f"SELECT url, {typed} FROM zaak ORDER BY url")).all()
        assert [row[0] for row in rows] == [f"http://x/zaken/{n}" for n in (1, 2, 3, 4)]
        assert rows[0][1:] == rows[2][1:]  # bulk (1) and core (3) alike, value and type of every column
        assert rows[1][1:] == rows[3][1:]
        assert rows[0][1:] != rows[1][1:]  # and the comparison can tell a difference (opgeschort)
