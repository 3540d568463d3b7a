#!/usr/bin/env python
"""Benchmark seed.secretsmanager.secret against community.aws.secretsmanager_secret.

    .venv/bin/python bench/run.py                    # the full run: N=200, 3 repetitions, then latency mode (make bench)
    .venv/bin/python bench/run.py --quick            # development: N=20, 1 repetition, latency N=20, report under bench/results/
    .venv/bin/python bench/run.py --n 50 --repeat 2 --slow-repeat 1 --no-latency
    .venv/bin/python bench/run.py --latency-only --latency-n 200 --latency 0.05
    .venv/bin/python bench/run.py --report-only bench/results/latest.json

One local moto server for the whole run (recording every request, so the API calls
of each loop are counted at the server). Per repetition, against a reset server:

- an ansible.builtin.debug loop of N (the floor: Ansible's own cost of a loop item);
- the same AWS calls from plain botocore (the round trips: bench/roundtrips.py);
- seed.secretsmanager.secret in the controller's worker process: create N, rerun
  unchanged, rerun without client_request_token, update N values (new value, new
  token), update N values without a token;
- seed.secretsmanager.secret forced to module execution (seed_secretsmanager_in_process=false):
  create, unchanged, update;
- community.aws.secretsmanager_secret from the `ansible` package, installed into its
  own venv (.build/bench/incumbent): create, unchanged, update;
- single ad-hoc tasks (`ansible localhost -m ...`, a create) for all three.

The loops of the two module-executing implementations take minutes each; they run
in the first --slow-repeat repetitions only (default 1), the others in all --repeat.

Then latency mode (bench/latency.py): the same server behind a proxy that delays every
request by --latency seconds (default 0.025), fleets of --latency-n secrets (200 and
1000): seed.secretsmanager.secrets, the in-process secret loop and (at N = 200)
community.aws's loop; an explicit-localhost inventory; the lookup of 100 values.

Medians go to docs/performance.md with the charts docs/performance.png and
docs/performance-latency.png (matplotlib, installed into .build/bench/plot); raw
samples to bench/results/latest.json.

Standard library only (run it with the project's venv python: it takes moto_server,
ansible-playbook and botocore from there).
"""

import argparse
import collections
import datetime
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.join(REPO_ROOT, "bench")
# SEED_BENCH_BUILD_DIR and SEED_BENCH_RESULTS_DIR move the work files elsewhere (the test of the bench
# does, so that it never meets a `make bench` running in the same checkout).
BUILD_DIR = os.environ.get("SEED_BENCH_BUILD_DIR") or os.path.join(REPO_ROOT, ".build", "bench")
RESULTS_DIR = os.environ.get("SEED_BENCH_RESULTS_DIR") or os.path.join(BENCH_DIR, "results")
DEFAULT_REPORT = os.path.join(REPO_ROOT, "docs", "performance.md")

sys.path.insert(0, os.path.join(REPO_ROOT, "tools"))
sys.path.insert(0, BENCH_DIR)
import pins  # noqa: E402  pylint: disable=wrong-import-position
from with_moto import start_server  # noqa: E402  pylint: disable=wrong-import-position

import latency  # noqa: E402  pylint: disable=wrong-import-position

# The locks (tools/pins.py) of the two venvs the benchmark makes for itself: the incumbent's
# (bench/requirements-incumbent.txt) and the chart's (bench/requirements-plot.txt).
INCUMBENT_PINS = "bench-incumbent-py3.11"
PLOT_PINS = "bench-plot-py3.11"

INPROCESS, MODULE, INCUMBENT = "inprocess", "module", "incumbent"
IMPLEMENTATIONS = (INPROCESS, MODULE, INCUMBENT)
LABELS = {
    INPROCESS: "seed in-process",
    MODULE: "seed as a module",
    INCUMBENT: "community.aws",
    "debug": "ansible.builtin.debug (floor)",
    "debug_args": "ansible.builtin.debug, seed task's arguments",
    "botocore": "botocore alone (round trips)",
}
SCENARIOS = ("create", "unchanged", "unchanged_notoken", "update", "update_notoken")
SCENARIO_LABELS = {
    "create": "create N",
    "unchanged": "rerun unchanged",
    "unchanged_notoken": "rerun unchanged, no token",
    "update": "update N values",
    "update_notoken": "update N values, no token",
    "adhoc": "one ad-hoc task (create)",
}
# The API call targets per task, and the incumbent's counts it quotes.
CALL_TARGETS = {"create": 2, "unchanged": 1, "unchanged_notoken": 2, "update": 3, "update_notoken": 3}
TARGET_RATIO = 20.0
# The page's explanation of the in-process path (docs/performance.md is written from here).
IN_PROCESS_TEXT = r"""## When a task runs in the controller process

The collection's modules (`secret`, `secret_info`, `secrets`) run inside the controller's worker process, with
no module process per task or loop item and one botocore client for all the items of a loop, when that gives
the same result as running the module. That holds when all of these do:

- the connection is local (the implicit localhost, `delegate_to: localhost`, `connection: local`);
- the host's python is the one that runs `ansible-playbook`, or is left to discovery (no
  `ansible_python_interpreter`, nor `interpreter_python` in ansible.cfg, or one of the `auto` modes);
- the task has no `become`, no `environment` and no `async`;
- botocore imports on the controller, and `seed_secretsmanager_in_process` (or the environment variable
  `SEED_SECRETSMANAGER_IN_PROCESS`) is not false.

Otherwise the task runs as a module, as any module does, with the same result, about half a second
slower per task or loop item. The implicit localhost (a playbook for `localhost` whose inventory does not
name it) meets every condition, and so does an explicit one, `localhost ansible_connection=local`, whose
interpreter is left to discovery: the controller's python serves as well as the one discovery would pick
(which often has no botocore when Ansible is installed in a venv or with pipx). A host whose
`ansible_python_interpreter` names another python runs the module with that python, as you asked: that is
the way to run a task with another botocore than the controller's.

Run with `-v` to see why a task ran as a module, once per task, when it is something you can change (the
interpreter, `become`, the task's `environment`, the switch); `-vvv` shows the path every task took.
""".split("\n")
REQUEST_LINE_RE = re.compile(r'\] "(?:\x1b\[[0-9;]*m)?[A-Z]+ \S+ HTTP/1\.1')


def log(message):
    print("[bench %s] %s" % (time.strftime("%H:%M:%S"), message), file=sys.stderr, flush=True)


class BenchError(RuntimeError):
    pass


# --------------------------------------------------------------------------- environments

def venv_bin(venv, name):
    return os.path.join(venv, "bin", name)


def ensure_venv(path, pins_name, refresh=False):
    """A venv under .build/bench installed from pins/PINS_NAME.txt; reused while that lock is the same."""
    stamp = os.path.join(path, ".bench-installed")
    wanted = "%s %s" % (pins_name, pins.recorded_digest(pins_name))
    if not refresh and os.path.exists(stamp):
        with open(stamp, encoding="utf-8") as handle:
            if handle.read().strip() == wanted:
                return path
    log("creating %s from pins/%s.txt" % (os.path.relpath(path, REPO_ROOT), pins_name))
    shutil.rmtree(path, ignore_errors=True)
    base_python = getattr(sys, "_base_executable", None) or sys.executable
    subprocess.run([base_python, "-m", "venv", path], check=True)
    install_log = path + "-install.log"
    with open(install_log, "w", encoding="utf-8") as handle:
        code = subprocess.call(
            [sys.executable, os.path.join(REPO_ROOT, "tools", "pins.py"), "install", pins_name, venv_bin(path, "python")],
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    if code:
        raise BenchError("installing pins/%s.txt into %s failed; see %s" % (pins_name, path, install_log))
    with open(stamp, "w", encoding="utf-8") as handle:
        handle.write(wanted + "\n")
    return path


def collections_root():
    """A directory for ANSIBLE_COLLECTIONS_PATH in which seed.secretsmanager is this checkout."""
    script = os.path.join(REPO_ROOT, "tools", "collection_path.sh")
    if os.access(script, os.X_OK):
        return subprocess.run([script], check=True, capture_output=True, text=True).stdout.strip()
    root = os.path.join(BUILD_DIR, "collections")
    parent = os.path.join(root, "ansible_collections", "seed")
    os.makedirs(parent, exist_ok=True)
    link = os.path.join(parent, "secretsmanager")
    if os.path.islink(link):
        os.unlink(link)
    os.symlink(os.path.relpath(REPO_ROOT, parent), link)
    return root


def purelib(python):
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return subprocess.run([python, "-c", code], check=True, capture_output=True, text=True).stdout.strip()


VERSIONS_CODE = r"""
import json, sys
from importlib import metadata
out = {"python": sys.version.split()[0], "executable": sys.executable}
for name in ("ansible-core", "ansible", "botocore", "boto3", "moto", "matplotlib"):
    try:
        out[name] = metadata.version(name)
    except metadata.PackageNotFoundError:
        pass
print(json.dumps(out))
"""


def venv_versions(python):
    found = json.loads(subprocess.run([python, "-c", VERSIONS_CODE], check=True, capture_output=True, text=True).stdout)
    site = purelib(python)
    for collection in ("community/aws", "amazon/aws"):
        manifest = os.path.join(site, "ansible_collections", collection, "MANIFEST.json")
        if os.path.exists(manifest):
            with open(manifest, encoding="utf-8") as handle:
                found[collection.replace("/", ".")] = json.load(handle)["collection_info"]["version"]
    return found


def machine_info():
    info = {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": platform.processor() or platform.machine(),
        "kernel": platform.release(),
        "os": platform.platform(),
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                    break
        with open("/etc/os-release", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("PRETTY_NAME="):
                    info["os"] = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return info


# --------------------------------------------------------------------------- the moto server

class Moto:
    """The moto server, with its request recording: the API calls of a run are the new records."""

    def __init__(self, work_dir):
        self.recording = os.path.join(work_dir, "moto-recording.jsonl")
        self.log_path = os.path.join(work_dir, "moto.log")
        for path in (self.recording, self.log_path):
            if os.path.exists(path):
                os.unlink(path)
        os.environ["MOTO_ENABLE_RECORDING"] = "1"
        os.environ["MOTO_RECORDER_FILEPATH"] = self.recording
        self.server = start_server(self.log_path)
        self.endpoint = self.server.endpoint
        self.reset_seconds = []

    def stop(self):
        self.server.stop()

    def reset(self):
        """Forget every secret, so that a group of runs starts from an empty account.

        Needed, not just tidy: moto finds a secret by scanning all secrets of the region,
        so secrets left by earlier loops would make every later call slower.
        """
        start = time.perf_counter()
        logged = self._http_lines()
        request = urllib.request.Request(self.endpoint + "/moto-api/reset", data=b"", method="POST")
        urllib.request.urlopen(request, timeout=60).close()
        self.reset_seconds.append(time.perf_counter() - start)
        # The server logs a request after answering it: wait for the reset's line, so that
        # it is not counted with the next run's requests.
        deadline = time.monotonic() + 5
        while self._http_lines() <= logged and time.monotonic() < deadline:
            time.sleep(0.02)

    def _http_lines(self):
        # werkzeug colours the request line of a non-2xx answer, which puts an escape
        # sequence between `HTTP/1.1` and the closing quote: match up to the version only.
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return sum(1 for line in handle if REQUEST_LINE_RE.search(line))

    def mark(self):
        size = os.path.getsize(self.recording) if os.path.exists(self.recording) else 0
        return size, self._http_lines()

    def since(self, mark):
        """The Secrets Manager operations recorded since mark, in order of first appearance, with counts.

        Also checks them against the request lines the server logs on stderr (which
        may trail the response by a moment).
        """
        offset, http_before = mark
        ops = collections.OrderedDict()
        total = 0
        if os.path.exists(self.recording):
            with open(self.recording, "rb") as handle:
                handle.seek(offset)
                for raw in handle:
                    entry = json.loads(raw)
                    target = entry.get("headers", {}).get("X-Amz-Target", "")
                    total += 1
                    if target.startswith("secretsmanager."):
                        operation = target.split(".", 1)[1]
                        ops[operation] = ops.get(operation, 0) + 1
        deadline = time.monotonic() + 5
        http = self._http_lines() - http_before
        while http < total and time.monotonic() < deadline:
            time.sleep(0.05)
            http = self._http_lines() - http_before
        return {"ops": ops, "requests": total, "http_lines": http}


# --------------------------------------------------------------------------- running Ansible

class Runner:
    def __init__(self, args, moto, incumbent_venv):
        self.args = args
        self.moto = moto
        self.work = os.path.join(BUILD_DIR, "work")
        self.logs = os.path.join(BUILD_DIR, "logs")
        shutil.rmtree(self.logs, ignore_errors=True)
        os.makedirs(self.logs)
        os.makedirs(self.work, exist_ok=True)
        config = os.path.join(self.work, "ansible.cfg")
        with open(config, "w", encoding="utf-8") as handle:
            handle.write("# Written by bench/run.py: keeps any other ansible.cfg out of the benchmark.\n[defaults]\n")
        self.project_bin = os.path.dirname(sys.executable)
        self.incumbent_bin = os.path.join(incumbent_venv, "bin") if incumbent_venv else None
        base = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "AWS_", "SEED_SECRETSMANAGER_"))}
        base.update({
            "ANSIBLE_CONFIG": config,
            "ANSIBLE_HOME": os.path.join(BUILD_DIR, "ansible-home"),
            "ANSIBLE_NOCOLOR": "True",
            "ANSIBLE_LOCALHOST_WARNING": "False",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "False",
            "ANSIBLE_RETRY_FILES_ENABLED": "False",
            "ANSIBLE_CALLBACK_PLUGINS": os.path.join(BENCH_DIR, "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "bench_timing",
            # Credentials, region and endpoint are task options; nothing else may be looked up.
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
        })
        self.seed_env = dict(base, ANSIBLE_COLLECTIONS_PATH=collections_root())
        self.incumbent_env = None
        if incumbent_venv:
            # Its own bundled collections only: it never sees this checkout.
            self.incumbent_env = dict(base, ANSIBLE_COLLECTIONS_PATH=purelib(venv_bin(incumbent_venv, "python")))

    def _env_and_bin(self, impl):
        if impl == INCUMBENT:
            return self.incumbent_env, self.incumbent_bin
        return self.seed_env, self.project_bin

    def _run(self, command, env, label):
        log_file = os.path.join(self.logs, label + ".log")
        timing_file = os.path.join(self.work, "timing.json")
        if os.path.exists(timing_file):
            os.unlink(timing_file)
        env = dict(env, BENCH_TIMING_FILE=timing_file)
        mark = self.moto.mark()
        load = os.getloadavg()[0]
        with open(log_file, "w", encoding="utf-8") as handle:
            handle.write("$ %s\n" % " ".join(command))
            handle.flush()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            code = subprocess.call(command, cwd=self.work, env=env, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            process_s = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        calls = self.moto.since(mark)
        # CPU seconds of the whole Ansible process tree (workers and module processes are
        # waited for by their parents, so they count): less sensitive to a busy machine.
        calls["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        calls["load"] = load
        timing = None
        if os.path.exists(timing_file):
            with open(timing_file, encoding="utf-8") as handle:
                timing = json.load(handle)
        return code, process_s, calls, timing, log_file

    def loop(self, impl, scenario, rep, prefix, value, token, expect_changed):
        """One loop task of N items; returns the sample, or raises BenchError if it went wrong."""
        env, bin_dir = self._env_and_bin(impl)
        playbook = {INCUMBENT: "incumbent_loop.yml", "debug": "debug_loop.yml", "debug_args": "debug_args_loop.yml"}.get(impl, "seed_loop.yml")
        extra = {"bench_prefix": prefix, "bench_n": self.args.n, "bench_value": value, "bench_token": token or "", "bench_endpoint": self.moto.endpoint}
        if impl == MODULE:
            extra["seed_secretsmanager_in_process"] = False
        command = [os.path.join(bin_dir, "ansible-playbook"), os.path.join(BENCH_DIR, "playbooks", playbook), "-e", json.dumps(extra)]
        label = "r%d-%s-%s" % (rep, impl, scenario)
        code, process_s, calls, timing, log_file = self._run(command, env, label)
        task = (timing or {}).get("tasks", [{}])[0] if timing and timing.get("tasks") else {}
        problems = []
        if code:
            problems.append("exit code %d" % code)
        if not task or task.get("seconds") is None:
            problems.append("no task timing recorded")
        else:
            if task["items"] != self.args.n:
                problems.append("%d loop items, not %d" % (task["items"], self.args.n))
            if task["items_failed"]:
                problems.append("%d items failed (%s)" % (task["items_failed"], task.get("msg")))
            if expect_changed is not None and task["items_changed"] != expect_changed:
                problems.append("%d items changed, expected %d" % (task["items_changed"], expect_changed))
        if problems:
            raise BenchError("%s %s (repetition %d): %s; see %s" % (LABELS[impl], scenario, rep, "; ".join(problems), log_file))
        sample = {
            "kind": "loop",
            "impl": impl,
            "scenario": scenario,
            "rep": rep,
            "n": self.args.n,
            "task_s": task["seconds"],
            "process_s": process_s,
            "items_changed": task["items_changed"],
            "first_item_s": task["item_seconds"][0] if task["item_seconds"] else None,
            "item_median_s": statistics.median(task["item_seconds"][1:]) if len(task["item_seconds"]) > 1 else None,
            "ops": calls["ops"],
            "requests": calls["requests"],
            "http_lines": calls["http_lines"],
            "cpu_s": calls["cpu_s"],
            "load": calls["load"],
        }
        log("  %-18s %-18s %7.2fs task (%6.1f ms/item), %7.2fs process, %7.2fs CPU, %s" % (
            LABELS[impl], scenario, task["seconds"], 1000 * task["seconds"] / self.args.n, process_s, calls["cpu_s"],
            _ops_text(calls["ops"], self.args.n)))
        return sample

    def adhoc(self, impl, rep, index, name):
        env, bin_dir = self._env_and_bin(impl)
        endpoint = self.moto.endpoint
        common = "endpoint_url=%s region=us-east-1 access_key=testing secret_key=testing" % endpoint
        if impl == INCUMBENT:
            module, module_args = "community.aws.secretsmanager_secret", "name=%s secret=adhoc-value %s" % (name, common)
        else:
            module = "seed.secretsmanager.secret"
            module_args = "name=%s secret_string=adhoc-value client_request_token=%s %s" % (name, uuid.uuid4().hex, common)
        command = [os.path.join(bin_dir, "ansible"), "localhost", "-m", module, "-a", module_args]
        if impl == MODULE:
            command += ["-e", "seed_secretsmanager_in_process=false"]
        label = "r%d-%s-adhoc-%d" % (rep, impl, index)
        code, process_s, calls, _timing, log_file = self._run(command, env, label)
        with open(log_file, encoding="utf-8", errors="replace") as handle:
            output = handle.read()
        if code or "CHANGED" not in output:
            raise BenchError("ad-hoc %s (repetition %d): exit code %d, %s; see %s" % (
                LABELS[impl], rep, code, "changed" if "CHANGED" in output else "not changed", log_file))
        return {"kind": "adhoc", "impl": impl, "scenario": "adhoc", "rep": rep, "n": 1, "process_s": process_s,
                "task_s": None, "ops": calls["ops"], "requests": calls["requests"], "http_lines": calls["http_lines"],
                "cpu_s": calls["cpu_s"], "load": calls["load"]}

    def roundtrips(self, rep, prefix):
        command = [sys.executable, os.path.join(BENCH_DIR, "roundtrips.py"), "--endpoint", self.moto.endpoint,
                   "--n", str(self.args.n), "--prefix", prefix]
        mark = self.moto.mark()
        done = subprocess.run(command, capture_output=True, text=True, env=self.seed_env, check=False)
        if done.returncode:
            raise BenchError("bench/roundtrips.py failed: %s" % done.stderr.strip()[-2000:])
        calls = self.moto.since(mark)
        found = json.loads(done.stdout)
        log("  %-18s %s" % (LABELS["botocore"], ", ".join(
            "%s %.1f ms/item" % (k, 1000 * v / self.args.n) for k, v in found["seconds"].items())))
        return {"kind": "roundtrips", "impl": "botocore", "rep": rep, "n": self.args.n, "seconds": found["seconds"],
                "calls": found["calls"], "requests": calls["requests"]}


def _ops_text(ops, n):
    """'DescribeSecret + CreateSecret' (per item) from the counts of a loop of n items."""
    parts = []
    for operation, count in ops.items():
        per = count / n
        if abs(per - 1) < 1e-9:
            parts.append(operation)
        elif abs(per - round(per)) < 1e-9:
            parts.append("%d %s" % (round(per), operation))
        else:
            parts.append("%.2f %s" % (per, operation))
    return " + ".join(parts) or "none"


# --------------------------------------------------------------------------- the measurements

def new_token():
    return uuid.uuid4().hex


def measure(args, runner, moto):
    samples = []
    run_id = uuid.uuid4().hex[:6]
    for rep in range(1, args.repeat + 1):
        slow = rep <= args.slow_repeat
        log("repetition %d of %d%s" % (rep, args.repeat, "" if slow else " (in-process, floors and ad-hoc only)"))
        prefix = "bench-%s/r%d" % (run_id, rep)

        moto.reset()
        samples.append(runner.loop("debug", "debug", rep, prefix + "/debug", "v", None, expect_changed=0))
        samples.append(runner.loop("debug_args", "debug", rep, prefix + "/debug", "v", new_token(), expect_changed=0))
        samples.append(runner.roundtrips(rep, prefix + "/botocore"))

        impls = [INPROCESS] + ([MODULE] + ([INCUMBENT] if runner.incumbent_env else []) if slow else [])
        for impl in impls:
            moto.reset()
            base = "%s/%s" % (prefix, impl)
            token_a, token_b = (new_token(), new_token()) if impl != INCUMBENT else (None, None)
            v1, v2, v3 = ("%s-%s" % (tag, uuid.uuid4().hex[:8]) for tag in ("v1", "v2", "v3"))
            steps = [("create", v1, token_a, args.n), ("unchanged", v1, token_a, 0)]
            if impl == INPROCESS:
                steps.append(("unchanged_notoken", v1, None, 0))
            steps.append(("update", v2, token_b, args.n))
            if impl == INPROCESS:
                steps.append(("update_notoken", v3, None, args.n))
            for scenario, value, token, expect in steps:
                samples.append(runner.loop(impl, scenario, rep, base, value, token, expect_changed=expect))

        moto.reset()
        adhoc_impls = [INPROCESS, MODULE] + ([INCUMBENT] if runner.incumbent_env else [])
        times = collections.defaultdict(list)
        for index in range(args.adhoc_repeat):
            for impl in adhoc_impls:
                sample = runner.adhoc(impl, rep, index, "%s/adhoc/%s/%d" % (prefix, impl, index))
                samples.append(sample)
                times[impl].append(sample["process_s"])
        log("  ad-hoc: %s" % ", ".join("%s %.2fs" % (LABELS[i], statistics.median(t)) for i, t in times.items()))
    moto.reset()
    return samples


# --------------------------------------------------------------------------- summary and report

def summarize(results):
    n = results["n"]
    loops = collections.defaultdict(lambda: collections.defaultdict(list))
    adhoc = collections.defaultdict(list)
    roundtrips = collections.defaultdict(list)
    calls = {}
    for sample in results["samples"]:
        if sample["kind"] == "loop":
            loops[sample["scenario"]][sample["impl"]].append(sample)
        elif sample["kind"] == "adhoc":
            adhoc[sample["impl"]].append(sample)
        elif sample["kind"] == "roundtrips":
            for scenario, seconds in sample["seconds"].items():
                roundtrips[scenario].append(seconds)
            calls = sample["calls"]

    def ops_of(group, per):
        # Every sample of a group must have made the same calls; show the first, flag a difference.
        texts = {_ops_text(s["ops"], per) for s in group}
        return " / ".join(sorted(texts))

    summary = {"loops": {}, "adhoc": {}, "roundtrips": {}, "debug": None, "debug_args": None}
    loads = [s["load"] for s in results["samples"] if s.get("load") is not None]
    if loads:
        summary["load"] = {"mean": statistics.mean(loads), "max": max(loads), "min": min(loads)}
    for scenario, by_impl in loops.items():
        for impl, group in by_impl.items():
            task_s = statistics.median(s["task_s"] for s in group)
            entry = {
                "samples": len(group),
                "task_s": task_s,
                "task_s_all": [s["task_s"] for s in group],
                "process_s": statistics.median(s["process_s"] for s in group),
                "cpu_s": statistics.median(s["cpu_s"] for s in group),
                "per_item_ms": 1000 * task_s / n,
                "first_item_ms": _median_ms(s.get("first_item_s") for s in group),
                "item_median_ms": _median_ms(s.get("item_median_s") for s in group),
                "calls_per_item": statistics.median(sum(s["ops"].values()) for s in group) / n,
                "ops": ops_of(group, n),
                "http_lines_match": all(s["http_lines"] == s["requests"] for s in group),
            }
            if scenario == "debug":
                summary[impl] = entry
            else:
                summary["loops"].setdefault(scenario, {})[impl] = entry
    for impl, group in adhoc.items():
        summary["adhoc"][impl] = {
            "samples": len(group),
            "process_s": statistics.median(s["process_s"] for s in group),
            "process_s_all": [s["process_s"] for s in group],
            "cpu_s": statistics.median(s["cpu_s"] for s in group),
            "calls": statistics.median(sum(s["ops"].values()) for s in group),
            "ops": ops_of(group, 1),
            "http_lines_match": all(s["http_lines"] == s["requests"] for s in group),
        }
    for scenario, values in roundtrips.items():
        seconds = statistics.median(values)
        summary["roundtrips"][scenario] = {"seconds": seconds, "per_item_ms": 1000 * seconds / n,
                                           "calls": calls.get(scenario, [])}
    return summary


def _median_ms(values):
    values = [v for v in values if v is not None]
    return 1000 * statistics.median(values) if values else None


def targets(summary):
    """Each target of the issue: (what, measured, verdict)."""
    loops, rows = summary["loops"], []
    for scenario in ("create", "unchanged", "update"):
        ours, theirs = loops.get(scenario, {}).get(INPROCESS), loops.get(scenario, {}).get(INCUMBENT)
        if ours and theirs:
            ratio = theirs["task_s"] / ours["task_s"]
            rows.append(("%s loop of %d at least %dx faster than community.aws" % (scenario, summary["n"], TARGET_RATIO),
                         "%.1fx (%.2f s vs %.1f s; in CPU seconds %.1fx)" % (
                             ratio, ours["task_s"], theirs["task_s"], theirs["cpu_s"] / ours["cpu_s"]), ratio >= TARGET_RATIO))
    debug = summary["debug"]
    for scenario in SCENARIOS:
        ours, trip = loops.get(scenario, {}).get(INPROCESS), summary["roundtrips"].get(scenario)
        if ours and trip and debug:
            bound = 2 * debug["per_item_ms"] + trip["per_item_ms"]
            steady = ""
            if ours.get("item_median_ms") is not None and debug.get("item_median_ms") is not None:
                steady = "; median items: %.2f vs %.2f ms" % (ours["item_median_ms"], 2 * debug["item_median_ms"] + trip["per_item_ms"])
            rows.append(("in-process per item, %s: at most 2 x debug floor + round trips" % SCENARIO_LABELS[scenario],
                         "%.2f ms vs 2 x %.2f + %.2f = %.2f ms (%+.0f%%)%s" % (
                             ours["per_item_ms"], debug["per_item_ms"], trip["per_item_ms"], bound,
                             100 * (ours["per_item_ms"] / bound - 1), steady),
                         ours["per_item_ms"] <= bound))
    for scenario, target in CALL_TARGETS.items():
        for impl in (INPROCESS, MODULE):
            ours = loops.get(scenario, {}).get(impl)
            if ours:
                rows.append(("API calls per task, %s (%s): at most %d" % (SCENARIO_LABELS[scenario], LABELS[impl], target),
                             "%g (%s)" % (ours["calls_per_item"], ours["ops"]), ours["calls_per_item"] <= target))
    ours, theirs = summary["adhoc"].get(INPROCESS), summary["adhoc"].get(INCUMBENT)
    if ours and theirs:
        rows.append(("one ad-hoc task not slower than community.aws's",
                     "%.2f s vs %.2f s" % (ours["process_s"], theirs["process_s"]), ours["process_s"] <= theirs["process_s"]))
    return rows


def _fmt_s(value):
    return "%.2f" % value if value < 100 else "%.1f" % value


def _fmt_ms(value):
    return "%.1f" % value if value < 100 else "%.0f" % value


def render_report(results, summary, chart_name, latency_chart_name=None):
    machine, versions = results["machine"], results["versions"]
    seed_v, inc_v = versions.get("project", {}), versions.get("incumbent", {})
    out = []
    add = out.append
    add("# Performance")
    add("")
    add("How fast `seed.secretsmanager.secret` (and `seed.secretsmanager.secrets`) converge secrets compared with the")
    add("module they replace, `community.aws.secretsmanager_secret`, against a local moto server, directly and behind a")
    add("proxy that adds AWS-like latency to every request. Written by `make bench` (`bench/run.py`) on %s;" % results["finished"])
    add("the numbers below are from that run.")
    add("")
    for line in IN_PROCESS_TEXT:
        add(line)
    if summary["loops"]:
        render_base(add, results, summary, chart_name)
    if summary.get("latency"):
        add(latency.render(summary["latency"], latency.targets(summary["latency"]), latency_chart_name,
                           results.get("latency_ms", 25), results.get("latency_duration_s")))
    add("## Machine and versions")
    add("")
    add("| | |")
    add("|---|---|")
    add("| CPU | %s, nproc %s |" % (machine.get("cpu_model"), machine.get("nproc")))
    add("| memory | %s GiB |" % machine.get("memory_gib"))
    add("| OS | %s, kernel %s |" % (machine.get("os"), machine.get("kernel")))
    load = summary.get("load")
    if load:
        add("| 1-minute load average before each Ansible run | mean %.2f, min %.2f, max %.2f (%s cores) |" % (
            load["mean"], load["min"], load["max"], machine.get("nproc")))
    add("| python | %s |" % seed_v.get("python"))
    add("| seed (project venv `.venv`) | ansible-core %s, botocore %s, boto3 %s, moto %s |" % (
        seed_v.get("ansible-core"), seed_v.get("botocore"), seed_v.get("boto3"), seed_v.get("moto")))
    if inc_v:
        add("| incumbent (`.build/bench/incumbent`) | ansible %s, ansible-core %s, community.aws %s, amazon.aws %s, botocore %s, boto3 %s, python %s |" % (
            inc_v.get("ansible"), inc_v.get("ansible-core"), inc_v.get("community.aws"), inc_v.get("amazon.aws"),
            inc_v.get("botocore"), inc_v.get("boto3"), inc_v.get("python")))
    plot_v = versions.get("plot") or {}
    if plot_v.get("matplotlib"):
        add("| chart | matplotlib %s |" % plot_v["matplotlib"])
    add("| the whole run | %s (`%s`) |" % (_duration(results["duration_s"]), results["command"]))
    add("")
    add("## Running it")
    add("")
    add("```sh")
    add("make bench                                   # N=200, 3 repetitions, then latency mode; rewrites this page")
    add(".venv/bin/python bench/run.py --quick        # N=20, 1 repetition, latency N=20; report under bench/results/")
    add(".venv/bin/python bench/run.py --latency-only # latency mode alone (--latency 0.05, --latency-n 200 1000, ...)")
    add(".venv/bin/python bench/run.py --help         # --n, --repeat, --slow-repeat, --adhoc-repeat, --no-latency, ...")
    add("```")
    add("")
    add("The run creates two venvs under `.build/bench/` on first use (the incumbent's from `pins/%s.txt`;"
        % INCUMBENT_PINS)
    add("the chart's from `pins/%s.txt`). Each Ansible run's output is kept in `.build/bench/logs/`, the raw" % PLOT_PINS)
    add("samples in `bench/results/latest.json`.")
    add("")
    return "\n".join(out)


def render_base(add, results, summary, chart_name):
    """The sections of the loops against moto without latency (and the floors, the ad-hoc tasks)."""
    n = results["n"]
    add("## What was measured")
    add("")
    add("- **Loops of N = %d secrets**, one task each: create N secrets, rerun the same loop unchanged, update" % n)
    add("  the N values. seed runs with a `client_request_token` per item (a new token with each new value); its")
    add("  in-process runs also rerun and update without a token (the value is then read and compared).")
    add("- **Implementations**: `seed in-process` (implicit localhost: the action plugin runs the module's core")
    add("  in the worker process and keeps the botocore client for the following items), `seed as a module`")
    add("  (`seed_secretsmanager_in_process: false`: a module process per item, as any module runs),")
    add("  `community.aws` (the incumbent, from the `ansible` package in its own venv).")
    add("- **Floors**: an `ansible.builtin.debug` loop of N (what Ansible itself costs per loop item; the floor of")
    add("  the issue's target), the same debug loop templating the seed task's seven arguments (what those")
    add("  arguments cost Ansible, whatever the action), and `botocore alone`: the same API calls per item from one")
    add("  plain botocore client (`bench/roundtrips.py`), i.e. the AWS round trips to moto.")
    add("- **Time** is the loop task's duration (from the strategy starting the task to its result, measured")
    add("  by `bench/callback_plugins/bench_timing.py`); per item = task time / N. The `ansible-playbook`")
    add("  process time (start-up included) is shown too. An ad-hoc task is timed as the whole `ansible` command.")
    add("- **API calls** are counted at the moto server (its request recording, cross-checked against the request")
    add("  lines on its stderr%s)." % ("" if _all_http_match(summary) else "; **they did not always agree**, see bench/results/latest.json"))
    add("- The server is reset before each group of loops. Medians over %d repetition(s) for seed in-process," % results["repeat"])
    add("  the floors and the ad-hoc tasks (%d ad-hoc tasks per implementation and repetition); the loops of the" % results["adhoc_repeat"])
    add("  two module-executing implementations, which take minutes each, over %d repetition(s)." % min(results["slow_repeat"], results["repeat"]))
    add("")
    add("## Results")
    add("")
    add("| scenario | implementation | loop task s (median) | per item ms | playbook process s | CPU s "
        "| API calls per item | calls per item | speed-up vs community.aws |")
    add("|---|---|---:|---:|---:|---:|---:|---|---:|")
    loops = summary["loops"]
    for scenario in SCENARIOS:
        by_impl = loops.get(scenario)
        if not by_impl:
            continue
        theirs = by_impl.get(INCUMBENT)
        for impl in IMPLEMENTATIONS:
            entry = by_impl.get(impl)
            if not entry:
                continue
            ratio = "1x" if impl == INCUMBENT else (_ratio(theirs["task_s"] / entry["task_s"], impl) if theirs else "-")
            add("| %s | %s | %s | %s | %s | %s | %g | %s | %s |" % (
                SCENARIO_LABELS[scenario], LABELS[impl], _fmt_s(entry["task_s"]), _fmt_ms(entry["per_item_ms"]),
                _fmt_s(entry["process_s"]), _fmt_s(entry["cpu_s"]), entry["calls_per_item"], entry["ops"], ratio))
        trip = summary["roundtrips"].get(scenario)
        if trip:
            add("| %s | %s | %s | %s | - | - | %d | %s | - |" % (
                SCENARIO_LABELS[scenario], LABELS["botocore"], _fmt_s(trip["seconds"]), _fmt_ms(trip["per_item_ms"]),
                len(trip["calls"]), " + ".join(trip["calls"])))
    debug = summary["debug"]
    for floor in ("debug", "debug_args"):
        entry = summary.get(floor)
        if entry:
            add("| loop of N | %s | %s | %s | %s | %s | 0 | none | - |" % (
                LABELS[floor], _fmt_s(entry["task_s"]), _fmt_ms(entry["per_item_ms"]), _fmt_s(entry["process_s"]), _fmt_s(entry["cpu_s"])))
    theirs = summary["adhoc"].get(INCUMBENT)
    for impl in IMPLEMENTATIONS:
        entry = summary["adhoc"].get(impl)
        if entry:
            ratio = "1x" if impl == INCUMBENT else (_ratio(theirs["process_s"] / entry["process_s"], impl) if theirs else "-")
            add("| %s | %s | - | - | %s | %s | %g | %s | %s |" % (
                SCENARIO_LABELS["adhoc"], LABELS[impl], _fmt_s(entry["process_s"]), _fmt_s(entry["cpu_s"]), entry["calls"], entry["ops"], ratio))
    add("")
    add("\"speed-up vs community.aws\" is the incumbent's median time divided by this implementation's, from the same run")
    add("(loop task time for loops, whole command for the ad-hoc task). \"CPU s\" is the user + system time of the")
    add("whole Ansible process tree of that run (start-up included): the cost in compute, less sensitive than wall")
    add("time to other load on the machine.")
    add("")
    if chart_name:
        add("![Per-item cost of each loop, log scale](%s)" % chart_name)
        add("")
        add("Per-item cost (loop task time / N), log scale. The dashed line is the `ansible.builtin.debug` floor;")
        add("the black lines are the AWS round trips of the same calls from plain botocore; the red dotted lines")
        add("over the in-process bars are the target for them (2 x the debug floor + the round trips).")
        add("")
    inproc = [(scenario, loops[scenario][INPROCESS]) for scenario in SCENARIOS if INPROCESS in loops.get(scenario, {})]
    if inproc and debug:
        add("### Where an in-process loop item's time goes")
        add("")
        add("The first item of a loop also pays the task's fixed costs in the worker (importing botocore, building the")
        add("client, which the following items reuse); the median of the other items' intervals is the steady cost of")
        floor_args = summary.get("debug_args") or debug
        add("one item. Median item intervals of the floors: debug %s ms, debug with the seed task's arguments %s ms." % (
            _fmt_ms(debug["item_median_ms"]), _fmt_ms(floor_args["item_median_ms"])))
        add("What is left after the round trips and the argument floor is the in-process plugin's own cost per item")
        add("(argument validation, the core's planning, building the result).")
        add("")
        add("| scenario | per item ms (task / N) | median item ms | first item ms | round trips ms | debug with the same arguments ms | plugin's own ms |")
        add("|---|---:|---:|---:|---:|---:|---:|")
        for scenario, entry in inproc:
            trip = summary["roundtrips"].get(scenario, {}).get("per_item_ms")
            rest = entry["item_median_ms"] - trip - floor_args["item_median_ms"] if trip is not None else None
            add("| %s | %s | %s | %s | %s | %s | %s |" % (
                SCENARIO_LABELS[scenario], _fmt_ms(entry["per_item_ms"]), _fmt_ms(entry["item_median_ms"]),
                _fmt_ms(entry["first_item_ms"]), "-" if trip is None else _fmt_ms(trip), _fmt_ms(floor_args["item_median_ms"]),
                "-" if rest is None else _fmt_ms(rest)))
        add("")
    add("## Targets")
    add("")
    add("Per-item cost is loop task time / N, so it carries the loop's fixed costs (for seed in-process: the")
    add("first item's import of botocore and client set-up); \"median items\" compares the steady cost of an item")
    add("instead (median item interval, the debug floor's likewise). The ratios are on wall time; the CPU-seconds")
    add("ratio of the same runs is given as a check that is less sensitive to other load on the machine.")
    add("")
    add("| target | measured | met |")
    add("|---|---|---|")
    for what, measured, ok in targets(summary):
        add("| %s | %s | %s |" % (what, measured, "yes" if ok else "**no**"))
    add("")
    theirs_calls = ["%s %g" % (scenario, loops[scenario][INCUMBENT]["calls_per_item"])
                    for scenario in ("create", "unchanged", "update") if INCUMBENT in loops.get(scenario, {})]
    if theirs_calls:
        add("The incumbent's calls per task, for comparison: %s." % ", ".join(theirs_calls))
    if INCUMBENT in summary["adhoc"]:
        add("An ad-hoc create costs community.aws %g calls (%s)." % (summary["adhoc"][INCUMBENT]["calls"], summary["adhoc"][INCUMBENT]["ops"]))
    add("")


def _ratio(value, impl):
    text = "%.1fx" % value if value >= 10 else "%.2fx" % value
    return "**%s**" % text if impl == INPROCESS else text


def _all_http_match(summary):
    entries = [e for by_impl in summary["loops"].values() for e in by_impl.values()] + list(summary["adhoc"].values())
    return all(e["http_lines_match"] for e in entries)


def _duration(seconds):
    minutes, seconds = divmod(int(round(seconds)), 60)
    return "%d min %02d s" % (minutes, seconds)


def draw_chart(plot_python, summary_path, png_paths):
    """png_paths: the per-item chart's and the latency chart's file, "-" for one not to draw."""
    command = [plot_python, os.path.join(BENCH_DIR, "plot.py"), summary_path] + list(png_paths)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        log("chart failed: %s" % done.stderr.strip()[-2000:])
        return False
    return True


def write_outputs(results, report_path, png_path, plot_python):
    summary = summarize(results)
    summary["n"] = results["n"]
    summary["latency"] = latency.summarize(results.get("latency_samples", []))
    results["summary"] = summary
    os.makedirs(RESULTS_DIR, exist_ok=True)
    summary_path = os.path.join(RESULTS_DIR, "summary.json")
    with open(summary_path, "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=1)
    chart_name = latency_chart_name = None
    if png_path and plot_python:
        os.makedirs(os.path.dirname(png_path), exist_ok=True)
        latency_png = os.path.splitext(png_path)[0] + "-latency.png"
        charts = [png_path if summary["loops"] else "-", latency_png if summary["latency"] else "-"]
        if charts != ["-", "-"] and draw_chart(plot_python, summary_path, charts):
            if summary["loops"]:
                chart_name = os.path.relpath(png_path, os.path.dirname(report_path))
            if summary["latency"]:
                latency_chart_name = os.path.relpath(latency_png, os.path.dirname(report_path))
    os.makedirs(os.path.dirname(report_path), exist_ok=True)
    with open(report_path, "w", encoding="utf-8") as handle:
        handle.write(render_report(results, summary, chart_name, latency_chart_name))
    log("report: %s%s" % (os.path.relpath(report_path, REPO_ROOT), (", chart: %s" % os.path.relpath(png_path, REPO_ROOT)) if chart_name else ""))
    for what, measured, ok in targets(summary):
        log("  %-4s %s: %s" % ("ok" if ok else "MISS", what, measured))
    if summary["latency"]:
        latency.print_targets(latency.targets(summary["latency"]))


# --------------------------------------------------------------------------- main

def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--n", type=int, default=None, help="secrets per loop (default 200; 20 with --quick)")
    parser.add_argument("--repeat", type=int, default=None, help="repetitions (default 3; 1 with --quick)")
    parser.add_argument("--slow-repeat", type=int, default=1,
                        help="repetitions of the module-executing loops, seed as a module and community.aws; 0 skips them (default %(default)s)")
    parser.add_argument("--adhoc-repeat", type=int, default=3, help="ad-hoc tasks per implementation and repetition (default %(default)s)")
    parser.add_argument("--quick", action="store_true", help="development run: --n 20 --repeat 1, report under bench/results/")
    parser.add_argument("--no-incumbent", action="store_true", help="skip community.aws (no venv is created for it)")
    parser.add_argument("--no-chart", action="store_true", help="draw no chart (no venv is created for matplotlib)")
    parser.add_argument("--refresh-venvs", action="store_true", help="recreate the venvs under .build/bench")
    parser.add_argument("--report", help="where to write the report (default docs/performance.md; bench/results/ with --quick)")
    parser.add_argument("--latency", type=float, default=0.025,
                        help="latency mode: seconds the proxy holds every request (default %(default)s, a same-region round trip)")
    parser.add_argument("--latency-n", type=int, nargs="+", default=None,
                        help="latency mode: fleet sizes (default 200 1000; 20 with --quick)")
    parser.add_argument("--latency-incumbent-n", type=int, default=200,
                        help="latency mode: community.aws runs at the fleet sizes up to this one (default %(default)s)")
    parser.add_argument("--lookup-n", type=int, default=None, help="latency mode: values read by the lookups (default 100; 20 with --quick)")
    parser.add_argument("--latency-only", action="store_true", help="only latency mode (skip the loops against moto without latency)")
    parser.add_argument("--no-latency", action="store_true", help="skip latency mode")
    parser.add_argument("--report-only", metavar="RESULTS_JSON", help="rewrite the report from a saved bench/results/*.json")
    args = parser.parse_args(argv)
    if args.n is None:
        args.n = 20 if args.quick else 200
    if args.repeat is None:
        args.repeat = 1 if args.quick else 3
    if args.latency_n is None:
        args.latency_n = [20] if args.quick else [200, 1000]
    if args.lookup_n is None:
        args.lookup_n = 20 if args.quick else 100
    if args.latency_only and args.no_latency:
        parser.error("--latency-only and --no-latency exclude each other")
    if args.latency < 0 or min(args.latency_n) < 1 or args.lookup_n < 1:
        parser.error("--latency must be at least 0, --latency-n and --lookup-n at least 1")
    if args.report is None:
        args.report = os.path.join(RESULTS_DIR, "performance-quick.md") if args.quick else DEFAULT_REPORT
    for name in ("n", "repeat", "adhoc_repeat"):
        if getattr(args, name) < 1:
            parser.error("--%s must be at least 1" % name.replace("_", "-"))
    if args.slow_repeat < 0:
        parser.error("--slow-repeat must be at least 0")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    report_path = os.path.abspath(args.report)
    png_path = None if args.no_chart else os.path.splitext(report_path)[0] + ".png"
    plot_python = None
    started = time.monotonic()
    try:
        if not args.no_chart:
            try:
                plot_python = venv_bin(ensure_venv(os.path.join(BUILD_DIR, "plot"), PLOT_PINS, args.refresh_venvs), "python")
            except (BenchError, subprocess.CalledProcessError) as e:
                log("no chart: %s" % e)
        if args.report_only:
            with open(args.report_only, encoding="utf-8") as handle:
                results = json.load(handle)
            write_outputs(results, report_path, png_path, plot_python)
            return 0

        if not os.path.exists(os.path.join(os.path.dirname(sys.executable), "ansible-playbook")):
            raise BenchError("no ansible-playbook beside %s: run this with the project venv's python (make venv; make bench)" % sys.executable)
        incumbent_venv = None
        if not args.no_incumbent:
            incumbent_venv = ensure_venv(os.path.join(BUILD_DIR, "incumbent"), INCUMBENT_PINS, args.refresh_venvs)
        versions = {"project": venv_versions(sys.executable)}
        if incumbent_venv:
            versions["incumbent"] = venv_versions(venv_bin(incumbent_venv, "python"))
        if plot_python:
            versions["plot"] = venv_versions(plot_python)
        machine = machine_info()

        if not args.latency_only:
            log("N=%d, %d repetition(s) (module-executing loops: %d), %d ad-hoc task(s) per implementation and repetition" % (
                args.n, args.repeat, min(args.slow_repeat, args.repeat), args.adhoc_repeat))
        os.makedirs(BUILD_DIR, exist_ok=True)
        moto = Moto(BUILD_DIR)
        try:
            log("moto_server at %s" % moto.endpoint)
            runner = Runner(args, moto, incumbent_venv)
            samples = [] if args.latency_only else measure(args, runner, moto)
            latency_samples, latency_s = [], 0.0
            if not args.no_latency:
                latency_started = time.monotonic()
                try:
                    latency_samples = latency.LatencyBench(args, runner, moto, BUILD_DIR).measure()
                except RuntimeError as e:
                    raise BenchError(str(e)) from None
                latency_s = time.monotonic() - latency_started
        finally:
            moto.stop()

        results = {
            "n": args.n,
            "repeat": args.repeat,
            "slow_repeat": args.slow_repeat,
            "adhoc_repeat": args.adhoc_repeat,
            "finished": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "duration_s": time.monotonic() - started,
            "command": " ".join(["bench/run.py"] + list(sys.argv[1:] if argv is None else argv)),
            "machine": machine,
            "versions": versions,
            "samples": samples,
            "latency_samples": latency_samples,
            "latency_ms": 1000 * args.latency,
            "latency_duration_s": latency_s,
            "moto_reset_s": moto.reset_seconds,
        }
        os.makedirs(RESULTS_DIR, exist_ok=True)
        latest = os.path.join(RESULTS_DIR, "latest.json" if not args.quick else "quick.json")
        with open(latest, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=1)
        write_outputs(results, report_path, png_path, plot_python)
        log("done in %s" % _duration(time.monotonic() - started))
        return 0
    except BenchError as e:
        log("error: %s" % e)
        return 1


if __name__ == "__main__":
    sys.exit(main())
