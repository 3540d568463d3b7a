# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The per-run cache server of the secret lookup: values in memory only, for one ansible run.

This is a private file of the seed.secretsmanager collection (leading underscore), internal to it; it may
change without notice. The client side, and why it exists, is _lookup_cache.py beside it (and
docs/lookup-cache.md).

Started by the first lookup of a run that needs it, as its own process, with the standard library only
(it starts in ~30 ms and imports nothing of Ansible):

    python _lookup_cache_server.py --dir DIR --name NAME --run-pid PID --run-start START

It detaches (forks once more, so that the lookup's process can reap the first child at once), then:

- takes an exclusive flock on DIR/NAME.lock and holds it for its life: a second server of the same run
  (starters race) gets no lock and exits; a lock that nobody holds means that any socket file is stale;
- binds DIR/NAME.sock (mode 0600 in a directory of mode 0700), writes DIR/NAME.token (mode 0600: a random
  token and a random key for the clients' HMAC of the cache keys; never a value), and only then listens,
  so that a client that connects always reads the current token;
- refuses a peer of another uid (SO_PEERCRED) and a request without the token;
- exits when the run's process is gone (its pid, with its start time from /proc, polled twice a second), or
  after --idle seconds without a request, removing its socket and token files (and, once the run is gone, the
  lock file).

Values are kept in this process's memory only: never written, never logged, no core dump (RLIMIT_CORE 0, and
not dumpable). The keys it holds are the clients' HMAC digests: no secret name, no credential.

Protocol: each message is a 4-byte big-endian length and a JSON object. Requests carry "op":
- get {keys, ttl}: for each key ["hit", value], ["fetch"] (nobody holds it: this connection now holds the
  key's lease and should read it and put it, or drop it) or ["pending"] (another connection holds the lease);
  with "lease": false, ["hit", value] or ["miss"], and no lease is taken;
- wait {keys, timeout}: for each key, once it has a value or nobody holds its lease (or at the timeout),
  ["hit", value] or ["miss"] (read it yourself);
- put {items: [[key, value], ...]}: store the values, release this connection's leases of those keys;
- drop {keys}: release this connection's leases of those keys without a value (the read failed);
- the first request of a connection also carries "token". A connection that closes releases its leases.
Values are opaque JSON to the server.
"""

from __future__ import annotations

import argparse
import hmac
import json
import os
import secrets
import socket
import sys
import threading
import time

# Run as a script (its directory is then sys.path[0]) the protocol beside it is a top-level module; imported (the
# tests), it is the collection's. Never another copy of the collection that Python's path may hold.
if __package__:
    from ansible_collections.seed.secretsmanager.plugins.plugin_utils._lookup_cache_protocol import (
        ProtocolError,
        peer_uid,
        process_start,
        receive_message,
        send_message,
    )
else:  # pragma: no cover - the server process
    from _lookup_cache_protocol import ProtocolError, peer_uid, process_start, receive_message, send_message  # pylint: disable=import-error

POLL_SECONDS = 0.5
MAX_WAIT = 120.0
TOKEN_BYTES = 32


class Cache:
    """The values (digest -> (value, stored at)), the leases (digest -> the connection reading it) and one
    condition that every change notifies."""

    def __init__(self, clock=time.monotonic) -> None:
        self.values = {}
        self.leases = {}
        self.changed = threading.Condition()
        self.clock = clock
        self.last_request = clock()

    def _fresh(self, key: str, ttl: float) -> bool:
        entry = self.values.get(key)
        return entry is not None and (not ttl or self.clock() - entry[1] < ttl)

    def get(self, owner: object, keys: list, ttl: float, lease: bool = True) -> list:
        answers = []
        with self.changed:
            for key in keys:
                if self._fresh(key, ttl):
                    answers.append(["hit", self.values[key][0]])
                elif not lease:
                    answers.append(["miss"])
                elif self.leases.get(key) in (None, owner):
                    self.leases[key] = owner
                    answers.append(["fetch"])
                else:
                    answers.append(["pending"])
        return answers

    def wait(self, owner: object, keys: list, ttl: float, timeout: float) -> list:
        deadline = self.clock() + max(0.0, min(float(timeout), MAX_WAIT))
        with self.changed:
            while True:
                waiting = [key for key in keys if not self._fresh(key, ttl) and self.leases.get(key) not in (None, owner)]
                remaining = deadline - self.clock()
                if not waiting or remaining <= 0:
                    break
                self.changed.wait(min(remaining, POLL_SECONDS))
            return [["hit", self.values[key][0]] if self._fresh(key, ttl) else ["miss"] for key in keys]

    def put(self, owner: object, items: list) -> None:
        with self.changed:
            now = self.clock()
            for key, value in items:
                self.values[key] = (value, now)
                if self.leases.get(key) is owner:
                    del self.leases[key]
            self.changed.notify_all()

    def drop(self, owner: object, keys: list) -> None:
        with self.changed:
            for key in keys:
                if self.leases.get(key) is owner:
                    del self.leases[key]
            self.changed.notify_all()

    def release(self, owner: object) -> None:
        """A connection closed: the reads it held leases for will not be put; the waiters read themselves."""
        with self.changed:
            for key in [key for key, holder in self.leases.items() if holder is owner]:
                del self.leases[key]
            self.changed.notify_all()


def _keys(message: dict, name: str = "keys") -> list:
    keys = message.get(name)
    if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
        raise ProtocolError("%s must be a list of strings" % name)
    return keys


def _number(message: dict, name: str) -> float:
    value = message.get(name, 0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ProtocolError("%s must be a number of seconds" % name)
    return float(value)


def answer(cache: Cache, owner: object, message: dict) -> dict:
    """The answer to one authenticated request."""
    op = message.get("op")
    if op == "get":
        return {"answers": cache.get(owner, _keys(message), _number(message, "ttl"), lease=message.get("lease", True) is not False)}
    if op == "wait":
        return {"answers": cache.wait(owner, _keys(message), _number(message, "ttl"), _number(message, "timeout"))}
    if op == "put":
        items = message.get("items")
        if not isinstance(items, list) or not all(isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) for item in items):
            raise ProtocolError("items must be a list of [key, value]")
        cache.put(owner, items)
        return {"ok": True}
    if op == "drop":
        cache.drop(owner, _keys(message))
        return {"ok": True}
    if op == "ping":
        return {"ok": True, "pid": os.getpid()}
    raise ProtocolError("unknown op")


def serve_connection(cache: Cache, connection: socket.socket, token: str, uid: int) -> None:
    """One client: its uid checked, its token checked on the first request, then requests until it closes."""
    owner = object()
    try:
        peer = peer_uid(connection)
        if peer is not None and peer != uid:
            return
        authenticated = False
        while True:
            try:
                message = receive_message(connection)
            except ProtocolError:
                return
            cache.last_request = cache.clock()
            if not authenticated:
                offered = message.get("token")
                if not isinstance(offered, str) or not hmac.compare_digest(offered.encode("utf-8"), token.encode("utf-8")):
                    send_message(connection, {"error": "refused"})
                    return
                authenticated = True
            try:
                reply = answer(cache, owner, message)
            except ProtocolError as e:
                send_message(connection, {"error": str(e)})
                return
            send_message(connection, reply)
            cache.last_request = cache.clock()
    except OSError:
        return
    finally:
        cache.release(owner)
        try:
            connection.close()
        except OSError:
            pass


def _harden() -> None:
    """No core dump of a process that holds values, and (Linux) not dumpable: no ptrace by other processes of the
    user that are not its ancestors' debuggers, /proc/PID/mem and environ readable by root only."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0
    except (OSError, AttributeError):
        pass


def _write_private(path: str, data: bytes) -> None:
    """Write a file of mode 0600 whole, under a temporary name first (a reader never sees half of it)."""
    temporary = "%s.%d.tmp" % (path, os.getpid())
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.write(descriptor, data)
    finally:
        os.close(descriptor)
    os.replace(temporary, path)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


class Server:
    """The server of one run in DIR: run() returns when it should exit (another server holds the run's lock, the
    run is over, or it has been idle)."""

    def __init__(self, directory: str, name: str, run_pid: int, run_start: str, idle: float) -> None:
        self.directory = directory
        self.base = os.path.join(directory, name)
        self.run_pid = run_pid
        self.run_start = run_start
        self.idle = idle
        self.cache = Cache()
        self.uid = os.getuid()
        self.token = secrets.token_hex(TOKEN_BYTES)
        self.listener = None
        self.stopping = threading.Event()

    def run_alive(self) -> bool:
        return process_start(self.run_pid) == self.run_start

    def run(self) -> int:
        import fcntl

        lock = os.open(self.base + ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(lock)
            return 0  # another server of this run is up, or starting
        if not self.run_alive():
            os.close(lock)
            return 0
        socket_path = self.base + ".sock"
        token_path = self.base + ".token"
        try:
            _remove(socket_path)  # stale: its server no longer holds the lock
            self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            old_umask = os.umask(0o177)
            try:
                self.listener.bind(socket_path)
            finally:
                os.umask(old_umask)
            key = secrets.token_hex(TOKEN_BYTES)
            _write_private(token_path, json.dumps({"token": self.token, "key": key, "pid": os.getpid()}).encode("ascii"))
            self.listener.listen(64)
            threading.Thread(target=self._watch, daemon=True).start()
            self._accept()
        finally:
            _remove(token_path)
            _remove(socket_path)
            if self.listener is not None:
                self.listener.close()
            if not self.run_alive():
                # No client of this run will come again: the lock file goes too (while locked, so that no starter
                # of the run can hold another lock on a file of the same name).
                _remove(self.base + ".lock")
            os.close(lock)
        return 0

    def _accept(self) -> None:
        self.listener.settimeout(POLL_SECONDS)
        while not self.stopping.is_set():
            try:
                connection, _address = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                if self.stopping.is_set():
                    return
                time.sleep(0.05)
                continue
            connection.settimeout(None)
            self.cache.last_request = self.cache.clock()
            threading.Thread(target=serve_connection, args=(self.cache, connection, self.token, self.uid), daemon=True).start()

    def _watch(self) -> None:
        while not self.stopping.wait(POLL_SECONDS):
            idle = self.cache.clock() - self.cache.last_request
            if not self.run_alive() or (self.idle and idle > self.idle and not self.cache.leases):
                self.stopping.set()


def _detach() -> None:
    """Fork once more and let the first child exit, so that the lookup's process reaps it at once and the server
    is nobody's zombie; stdin, stdout and stderr are /dev/null already (the client starts it so)."""
    if os.fork() > 0:
        os._exit(0)  # pylint: disable=protected-access


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--run-pid", type=int, required=True)
    parser.add_argument("--run-start", required=True)
    parser.add_argument("--idle", type=float, default=600.0)
    parser.add_argument("--foreground", action="store_true", help="do not detach (tests)")
    args = parser.parse_args(argv)
    _harden()
    if not args.foreground:
        _detach()
    return Server(args.dir, args.name, args.run_pid, args.run_start, args.idle).run()


if __name__ == "__main__":
    sys.exit(main())
