#!/usr/bin/env python
"""Run a command against a throw-away local moto server.

    python tools/with_moto.py [--log PATH] [--integration-config PATH] -- COMMAND [ARGS...]

Starts ``moto_server -H 127.0.0.1 -p 0`` (taken from the directory of the running
interpreter, so run this with the project's venv python), waits until it answers,
runs COMMAND with the AWS_* variables pointing at it, stops the server whatever
happens and exits with COMMAND's exit code.

From Python (tests, benchmarks)::

    from with_moto import moto_server
    with moto_server() as endpoint:
        ...

Standard library only: this file must run before anything is installed.
"""

import argparse
import contextlib
import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_LOG = os.path.join(REPO_ROOT, ".build", "moto.log")
HOST = "127.0.0.1"
ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")
READY_RE = re.compile(r"Running on (http://[0-9.]+:[0-9]+)")

# Set when absent; the endpoint (and MOTO_ENDPOINT) is always overridden.
DEFAULT_ENV = {
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}


class MotoError(RuntimeError):
    pass


class _Stop(Exception):
    """Raised from a signal handler so that the finally blocks run."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def find_moto_server():
    """moto_server from the running interpreter's environment, else from PATH."""
    # sys.prefix is the venv even when sys.executable is a symlink to it elsewhere
    # (ansible-test units runs python through such a link in a temporary directory).
    for bin_dir in (os.path.dirname(sys.executable), os.path.join(sys.prefix, "bin")):
        candidate = os.path.join(bin_dir, "moto_server")
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("moto_server")
    if found:
        return found
    raise MotoError(
        "moto_server not found next to %s nor on PATH; run `make venv` and use .venv/bin/python"
        % sys.executable
    )


def _die_with_parent():
    """In the child: get SIGTERM if the parent dies, even by SIGKILL (Linux only)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _answers(endpoint, timeout=1.0):
    try:
        urllib.request.urlopen(endpoint + "/moto-api/", timeout=timeout).close()
    except urllib.error.HTTPError:
        return True  # any HTTP answer means it is serving
    except (urllib.error.URLError, OSError):
        return False
    return True


class MotoServer:
    """A running moto_server: endpoint, process, and the thread copying its output to the log."""

    def __init__(self, proc, log, log_path):
        self.proc, self.log, self.log_path = proc, log, log_path
        self.endpoint = None
        self.requests = 0  # requests served, counted from the access-log lines on stderr
        self._ready, self._found = threading.Event(), []
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()

    def _drain(self):
        """Copy the server's stderr to the log; note the endpoint when it is announced."""
        for raw in iter(self.proc.stderr.readline, b""):
            line = raw.decode("utf-8", "replace")
            self.log.write(line)
            self.log.flush()
            # werkzeug colours the status of non-2xx lines: strip the colour codes before looking.
            plain = ANSI_RE.sub("", line)
            if 'HTTP/1.1"' in plain and "/moto-api" not in plain:
                self.requests += 1
            if not self._ready.is_set():
                match = READY_RE.search(line)
                if match:
                    self._found.append(match.group(1))
                    self._ready.set()
        self._ready.set()  # EOF: the server died; wake the waiter either way

    def wait_ready(self, timeout):
        if not self._ready.wait(timeout) or not self._found:
            raise MotoError(
                "moto_server did not announce its port within %.0fs (exit code %s); see %s"
                % (timeout, self.proc.poll(), self.log_path)
            )
        self.endpoint = self._found[0]
        deadline = time.monotonic() + timeout
        while not _answers(self.endpoint):
            if self.proc.poll() is not None:
                raise MotoError("moto_server exited with %s; see %s" % (self.proc.returncode, self.log_path))
            if time.monotonic() > deadline:
                raise MotoError("moto_server at %s does not answer; see %s" % (self.endpoint, self.log_path))
            time.sleep(0.05)
        return self.endpoint

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._drainer.join(5)  # the pipe is at EOF now; let the last lines reach the log
        if not self.log.closed:
            self.log.write("=== moto_server stopped (exit code %s) ===\n" % self.proc.returncode)
            self.log.close()


def start_server(log_path=DEFAULT_LOG, startup_timeout=60.0, extra_env=None):
    """Start moto_server on a free port and wait until it answers. Returns a MotoServer.

    extra_env is added to the server's environment (e.g. INITIAL_NO_AUTH_ACTION_COUNT).
    The caller must call .stop() on it (moto_server() does that for you).
    """
    os.makedirs(os.path.dirname(os.path.abspath(log_path)), exist_ok=True)
    log = open(log_path, "a", encoding="utf-8")
    log.write("=== moto_server started %s ===\n" % time.strftime("%Y-%m-%d %H:%M:%S"))
    log.flush()
    env = dict(os.environ)
    env.setdefault("PYTHONUNBUFFERED", "1")
    env.update(extra_env or {})
    try:
        proc = subprocess.Popen(
            [find_moto_server(), "-H", HOST, "-p", "0"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.PIPE,
            env=env,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
    except BaseException:
        log.close()
        raise
    server = MotoServer(proc, log, log_path)
    try:
        server.wait_ready(startup_timeout)
    except BaseException:
        server.stop()
        raise
    return server


@contextlib.contextmanager
def moto_server(log_path=DEFAULT_LOG):
    """Context manager: a fresh moto server for the duration of the block; yields its URL."""
    server = start_server(log_path)
    try:
        yield server.endpoint
    finally:
        server.stop()


def aws_environment(endpoint, base=None):
    """The environment for a command that should talk to the moto server at endpoint."""
    env = dict(os.environ if base is None else base)
    for key, value in DEFAULT_ENV.items():
        if not env.get(key):
            env[key] = value
    env["AWS_ENDPOINT_URL"] = endpoint
    env["MOTO_ENDPOINT"] = endpoint
    return env


def write_integration_config(path, env, kind="moto"):
    """ansible-test passes this file's keys to the integration targets as extra vars.

    sm_endpoint_kind names the endpoint (moto or localstack): a task that one endpoint cannot
    pass because the endpoint, not AWS, is wrong says so with a `when:` on it.
    """
    values = {
        "sm_endpoint_kind": kind,
        "aws_endpoint_url": env["AWS_ENDPOINT_URL"],
        "aws_region": env["AWS_REGION"],
        "aws_access_key": env["AWS_ACCESS_KEY_ID"],
        "aws_secret_key": env["AWS_SECRET_ACCESS_KEY"],
    }
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("---\n# Written by tools/with_%s.py for one test run; do not commit.\n" % kind)
        for key, value in values.items():
            handle.write("%s: %s\n" % (key, json.dumps(value)))  # JSON strings are YAML strings


def _descendants(pid):
    """Pids of pid's descendants, read from /proc (empty where there is no /proc)."""
    children = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The fields after the parenthesised command name: state, ppid, ...
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _signal_all(pids, signum):
    for pid in pids:
        try:
            os.kill(pid, signum)
        except OSError:
            pass


def _terminate_tree(child, timeout=30):
    """SIGTERM the command and everything it started (ansible-test does not pass a
    SIGTERM on to its ansible-playbook), then SIGKILL what is left after timeout."""
    tree = _descendants(child.pid)
    child.terminate()
    _signal_all(tree, signal.SIGTERM)
    try:
        child.wait(timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(os.path.exists("/proc/%d" % pid) for pid in tree):
        time.sleep(0.1)
    _signal_all([pid for pid in tree if os.path.exists("/proc/%d" % pid)], signal.SIGKILL)


def _exit_code(returncode):
    return 128 - returncode if returncode < 0 else returncode


def add_command_arguments(parser):
    """The arguments both wrappers (this one and with_localstack.py) take after their own."""
    parser.add_argument("--integration-config", metavar="PATH",
                        help="also write an ansible-test integration_config.yml here")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="command to run, after --")


def command_of(parser, args):
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given (put it after --)")
    return command


def run_against(name, server, environment, command, errors):
    """Run command while server (a context manager giving the endpoint) runs, with the environment that
    environment(endpoint) returns; a signal stops the command and then the server. Returns the exit status."""

    def on_signal(signum, _frame):
        for other in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(other, signal.SIG_IGN)  # let the cleanup below finish
        raise _Stop(signum)

    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, on_signal)

    try:
        with server as endpoint:
            env = environment(endpoint)
            try:
                child = subprocess.Popen(command, env=env)
            except OSError as exc:
                print("%s: cannot run %s: %s" % (name, command[0], exc), file=sys.stderr)
                return 127
            try:
                return _exit_code(child.wait())
            finally:
                if child.poll() is None:  # we were interrupted: take the command down too
                    _terminate_tree(child)
    except _Stop as stop:
        print("%s: stopped by signal %d" % (name, stop.signum), file=sys.stderr)
        return 128 + stop.signum
    except errors as exc:
        print("%s: %s" % (name, exc), file=sys.stderr)
        return 1


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Run COMMAND against a temporary local moto server.",
        usage="%(prog)s [--log PATH] [--integration-config PATH] -- COMMAND [ARGS...]",
    )
    parser.add_argument("--log", default=DEFAULT_LOG, help="moto_server output (default: %(default)s)")
    add_command_arguments(parser)
    args = parser.parse_args(argv)
    command = command_of(parser, args)

    def environment(endpoint):
        env = aws_environment(endpoint)
        if args.integration_config:
            write_integration_config(args.integration_config, env)
        print("with_moto: moto_server at %s (log: %s)" % (endpoint, args.log), file=sys.stderr, flush=True)
        return env

    return run_against("with_moto", moto_server(args.log), environment, command, MotoError)


if __name__ == "__main__":
    sys.exit(main())
