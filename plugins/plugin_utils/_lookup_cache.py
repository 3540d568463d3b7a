# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secret lookup's per-run cache: the client side (the server is _lookup_cache_server.py beside it).

This is a private file of the seed.secretsmanager collection (leading underscore), internal to it; it may
change without notice. docs/lookup-cache.md tells users what it does.

Why a server: Ansible templates a variable again at every use, on every host, and runs each host's task in a
WorkerProcess forked from the ansible CLI process, so a dict in the lookup's process is gone with the task.
The fact cache's memory plugin lives in the CLI process, which workers cannot write to; its file plugins
write to disk, which a value must never reach. So the first lookup of a run that needs a value starts a small
server for the run (values in its memory only, on a Unix socket in a directory of mode 0700 of the user's own),
and the workers of that run ask it first. A run is the CLI process: its pid and its start time (the worker's
parent, or the process itself when the lookup runs in the CLI process); a lookup called outside an ansible
run (a script, a test) uses no cache.

Single flight: a get answers each key with a value, "fetch" (this client reads it and puts it, or drops it)
or "pending" (another client is reading it): read_through() reads its own keys first, puts them, then waits
for the pending ones, and reads itself whatever the wait did not bring. Anything wrong with the cache (no
directory it trusts, no server, a refused or garbage answer, a timeout) reads directly instead: the cache can
make a lookup faster, never fail it or hang it. Only successes are put; an error is read again each time.
Nothing here logs or raises a value: CacheError texts name what failed, never what was read.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import multiprocessing
import os
import socket
import stat
import subprocess
import sys
import tempfile
import time

from ansible_collections.seed.secretsmanager.plugins.plugin_utils import _lookup_cache_protocol as protocol

SERVER_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_lookup_cache_server.py")
DIRECTORY_PREFIX = "seed-secretsmanager-lookup-"
# How long a client waits: for a started server to answer; for an answer to a get or put (the server answers
# at once); for the value that another client is reading (its AWS read, with botocore's retries).
START_TIMEOUT = 3.0
REQUEST_TIMEOUT = 5.0
WAIT_TIMEOUT = 30.0
IDLE_SECONDS = 600.0


class CacheError(Exception):
    """The cache cannot be used for this read (the text never holds a value)."""


def run_identity() -> tuple | None:
    """(pid, start time) of the ansible run this process serves, or None outside of one.

    In a WorkerProcess (forked from the CLI process) the run is its parent; in the CLI process itself
    (CLIARGS set by the CLI), the process."""
    current = multiprocessing.current_process()
    if type(current).__name__ == "WorkerProcess" and type(current).__module__.startswith("ansible."):
        parent = multiprocessing.parent_process()
        pid = parent.pid if parent is not None and parent.pid else os.getppid()
    else:
        try:
            from ansible import context
        except ImportError:
            return None
        if not context.CLIARGS:
            return None
        pid = os.getpid()
    start = protocol.process_start(pid)
    if start is None:
        return None
    return pid, start


# A Unix socket's path has at most 107 bytes (Linux; 103 on macOS); the socket's own name takes up to ~30.
MAX_DIRECTORY_LENGTH = 70


def runtime_directory() -> str:
    """The user's cache directory: in $XDG_RUNTIME_DIR (a per-user tmpfs) or else the temp folder (either only when
    its path leaves room for a socket's name), a directory of this uid's that must be a real directory (no
    symlink), owned by the uid and of mode 0700."""
    uid = os.getuid()
    name = "%s%d" % (DIRECTORY_PREFIX, uid)
    bases = [base for base in (os.environ.get("XDG_RUNTIME_DIR"), tempfile.gettempdir()) if base and os.path.isdir(base)]
    fitting = [base for base in bases if len(os.path.join(base, name)) <= MAX_DIRECTORY_LENGTH]
    if not fitting:
        raise CacheError("no folder with a path short enough for a Unix socket (XDG_RUNTIME_DIR, TMPDIR)")
    path = os.path.join(fitting[0], name)
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError as e:
        raise CacheError("cannot create the cache directory: %s" % e.strerror)
    try:
        info = os.lstat(path)
    except OSError as e:
        raise CacheError("cannot read the cache directory: %s" % e.strerror)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != uid or stat.S_IMODE(info.st_mode) & 0o077:
        raise CacheError("%s is not a directory of mode 0700 owned by uid %d: not used" % (path, uid))
    return path


class Session:
    """One connection to the run's server, for one lookup call."""

    def __init__(self, sock: socket.socket, token: str, key: bytes) -> None:
        self.sock = sock
        self.token = token
        self.key = key
        self.first = True
        self.broken = False

    def digest(self, identity: object) -> str:
        """The cache key of a read: an HMAC (the server's random key) of everything that decides its answer."""
        text = json.dumps(identity, sort_keys=True, separators=(",", ":"), default=repr)
        return hmac.new(self.key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def request(self, message: dict, timeout: float = REQUEST_TIMEOUT) -> dict:
        """One request and its answer; CacheError (and the session is not used again) when anything is wrong."""
        if self.broken:
            raise CacheError("the cache failed earlier in this lookup")
        if self.first:
            message = dict(message, token=self.token)
            self.first = False
        try:
            self.sock.settimeout(timeout)
            protocol.send_message(self.sock, message)
            reply = protocol.receive_message(self.sock)
        except socket.timeout:
            self.broken = True
            raise CacheError("the cache server did not answer in %g s" % timeout)
        except (OSError, ValueError, TypeError, protocol.ProtocolError) as e:
            self.broken = True
            raise CacheError("the cache server's answer was cut or not understood (%s)" % type(e).__name__)
        if "error" in reply:
            self.broken = True
            raise CacheError("the cache server refused the request")
        return reply

    def answers(self, message: dict, count: int, timeout: float = REQUEST_TIMEOUT) -> list:
        answers = self.request(message, timeout).get("answers")
        if not isinstance(answers, list) or len(answers) != count or not all(isinstance(a, list) and a and isinstance(a[0], str) for a in answers):
            self.broken = True
            raise CacheError("the cache server's answer was not understood")
        return answers

    def peek(self, identity: object, ttl: float = 0) -> object:
        """The value cached for identity, or None; no lease is taken (a miss is read by whoever misses)."""
        reply = self.answers({"op": "get", "keys": [self.digest(identity)], "ttl": ttl, "lease": False}, 1)[0]
        if reply[0] == "hit" and len(reply) == 2:
            return reply[1]
        if reply[0] != "miss":
            self.broken = True
            raise CacheError("the cache server's answer was not understood")
        return None

    def store(self, identity: object, value: object) -> None:
        self.request({"op": "put", "items": [[self.digest(identity), value]]})

    def close(self) -> None:
        self.broken = True
        try:
            self.sock.close()
        except OSError:
            pass


def _connect(base: str) -> Session | None:
    """A session with the server of base (DIR/NAME), or None when none is listening there."""
    try:
        with open(base + ".token", "rb") as handle:
            document = json.loads(handle.read().decode("ascii"))
        token, key = document["token"], bytes.fromhex(document["key"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(REQUEST_TIMEOUT)
        sock.connect(base + ".sock")
        peer = protocol.peer_uid(sock)
    except OSError as e:
        sock.close()
        if e.errno in (errno.ENOENT, errno.ECONNREFUSED):
            return None
        raise CacheError("cannot connect to the cache server: %s" % (e.strerror or type(e).__name__))
    if peer is not None and peer != os.getuid():
        sock.close()
        raise CacheError("the cache socket belongs to uid %d: not used" % peer)
    return Session(sock, token, key)


def _server_starting(base: str) -> bool:
    """Whether a server of this run holds its lock (up, or starting): then the caller only waits for it."""
    import fcntl

    try:
        descriptor = os.open(base + ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(descriptor)  # closing releases a lock this process took
    return False


def _start_server(directory: str, name: str, run: tuple, idle: float) -> None:
    command = [sys.executable, SERVER_SCRIPT, "--dir", directory, "--name", name, "--run-pid", str(run[0]),
               "--run-start", run[1], "--idle", repr(float(idle))]
    try:
        child = subprocess.Popen(  # pylint: disable=consider-using-with
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=True, start_new_session=True, cwd="/", env={"PATH": os.environ.get("PATH", "")},
        )
    except OSError as e:
        raise CacheError("cannot start the cache server: %s" % (e.strerror or type(e).__name__))
    try:
        child.wait(START_TIMEOUT)  # the first child exits once it has forked the server
    except subprocess.TimeoutExpired:
        pass


def open_session(run: tuple | None = None, idle: float = IDLE_SECONDS, directory: str | None = None) -> Session:
    """A session with the run's server, started when there is none; CacheError when the cache cannot be used."""
    run = run or run_identity()
    if run is None:
        raise CacheError("not in an ansible run")
    directory = directory or runtime_directory()
    name = "r%d-%s" % run
    base = os.path.join(directory, name)
    session = _connect(base)
    if session is not None:
        return session
    if not _server_starting(base):
        _start_server(directory, name, run, idle)
    deadline = time.monotonic() + START_TIMEOUT
    delay = 0.005
    while time.monotonic() < deadline:
        session = _connect(base)
        if session is not None:
            return session
        time.sleep(delay)
        delay = min(delay * 2, 0.1)
    raise CacheError("the cache server did not start within %g s" % START_TIMEOUT)


def read_through(session: Session | None, keys: dict, read, encode, decode, ttl: float = 0, wait_timeout: float = WAIT_TIMEOUT) -> tuple:
    """The answers of keys ({item: identity}), from the cache where it has them and from read(items) ->
    {item: answer} otherwise. encode(answer) is the JSON value to cache for a success, or None (an error, read
    again each time); decode(value) is the answer again, or None for a value not of that shape (the item is then
    read directly). Returns ({item: answer}, the CacheError that stopped the cache's use, or None).

    With no session (or a broken one), or once the cache fails, the items not answered yet are read directly. The
    caller closes the session (which releases its leases)."""
    items = list(keys)
    if session is None or session.broken:
        return read(items), None
    results = {}
    problem = None
    try:
        digests = {item: session.digest(identity) for item, identity in keys.items()}
        answers = session.answers({"op": "get", "keys": [digests[item] for item in items], "ttl": ttl}, len(items))
        own, pending = [], []
        for item, reply in zip(items, answers):
            if reply[0] == "hit" and len(reply) == 2:
                results[item] = _cached(reply[1], decode)
            elif reply[0] == "fetch":
                own.append(item)
            elif reply[0] == "pending":
                pending.append(item)
            else:
                raise CacheError("the cache server's answer was not understood")
        if own:
            _read_and_put(session, own, digests, read, encode, results)
        if pending:
            replies = session.answers({"op": "wait", "keys": [digests[item] for item in pending], "ttl": ttl, "timeout": wait_timeout},
                                      len(pending), timeout=wait_timeout + REQUEST_TIMEOUT)
            missed = []
            for item, reply in zip(pending, replies):
                if reply[0] == "hit" and len(reply) == 2:
                    results[item] = _cached(reply[1], decode)
                else:
                    missed.append(item)
            if missed:
                _read_and_put(session, missed, digests, read, encode, results)
    except CacheError as e:
        problem = e
    rest = [item for item in items if item not in results]
    if rest:
        results.update(read(rest))
    return results, problem


def _cached(value: object, decode) -> object:
    answer = decode(value)
    if answer is None:
        raise CacheError("the cache server's value was not understood")
    return answer


def _read_and_put(session: Session, items: list, digests: dict, read, encode, results: dict) -> None:
    answers = read(items)
    results.update(answers)
    stored, failed = [], []
    for item in items:
        value = encode(answers.get(item))
        if value is None:
            failed.append(digests[item])
        else:
            stored.append([digests[item], value])
    if stored:
        session.request({"op": "put", "items": stored})
    if failed:
        session.request({"op": "drop", "keys": failed})
