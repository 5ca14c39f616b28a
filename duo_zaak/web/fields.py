"""The one date field and the one decimal field of every form: plain text inputs in the Dutch way.

Browsers' own date pickers and number inputs follow the browser's locale (`12/06/2026`; `87,5` read as 875), so
both are text fields: dates typed and shown as dd-mm-jjjj (links and bookmarks may carry JJJJ-MM-DD), numbers
with a decimal comma or point and shown with a comma.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from wtforms import Field
from wtforms.widgets import TextInput

DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d")


def parse_datum(text: str) -> date | None:
    """dd-mm-jjjj or JJJJ-MM-DD; None when it is neither."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


class DatumField(Field):
    """A date as text: `dd-mm-jjjj` (or JJJJ-MM-DD); shown as dd-mm-jjjj."""

    widget = TextInput()

    def __init__(self, label: str | None = None, validators: Any = None, *,
                 invalid_message: str = "Ongeldige datum '{text}': gebruik dd-mm-jjjj, bijvoorbeeld 15-05-2026.",
                 **kwargs: Any) -> None:
        render_kw = {"placeholder": "dd-mm-jjjj", "inputmode": "numeric", "autocomplete": "off",
                     **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.invalid_message = invalid_message

    def _value(self) -> str:
        if self.raw_data and self.data is None:
            return str(self.raw_data[0])
        return self.data.strftime("%d-%m-%Y") if self.data else ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if not valuelist or not str(valuelist[0]).strip():
            return
        text = str(valuelist[0]).strip()
        self.data = parse_datum(text)
        if self.data is None:
            raise ValueError(self.invalid_message.format(text=text[:40]))


class DecimaalField(Field):
    """A number with a decimal comma (87,5) or point (87.5); shown with a comma."""

    widget = TextInput()

    def __init__(self, label: str | None = None, validators: Any = None, *,
                 invalid_message: str = "Geen geldig getal: gebruik cijfers met een komma, bijvoorbeeld 87,5.",
                 **kwargs: Any) -> None:
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.invalid_message = invalid_message

    def _value(self) -> str:
        if self.raw_data and self.data is None:
            return str(self.raw_data[0])
        if self.data is None:
            return ""
        return f"{self.data:g}".replace(".", ",")

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if not valuelist or not str(valuelist[0]).strip():
            return
        text = str(valuelist[0]).strip()
        normalised = text.replace(" ", "").replace(",", ".")
        if normalised.count(".") > 1 or not normalised.replace(".", "", 1).lstrip("-").isdigit():
            raise ValueError(self.invalid_message)
        self.data = float(normalised)
