# -*- coding: utf-8 -*-
"""A fault-injecting HTTP proxy between botocore and a moto server, for the system tests.

    proxy = FaultProxy(moto.endpoint)          # listens on 127.0.0.1, a free port
    proxy.script({"CreateSecret": ["throttle", "reset"]})
    ... point endpoint_url at proxy.endpoint, run the task ...
    proxy.wait_idle()
    proxy.seen                                 # [Request(operation, attempt, token, fault), ...]
    proxy.stop()

Faults are scripted per operation (the X-Amz-Target of the request): the n-th request of an
operation takes the n-th entry of its list; once the list is used up, requests pass. Faults:

- pass       forward to moto and relay the reply
- throttle   reply HTTP 400 ThrottlingException; moto never sees the request
- error500   reply HTTP 500 InternalServiceError; moto never sees the request
- reset      close the client's connection with a TCP RST, no reply; moto never sees the request
- delay      forward to moto at once (the request is applied), hold the reply for `delay` seconds
             (set it past the client's read timeout), then try to send it
- late       hold the request for `delay` seconds, then forward it (it is applied after the
             client gave up and, usually, after its retry) and try to send the reply
- lost       forward to moto (the request is applied), then reset the client's connection:
             the reply never reaches the client
- hold:NAME  wait until gate NAME opens (see gate()), then pass: lets a test line up the requests
             of concurrent runs, e.g. have several CreateSecret calls reach moto at the same moment

Answers of AWS that moto never gives are named by the test first, then scripted like the faults above:

    proxy.answer("deleted", "InvalidRequestException", "You can't create this secret because ...")
    proxy.rewrite("failed", lambda reply: ...)  # forward to moto, edit its JSON reply, relay that
    proxy.script({"CreateSecret": ["deleted", "deleted"], "DescribeSecret": ["failed"]})
    proxy.documents("CreateSecret")            # the JSON body of each request of an operation
    proxy.request_ids                          # the x-amzn-RequestId of each answer the proxy made up

A stale read (ListSecrets "might not reflect changes from the last five minutes"): the proxy records moto's
reply to every request it forwards (moto's own reply, also under a rewrite() answer; kept across script(),
dropped by forget(); FaultProxy(..., record=False) and latency mode record nothing). A replay answer relays the
reply recorded for an earlier request of the same operation with an equal JSON body, without asking moto; a
request with no such earlier one is forwarded (and recorded). Record with a run that reads the same way (a
check-mode run of the same task, or the first of two runs), change moto's state, then replay:

    proxy.replay("stale")                      # which="first" (the oldest recording) or "last"
    proxy.script({"ListSecrets": ["stale"] * 20})
    proxy.recorded("ListSecrets")              # [(request document, status, reply document), ...]
    proxy.replayed                             # [(operation, request document), ...] answered from a recording
    proxy.forget()

AWS's documented answers that the fleet tests rely on, measured on moto 5.2.6 (test_moto_answers_as_aws_does in
tests/system/fleets/test_stale_reads.py pins them), so the proxy relays moto's answer for these as it is:
UpdateSecretVersionStage whose RemoveFromVersionId is not the version that holds the stage now answers
InvalidParameterException ("Version stage AWSCURRENT not found in version ...") and moves nothing; CreateSecret
retried with the token and value of an existing version answers 200 with the first call's ARN, Name and
VersionId and applies nothing else of the request (description, tags). LocalStack answers that CreateSecret
with ResourceExistsException; an answer() named for it gives that shape when a test needs it.

Latency mode (bench/run.py's runs against AWS-like latency): every request waits `latency` seconds
before it is forwarded, as a round trip to AWS would, and the proxy counts requests per operation.
Run it as a process of its own (stop it by its PID):

    python tests/system/faults/fault_proxy.py --upstream http://127.0.0.1:PORT --latency 0.025
    # prints `Proxying http://127.0.0.1:PORT2 -> http://127.0.0.1:PORT` once it listens
    GET http://127.0.0.1:PORT2/__fault_proxy__/counts   # {"DescribeSecret": 3, ...}, never forwarded

Standard library only, so that it runs wherever the tests run.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import http.server
import json
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse
import uuid

# The path of the proxy's own answers (GET only); such requests are never forwarded nor counted.
CONTROL_PATH = "/__fault_proxy__/"

FAULTS = ("pass", "throttle", "error500", "reset", "delay", "late", "lost")

Request = collections.namedtuple("Request", "operation attempt token fault")

# Hop-by-hop headers, and those the handler writes itself.
_SKIP_REPLY_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"}


class _Gate:
    """Requests wait here until it opens: by itself once `parties` wait (when given), or on open()."""

    def __init__(self, parties):
        self.parties = parties
        self.waiting = 0
        self.opened = threading.Event()
        self.timed_out = False


class FaultProxy:
    """A threaded proxy on 127.0.0.1 in front of upstream (a moto endpoint URL)."""

    def __init__(self, upstream, delay=2.0, latency=0.0, port=0, record=True):
        parsed = urllib.parse.urlsplit(upstream)
        self.upstream = (parsed.hostname, parsed.port)
        self.delay = delay
        self.latency = latency  # every request waits this long before it is forwarded or answered
        self.record = record  # keep moto's replies for replay() (off in latency mode: a long run would hoard them)
        self.seen = []
        self._script = {}
        self._attempts = collections.Counter()
        self._lock = threading.Lock()
        self._busy = 0
        self._done = collections.Counter()
        self._gates = {}
        self._answers = {}  # name -> ("error", status, code, message), ("rewrite", function) or ("replay", which)
        self._documents = []  # (operation, the request's JSON body), in the order of self.seen
        self._recorded = []  # (operation, request document, (status, headers, data)) of every forwarded request
        self.replayed = []  # (operation, request document) of each request answered from a recording
        self.request_ids = []
        self._idle = threading.Condition(self._lock)
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.proxy = self
        self.endpoint = "http://127.0.0.1:%d" % self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def script(self, faults):
        """Set the faults of each operation, e.g. {"PutSecretValue": ["throttle", "lost"]}; resets what was seen.
        Define the gates that 'hold:NAME' entries name first."""
        for operation, entries in faults.items():
            unknown = [fault for fault in entries
                       if fault not in FAULTS and fault not in self._answers and fault.partition(":")[2] not in self._gates]
            if unknown:
                raise ValueError("unknown fault(s) %s for %s; known: %s, hold:GATE (after gate(GATE)), answers named by answer(), "
                                 "rewrite() or replay()" % (unknown, operation, ", ".join(FAULTS)))
        with self._lock:
            self._script = {operation: list(entries) for operation, entries in faults.items()}
            self._attempts.clear()
            self._done.clear()
            del self.seen[:]
            del self._documents[:]
            del self.request_ids[:]

    def answer(self, name, code, message, status=400):
        """Name an error answer for script(): HTTP `status` with AWS's JSON error `code` and `message`
        and a request id; moto never sees the request."""
        with self._lock:
            self._answers[name] = ("error", status, code, message)

    def rewrite(self, name, function):
        """Name a rewritten answer for script(): the request goes to moto and function(reply) edits the
        JSON document of moto's successful reply in place (or returns a new one) before it is relayed."""
        with self._lock:
            self._answers[name] = ("rewrite", function)

    def replay(self, name, which="first"):
        """Name a replayed answer for script(): the reply moto gave to an earlier request of the same operation
        whose JSON body equals this one's (the oldest such reply with which="first", the newest with "last"),
        relayed without asking moto; forwarded when no such request was recorded."""
        if which not in ("first", "last"):
            raise ValueError("which is 'first' or 'last', not %r" % (which,))
        with self._lock:
            self._answers[name] = ("replay", which)

    def recorded(self, operation):
        """(request document, HTTP status, reply document) of each recorded reply of this operation, in order."""
        with self._lock:
            return [(document, reply[0], _json_or_none(reply[2])) for seen, document, reply in self._recorded if seen == operation]

    def forget(self):
        """Drop every recorded reply (script() keeps them: a test records, then scripts the replay)."""
        with self._lock:
            del self._recorded[:]
            del self.replayed[:]

    def documents(self, operation):
        """The JSON body of each request of this operation that reached the proxy, in order."""
        with self._lock:
            return [document for seen, document in self._documents if seen == operation]

    def gate(self, name, parties=None):
        """A gate for 'hold:NAME' entries: it opens when `parties` requests wait at it, or on open(name)."""
        with self._lock:
            self._gates[name] = _Gate(parties)

    def open(self, name):
        self._gates[name].opened.set()

    def gate_timed_out(self, name):
        """True when a request stopped waiting at the gate because it never opened."""
        return self._gates[name].timed_out

    def completed(self, operation):
        """How many requests of this operation have been handled to the end (reply sent or dropped)."""
        with self._lock:
            return self._done[operation]

    def attempts(self, operation):
        """How many requests of this operation reached the proxy."""
        return sum(1 for request in self.seen if request.operation == operation)

    def tokens(self, operation):
        """The ClientRequestToken of each request of this operation, in order."""
        return [request.token for request in self.seen if request.operation == operation]

    def counts(self):
        """How many requests of each operation reached the proxy since the last script()."""
        with self._lock:
            return dict(collections.Counter(request.operation for request in self.seen))

    def wait_idle(self, timeout=30.0):
        """Wait until no request is being handled (a held 'delay' or 'late' request has finished)."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("the fault proxy still handles %d request(s) after %.0fs" % (self._busy, timeout))
                self._idle.wait(left)

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    # ------------------------------------------------------------ called by the handler

    def _begin(self, operation, token, document=None):
        with self._lock:
            self._documents.append((operation, document))
            self._busy += 1
            self._attempts[operation] += 1
            attempt = self._attempts[operation]
            planned = self._script.get(operation) or []
            fault = planned[attempt - 1] if attempt <= len(planned) else "pass"
            self.seen.append(Request(operation, attempt, token, fault))
            return fault

    def _record(self, operation, document, reply):
        if not self.record:
            return
        with self._lock:
            self._recorded.append((operation, document, reply))

    def _recording(self, operation, document, which):
        """The reply recorded for an earlier request of this operation with an equal body, or None."""
        if document is None:
            return None
        with self._lock:
            found = [reply for seen, recorded, reply in self._recorded if seen == operation and recorded == document]
            if found:
                self.replayed.append((operation, document))
        return (found[0] if which == "first" else found[-1]) if found else None

    def _end(self, operation):
        with self._idle:
            self._busy -= 1
            self._done[operation] += 1
            self._idle.notify_all()

    def _hold(self, name, timeout=60.0):
        with self._lock:
            gate = self._gates[name]
            gate.waiting += 1
            if gate.parties is not None and gate.waiting >= gate.parties:
                gate.opened.set()
        if not gate.opened.wait(timeout):
            gate.timed_out = True


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # a client that went away after a fault is expected, not worth a traceback


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as botocore's connection pool expects

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass

    def do_POST(self):
        self._handle()

    def do_GET(self):
        if self.path.startswith(CONTROL_PATH):
            self._control()
        else:
            self._handle()

    do_PUT = do_DELETE = do_HEAD = do_POST

    def _control(self):
        if self.path == CONTROL_PATH + "counts":
            self._send(200, [("Content-Type", "application/json")], json.dumps(self.server.proxy.counts()).encode())
        else:
            self._send(404, [("Content-Type", "text/plain")], b"unknown control path\n")

    def _handle(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        operation = (self.headers.get("X-Amz-Target") or "").rpartition(".")[2] or None
        token = document = None
        try:
            document = json.loads(body or b"{}")
            if isinstance(document, dict):
                token = document.get("ClientRequestToken")
        except ValueError:
            pass
        proxy = self.server.proxy
        fault = proxy._begin(operation, token, document)  # pylint: disable=protected-access
        if proxy.latency:
            time.sleep(proxy.latency)
        answer = proxy._answers.get(fault)  # pylint: disable=protected-access
        try:
            if answer and answer[0] == "error":
                self._reply_error(*answer[1:])
                return
            if answer and answer[0] == "replay":
                reply = proxy._recording(operation, document, answer[1])  # pylint: disable=protected-access
                self._send(*(reply or self._forward(body, operation, document)))
                return
            if answer:
                self._send(*self._rewritten(answer[1], self._forward(body, operation, document)))
                return
            if fault.startswith("hold:"):
                proxy._hold(fault.partition(":")[2])  # pylint: disable=protected-access
                fault = "pass"
            if fault == "throttle":
                self._reply_error(400, "ThrottlingException", "Rate exceeded (injected by the fault proxy)")
            elif fault == "error500":
                self._reply_error(500, "InternalServiceError", "An error occurred on the server side (injected by the fault proxy)")
            elif fault == "reset":
                self._reset()
            elif fault == "lost":
                self._forward(body, operation, document)
                self._reset()
            elif fault == "delay":
                reply = self._forward(body, operation, document)
                time.sleep(proxy.delay)
                self._send(*reply)
            elif fault == "late":
                time.sleep(proxy.delay)
                self._send(*self._forward(body, operation, document))
            else:
                self._send(*self._forward(body, operation, document))
        except OSError:
            self.close_connection = True  # the client gave up on this connection
        finally:
            proxy._end(operation)  # pylint: disable=protected-access

    def _forward(self, body, operation=None, document=None):
        """moto's reply (status, headers, data) to this request, recorded for replay()."""
        connection = http.client.HTTPConnection(*self.server.proxy.upstream, timeout=60)
        try:
            connection.request(self.command, self.path, body=body, headers=dict(self.headers.items()))
            response = connection.getresponse()
            reply = response.status, response.getheaders(), response.read()
        finally:
            connection.close()
        self.server.proxy._record(operation, document, reply)  # pylint: disable=protected-access
        return reply

    def _send(self, status, headers, data):
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in _SKIP_REPLY_HEADERS:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    @staticmethod
    def _rewritten(function, reply):
        """moto's reply with its JSON document passed through function; an error reply as it is."""
        status, headers, data = reply
        if status != 200:
            return reply
        document = json.loads(data or b"{}")
        changed = function(document)
        return status, headers, json.dumps(document if changed is None else changed).encode()

    def _reply_error(self, status, code, message):
        data = json.dumps({"__type": code, "message": message}).encode()
        request_id = str(uuid.uuid4())
        self.server.proxy.request_ids.append(request_id)
        headers = [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("x-amzn-RequestId", request_id),
            ("x-amzn-ErrorType", code),
        ]
        self._send(status, headers, data)

    def _reset(self):
        """Drop the connection with a TCP RST (SO_LINGER 0): the client reads no reply at all."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        finally:
            self.connection.close()


def _json_or_none(data):
    try:
        return json.loads(data or b"{}")
    except ValueError:
        return None


def main(argv=None):
    """Run a proxy as a process of its own until SIGTERM or SIGINT (latency mode for bench/run.py)."""
    parser = argparse.ArgumentParser(description="A latency (and fault) proxy on 127.0.0.1 in front of a moto server.")
    parser.add_argument("--upstream", required=True, help="the moto endpoint, http://127.0.0.1:PORT")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds every request waits before it is forwarded")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    args = parser.parse_args(argv)
    if args.latency < 0:
        parser.error("--latency must be at least 0")
    proxy = FaultProxy(args.upstream, latency=args.latency, port=args.port, record=False)
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_args: stopped.set())
    print("Proxying %s -> %s" % (proxy.endpoint, args.upstream), flush=True)
    stopped.wait()
    proxy.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
