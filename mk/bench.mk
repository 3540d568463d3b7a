# The benchmark (not part of make test; tests/system/bench runs a tiny latency mode in make test):
# N=200 loops against community.aws.secretsmanager_secret, then latency mode (every request to moto
# delayed 25 ms): fleets of 200 and 1000 secrets with seed.secretsmanager.secrets, the in-process
# secret loop and community.aws; writes docs/performance.md, docs/performance.png and
# docs/performance-latency.png. BENCH_ARGS=--quick runs N=20 once and writes under bench/results/;
# BENCH_ARGS=--latency-only, --no-latency, --latency 0.05 ... (bench/run.py --help).
.PHONY: bench
bench: venv
	$(VENV_PYTHON) bench/run.py $(BENCH_ARGS)
