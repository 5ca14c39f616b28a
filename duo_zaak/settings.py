"""Typed views on the app configuration for the domain modules."""

from __future__ import annotations

from flask import current_app

from .rules.archive import ArchiveSettings


def archive_settings() -> ArchiveSettings:
    config = current_app.config
    return ArchiveSettings(
        aanvullen_dagen=int(config["AANVULLEN_DAGEN"]),
        archiveren_dagen=int(config["ARCHIVEREN_DAGEN"]),
        overbrengen_jaren=int(config["OVERBRENGEN_JAREN"]),
        bevestig_dagen=int(config["BEVESTIG_DAGEN"]),
    )
