"""Turning a message's figures into mail: absolute links (BASE_URL), the Jinja templates under templates/mail/
(a text and an HTML part), a subject that is safe in a header, and the MIME message itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

from flask import current_app, url_for

from ..formatting import today_amsterdam
from ..models import utcnow

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
MAX_SUBJECT = 250


@dataclass
class Bericht:
    """A message built for one user: its parts, and what the daily message reports (to be recorded)."""

    soort: str
    onderwerp: str
    tekst: str
    html: str
    afmeld_url: str | None
    leeg: bool = False  # nothing to report: the period is logged, no mail goes out
    meldingen: list[tuple[int, str, date]] = field(default_factory=list)  # (zaak_id, wijziging, fatale_datum)


def header_text(text: str) -> str:
    """Text from InProces or a user in a header: no line breaks or other control characters, bounded."""
    return _CONTROL.sub(" ", text).strip()[:MAX_SUBJECT]


def base_url() -> str:
    return str(current_app.config["BASE_URL"] or "http://127.0.0.1:5000").rstrip("/")


@contextmanager
def absolute_links() -> Iterator[None]:
    """`link(...)` builds absolute URLs under BASE_URL inside this block (also outside a request)."""
    with current_app.test_request_context("/", base_url=base_url() + "/"):
        yield


def link(endpoint: str, day: date | None = None, **values: Any) -> str:
    """An absolute link to a page with its filters set; `day` adds the peildatum when it is not today."""
    if day is not None and day != today_amsterdam():
        values["peildatum"] = day.isoformat()
    return url_for(endpoint, _external=True, **{k: v for k, v in values.items() if v not in (None, "")})


def render(soort: str, context: dict[str, Any]) -> tuple[str, str]:
    """(text, html) from templates/mail/<soort>.txt and .html; only the HTML part is autoescaped."""
    env = current_app.jinja_env
    return (env.get_template(f"mail/{soort}.txt").render(**context).strip() + "\n",
            env.get_template(f"mail/{soort}.html").render(**context))


def sender_domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "localhost"


def mime(*, sender: str, to: str, subject: str, text: str, html: str, message_id: str,
         afmeld_url: str | None) -> EmailMessage:
    """The multipart (text + HTML) message with the unsubscribe headers (RFC 2369 and RFC 8058 one-click)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = header_text(subject)
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    if afmeld_url:
        message["List-Unsubscribe"] = f"<{afmeld_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text, charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message
