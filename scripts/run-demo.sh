#!/usr/bin/env bash
# The embedded demo on one machine: SQLite, the mock InProces with generated data, one sync, the web app.
set -euo pipefail
cd "$(dirname "$0")/.."
export DUO_ZAAK_MODE=demo
export FLASK_APP=app
mkdir -p instance
# Demo-only credentials shared by the mock and the app; made per machine, never committed.
if [ ! -f instance/mock_secret ]; then
  .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))' > instance/mock_secret
  chmod 600 instance/mock_secret
fi
export MOCK_INPROCES_SECRET="$(cat instance/mock_secret)"
export DUO_ZAAK_INPROCES_SECRET="$MOCK_INPROCES_SECRET"
export MOCK_INPROCES_CLIENT_ID=duo-zaak
export DUO_ZAAK_INPROCES_CLIENT_ID=duo-zaak
MOCK_PORT="${MOCK_PORT:-8001}"
export DUO_ZAAK_INPROCES_ZAKEN_URL="http://127.0.0.1:${MOCK_PORT}/zaken/api/v1"
export DUO_ZAAK_INPROCES_CATALOGI_URL="http://127.0.0.1:${MOCK_PORT}/catalogi/api/v1"

# Optional single sign-on against a local test provider (oidc-provider-mock, a test dependency):
# `DEMO_SSO=1 make run`; the provider's sign-in form takes any subject, its claims set with PUT /users/<sub>.
if [ "${DEMO_SSO:-0}" = 1 ]; then
  SSO_PORT="${SSO_PORT:-9400}"
  .venv/bin/python -m oidc_provider_mock --host 127.0.0.1 --port "$SSO_PORT" > instance/sso-provider.log 2>&1 &
  SSO_PID=$!
  export DUO_ZAAK_OIDC_DISCOVERY_URL="http://127.0.0.1:${SSO_PORT}/.well-known/openid-configuration"
  export DUO_ZAAK_OIDC_CLIENT_ID=duo-zaak-demo DUO_ZAAK_OIDC_CLIENT_SECRET=demo DUO_ZAAK_OIDC_ROLE_CLAIM=groups
  export DUO_ZAAK_OIDC_ROLE_MAP='{"demo-teamleiders": {"rol": "teamleider", "teams": ["OE-DIE-VERG"]},
    "demo-programmateam": {"rol": "programmateam"}, "demo-pia": {"rol": "pia"}, "demo-beheer": {"rol": "beheerder"}}'
  for _ in $(seq 1 100); do curl -s -o /dev/null "$DUO_ZAAK_OIDC_DISCOVERY_URL" && break; sleep 0.2; done
  for role in teamleiders programmateam pia beheer; do
    curl -s -X PUT -H 'Content-Type: application/json' "http://127.0.0.1:${SSO_PORT}/users/demo-${role}" \
      -d "{\"preferred_username\": \"sso-${role}\", \"name\": \"SSO ${role}\", \"groups\": [\"demo-${role}\"]}"
  done
fi
.venv/bin/flask db upgrade
if [ -d connectors/mock_inproces ]; then
  .venv/bin/python -m connectors.mock_inproces --port "$MOCK_PORT" --zaken "${DEMO_ZAKEN:-5000}" \
    --db instance/mock_inproces.sqlite &
  MOCK_PID=$!
  trap 'kill $MOCK_PID ${SSO_PID:-} 2>/dev/null || true' EXIT INT TERM
  for _ in $(seq 1 600); do
    curl -s -o /dev/null "http://127.0.0.1:${MOCK_PORT}/_mock/info" && break
    sleep 0.5
  done
  .venv/bin/flask sync --full
  .venv/bin/flask tasks refresh
  .venv/bin/flask snapshot
  # A year of history so trends, the forecast and the IBT month table have something to show (labelled demo).
  .venv/bin/flask demo-history --days 365
fi
.venv/bin/flask demo-accounts
# The worker keeps the mirror fresh while the demo runs (Procfile `worker`); it stops with the rest on Ctrl+C.
.venv/bin/flask poll --interval "${POLL_INTERVAL:-120}" > instance/worker.log 2>&1 &
WORKER_PID=$!
trap 'kill ${MOCK_PID:-} ${SSO_PID:-} $WORKER_PID 2>/dev/null || true' EXIT INT TERM
echo
echo "duo-zaak draait op http://127.0.0.1:5000  (stoppen met Ctrl+C); de worker synchroniseert elke"
echo "${POLL_INTERVAL:-120} seconden (log: instance/worker.log)"
if [ "${DEMO_SSO:-0}" = 1 ]; then
  echo "Inloggen met uw organisatieaccount: testprovider op http://127.0.0.1:${SSO_PORT}; vul als subject"
  echo "demo-teamleiders, demo-programmateam, demo-pia of demo-beheer in (een andere naam: geen toegang)."
fi
.venv/bin/gunicorn --config gunicorn.conf.py --workers 2 'app:app'
