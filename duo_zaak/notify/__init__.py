"""E-mail signalering: what each user gets and when (`signalering`), the content (`content`, `changes`), the
sent-log and the outbox with SMTP delivery (`outbox`, `mailer`), preferences and unsubscribe tokens."""
