# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the secret lookup's cache client and server share: the messages on the socket, the peer's uid, and a
process's start time. Standard library only: the server imports it as a top-level module.

This is a private file of the seed.secretsmanager collection (leading underscore), internal to it; it may
change without notice. Each message is a 4-byte big-endian length and a JSON object (see _lookup_cache_server.py).
"""

from __future__ import annotations

import json
import os
import socket
import struct

MAX_MESSAGE = 64 * 1024 * 1024
HEADER = struct.Struct(">I")


class ProtocolError(Exception):
    """A message that is not one of the protocol's (too long, not JSON, cut short)."""


def send_message(sock: socket.socket, message: dict) -> None:
    data = json.dumps(message, separators=(",", ":")).encode("utf-8")
    sock.sendall(HEADER.pack(len(data)) + data)


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = sock.recv(min(size, 1 << 20))
        if not chunk:
            raise ProtocolError("connection closed")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def receive_message(sock: socket.socket) -> dict:
    """One message; ProtocolError when it is not a JSON object of the protocol's size."""
    (size,) = HEADER.unpack(_read_exactly(sock, HEADER.size))
    if size > MAX_MESSAGE:
        raise ProtocolError("message too long")
    try:
        message = json.loads(_read_exactly(sock, size).decode("utf-8"))
    except ValueError:
        raise ProtocolError("not JSON")
    if not isinstance(message, dict):
        raise ProtocolError("not a JSON object")
    return message


def peer_uid(sock: socket.socket) -> int | None:
    """The uid of the process at the other end of a Unix socket (Linux: SO_PEERCRED), or None where the platform
    does not tell (then the directory's mode 0700 and the token are what keeps other users out)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None
    credentials = sock.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return uid


def process_start(pid: int) -> str | None:
    """A process's start time (clock ticks since boot, /proc/PID/stat field 22), so that a reused pid is another
    process; None when the process is gone; "" where there is no /proc."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as handle:
            stat = handle.read().decode("ascii", "replace")
    except FileNotFoundError:
        if not os.path.isdir("/proc/self"):
            return "" if _pid_exists(pid) else None
        return None
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
    fields = stat[stat.rfind(")") + 2:].split()
    return fields[19] if len(fields) > 19 else None


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
