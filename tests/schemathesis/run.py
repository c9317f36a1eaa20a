#!/usr/bin/env python3
"""Schemathesis against the real control plane's OpenAPI document (issue "Hardening").

Starts the `byoc-server` binary on a free loopback port with a fresh data directory, makes a
project with deployments to act on, an owner token and a viewer token, then runs Schemathesis
over every operation of /api/v1/openapi.json once as the owner and once as the viewer. Checks:
no server error, and no response that contradicts the schema (status code, content type, body).
Bounded in examples per operation and in time, so it fits CI; only 127.0.0.1 is contacted.

usage: run.py --server PATH --st PATH [--examples N] [--max-time SECONDS]
Prints "N passed, N failed" (one per role) and exits non-zero on any failure.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

PASSWORD = "schema-owner-passphrase-1"
VIEWER_PASSWORD = "quiet-lantern-harbour-7"
CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None, cookie=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("content-type", "application/json")
    req.add_header("x-requested-with", "schemathesis-setup")
    if cookie:
        req.add_header("cookie", cookie)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            text = resp.read().decode()
            return resp.status, dict(resp.headers), (json.loads(text) if text else None)
    except urllib.error.HTTPError as e:
        text = e.read().decode()
        raise SystemExit(f"setup: {method} {path} answered {e.code}: {text}")


def sign_in(base, username, password):
    _, headers, _ = call(base, "POST", "/api/v1/session",
                         {"username": username, "password": password})
    return headers["set-cookie"].split(";")[0]


def token(base, cookie, name):
    _, _, created = call(base, "POST", "/api/v1/tokens", {"name": name}, cookie)
    return created["secret"]


def wait_ready(base, server):
    deadline = time.time() + 60
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit("byoc-server exited during start")
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit("byoc-server did not become ready")


def prepare(base):
    """An owner token, a viewer token, and a project with a deployment."""
    owner = sign_in(base, "admin", PASSWORD)
    _, _, project = call(base, "POST", "/api/v1/projects", {"name": "schema"}, owner)
    _, _, viewer = call(base, "POST", "/api/v1/users",
                        {"username": "reader", "password": VIEWER_PASSWORD,
                         "org_role": "member"}, owner)
    call(base, "PUT", f"/api/v1/projects/{project['id']}/members",
         {"user_id": viewer["id"], "role": "viewer"}, owner)
    call(base, "POST", f"/api/v1/projects/{project['id']}/deployments",
         {"name": "schema-one", "cloud": "aws", "region": "us-east-1",
          "vpc_cidr": "10.0.0.0/16", "sessions": 10, "tps": 5,
          "domain": "mqtt.example.com"}, owner)
    viewer_cookie = sign_in(base, "reader", VIEWER_PASSWORD)
    return token(base, owner, "schemathesis owner"), token(base, viewer_cookie, "schemathesis viewer")


def run_as(st, base, role, secret, args, report_dir):
    cmd = [
        st, "run", f"{base}/api/v1/openapi.json",
        "--url", base,
        "--checks", CHECKS,
        "-H", f"Authorization: Bearer {secret}",
        "--max-examples", str(args.examples),
        "--max-time", str(args.max_time),
        "--seed", "20261206",
        "--workers", "1",
        "--no-color",
        "--request-timeout", "30",
        # A sign-out or a token revocation by the fuzzer must not end its own credentials.
        "--exclude-path", "/api/v1/tokens/{id}",
        "--report", "junit",
        "--report-junit-path", os.path.join(report_dir, f"{role}.xml"),
    ]
    print(f"schemathesis as {role}: {' '.join(c if 'Bearer' not in c else 'Authorization: Bearer …' for c in cmd)}", flush=True)
    return subprocess.run(cmd).returncode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--st", required=True)
    parser.add_argument("--examples", type=int, default=25)
    parser.add_argument("--max-time", type=int, default=240)
    parser.add_argument("--report-dir", default=None)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="byoc-schemathesis-")
    report_dir = args.report_dir or data
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, BYOC_ADMIN_PASSWORD=PASSWORD, BYOC_LOG="warn")
    log = open(os.path.join(data, "server.log"), "w")
    server = subprocess.Popen(
        [args.server, "--addr", f"127.0.0.1:{port}", "--data-dir", data,
         "--console-dir", os.path.join(data, "no-console")],
        env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    passed = failed = 0
    try:
        wait_ready(base, server)
        owner, viewer = prepare(base)
        # The viewer first: the owner's run may change what the viewer can reach.
        for role, secret in (("viewer", viewer), ("owner", owner)):
            if run_as(args.st, base, role, secret, args, report_dir) == 0:
                passed += 1
            else:
                failed += 1
    finally:
        server.kill()
        server.wait()
        log.close()
        if failed:
            print(f"server log kept in {data}/server.log")
        else:
            shutil.rmtree(data, ignore_errors=True)
    print(f"schemathesis: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
