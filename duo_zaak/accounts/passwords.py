"""What a password must be: 12 characters or more, not the user name, not one character repeated, not a common
password (a list of 42,163 shipped in data/, see data/README.md); and the one-time passwords of a beheerder's reset."""

from __future__ import annotations

import functools
import gzip
import secrets
import string
from pathlib import Path

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common_passwords.txt.gz"
# A common password with digits or punctuation added ("welkom2024!") is as guessable as the word itself.
_ADDED = string.digits + string.punctuation + " "
_MIN_BASE = 4
# One-time passwords: no characters that look alike (0/o, 1/l/i), in groups of four for reading them out.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@functools.cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def is_common(password: str) -> bool:
    lowered = password.casefold()
    base = lowered.rstrip(_ADDED)
    common = common_passwords()
    return lowered in common or (len(base) >= _MIN_BASE and base in common)


def password_problem(password: str, gebruikersnaam: str = "") -> str | None:
    """Why this password may not be used (a Dutch sentence), or None when it may."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Het wachtwoord mag hooguit {MAX_PASSWORD_LENGTH} tekens hebben."
    if gebruikersnaam and password.casefold() == gebruikersnaam.strip().casefold():
        return "Het wachtwoord mag niet gelijk zijn aan de gebruikersnaam."
    if len(set(password)) == 1:
        return "Het wachtwoord mag niet uit één steeds herhaald teken bestaan."
    if is_common(password):
        return "Dit wachtwoord staat op de lijst van veelgebruikte wachtwoorden. Kies een ander wachtwoord."
    return None


def one_time_password() -> str:
    """16 random characters (about 78 bits) as four groups of four, e.g. `k7mq-3xvr-9tbn-w2hd`."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))
