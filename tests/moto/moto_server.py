#!/usr/bin/env python3
"""Run a moto AWS emulator (server mode) for byoc's provisioning tests.

Usage:
    moto_server.py [--port N] [--setup SETUP.json --keys-out KEYS.json] [--no-stdin]

* Starts moto.server.ThreadedMotoServer on 127.0.0.1:PORT (0 = pick a free port).
* With --setup, creates IAM users *before* IAM enforcement is switched on:
      {"region": "cn-northwest-1",
       "users": [{"name": "byoc-create", "policy": {<policy document>}}, ...]}
  "policy" may also be a string: a path to a JSON policy file (relative to the
  setup file). Each user gets the policy as an inline user policy
  ("byoc-policy") and one access key; the keys are written to --keys-out as
      {"byoc-create": {"access_key_id": "...", "secret_access_key": "...",
                       "account_id": "123456789012", "arn": "arn:aws-cn:iam::..."}}
  then enforcement is switched on (POST /moto-api/reset-auth, body "0").
  The IAM calls are signed with the setup region, because moto keeps one IAM
  backend per partition (aws / aws-cn) and picks it from the signing region of
  every later request: users created for cn-* are only usable in cn-* regions.
* Prints "READY <port>" on stdout (flushed) once listening and set up.
* Runs until stdin reaches EOF (unless --no-stdin) or SIGTERM/SIGINT arrives.

Only stdlib + moto + boto3 (boto3 is a dependency of moto).
"""

import argparse
import json
import logging
import os
import signal
import sys
import threading
import urllib.request

from moto.server import ThreadedMotoServer

DEFAULT_ACCOUNT_ID = "123456789012"


def enable_enforcement(endpoint: str, free_requests: int = 0) -> None:
    req = urllib.request.Request(
        f"{endpoint}/moto-api/reset-auth",
        data=str(free_requests).encode(),
        headers={"Content-Type": "text/plain"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        body = json.loads(resp.read().decode())
    if body.get("status") != "ok":
        raise RuntimeError(f"reset-auth failed: {body}")


def run_setup(endpoint: str, setup_path: str, keys_out: str | None) -> None:
    import boto3  # imported lazily: only needed for setup

    with open(setup_path, encoding="utf-8") as fh:
        setup = json.load(fh)
    region = setup.get("region", "us-east-1")
    base_dir = os.path.dirname(os.path.abspath(setup_path))

    # Any credentials work while enforcement is off.
    iam = boto3.client(
        "iam",
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id="AKIASETUPSETUPSETUP0",
        aws_secret_access_key="setup-secret",
    )
    keys = {}
    for user in setup.get("users", []):
        name = user["name"]
        policy = user["policy"]
        if isinstance(policy, str):
            path = policy if os.path.isabs(policy) else os.path.join(base_dir, policy)
            with open(path, encoding="utf-8") as fh:
                policy = json.load(fh)
        created = iam.create_user(UserName=name)["User"]
        iam.put_user_policy(
            UserName=name,
            PolicyName=user.get("policy_name", "byoc-policy"),
            PolicyDocument=json.dumps(policy),
        )
        key = iam.create_access_key(UserName=name)["AccessKey"]
        keys[name] = {
            "access_key_id": key["AccessKeyId"],
            "secret_access_key": key["SecretAccessKey"],
            "account_id": created["Arn"].split(":")[4] or DEFAULT_ACCOUNT_ID,
            "arn": created["Arn"],
        }
    if keys_out:
        tmp = keys_out + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(keys, fh, indent=2)
        os.replace(tmp, keys_out)
    enable_enforcement(endpoint, 0)


def power_off_builders(stop: threading.Event) -> None:
    """Plays the image builder's own last act: its boot script ends in `poweroff`, which moto's
    instances cannot run, so running instances tagged byoc-role=image-builder are stopped here,
    in-process, without touching anything else."""
    from moto.ec2.models import ec2_backends

    while not stop.wait(0.1):
        try:
            for account in list(ec2_backends.keys()):
                for region, backend in list(ec2_backends[account].items()):
                    for instance in backend.all_instances():
                        tags = {t["key"]: t["value"] for t in instance.get_tags()}
                        if (
                            tags.get("byoc-role") == "image-builder"
                            and instance.state == "running"
                        ):
                            backend.stop_instances([instance.id])
        except Exception as exc:  # keep playing; report once per failure
            print(f"power-off thread: {exc!r}", file=sys.stderr, flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--setup", help="JSON file: region + users with policies")
    ap.add_argument("--keys-out", help="where to write the created access keys")
    ap.add_argument(
        "--enforce",
        action="store_true",
        help="switch IAM enforcement on even without --setup",
    )
    ap.add_argument(
        "--power-off-builders",
        action="store_true",
        help="stop running image builders as their boot script would (poweroff)",
    )
    ap.add_argument(
        "--no-stdin",
        action="store_true",
        help="do not stop when stdin closes (only on SIGTERM/SIGINT)",
    )
    args = ap.parse_args()

    # One line per request would bury the test's own output.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{args.host}:{port}"

    stop = threading.Event()

    def on_signal(signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    try:
        if args.setup:
            run_setup(endpoint, args.setup, args.keys_out)
        elif args.enforce:
            enable_enforcement(endpoint, 0)
    except Exception as exc:  # report and exit non-zero
        print(f"SETUP FAILED: {exc!r}", file=sys.stderr, flush=True)
        server.stop()
        return 2

    if args.power_off_builders:
        threading.Thread(target=power_off_builders, args=(stop,), daemon=True).start()

    print(f"READY {port}", flush=True)

    if not args.no_stdin:

        def watch_stdin():
            try:
                while sys.stdin.buffer.read1(65536):
                    pass
            except (OSError, ValueError):
                pass
            stop.set()

        threading.Thread(target=watch_stdin, daemon=True).start()

    while not stop.wait(0.5):
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
