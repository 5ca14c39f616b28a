"""The `flask --app app ...` commands: thin wrappers that parse options, call a package and print."""

from __future__ import annotations

from flask import Flask

from . import notificaties, reports, signalering, sync, users


def register(app: Flask) -> None:
    users.register(app)
    sync.register(app)
    reports.register(app)
    notificaties.register(app)
    signalering.register(app)
