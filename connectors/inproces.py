"""The InProces connector: the ZGW client pointed at InProces's Zaken and Catalogi APIs.

The app fills `InProcesSettings` from its config keys INPROCES_ZAKEN_URL, INPROCES_CATALOGI_URL,
INPROCES_CLIENT_ID and INPROCES_SECRET (env DUO_ZAAK_INPROCES_*). The secret and the tokens made from it
are never logged nor shown in a repr.

InProces quirks handled (none known yet beyond ZGW behaviour also seen on Open Zaak):
- `archiefnominatie` may be blank ("") as well as null: read as None (records.Zaak).
- `uiterlijkeEinddatumAfdoening` may be missing: None, the app derives the fatale datum itself.
- Should InProces refuse `pageSize` (Open Zaak accepts it, the ZGW spec does not list it), set
  `page_size=None` and the server's default page size applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .zgw.client import ZGWClient


@dataclass(frozen=True)
class InProcesSettings:
    zaken_url: str
    catalogi_url: str
    client_id: str
    secret: str = field(repr=False)
    user_id: str = "duo-zaak"
    page_size: int | None = 500
    timeout_connect: float = 5
    timeout_read: float = 60
    retries: int = 5
    backoff_factor: float = 0.5

    def __post_init__(self) -> None:
        missing = [
            key
            for key, value in (
                ("INPROCES_ZAKEN_URL", self.zaken_url),
                ("INPROCES_CATALOGI_URL", self.catalogi_url),
                ("INPROCES_CLIENT_ID", self.client_id),
                ("INPROCES_SECRET", self.secret),
            )
            if not value
        ]
        if missing:
            raise ValueError(f"InProces-koppeling niet geconfigureerd: {', '.join(missing)} ontbreekt")


def connect(settings: InProcesSettings) -> ZGWClient:
    """A ZGW client for InProces; close it (or use it as a context manager) when the run is done."""
    return ZGWClient(
        settings.zaken_url,
        settings.catalogi_url,
        settings.client_id,
        settings.secret,
        user_id=settings.user_id,
        page_size=settings.page_size,
        timeout=(settings.timeout_connect, settings.timeout_read),
        retries=settings.retries,
        backoff_factor=settings.backoff_factor,
    )
