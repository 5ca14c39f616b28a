"""accounts: users, login, roles, the audit log and e-mail addresses (`set_email`, for the beheer page, the CLI
and the SSO claim `email`)."""

from .mailadres import set_email

__all__ = ["set_email"]
