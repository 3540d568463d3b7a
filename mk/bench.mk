# The benchmark against community.aws.secretsmanager_secret (not part of make test): N=200 loops of
# create, unchanged and update, one ad-hoc task; writes docs/performance.md and docs/performance.png.
# BENCH_ARGS=--quick runs N=20 once and writes under bench/results/.
.PHONY: bench
bench: venv
	$(VENV_PYTHON) bench/run.py $(BENCH_ARGS)
