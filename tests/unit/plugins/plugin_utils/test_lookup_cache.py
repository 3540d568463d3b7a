# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secret lookup's per-run cache (plugin_utils/_lookup_cache*.py): a real server process per test, for a
"run" that is a sleeping child process of the test (so that ending the run is killing it)."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest

from ansible_collections.seed.secretsmanager.plugins.plugin_utils import _lookup_cache as lookup_cache
from ansible_collections.seed.secretsmanager.plugins.plugin_utils import _lookup_cache_protocol as protocol
from ansible_collections.seed.secretsmanager.plugins.plugin_utils import _lookup_cache_server as server

VALUE = "v4lue-9c1e7b"


@pytest.fixture
def runtime(monkeypatch):
    """XDG_RUNTIME_DIR of the test's own (a short path: a socket's has at most 107 bytes); the cache directory is
    made inside it."""
    base = tempfile.mkdtemp(prefix="lc-")
    monkeypatch.setenv("XDG_RUNTIME_DIR", base)
    try:
        yield pathlib.Path(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def run(runtime):
    """A fake ansible run: (pid, start time) of a sleeping child; the servers of the run end with it."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])  # pylint: disable=consider-using-with
    try:
        yield child.pid, protocol.process_start(child.pid)
    finally:
        child.kill()
        child.wait()
        _wait_for_no_server(runtime)


def _token_files(runtime):
    found = []
    for root, _dirs, files in os.walk(str(runtime)):
        found += [os.path.join(root, name) for name in files if name.endswith(".token")]
    return found


def _server_pids(runtime):
    pids = []
    for path in _token_files(runtime):
        try:
            with open(path) as handle:
                pids.append(json.load(handle)["pid"])
        except (OSError, ValueError):
            pass
    return pids


def _alive(pid):
    return protocol.process_start(pid) is not None


def _wait_for_no_server(runtime, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _token_files(runtime):
        time.sleep(0.05)
    return not _token_files(runtime)


def _read_counting(counter, value=VALUE, delay=0.0):
    lock = threading.Lock()

    def read(items):
        with lock:
            counter.extend(items)
        time.sleep(delay)
        return {item: (value, "string") for item in items}

    return read


def _encode(answer):
    return list(answer) if isinstance(answer, tuple) else None


def _decode(value):
    return tuple(value) if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value) else None


def _through(run, keys, read, **kwargs):
    session = lookup_cache.open_session(run=run)
    try:
        return lookup_cache.read_through(session, keys, read, _encode, _decode, **kwargs)
    finally:
        session.close()


def test_the_directory_is_the_users_own_of_mode_0700(runtime, run):
    lookup_cache.open_session(run=run).close()
    directory = lookup_cache.runtime_directory()
    info = os.lstat(directory)
    assert os.path.dirname(directory) == str(runtime)
    assert info.st_uid == os.getuid() and info.st_mode & 0o777 == 0o700
    for name in os.listdir(directory):
        assert os.lstat(os.path.join(directory, name)).st_mode & 0o077 == 0, name


def test_ten_clients_at_once_read_a_key_once(run):
    reads = []
    read = _read_counting(reads, delay=0.3)
    results = [None] * 10
    start = threading.Barrier(10)

    def one(index):
        start.wait()
        results[index] = _through(run, {"a": ["value", "a"]}, read)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert reads == ["a"]
    assert all(result == ({"a": (VALUE, "string")}, None) for result in results), results


def test_errors_are_not_kept_and_the_waiters_read_themselves(run):
    reads = []
    lock = threading.Lock()

    def failing(items):
        with lock:
            reads.extend(items)
        time.sleep(0.2)
        return {item: RuntimeError("denied") for item in items}

    results = [None] * 3
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, _through(run, {"a": ["a"]}, failing))) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reads) == 3
    assert all(isinstance(result[0]["a"], RuntimeError) and result[1] is None for result in results)


def test_a_fetcher_that_goes_away_releases_the_waiters(run):
    holder = lookup_cache.open_session(run=run)
    assert holder.answers({"op": "get", "keys": [holder.digest(["a"])], "ttl": 0}, 1) == [["fetch"]]
    threading.Timer(0.3, holder.close).start()
    reads = []
    started = time.monotonic()
    answers, problem = _through(run, {"a": ["a"]}, _read_counting(reads))
    assert answers == {"a": (VALUE, "string")} and problem is None and reads == ["a"]
    assert time.monotonic() - started < 5


def test_the_key_is_an_hmac_of_the_identity_never_the_identity(run):
    session = lookup_cache.open_session(run=run)
    try:
        digest = session.digest(["value", "prod/db", "secret-key-AKIA"])
        assert "prod/db" not in digest and len(digest) == 64
        assert session.digest(["value", "prod/db", "other-key"]) != digest
    finally:
        session.close()


def test_cache_ttl_reads_again_after_it(run):
    reads = []
    read = _read_counting(reads)
    _through(run, {"a": ["a"]}, read, ttl=0.3)
    _through(run, {"a": ["a"]}, read, ttl=0.3)
    assert reads == ["a"]
    time.sleep(0.4)
    _through(run, {"a": ["a"]}, read, ttl=0.3)
    assert reads == ["a", "a"]


def test_racing_starters_share_one_server(runtime, run):
    sessions = [None] * 6
    start = threading.Barrier(6)

    def one(index):
        start.wait()
        sessions[index] = lookup_cache.open_session(run=run)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pids = {session.request({"op": "ping"})["pid"] for session in sessions}
    for session in sessions:
        session.close()
    assert len(pids) == 1
    assert _server_pids(runtime) == list(pids)


def test_the_server_ends_with_the_run(runtime):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])  # pylint: disable=consider-using-with
    try:
        fake_run = (child.pid, protocol.process_start(child.pid))
        lookup_cache.open_session(run=fake_run).close()
        (pid,) = _server_pids(runtime)
        assert _alive(pid)
    finally:
        child.kill()
        child.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    assert not _alive(pid), "the cache server outlived its run"
    assert os.listdir(lookup_cache.runtime_directory()) == []


def test_a_reused_pid_is_another_run(runtime):
    """A run's pid with another start time is not that run: no server starts for it (the reads go direct)."""
    with pytest.raises(lookup_cache.CacheError):
        lookup_cache.open_session(run=(os.getpid(), "1"))
    assert _server_pids(runtime) == []


def test_an_idle_server_ends(runtime, run):
    lookup_cache.open_session(run=run, idle=0.5).close()
    (pid,) = _server_pids(runtime)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    assert not _alive(pid)


def test_a_killed_server_is_replaced(runtime, run):
    reads = []
    read = _read_counting(reads)
    _through(run, {"a": ["a"]}, read)
    (pid,) = _server_pids(runtime)
    os.kill(pid, signal.SIGKILL)  # its socket and token files stay behind
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.02)
    answers, problem = _through(run, {"a": ["a"]}, read)
    assert answers == {"a": (VALUE, "string")} and problem is None
    assert reads == ["a", "a"]  # the new server starts empty
    assert _server_pids(runtime) != [pid]


@pytest.mark.parametrize("damage", ["file", "mode", "symlink"])
def test_a_directory_it_cannot_trust_is_not_used(runtime, run, tmp_path, damage):
    path = runtime / ("%s%d" % (lookup_cache.DIRECTORY_PREFIX, os.getuid()))
    if damage == "file":
        path.write_text("")
    elif damage == "mode":
        path.mkdir(mode=0o755)
        path.chmod(0o755)
    else:
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        path.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(lookup_cache.CacheError):
        lookup_cache.open_session(run=run)
    reads = []
    assert lookup_cache.read_through(None, {"a": ["a"]}, _read_counting(reads), _encode, _decode) == ({"a": (VALUE, "string")}, None)


def test_a_server_that_does_not_start_fails_fast(run, monkeypatch, tmp_path):
    script = tmp_path / "hang.py"
    script.write_text("import time\ntime.sleep(30)\n")
    monkeypatch.setattr(lookup_cache, "SERVER_SCRIPT", str(script))
    monkeypatch.setattr(lookup_cache, "START_TIMEOUT", 0.5)
    started = time.monotonic()
    with pytest.raises(lookup_cache.CacheError, match="did not start"):
        lookup_cache.open_session(run=run)
    assert time.monotonic() - started < 3


def _fake_server(runtime, run, reply):
    """A listener where the run's server would be, with a token file, that answers every request with reply
    (bytes, sent as they are); returns its thread."""
    directory = lookup_cache.runtime_directory()
    base = os.path.join(directory, "r%d-%s" % run)
    with open(base + ".token", "w") as handle:
        json.dump({"token": "t", "key": "00", "pid": os.getpid()}, handle)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(base + ".sock")
    listener.listen(8)

    def serve():
        listener.settimeout(5)
        try:
            while True:
                connection, _address = listener.accept()
                try:
                    protocol.receive_message(connection)
                    connection.sendall(reply)
                except (OSError, protocol.ProtocolError):
                    pass
                finally:
                    connection.close()
        except OSError:
            listener.close()
            for suffix in (".sock", ".token"):
                os.unlink(base + suffix)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("reply", [
    b"\x00\x00\x00\x05hello",                                  # not JSON
    b"\xff\xff\xff\xff",                                       # a length past the limit
    protocol.HEADER.pack(2) + b"[]",                           # not an object
    protocol.HEADER.pack(13) + b'{"answers":7}',               # not answers
    protocol.HEADER.pack(28) + b'{"answers":[["hit",[1,2,3]]]}',  # a value of another shape
    b"",                                                       # closed without an answer
], ids=["not-json", "too-long", "not-object", "no-answers", "bad-value", "closed"])
def test_a_garbage_answer_reads_directly(runtime, run, reply):
    thread = _fake_server(runtime, run, reply)
    reads = []
    session = lookup_cache.open_session(run=run)
    answers, problem = lookup_cache.read_through(session, {"a": ["a"]}, _read_counting(reads), _encode, _decode)
    session.close()
    assert answers == {"a": (VALUE, "string")}
    assert isinstance(problem, lookup_cache.CacheError)
    assert VALUE not in str(problem)
    assert reads == ["a"]
    thread.join(10)


def test_a_request_without_the_token_is_refused(run):
    session = lookup_cache.open_session(run=run)
    session.token = "not-the-token"
    with pytest.raises(lookup_cache.CacheError, match="refused"):
        session.request({"op": "ping"})
    session.close()


def test_a_peer_of_another_uid_is_refused_by_the_server(monkeypatch):
    """The peer-credential check itself: the server closes a connection whose peer is another uid, unanswered."""
    cache = server.Cache()
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    monkeypatch.setattr(server, "peer_uid", lambda sock: os.getuid() + 1)
    protocol.send_message(theirs, {"token": "t", "op": "ping"})
    thread = threading.Thread(target=server.serve_connection, args=(cache, ours, "t", os.getuid()))
    thread.start()
    theirs.settimeout(5)
    try:
        answer = theirs.recv(100)
    except ConnectionResetError:  # closed with the request unread
        answer = b""
    assert answer == b"", "the server answered a peer of another uid"
    thread.join(5)
    theirs.close()


def _as_nobody(function):
    """Run function() in a forked child as uid/gid 65534; its exit code is function()'s answer."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 99
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            code = function()
        finally:
            os._exit(code)  # pylint: disable=protected-access
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_another_users_process_is_refused(runtime, run):
    """As root (this machine's tests run as root): a process of another uid cannot reach the socket (mode 0700
    directory), and with the directory and socket opened up for it, the server still refuses it (SO_PEERCRED).
    Not root: the same refusal, with the peer's uid made another (the check the server runs is the same)."""
    session = lookup_cache.open_session(run=run)
    session.request({"op": "put", "items": [[session.digest(["a"]), [VALUE, "string"]]]})
    session.close()
    directory = lookup_cache.runtime_directory()
    base = os.path.join(directory, "r%d-%s" % run)
    with open(base + ".token") as handle:
        token = json.load(handle)["token"]

    def try_to_read():
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(5)
        try:
            sock.connect(base + ".sock")
        except PermissionError:
            return 10
        try:
            protocol.send_message(sock, {"token": token, "op": "get", "keys": ["x"], "ttl": 0})
            return 0 if protocol.receive_message(sock).get("answers") else 30
        except (OSError, protocol.ProtocolError):
            return 20

    if os.getuid() != 0:
        test_a_peer_of_another_uid_is_refused_by_the_server(pytest.MonkeyPatch())
        return
    assert _as_nobody(try_to_read) == 10, "another uid reached the socket through a directory of mode 0700"
    os.chmod(str(runtime), 0o711)
    os.chmod(directory, 0o711)
    os.chmod(base + ".sock", 0o777)
    try:
        assert _as_nobody(try_to_read) == 20, "the server answered a peer of another uid"
    finally:
        os.chmod(str(runtime), 0o700)
        os.chmod(directory, 0o700)
        os.chmod(base + ".sock", 0o600)


def test_a_path_too_long_for_a_socket_is_not_used(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / ("x" * 80)))
    (tmp_path / ("x" * 80)).mkdir()
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path / ("x" * 80)))
    with pytest.raises(lookup_cache.CacheError, match="short enough"):
        lookup_cache.runtime_directory()


def test_no_value_is_written_to_disk(runtime, run, tmp_path):
    _through(run, {"a": ["a"]}, _read_counting([]))
    session = lookup_cache.open_session(run=run)
    assert lookup_cache.read_through(session, {"a": ["a"]}, _read_counting([]), _encode, _decode)[0] == {"a": (VALUE, "string")}
    session.close()
    for root, _dirs, files in list(os.walk(str(tmp_path))) + list(os.walk(str(runtime))):
        for name in files:
            if not os.path.isfile(os.path.join(root, name)):
                continue  # the socket
            with open(os.path.join(root, name), "rb") as handle:
                assert VALUE.encode() not in handle.read(), os.path.join(root, name)


def test_outside_of_an_ansible_run_there_is_no_cache():
    """pytest is no ansible run: no WorkerProcess, no CLI arguments."""
    assert lookup_cache.run_identity() is None
    with pytest.raises(lookup_cache.CacheError, match="not in an ansible run"):
        lookup_cache.open_session()
