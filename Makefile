# duo-zaak: `make run` (the demo on one machine) and `make test` (everything CI runs).
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
ASSETS  := static/vendor/.installed

.PHONY: run test lint install assets chromium bench bench-quick load clean

install: $(STAMP) $(ASSETS)

$(STAMP): requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Third-party CSS is installed from npm and served from an ignored folder; never committed.
$(ASSETS): node_modules/.installed
	mkdir -p static/vendor/utrecht
	cp node_modules/@utrecht/component-library-css/dist/index.css static/vendor/utrecht/index.css
	cp node_modules/@utrecht/design-tokens/dist/theme.css static/vendor/utrecht/theme.css
	touch $@

assets: $(ASSETS)

# Browser tests drive Debian's Chromium; install it when missing and we may (root).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium ontbreekt: installeer het Debian-pakket 'chromium'." >&2; exit 1; fi; \
	fi

lint: install
	$(VENV)/bin/ruff check .

test: install chromium
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q -p no:cacheprovider

run: install
	@bash scripts/run-demo.sh

bench: install
	$(PY) -m bench.run --zaken 1000000

bench-quick: install
	$(PY) -m bench.run --zaken 100000

load: install
	$(PY) -m bench.load --zaken 1000000

clean:
	rm -rf $(VENV) node_modules static/vendor
