"""Build duo_zaak/accounts/data/common_passwords.txt.gz: the common passwords a new password may not be.

Sources (see duo_zaak/accounts/data/README.md for their licences):
- the `passwords` frequency list of the PyPI package zxcvbn 4.5.0 (MIT): 30,000 passwords, most used first;
- `django/contrib/auth/common-passwords.txt.gz` of the PyPI package Django 5.2.19 (BSD-3-Clause): 19,640 passwords;
- our own Dutch and local combinations (a few base words x the suffixes people add), made here.

Both packages are fetched with pip (`pip download --no-deps`) into a temporary folder and read as data: nothing of
them is imported or run. Entries are lower-cased, stripped and de-duplicated; the file is written sorted and gzipped
without a time stamp, so the same sources give the same bytes.

    .venv/bin/python scripts/build_common_passwords.py
"""

from __future__ import annotations

import ast
import gzip
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "duo_zaak" / "accounts" / "data" / "common_passwords.txt.gz"
ZXCVBN = "zxcvbn==4.5.0"
DJANGO = "Django==5.2.19"

# Words Dutch users (of these organisations) are known to build passwords from, and what they add to them.
DUTCH_WORDS = ("wachtwoord", "welkom", "geheim", "inloggen", "wachtwoordje", "welkom01", "zomer", "winter", "lente",
               "herfst", "voorjaar", "najaar", "januari", "februari", "maart", "april", "mei", "juni", "juli",
               "augustus", "september", "oktober", "november", "december", "maandag", "vrijdag", "duoplus", "duo+",
               "diemen", "ouderamstel", "ouder-amstel", "uithoorn", "amstelveen", "amsterdam", "gemeente",
               "gemeentediemen", "gemeenteuithoorn", "nederland", "holland", "ajax", "feyenoord", "psv", "hallo",
               "hallo123", "liefde", "schatje", "konijn", "voetbal", "kabouter", "appeltaart", "zaakgericht",
               "inproces", "archief", "postintake")
SUFFIXES = ("", "1", "01", "12", "123", "1234", "12345", "123456", "!", "!!", "123!", "1!",
            *map(str, range(2015, 2031)), *(f"{year}!" for year in range(2020, 2031)))


def _download(spec: str, folder: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d",
                    str(folder), spec], check=True)
    name = spec.split("==")[0].lower()
    return next(p for p in folder.glob("*.whl") if p.name.lower().startswith(name))


def zxcvbn_passwords(wheel: Path) -> list[str]:
    """The `passwords` list of zxcvbn's frequency_lists.py, read as a literal (the module is not run)."""
    with zipfile.ZipFile(wheel) as archive:
        source = archive.read("zxcvbn/frequency_lists.py").decode("utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "passwords":
                    # `"123456,password,...".split(',')`: the string constant is the list
                    text = next(n.value for n in ast.walk(value) if isinstance(n, ast.Constant) and len(n.value) > 1)
                    return text.split(",")
    raise SystemExit("zxcvbn: the passwords list was not found")


def django_passwords(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read("django/contrib/auth/common-passwords.txt.gz")
    return gzip.decompress(data).decode("utf-8").splitlines()


def dutch_passwords() -> list[str]:
    return [word + suffix for word in DUTCH_WORDS for suffix in SUFFIXES]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sources = {"zxcvbn": zxcvbn_passwords(_download(ZXCVBN, folder)),
                   "django": django_passwords(_download(DJANGO, folder)),
                   "nl": dutch_passwords()}
    entries = sorted({line.strip().lower() for lines in sources.values() for line in lines if line.strip()})
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as archive:
        archive.write(("\n".join(entries) + "\n").encode("utf-8"))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(buffer.getvalue())
    counts = ", ".join(f"{name} {len(lines)}" for name, lines in sources.items())
    print(f"{TARGET.relative_to(ROOT)}: {len(entries)} entries ({counts})")


if __name__ == "__main__":
    main()
