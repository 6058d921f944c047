# The two commands of the README. Both set up what they need first.
.PHONY: run test

# Build and serve Réplique on http://127.0.0.1:8080 (SQLite under ./data/).
run:
	@scripts/run.sh

# Formatting, lints, and every test (SQLite, PostgreSQL when reachable, the browser).
test:
	@scripts/test.sh
