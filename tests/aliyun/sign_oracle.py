#!/usr/bin/env python3
"""Signs requests with Alibaba Cloud's own library (PyPI alibabacloud-openapi-util 0.2.4), the
oracle the toolkit's ACS3-HMAC-SHA256 signature is compared with.

Reads a JSON list of {"method", "path", "query": {k: v}, "headers": {k: v}, "body", "ak", "secret"}
on stdin; prints one Authorization value per request, in order.
"""
import hashlib
import json
import sys

from alibabacloud_openapi_util.client import Client


class Request:
    def __init__(self, r):
        self.method = r["method"]
        self.pathname = r["path"]
        self.query = r["query"]
        self.headers = r["headers"]


for r in json.load(sys.stdin):
    payload = hashlib.sha256(r["body"].encode("utf-8")).hexdigest()
    print(Client.get_authorization(Request(r), "ACS3-HMAC-SHA256", payload, r["ak"], r["secret"]))
