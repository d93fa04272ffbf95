"""Backend of the runbook's API: answers GET <API_PATH> (default /web/cloudapi) with JSON on PORT (default 8080).

Standard library only so it runs on a stock ECS image. PORT=0 binds a free port (used by tests); the
bound port is printed on stdout as "listening on <port>".
"""

import json
import os
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_PATH = os.environ.get("API_PATH", "/web/cloudapi")
PORT = int(os.environ.get("PORT", "8080"))
BIND = os.environ.get("BIND", "0.0.0.0")
STARTED = time.time()


class Handler(BaseHTTPRequestHandler):
    server_version = "fc-apigw-vpc-backend/1"

    def _send(self, status, payload):
        body = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _answer(self):
        path = self.path.split("?", 1)[0]
        if path != API_PATH:
            self._send(404, {"error": "not found", "path": path})
            return
        self._send(
            200,
            {
                "message": "hello from the backend behind API Gateway",
                "path": path,
                "method": self.command,
                "host": socket.gethostname(),
                "uptimeSeconds": round(time.time() - STARTED, 3),
            },
        )

    do_GET = _answer
    do_POST = _answer
    do_HEAD = _answer

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))


def main():
    server = ThreadingHTTPServer((BIND, PORT), Handler)
    print("listening on %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
