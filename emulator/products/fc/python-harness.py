"""Runs one FC invocation of Python code inside the emulator's model of the function's network.

Started by python-runtime.ts as `python3 -c <this file>` in the unpacked code directory. Name lookups
and TCP connects of the function are routed to the invocation's network server (function-network.ts),
so the code sees exactly what it would in its VPC: socket.gaierror for names that do not resolve,
ConnectionRefusedError, or a timeout after the socket's own timeout (scaled by the emulator's time
scale), and real HTTP from the gateway once connected.
"""

import base64
import errno
import importlib
import json
import os
import socket
import sys
import time
import traceback
import types
import urllib.parse

_NET_HOST, _NET_PORT = os.environ.pop("FC_EMULATOR_NETWORK").rsplit(":", 1)
_NET_ADDR = (_NET_HOST, int(_NET_PORT))
_SCALE = float(os.environ.pop("FC_EMULATOR_TIME_SCALE", "1"))
_RESULT_FILE = os.environ.pop("FC_EMULATOR_RESULT_FILE")
_HANDLER = os.environ.pop("FC_EMULATOR_HANDLER")
_CONTEXT = json.loads(os.environ.pop("FC_EMULATOR_CONTEXT"))

_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect
_names = {}
_SERVICES = {"http": 80, "https": 443}


def _read_head(sock):
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        if not chunk:
            break
        head += chunk
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1]) if lines and len(lines[0].split(" ")) > 1 else 0
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return status, headers


def _resolve(host):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(60)
    try:
        _real_connect(sock, _NET_ADDR)
        path = "/resolve?host=" + urllib.parse.quote(host, safe="")
        sock.sendall(("GET %s HTTP/1.1\r\nHost: network\r\nConnection: close\r\n\r\n" % path).encode())
        status, headers = _read_head(sock)
        body = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
    finally:
        sock.close()
    if status == 200:
        return json.loads(body.decode())["address"]
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def _is_ip(host):
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host)
            return True
        except (OSError, ValueError):
            pass
    return False


def _getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    if host is None or host == "" or host == b"":
        return _real_getaddrinfo(host, port, family, type, proto, flags)
    if isinstance(host, bytes):
        host = host.decode()
    if isinstance(port, bytes):
        port = port.decode()
    if isinstance(port, str):
        port = int(port) if port.isdigit() else _SERVICES.get(port, 0)
    address = host if _is_ip(host) else _resolve(host)
    _names[address] = host
    return [(socket.AF_INET, type or socket.SOCK_STREAM, proto or socket.IPPROTO_TCP, "", (address, int(port or 0)))]


def _connect(self, address):
    if self.family not in (socket.AF_INET, socket.AF_INET6) or not isinstance(address, tuple):
        return _real_connect(self, address)
    host, port = address[0], int(address[1])
    name = _names.get(host, host)
    timeout = self.gettimeout()
    self.settimeout(60)
    try:
        _real_connect(self, _NET_ADDR)
        self.sendall(("CONNECT %s:%d HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (name, port, name, port)).encode())
        status, headers = _read_head(self)
    finally:
        self.settimeout(timeout)
    if status == 200:
        return None
    if headers.get("x-emulator-verdict") == "refused":
        raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")
    # The SYN is never answered: the caller waits out its own timeout (scaled), then gives up.
    time.sleep((timeout if timeout is not None else 3600.0) * _SCALE)
    raise socket.timeout("timed out")


def _connect_ex(self, address):
    try:
        _connect(self, address)
        return 0
    except ConnectionRefusedError:
        return errno.ECONNREFUSED
    except socket.timeout:
        return errno.ETIMEDOUT


socket.getaddrinfo = _getaddrinfo
socket.socket.connect = _connect
socket.socket.connect_ex = _connect_ex


def _context():
    ctx = _CONTEXT
    return types.SimpleNamespace(
        request_id=ctx["requestId"],
        region=ctx["region"],
        account_id=ctx["accountId"],
        credentials=types.SimpleNamespace(access_key_id=None, access_key_secret=None, security_token=None),
        function=types.SimpleNamespace(
            name=ctx["functionName"], handler=_HANDLER, memory=ctx["memorySize"], timeout=ctx["timeout"]
        ),
        service=types.SimpleNamespace(name="", log_project="", log_store="", qualifier="LATEST", version_id=""),
    )


def _to_bytes(value):
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    return json.dumps(value).encode("utf-8")


def _main():
    sys.path.insert(0, os.getcwd())
    event = sys.stdin.buffer.read()
    try:
        module_name, function_name = _HANDLER.rsplit(".", 1)
        handler = getattr(importlib.import_module(module_name), function_name)
        result = {"ok": True, "body": base64.b64encode(_to_bytes(handler(event, _context()))).decode()}
    except Exception as exc:  # the function's unhandled error, reported as FC does
        # Leave out this harness's own frames: the function's author never sees them in FC.
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != "<string>"]
        result = {
            "ok": False,
            "errorMessage": str(exc),
            "errorType": type(exc).__name__,
            "stackTrace": [['File "%s"' % f.filename, "line %d" % f.lineno, "in %s" % f.name, f.line or ""] for f in frames],
        }
    with open(_RESULT_FILE, "w") as out:
        json.dump(result, out)


_main()
