# The two commands of the README (both set up what they need first), and the capacity run.
.PHONY: run test load scale-out

# Build and serve Réplique on http://127.0.0.1:8080 (SQLite under ./data/).
run:
	@scripts/run.sh

# Formatting, lints, and every test (SQLite, PostgreSQL when reachable, the browser).
test:
	@scripts/test.sh

# The open-loop learner load on a release build, SQLite then PostgreSQL (a few minutes per
# database; RATES, SECONDS_PER_LEVEL, WARMUP, VOICE_SHARE... in scripts/learner_load.sh).
load:
	@scripts/learner_load.sh

# Three instances on one PostgreSQL behind HAProxy: one killed and restarted while learners
# play, then the closed-loop throughput with 1, 2 and 3 instances (release build).
scale-out:
	@scripts/scale_out.sh
	@scripts/scale_out.sh throughput
