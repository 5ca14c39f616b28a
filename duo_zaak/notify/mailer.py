"""SMTP: the configured server (MAIL_*), a connection with STARTTLS, TLS or neither (a relay on the same host),
login when a user name is set, and Dutch descriptions of what went wrong. The password never reaches a log,
an exception text or a page."""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app

DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "geen": 25}


@dataclass(frozen=True)
class MailSettings:
    server: str
    port: int
    mode: str  # starttls, ssl or geen
    username: str | None
    password: str | None
    sender: str
    timeout: float

    def __repr__(self) -> str:  # never the password
        return f"MailSettings(server={self.server!r}, port={self.port}, mode={self.mode!r})"

    @property
    def envelope_sender(self) -> str:
        return parseaddr(self.sender)[1] or self.sender


def settings() -> MailSettings | None:
    """The SMTP settings, or None when MAIL_SERVER is not set (then no mail is decided or sent)."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return None
    mode = config["MAIL_USE_TLS"]
    return MailSettings(server=str(config["MAIL_SERVER"]), port=int(config.get("MAIL_PORT") or DEFAULT_PORTS[mode]),
                        mode=mode, username=config.get("MAIL_USERNAME") or None,
                        password=config.get("MAIL_PASSWORD") or None, sender=str(config["MAIL_SENDER"]),
                        timeout=float(config.get("MAIL_TIMEOUT_SECONDS") or 10))


class DeliveryError(Exception):
    """A failed attempt. `permanent`: the server refused this message (retrying will not help);
    `connection`: nothing can be sent now (server down, login refused), so the other messages wait too."""

    def __init__(self, text: str, *, permanent: bool = False, connection: bool = False) -> None:
        super().__init__(text)
        self.text = text
        self.permanent = permanent
        self.connection = connection


def _scrub(text: str, secret: str | None) -> str:
    if secret:
        text = text.replace(secret, "***")
    return text[:500]


def describe(exc: BaseException, secret: str | None) -> DeliveryError:
    """A Dutch description of an SMTP failure, classified."""
    detail = _scrub(f"{type(exc).__name__}: {exc}", secret)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return DeliveryError(f"inloggen bij de SMTP-server geweigerd: {detail}", connection=True)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return DeliveryError(f"ontvanger geweigerd: {detail}", permanent=all(code >= 500 for code in codes))
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return DeliveryError(f"bericht geweigerd door de SMTP-server: {detail}", permanent=exc.smtp_code >= 500)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return DeliveryError(f"de SMTP-server kent deze functie niet (STARTTLS of inloggen): {detail}", connection=True)
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return DeliveryError(f"beveiligde verbinding met de SMTP-server mislukt: {detail}", connection=True)
    if isinstance(exc, socket.timeout | TimeoutError):
        return DeliveryError(f"SMTP-server antwoordt niet op tijd: {detail}", connection=True)
    if isinstance(exc, smtplib.SMTPResponseException):
        return DeliveryError(f"SMTP-fout {exc.smtp_code}: {detail}", permanent=False, connection=True)
    if isinstance(exc, OSError | smtplib.SMTPException):
        return DeliveryError(f"SMTP-server niet bereikbaar: {detail}", connection=True)
    return DeliveryError(f"onverwachte fout bij verzenden: {detail}", connection=True)


class Connection:
    """One SMTP session for a batch of messages, opened on first use and closed by `close()`."""

    def __init__(self, mail: MailSettings) -> None:
        self.mail = mail
        self._smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        mail = self.mail
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if mail.mode == "ssl":
            smtp = smtplib.SMTP_SSL(mail.server, mail.port, timeout=mail.timeout, context=context)
        else:
            smtp = smtplib.SMTP(mail.server, mail.port, timeout=mail.timeout)
        try:
            smtp.ehlo()
            if mail.mode == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if mail.username:
                smtp.login(mail.username, mail.password or "")
        except BaseException:
            _close(smtp)
            raise
        return smtp

    def send(self, message: EmailMessage, to: str) -> None:
        """Send one message; DeliveryError (classified, scrubbed) on failure."""
        try:
            if self._smtp is None:
                self._smtp = self._open()
            self._smtp.send_message(message, from_addr=self.mail.envelope_sender, to_addrs=[to])
        except Exception as exc:  # noqa: BLE001 - every failure is described and classified
            error = describe(exc, self.mail.password)
            if error.connection:
                self.close()
            raise error from None

    def close(self) -> None:
        if self._smtp is not None:
            _close(self._smtp)
            self._smtp = None


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except Exception:  # noqa: BLE001 - closing a broken session
        smtp.close()
