"""A user's e-mail address for the signalering: checked, stored and audited.

Set by the beheerder (beheer page, `users create --email`, `users set-email`) or, once single sign-on is there,
from the identity provider's `email` claim: both call `set_email`.
"""

from __future__ import annotations

import re

from ..models import Gebruiker
from . import audit
from .auth import AccountError

MAX_LENGTH = 254  # RFC 5321: the longest path an SMTP server must accept
# Pragmatic: one @, no spaces, quotes, angle brackets or control characters, a domain with a dot (or localhost).
_ADDRESS = re.compile(r"^[^\s@<>()\[\]\\,;:\"]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,}$"
                      r"|^[^\s@<>()\[\]\\,;:\"]+@localhost$")


def normalise_email(address: str | None) -> str | None:
    """The address as stored (trimmed, the domain in lower case), None for an empty one; AccountError (Dutch)
    when it cannot be an e-mail address."""
    if address is None or not address.strip():
        return None
    address = address.strip()
    if len(address) > MAX_LENGTH:
        raise AccountError(f"e-mailadres is te lang (hooguit {MAX_LENGTH} tekens)")
    if not address.isascii() or not _ADDRESS.match(address):
        raise AccountError(f"ongeldig e-mailadres {address[:60]!r}: gebruik de vorm naam@organisatie.nl")
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def set_email(user: Gebruiker, address: str | None, *, actor: str | None = None, bron: str = "beheer") -> bool:
    """Set (or clear, with None or "") a user's e-mail address, audited in the current transaction (the caller
    commits). Returns whether it changed. `bron` says where it came from: beheer, cli or sso."""
    value = normalise_email(address)
    if value == user.email:
        return False
    old = user.email
    user.email = value
    audit.record("email_wijzigen", user.gebruikersnaam, "ok", actor=actor,
                 details=f"bron={bron}; {'gewist' if value is None else 'gezet'}" + (" (was gezet)" if old else ""))
    return True
