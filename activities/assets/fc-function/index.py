"""FC 3.0 function (python3.10): call an API on the group's VPC subdomain, as the runbook's curl does.

The target URL comes from the invocation event ({"url": ...}) or the API_URL environment variable that
the deploy activity sets. The answer is always JSON {status, body, error?} so the caller can tell a
backend answer from a network failure without parsing logs.
"""

import errno
import json
import os
import socket
import urllib.error
import urllib.request

DEFAULT_TIMEOUT_SECONDS = 10.0
MAX_BODY_CHARS = 64 * 1024


def _parse_event(event):
    if event is None:
        return {}
    if isinstance(event, (bytes, bytearray)):
        event = event.decode("utf-8", "replace")
    if isinstance(event, dict):
        return event
    text = str(event).strip()
    if not text:
        return {}
    try:
        parsed = json.loads(text)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _read_body(response):
    return response.read(MAX_BODY_CHARS).decode("utf-8", "replace")


def _classify_network_error(exc):
    """Map an exception from urllib to (error kind, detail)."""
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, socket.timeout) or isinstance(reason, TimeoutError):
        return "timeout", str(reason) or "timed out"
    if isinstance(reason, socket.gaierror):
        return "dns", str(reason)
    if isinstance(reason, ConnectionRefusedError):
        return "connection_refused", str(reason)
    if isinstance(reason, OSError) and reason.errno == errno.ECONNREFUSED:
        return "connection_refused", str(reason)
    if isinstance(reason, ConnectionResetError):
        return "connection_reset", str(reason)
    return "network", str(reason)


def call(url, timeout):
    """GET url; return the answer dict. Never raises for network or HTTP problems."""
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "fc-apigw-vpc"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return {"status": response.status, "body": _read_body(response)}
    except urllib.error.HTTPError as exc:
        return {"status": exc.code, "body": _read_body(exc), "error": {"kind": "http", "message": str(exc)}}
    except (urllib.error.URLError, OSError) as exc:
        kind, detail = _classify_network_error(exc)
        return {"status": None, "body": None, "error": {"kind": kind, "message": detail}}


def handler(event, context):
    params = _parse_event(event)
    url = params.get("url") or os.environ.get("API_URL")
    if not url:
        answer = {
            "status": None,
            "body": None,
            "error": {"kind": "config", "message": "no target URL: pass {\"url\": ...} or set API_URL"},
        }
        return json.dumps(answer)
    timeout = float(params.get("timeoutSeconds") or os.environ.get("TIMEOUT_SECONDS") or DEFAULT_TIMEOUT_SECONDS)
    answer = call(url, timeout)
    answer["url"] = url
    return json.dumps(answer)
