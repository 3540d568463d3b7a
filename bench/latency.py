"""Latency mode of bench/run.py: fleets of secrets against moto behind a proxy that delays every request.

On real AWS every API call is a round trip of ~20-50 ms, which a local moto server hides. Here
tests/system/faults/fault_proxy.py runs as a process of its own on 127.0.0.1 (a free port, stopped
by its PID) in front of the benchmark's moto server and holds every request for --latency seconds
(default 0.025: a same-region round trip) before forwarding it; it also counts the requests per
operation, which is how the API calls of each run are counted here.

For each fleet size N (--latency-n, default 200 and 1000), against a reset server:

- seed.secretsmanager.secrets, one task (when plugins/modules/secrets.py exists; "not available" otherwise),
- a loop of seed.secretsmanager.secret in-process (the implicit localhost),
- at N <= --latency-incumbent-n (default 200) community.aws.secretsmanager_secret's loop,

each in the scenarios: create N; rerun unchanged with client_request_token; rerun unchanged
without it (the values are read and compared); update 10% of the values; check mode with one
value changed. Then, at the smallest N, the loop's unchanged rerun with an explicit
`localhost ansible_connection=local` inventory (no ansible_python_interpreter: left to discovery,
which runs in-process since issue 19) and the same inventory with ansible_python_interpreter set to the controller's python;
and the lookup reading --lookup-n (100) values: one lookup of all terms against one lookup per term.

Standard library only, like run.py.
"""

import json
import math
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.join(REPO_ROOT, "bench")
PROXY_SCRIPT = os.path.join(REPO_ROOT, "tests", "system", "faults", "fault_proxy.py")
SECRETS_MODULE = os.path.join(REPO_ROOT, "plugins", "modules", "secrets.py")

FLEET, LOOP, INCUMBENT = "secrets", "loop", "incumbent"
EXPLICIT, EXPLICIT_FIXED, LOOKUP = "explicit", "explicit_fixed", "lookup"
IMPLS = (FLEET, LOOP, INCUMBENT, EXPLICIT, EXPLICIT_FIXED, LOOKUP)
IMPL_LABELS = {
    FLEET: "`secrets` (one task)",
    LOOP: "`secret` loop, in-process",
    INCUMBENT: "community.aws loop",
    EXPLICIT: "`secret` loop, explicit localhost (interpreter discovered)",
    EXPLICIT_FIXED: "`secret` loop, explicit localhost + ansible_python_interpreter",
    LOOKUP: "`secret` lookup",
}
SCENARIOS = ("create", "unchanged", "unchanged_notoken", "update10", "check1")
SCENARIO_LABELS = {
    "create": "create N",
    "unchanged": "rerun unchanged, tokens",
    "unchanged_notoken": "rerun unchanged, no tokens",
    "update10": "update 10% of the values",
    "check1": "check mode, one change",
    "lookup_batched": "lookup: one lookup, all terms",
    "lookup_single": "lookup: one lookup per term",
}
# Secrets Manager's documented rate quota for CreateSecret: 50 requests per second per Region
# (AWS Secrets Manager User Guide, "AWS Secrets Manager quotas"; not adjustable).
CREATE_QUOTA_PER_S = 50.0
VALUE_OPERATIONS = ("GetSecretValue", "BatchGetSecretValue")
NOT_AVAILABLE = "not available"
FAILED = "failed (see .build/bench/logs)"


def log(message):
    print("[bench %s] %s" % (time.strftime("%H:%M:%S"), message), file=sys.stderr, flush=True)


class LatencyProxy:
    """fault_proxy.py in latency mode, as a child process; counts() asks it for its request counts."""

    def __init__(self, upstream, latency, log_path):
        self.latency = latency
        self._log = open(log_path, "w", encoding="utf-8")  # pylint: disable=consider-using-with
        self.proc = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, PROXY_SCRIPT, "--upstream", upstream, "--latency", repr(latency)],
            stdout=subprocess.PIPE, stderr=self._log, text=True,
        )
        self.pid = self.proc.pid
        line = self.proc.stdout.readline()
        if not line.startswith("Proxying "):
            self.stop()
            raise RuntimeError("the latency proxy did not start (pid %d); see %s" % (self.pid, log_path))
        self.endpoint = line.split()[1]

    def counts(self):
        with urllib.request.urlopen(self.endpoint + "/__fault_proxy__/counts", timeout=30) as answer:
            return json.load(answer)

    def stop(self):
        """SIGTERM to the recorded PID, SIGKILL if it has not ended after 10 s."""
        if self.proc.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.proc.stdout.close()
        self._log.close()


def secrets_module_available():
    return os.path.exists(SECRETS_MODULE)


def _diff(after, before):
    return {op: after[op] - before.get(op, 0) for op in after if after[op] - before.get(op, 0)}


class LatencyBench:
    """The runs of latency mode; Runner (run.py) starts the Ansible processes."""

    def __init__(self, args, runner, moto, build_dir):
        self.args = args
        self.runner = runner
        self.moto = moto
        self.work = os.path.join(build_dir, "work")
        self.proxy = None
        self.samples = []

    # ------------------------------------------------------------ one run

    def _vars_file(self, label, data):
        path = os.path.join(self.work, "vars-%s.json" % label)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(dict(data, bench_endpoint=self.proxy.endpoint), handle)
        return path

    def _inventory(self, fixed):
        path = os.path.join(self.work, "explicit-localhost%s.ini" % ("-interpreter" if fixed else ""))
        # The module path has to find a python with botocore: discovery's fallback list names the
        # project venv's python3 (a path other than the controller's sys.executable, as discovery's
        # choice usually is). The fixed inventory sets the interpreter as the docs say.
        line = "localhost ansible_connection=local ansible_interpreter_python_fallback='[\"%s\"]'" % os.path.join(
            os.path.dirname(sys.executable), "python3")
        if fixed:
            line += " ansible_python_interpreter=\"{{ ansible_playbook_python }}\""
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("# Written by bench/latency.py\n%s\n" % line)
        return path

    def run(self, impl, scenario, n, playbook, data, expect_changed, check=False, inventory=None, items=None):
        """One ansible-playbook run; a sample with its time, the proxy's counts per operation and the changes."""
        env, bin_dir = self.runner._env_and_bin("incumbent" if impl == INCUMBENT else "inprocess")  # pylint: disable=protected-access
        label = "lat-n%d-%s-%s" % (n, impl, scenario)
        command = [os.path.join(bin_dir, "ansible-playbook"), os.path.join(BENCH_DIR, "playbooks", playbook),
                   "-e", "@" + self._vars_file(label, data)]
        if check:
            command.append("--check")
        if inventory:
            command += ["-i", inventory]
        before = self.proxy.counts()
        code, process_s, _calls, timing, log_file = self.runner._run(command, env, label)  # pylint: disable=protected-access
        ops = _diff(self.proxy.counts(), before)
        task = timing["tasks"][0] if timing and timing.get("tasks") else {}
        problems = []
        if code:
            problems.append("exit code %d" % code)
        if not task or task.get("seconds") is None:
            problems.append("no task timing recorded")
        changed = None
        if task:
            if items is not None:
                changed = task["items_changed"]
                if task["items"] != items:
                    problems.append("%d loop items, not %d" % (task["items"], items))
                if task["items_failed"]:
                    problems.append("%d items failed (%s)" % (task["items_failed"], task.get("msg")))
            elif task.get("counts") is not None:
                counts = task["counts"]
                changed = sum(counts.get(k, 0) for k in ("created", "updated", "deleted"))
                if counts.get("failed"):
                    problems.append("%d secrets failed (%s)" % (counts["failed"], task.get("msg")))
            else:
                changed = int(bool(task.get("changed")))
                expect_changed = int(bool(expect_changed)) if expect_changed is not None else None
            if expect_changed is not None and changed is not None and changed != expect_changed:
                problems.append("%d changed, expected %d" % (changed, expect_changed))
        if problems:
            raise RuntimeError("latency %s %s N=%d: %s; see %s" % (impl, scenario, n, "; ".join(problems), log_file))
        sample = {"kind": "latency", "impl": impl, "scenario": scenario, "n": n, "task_s": task["seconds"],
                  "process_s": process_s, "ops": ops, "calls": sum(ops.values()), "changed": changed,
                  "latency_s": self.proxy.latency, "check": check}
        log("  N=%-5d %-16s %-18s %7.2fs task, %5d calls (%s), %s changed" % (
            n, impl, scenario, task["seconds"], sample["calls"], _ops_line(ops), changed))
        return sample

    def not_available(self, impl, scenario, n):
        return {"kind": "latency", "impl": impl, "scenario": scenario, "n": n, "status": NOT_AVAILABLE}

    # ------------------------------------------------------------ the groups

    def fleet(self, impl, n, prefix):
        """The scenarios of one implementation at one N, on a reset server: (samples, the secrets' names)."""
        if impl == FLEET and not secrets_module_available():
            log("  N=%-5d %-16s not available (no plugins/modules/secrets.py)" % (n, impl))
            return [self.not_available(impl, scenario, n) for scenario in SCENARIOS], None
        self.moto.reset()
        names = ["%s/s%05d" % (prefix, i) for i in range(n)]
        tokens = impl != INCUMBENT

        def tok():
            return uuid.uuid4().hex if tokens else None

        v1 = ["v1-%d-%s" % (i, uuid.uuid4().hex[:8]) for i in range(n)]
        t1 = [tok() for _index in range(n)]
        changed10 = set(range(0, n, 10))  # every tenth secret: 10% of the values
        v2 = [("v2-%d" % i) if i in changed10 else v1[i] for i in range(n)]
        t2 = [tok() if i in changed10 else t1[i] for i in range(n)]
        v3 = list(v2)
        v3[0] = "v3-0"
        t3 = list(t2)
        t3[0] = tok()

        def items(values, toks):
            out = []
            for name, value, token in zip(names, values, toks):
                item = {"name": name, "secret_string": value}
                if token:
                    item["client_request_token"] = token
                out.append(item)
            return out

        playbook = {FLEET: "fleet_secrets.yml", LOOP: "fleet_loop.yml", INCUMBENT: "fleet_incumbent.yml"}[impl]
        loop_items = None if impl == FLEET else n
        steps = [("create", items(v1, t1), n, False)]
        if tokens:
            steps += [("unchanged", items(v1, t1), 0, False), ("unchanged_notoken", items(v1, [None] * n), 0, False)]
        else:  # community.aws has no tokens: its rerun reads and compares every value
            steps.append(("unchanged_notoken", items(v1, t1), 0, False))
        steps += [("update10", items(v2, t2), len(changed10), False), ("check1", items(v3, t3), 1, True)]
        out = []
        for scenario, bench_items, expect, check in steps:
            # The fleet task owns its path, as docs/fleets.md advises: its secrets are read in ListSecrets pages of 100.
            out.append(self.run(impl, scenario, n, playbook, {"bench_items": bench_items, "bench_path": prefix + "/"}, expect,
                                check=check, items=loop_items))
        return out, names

    def explicit_localhost(self, n, prefix):
        """The loop's unchanged rerun with an explicit localhost, without and with ansible_python_interpreter."""
        self.moto.reset()
        names = ["%s/s%05d" % (prefix, i) for i in range(n)]
        bench_items = [{"name": name, "secret_string": "v1-%d" % i, "client_request_token": uuid.uuid4().hex}
                       for i, name in enumerate(names)]
        out = [self.run(LOOP, "create", n, "fleet_loop.yml", {"bench_items": bench_items}, n, items=n)]
        out[0]["scenario"] = "explicit_setup"
        for impl, fixed in ((EXPLICIT, False), (EXPLICIT_FIXED, True)):
            out.append(self.run(impl, "unchanged", n, "fleet_loop.yml", {"bench_items": bench_items}, 0,
                                inventory=self._inventory(fixed), items=n))
        return out

    def lookups(self, names):
        out = []
        data = {"bench_names": names}
        out.append(self.run(LOOKUP, "lookup_batched", len(names), "lookup_batched.yml", data, None))
        out.append(self.run(LOOKUP, "lookup_single", len(names), "lookup_single.yml", data, None, items=len(names)))
        return out

    def measure(self):
        args = self.args
        self.proxy = LatencyProxy(self.moto.endpoint, args.latency, os.path.join(self.work, "latency-proxy.log"))
        log("latency mode: proxy pid %d at %s, %.0f ms per request, N = %s" % (
            self.proxy.pid, self.proxy.endpoint, 1000 * args.latency, ", ".join(map(str, args.latency_n))))
        run_id = uuid.uuid4().hex[:6]
        try:
            for n in args.latency_n:
                impls = [FLEET, LOOP] + ([INCUMBENT] if self.runner.incumbent_env and n <= args.latency_incumbent_n else [])
                for impl in impls:
                    try:
                        samples, names = self.fleet(impl, n, "lat-%s/n%d/%s" % (run_id, n, impl))
                    except RuntimeError as e:
                        if impl != FLEET:
                            raise
                        # A new module's failure should not cost the rest of a long run: its rows say so.
                        log("  N=%-5d %-16s FAILED: %s" % (n, impl, e))
                        samples, names = [dict(self.not_available(impl, scenario, n), status=FAILED) for scenario in SCENARIOS], None
                    self.samples += samples
                    if impl == LOOP and n == max(args.latency_n):
                        # The loop's secrets are there: read lookup_n of them (before the next reset).
                        self.samples += self.lookups(names[:min(args.lookup_n, n)])
            explicit_n = min(args.latency_n)
            self.samples += self.explicit_localhost(explicit_n, "lat-%s/explicit" % run_id)
        finally:
            self.proxy.stop()
        return self.samples


def _ops_line(ops):
    return " + ".join("%d %s" % (count, op) for op, count in sorted(ops.items(), key=lambda kv: -kv[1])) or "none"


# ------------------------------------------------------------------ summary, targets, report

def summarize(samples):
    """{(impl, scenario, n): entry}, as a list of entries (JSON has no tuple keys)."""
    groups = {}
    for sample in samples:
        if sample.get("kind") == "latency" and sample["scenario"] != "explicit_setup":
            groups.setdefault((sample["impl"], sample["scenario"], sample["n"]), []).append(sample)
    out = []
    for (impl, scenario, n), group in sorted(groups.items(), key=lambda kv: (kv[0][2], SCENARIO_ORDER.get(kv[0][1], 9), IMPLS.index(kv[0][0]))):
        measured = [s for s in group if not s.get("status")]
        if not measured:
            out.append({"impl": impl, "scenario": scenario, "n": n, "status": group[0]["status"]})
            continue
        out.append({
            "impl": impl, "scenario": scenario, "n": n, "samples": len(measured),
            "task_s": statistics.median(s["task_s"] for s in measured),
            "process_s": statistics.median(s["process_s"] for s in measured),
            "calls": statistics.median(s["calls"] for s in measured),
            "ops": _ops_line(measured[0]["ops"]),
            "op_counts": dict(measured[0]["ops"]),
            "value_calls": statistics.median(sum(s["ops"].get(op, 0) for op in VALUE_OPERATIONS) for s in measured),
            "changed": measured[0]["changed"],
            "latency_ms": 1000 * measured[0]["latency_s"],
        })
    return out


SCENARIO_ORDER = {name: i for i, name in enumerate(SCENARIOS + ("lookup_batched", "lookup_single"))}


def _find(entries, impl, scenario, n=None):
    found = [e for e in entries if e["impl"] == impl and e["scenario"] == scenario and (n is None or e["n"] == n)]
    return max(found, key=lambda e: e["n"]) if found else None


def targets(entries):
    """The issue's latency targets: (what, measured, verdict), verdict PASS, MISS or n/a."""
    rows = []
    sizes = sorted({e["n"] for e in entries if e["scenario"] in SCENARIOS})
    if not sizes:
        return rows
    n = 1000 if 1000 in sizes else sizes[-1]
    fleet_unchanged = _find(entries, FLEET, "unchanged", n)
    loop_unchanged = _find(entries, LOOP, "unchanged", n)
    fleet_create = _find(entries, FLEET, "create", n)
    max_calls = 1 + math.ceil(n / 100)
    what = "`secrets`, unchanged rerun of %d with tokens: at most 1 + ceil(%d/100) = %d API calls and under 2 s" % (n, n, max_calls)
    if _available(fleet_unchanged):
        ok = fleet_unchanged["calls"] <= max_calls and fleet_unchanged["task_s"] < 2
        rows.append((what, "%g calls (%s), %.2f s" % (fleet_unchanged["calls"], fleet_unchanged["ops"], fleet_unchanged["task_s"]), _verdict(ok)))
    else:
        rows.append(_unmeasured(what, fleet_unchanged))
    allowed = n / CREATE_QUOTA_PER_S
    what = "`secrets`, create of %d: within 1.3 x the time CreateSecret's quota (%g/s) allows, %.1f s x 1.3 = %.1f s" % (
        n, CREATE_QUOTA_PER_S, allowed, 1.3 * allowed)
    if _available(fleet_create):
        rows.append((what, "%.2f s (%.2f x)" % (fleet_create["task_s"], fleet_create["task_s"] / allowed),
                     _verdict(fleet_create["task_s"] <= 1.3 * allowed)))
    else:
        rows.append(_unmeasured(what, fleet_create))
    what = "`secrets` at least 20x faster than the in-process loop, unchanged rerun of %d" % n
    if _available(fleet_unchanged) and _available(loop_unchanged):
        ratio = loop_unchanged["task_s"] / fleet_unchanged["task_s"]
        rows.append((what, "%.1fx (%.2f s vs %.2f s)" % (ratio, fleet_unchanged["task_s"], loop_unchanged["task_s"]), _verdict(ratio >= 20)))
    else:
        rows.append(_unmeasured(what, fleet_unchanged))
    fleet_update = _find(entries, FLEET, "update10", n)
    what = ("`secrets`, update of 10%% of %d with tokens: at most one DescribeSecret per changed secret (the read before "
            "the write, a listing being no ground for one)" % n)
    if _available(fleet_update) and "op_counts" in fleet_update:
        described = fleet_update["op_counts"].get("DescribeSecret", 0)
        measured = "%d DescribeSecret for %d changed (%s), %.2f s" % (described, fleet_update["changed"], fleet_update["ops"], fleet_update["task_s"])
        rows.append((what, measured, _verdict(described <= fleet_update["changed"])))
    else:
        rows.append(_unmeasured(what, fleet_update))
    batched = _find(entries, LOOKUP, "lookup_batched")
    if batched:
        allowed_calls = math.ceil(batched["n"] / 20)
        rows.append(("lookup of %d values: at most ceil(%d/20) = %d value calls (GetSecretValue + BatchGetSecretValue)" % (
            batched["n"], batched["n"], allowed_calls),
            "%g value calls (%s), %.2f s" % (batched["value_calls"], batched["ops"], batched["task_s"]),
            _verdict(batched["value_calls"] <= allowed_calls)))
    return rows


def _available(entry):
    return entry is not None and not entry.get("status")


def _unmeasured(what, entry):
    """A target whose run is missing: n/a when the module is not there, MISS when its run failed."""
    status = (entry or {}).get("status") or NOT_AVAILABLE
    return what, status, "n/a" if status == NOT_AVAILABLE else "MISS"


def _verdict(ok):
    return "PASS" if ok else "MISS"


def print_targets(rows):
    log("latency targets:")
    for what, measured, verdict in rows:
        log("  %-4s %s: %s" % (verdict, what, measured))


def render(entries, rows, chart_name, latency_ms, duration_s):
    """The latency section of docs/performance.md."""
    out = []
    add = out.append
    add("## Against AWS-like latency")
    add("")
    add("moto answers in about a millisecond; AWS in ~20-50 ms, and a loop waits for each of its round trips in turn.")
    add("In latency mode the benchmark puts a proxy on 127.0.0.1 between the tasks and moto")
    add("(`tests/system/faults/fault_proxy.py --latency`, its own process, stopped by its PID) that holds every request")
    add("for %g ms, a same-region round trip, before forwarding it; the API calls are counted at that proxy, per" % latency_ms)
    add("operation. One run per row, on a server reset before each implementation's group of scenarios.")
    add("")
    add("- **Scenarios** per fleet of N secrets: create N; rerun unchanged with a `client_request_token` per secret;")
    add("  rerun unchanged without tokens (the values are read and compared); update 10% of the values (every tenth,")
    add("  with a new token); `--check` with one value changed.")
    add("- **Implementations**: `seed.secretsmanager.secrets` (one task for the fleet); a loop of")
    add("  `seed.secretsmanager.secret` on the implicit localhost (in-process); `community.aws.secretsmanager_secret`'s")
    add("  loop (no tokens: it has none; at N = 200 only, it takes minutes).")
    add("- **Explicit localhost**: the loop's unchanged rerun with `localhost ansible_connection=local` in an inventory")
    add("  and no `ansible_python_interpreter` (left to discovery: the task runs in-process; the benchmark puts the")
    add("  project venv's `python3` on discovery's fallback list, so that a module run would find botocore), then the")
    add("  same inventory with `ansible_python_interpreter: \"{{ ansible_playbook_python }}\"`.")
    add("- **Lookup**: the values of 100 secrets, read by one `seed.secretsmanager.secret` lookup with 100 terms, and")
    add("  by 100 lookups of one term (a loop); value calls are GetSecretValue and BatchGetSecretValue.")
    add("")
    add("| N | scenario | implementation | task s | API calls | calls | changed | loop / this |")
    add("|---:|---|---|---:|---:|---|---:|---:|")
    for e in entries:
        if e.get("status"):
            add("| %d | %s | %s | %s | - | - | - | - |" % (e["n"], SCENARIO_LABELS[e["scenario"]], IMPL_LABELS[e["impl"]], e["status"]))
            continue
        loop = _find(entries, LOOP, e["scenario"], e["n"]) if e["impl"] != LOOP else None
        if e["impl"] in (EXPLICIT, EXPLICIT_FIXED):
            loop = _find(entries, LOOP, "unchanged", e["n"])
        elif e["impl"] == LOOKUP:
            loop = _find(entries, LOOKUP, "lookup_single", e["n"]) if e["scenario"] == "lookup_batched" else None
        ratio = "-"
        if _available(loop) and e["task_s"]:
            ratio = "%.1fx" % (loop["task_s"] / e["task_s"]) if loop["task_s"] / e["task_s"] >= 10 else "%.2fx" % (loop["task_s"] / e["task_s"])
        add("| %d | %s | %s | %s | %g | %s | %s | %s |" % (
            e["n"], SCENARIO_LABELS[e["scenario"]], IMPL_LABELS[e["impl"]], "%.2f" % e["task_s"] if e["task_s"] < 100 else "%.1f" % e["task_s"],
            e["calls"], e["ops"], "-" if e["changed"] is None else e["changed"], ratio))
    add("")
    add("\"loop / this\" is the in-process loop's time for the same scenario and N divided by this row's (for the explicit")
    add("localhost rows: the in-process loop's unchanged rerun; for the lookup: one lookup per term's time divided by the")
    add("one lookup's). \"changed\" counts changed loop items, or the secrets")
    add("`secrets` created, updated or deleted (in check mode: predicted).")
    add("")
    if chart_name:
        add("![Task time per scenario against 25 ms latency, log scale](%s)" % chart_name)
        add("")
    add("### Latency targets")
    add("")
    add("| target | measured | verdict |")
    add("|---|---|---|")
    for what, measured, verdict in rows:
        add("| %s | %s | %s |" % (what, measured, verdict if verdict != "MISS" else "**MISS**"))
    add("")
    add("The create target's time comes from Secrets Manager's documented rate quota for CreateSecret, %g requests per" % CREATE_QUOTA_PER_S)
    add("second per Region (AWS Secrets Manager User Guide, \"AWS Secrets Manager quotas\"): N / %g seconds at best." % CREATE_QUOTA_PER_S)
    add("Latency mode took %s of the whole run." % _duration(duration_s))
    add("")
    return "\n".join(out)


def _duration(seconds):
    minutes, seconds = divmod(int(round(seconds or 0)), 60)
    return "%d min %02d s" % (minutes, seconds)
