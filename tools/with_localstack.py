#!/usr/bin/env python
"""Run a command against a throw-away LocalStack, the second test endpoint.

    python tools/with_localstack.py [--python PATH] [--services LIST] [--log PATH]
                                    [--integration-config PATH] -- COMMAND [ARGS...]

LocalStack runs without docker as ``python -m localstack.runtime.main`` under its own
interpreter (Python 3.13, .build/venv-localstack, made by `make localstack-venv`); this
script itself runs under any Python 3 and needs only the standard library. It picks a
free port on 127.0.0.1, starts LocalStack there with its state under a temporary
directory, waits for GET /_localstack/health, runs COMMAND with the AWS_* variables
pointing at it, and stops LocalStack by its PID (SIGTERM, then SIGKILL after a timeout)
whatever happens. The exit code is COMMAND's. LocalStack's output goes to --log.

The environment is the loopback-only, host-mode start measured in AWS_FACTS.md: the
default gateway server and the DNS server would bind 0.0.0.0, and this machine has
/.dockerenv, which LocalStack would otherwise take as "running in its own container".
"""

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import with_moto  # noqa: E402  (the shared helpers: environment, config file, process tree)

REPO_ROOT = with_moto.REPO_ROOT
DEFAULT_PYTHON = os.path.join(REPO_ROOT, ".build", "venv-localstack", "bin", "python")
DEFAULT_LOG = os.path.join(REPO_ROOT, ".build", "localstack.log")
HOST = "127.0.0.1"
# iam and lambda: sm_probe.py makes a rotation function (role + function) for the rotation
# tests; LocalStack's Lambda accepts CreateFunction without docker (the function ends Failed),
# which is all RotateSecret without immediate rotation needs.
DEFAULT_SERVICES = "secretsmanager,iam,lambda,sts"


class LocalStackError(RuntimeError):
    pass


def free_port():
    """A port nobody listens on now (LocalStack binds it a moment later; start() retries)."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _health(endpoint, timeout=1.0):
    try:
        with urllib.request.urlopen(endpoint + "/_localstack/health", timeout=timeout) as answer:
            return answer.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def server_environment(port, state_dir, services):
    env = dict(os.environ)
    for key in [k for k in env if k.startswith("AWS_")]:
        del env[key]  # LocalStack must not pick up a caller's endpoint or profile
    env.update({
        "GATEWAY_LISTEN": "%s:%d" % (HOST, port),
        "GATEWAY_SERVER": "hypercorn",  # the default server binds 0.0.0.0
        "OVERRIDE_IN_DOCKER": "0",
        "FILESYSTEM_ROOT": os.path.join(state_dir, "filesystem"),
        "CONFIG_DIR": os.path.join(state_dir, "config"),
        "TMPDIR": os.path.join(state_dir, "tmp"),
        "DNS_ADDRESS": "0",  # else a DNS server on 0.0.0.0:53
        "SERVICES": services,
        "EAGER_SERVICE_LOADING": "1",
        "DISABLE_EVENTS": "1",
        "SKIP_SSL_CERT_DOWNLOAD": "1",
        "PYTHONUNBUFFERED": "1",
    })
    for key in ("FILESYSTEM_ROOT", "CONFIG_DIR", "TMPDIR"):
        os.makedirs(env[key], exist_ok=True)
    return env


class LocalStack:
    def __init__(self, proc, endpoint, log, log_path, state_dir):
        self.proc, self.endpoint, self.log, self.log_path, self.state_dir = proc, endpoint, log, log_path, state_dir

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while not _health(self.endpoint):
            if self.proc.poll() is not None:
                raise LocalStackError("LocalStack exited with %s before it was ready; see %s"
                                      % (self.proc.returncode, self.log_path))
            if time.monotonic() > deadline:
                raise LocalStackError("LocalStack at %s not healthy within %.0fs; see %s"
                                      % (self.endpoint, timeout, self.log_path))
            time.sleep(0.2)

    def stop(self, timeout=20):
        """SIGTERM, then SIGKILL after timeout (it has hung in shutdown): by PID, with its children."""
        if self.proc.poll() is None:
            tree = with_moto._descendants(self.proc.pid)
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.log.write("=== LocalStack did not stop within %ds: SIGKILL ===\n" % timeout)
                self.proc.kill()
                self.proc.wait()
            with_moto._signal_all([pid for pid in tree if os.path.exists("/proc/%d" % pid)], signal.SIGKILL)
        if not self.log.closed:
            self.log.write("=== LocalStack (pid %d) stopped (exit code %s) ===\n" % (self.proc.pid, self.proc.returncode))
            self.log.close()
        shutil.rmtree(self.state_dir, ignore_errors=True)


def start(python=DEFAULT_PYTHON, log_path=DEFAULT_LOG, services=DEFAULT_SERVICES, startup_timeout=120.0, attempts=3):
    """Start LocalStack on a free port and wait until it is healthy. Returns a LocalStack."""
    if not (os.path.isfile(python) and os.access(python, os.X_OK)):
        raise LocalStackError("%s not found; run `make localstack-venv`" % python)
    os.makedirs(os.path.dirname(os.path.abspath(log_path)), exist_ok=True)
    last = None
    for _attempt in range(attempts):
        port = free_port()
        state_dir = tempfile.mkdtemp(prefix="localstack-")
        log = open(log_path, "a", encoding="utf-8")
        log.write("=== LocalStack started %s on %s:%d, state in %s ===\n"
                  % (time.strftime("%Y-%m-%d %H:%M:%S"), HOST, port, state_dir))
        log.flush()
        try:
            proc = subprocess.Popen(
                [python, "-m", "localstack.runtime.main"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env=server_environment(port, state_dir, services), cwd=state_dir,
                preexec_fn=with_moto._die_with_parent if sys.platform.startswith("linux") else None,
            )
        except BaseException:
            log.close()
            shutil.rmtree(state_dir, ignore_errors=True)
            raise
        server = LocalStack(proc, "http://%s:%d" % (HOST, port), log, log_path, state_dir)
        try:
            server.wait_ready(startup_timeout)
            return server
        except LocalStackError as exc:  # e.g. the port was taken in between: try another
            last = exc
            server.stop()
        except BaseException:
            server.stop()
            raise
    raise last


@contextlib.contextmanager
def localstack(**kwargs):
    server = start(**kwargs)
    try:
        yield server.endpoint
    finally:
        server.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run COMMAND against a temporary local LocalStack.")
    parser.add_argument("--python", default=DEFAULT_PYTHON, help="LocalStack's interpreter (default: %(default)s)")
    parser.add_argument("--services", default=DEFAULT_SERVICES, help="SERVICES (default: %(default)s)")
    parser.add_argument("--log", default=DEFAULT_LOG, help="LocalStack's output (default: %(default)s)")
    with_moto.add_command_arguments(parser)
    args = parser.parse_args(argv)
    command = with_moto.command_of(parser, args)
    began = time.monotonic()

    def environment(endpoint):
        env = with_moto.aws_environment(endpoint)
        env.pop("MOTO_ENDPOINT", None)
        env["LOCALSTACK_ENDPOINT"] = endpoint
        if args.integration_config:
            with_moto.write_integration_config(args.integration_config, env, kind="localstack")
        print("with_localstack: LocalStack at %s, healthy after %.1fs (log: %s)"
              % (endpoint, time.monotonic() - began, args.log), file=sys.stderr, flush=True)
        return env

    server = localstack(python=args.python, log_path=args.log, services=args.services)
    return with_moto.run_against("with_localstack", server, environment, command, LocalStackError)


if __name__ == "__main__":
    sys.exit(main())
