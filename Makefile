# Two commands matter: `make run` (the service with a local Postgres and
# Mailpit) and `make test` (everything the tests need, then the tests).
# Local state (binaries, Mailpit's mailbox, the dev DATA_KEY, a private
# Postgres cluster when the machine has none) lives in .run/, git-ignored.

SHELL := /bin/bash
.DEFAULT_GOAL := help
GO ?= go
# Server whose `postgres` database the tests use to create and drop their own.
TEST_DATABASE_URL ?= postgres://root@127.0.0.1:5432/postgres?sslmode=disable
# How many tests of one package run at once (go test -parallel). The tests
# wait on services more than they compute, so more than the 2 cores; each
# end-to-end test holds a service with a few Postgres connections, and 8 stay
# well inside Postgres' default max_connections of 100.
TEST_PARALLEL ?= 8
# How many messages `make mail` prints.
N ?= 10
# Extra flags for `make bench`, e.g. BENCH_FLAGS="-d 20s -parts 1,2".
BENCH_FLAGS ?=

DEVENV := .run/devenv

.PHONY: help run test test-faults mail fmt vet build devenv screenshots fuzz bench

help: ## List the targets
	@awk 'BEGIN { FS = ":.*## " } /^[a-z][a-z-]*:.*## / { printf "  make %-6s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

run: devenv ## Start Postgres and Mailpit if needed, migrate, create a first admin, serve on :8080
	@set -euo pipefail; \
	db_url="$$($(DEVENV) postgres)"; \
	$(DEVENV) mailpit >/dev/null; \
	data_key="$$($(DEVENV) datakey)"; \
	$(GO) build -o .run/intake ./cmd/intake; \
	export DATABASE_URL="$$db_url" DATA_KEY="$$data_key" SMTP_HOST=127.0.0.1 SMTP_PORT=1025 STAFF_EMAILS=staff@localhost; \
	.run/intake migrate; \
	if users="$$(.run/intake user list 2>/dev/null)"; then \
		if ! grep -qw admin <<<"$$users"; then \
			password="$$(head -c 15 /dev/urandom | base64 | tr '+/' '-_')"; \
			printf '%s\n' "$$password" | .run/intake user add --email admin@localhost --role admin >/dev/null; \
			echo "Admin sign-in: admin@localhost / $$password"; \
		fi; \
	fi; \
	echo "Form: http://localhost:8080/"; \
	echo "Mail: make mail (latest messages from Mailpit)"; \
	exec .run/intake serve

test: devenv ## Start Postgres, install Mailpit and Chromium if missing, then go vet and go test
	@set -euo pipefail; \
	TEST_DATABASE_URL="$$(DATABASE_URL='$(TEST_DATABASE_URL)' $(DEVENV) postgres)"; \
	MAILPIT_BIN="$$($(DEVENV) mailpit-bin)"; \
	CHROME_PATH="$$($(DEVENV) chromium)"; \
	export TEST_DATABASE_URL MAILPIT_BIN CHROME_PATH; \
	echo "TEST_DATABASE_URL=$$TEST_DATABASE_URL MAILPIT_BIN=$$MAILPIT_BIN CHROME_PATH=$$CHROME_PATH"; \
	$(GO) vet ./...; \
	$(GO) test -count=1 -timeout 14m -parallel $(TEST_PARALLEL) ./...

screenshots: devenv ## Write docs/form.png, docs/form-mobile.png and docs/dashboard.png with the test browser (Chromium)
	@set -euo pipefail; \
	TEST_DATABASE_URL="$$(DATABASE_URL='$(TEST_DATABASE_URL)' $(DEVENV) postgres)"; \
	CHROME_PATH="$$($(DEVENV) chromium)"; \
	export TEST_DATABASE_URL CHROME_PATH SCREENSHOTS_DIR="$(CURDIR)/docs"; \
	$(GO) test -count=1 -run '^TestScreenshots$$' ./cmd/intake; \
	ls -l docs/*.png

# The fault suite starts its own Postgres cluster (initdb, as the
# postgres user when run as root), Mailpit and the binary as processes; it
# takes about five minutes, so `make test` leaves it out and .ci/run calls it.
test-faults: devenv ## Fault and scale-out tests (R1-R5): private Postgres, Mailpit, kills; prints the figures
	@set -euo pipefail; \
	DATABASE_URL='$(TEST_DATABASE_URL)' $(DEVENV) postgres >/dev/null; \
	MAILPIT_BIN="$$($(DEVENV) mailpit-bin)"; \
	export MAILPIT_BIN INTAKE_FAULTS=1; \
	$(GO) test -count=1 -timeout 20m -v ./cmd/intake/faulttest/

# How long `make fuzz` runs each fuzz target.
FUZZTIME ?= 30s

fuzz: ## Run each fuzz target for FUZZTIME (default 30s): form decoder, JSON decoder, screening
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeForm$$' -fuzztime $(FUZZTIME) ./handlers
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeJSON$$' -fuzztime $(FUZZTIME) ./handlers
	$(GO) test -run '^$$' -fuzz '^FuzzScreen$$' -fuzztime $(FUZZTIME) ./intake

bench: devenv ## Measure the service against pgbench, a file server and a go-mail loop (see BENCHMARKS.md)
	@set -euo pipefail; \
	pg_url="$$(DATABASE_URL='$(TEST_DATABASE_URL)' $(DEVENV) postgres)"; \
	MAILPIT_BIN="$$($(DEVENV) mailpit-bin)"; export MAILPIT_BIN; \
	if ! command -v pgbench >/dev/null && ! ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1; then \
		echo "installing pgbench (Debian's postgresql package)"; \
		$$(command -v sudo) apt-get update -q >/dev/null && $$(command -v sudo) apt-get install -y -q postgresql >/dev/null; \
	fi; \
	$(GO) run ./cmd/bench -pg "$$pg_url" $(BENCH_FLAGS)

mail: devenv ## Print the latest messages Mailpit caught (make mail N=20 for more)
	@$(DEVENV) mail $(N)

fmt: ## Format the Go code
	$(GO) fmt ./...

vet: ## Run go vet
	$(GO) vet ./...

build: ## Build the service into .run/intake
	$(GO) build -o .run/intake ./cmd/intake

devenv: ## Build the helper that starts and installs what run and test need
	@mkdir -p .run
	@$(GO) build -o $(DEVENV) ./cmd/devenv
