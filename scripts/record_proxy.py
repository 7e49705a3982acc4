#!/usr/bin/env python3
"""A recording HTTP proxy on 127.0.0.1: forwards every request to UPSTREAM unchanged and appends the exchange
(method, path, JSON request body, status, JSON response body) as one line of JSON to LOG.

Standard library only (Python 3.11). Used by scripts/llamacpp_check.sh --record: `lmlab probe` and
`lmlab check greedy` talk to this proxy instead of the server, so the fixture holds exactly the requests the lab made
and the real server's answers, which Tests/LabCLITests replays through APILoopbackServer.

Run: python3 scripts/record_proxy.py --port P --upstream http://127.0.0.1:Q --log FILE.jsonl
Stops on SIGTERM / Ctrl-C. Loopback only: it refuses an upstream that is not 127.0.0.1 or localhost.
"""
import argparse
import json
import signal
import sys
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Lock
from urllib.parse import urlparse


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    host = urlparse(args.upstream).hostname
    if host not in ("127.0.0.1", "localhost"):
        sys.exit(f"record_proxy: upstream {args.upstream} is not on loopback")
    lock = Lock()

    def parse(body):
        if not body:
            return None
        try:
            return json.loads(body)
        except ValueError:
            return {"__raw__": body.decode("utf-8", errors="replace")}

    class Handler(BaseHTTPRequestHandler):
        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            request = urllib.request.Request(args.upstream.rstrip("/") + self.path, data=body, method=self.command)
            if body is not None:
                request.add_header("Content-Type", self.headers.get("Content-Type", "application/json"))
            try:
                with urllib.request.urlopen(request, timeout=600) as answer:
                    status, data = answer.status, answer.read()
            except urllib.error.HTTPError as error:
                status, data = error.code, error.read()
            with lock, open(args.log, "a", encoding="utf-8") as log:
                log.write(json.dumps({"method": self.command, "path": self.path, "request": parse(body),
                                      "status": status, "response": parse(data)}, ensure_ascii=False) + "\n")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = forward
        do_POST = forward

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: (server.server_close(), sys.exit(0)))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
