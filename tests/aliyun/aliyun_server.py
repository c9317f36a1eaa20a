#!/usr/bin/env python3
"""A local stand-in for Alibaba Cloud's ECS (2014-05-26), VPC (2016-04-28) and SLB (2014-05-15) RPC
APIs, for byoc's integration tests. No Alibaba Cloud emulator exists, so this one:

* verifies every request's ACS3-HMAC-SHA256 signature with Alibaba Cloud's own library
  (PyPI alibabacloud-openapi-util 0.2.4), rejects reused nonces and stale x-acs-date values;
* evaluates the caller's RAM policy: Action lists and `StringEquals` tag Conditions
  (`ecs:tag/k`, `acs:ResourceTag/k`, `slb:tag/k`) against the tags of the call's target resource;
* records every signed call (GET /_calls), keeps state (GET /_state), honours ClientToken;
* answers JSON shaped as Alibaba Cloud's API reference shows it (field names, list wrappers such as
  {"Vpcs": {"Vpc": [...]}}, error bodies with Code/Message/RequestId/HostId/Recommend).

It models nothing of the cloud beyond those shapes and a few documented rules (dependency errors,
CIDR checks, instance states). Asynchronous work is driven by reads, not by time: a resource in a
transitional status moves one step each time a Describe call returns it (Pending -> Available,
Pending -> Starting -> Running, Stopping -> Stopped, Creating -> Available, inactive -> active).
An instance whose base64-decoded UserData contains `power_state` and `poweroff` (an image builder
that powers itself off) turns Stopped after two describes have shown it Running.

Usage: aliyun_server.py --config CONFIG.json [--port 0]
CONFIG: {"account_id": "...", "region": "cn-hangzhou",
         "users": {"<AccessKeyId>": {"secret": "...", "policy": <RAM policy object> | "*"}}}
Prints "READY <port>" once listening on 127.0.0.1; runs until stdin reaches EOF or SIGTERM.
Python 3.11 stdlib + alibabacloud_openapi_util. Admin endpoints, unsigned, for the tests:

  GET /_calls   every signed call in order (failed signatures included, allowed=false):
                [{"ak", "product": "ecs"|"vpc"|"slb"|null, "action", "allowed": RAM let it through,
                  "status": HTTP status, "code": error Code or null, "params": {decoded query}}]
  GET /_state   {"vpcs", "vswitches", "security_groups", "key_pairs", "images", "snapshots",
                 "instances", "load_balancers"}: lists of {"id", "status", "tags": {k: v}, then
                every attribute in snake_case (instance_type, vswitch_id, private_ip_address,
                image_id, user_data as sent, user_data_text decoded, ...; a load balancer's
                "listeners" [{listener_port, backend_server_port, bandwidth, status, ...}] and
                "backend_servers" [{server_id, weight, type}])}. A deleted instance stays, with
                status "Deleted"; any other deleted resource is gone.
  POST /_instance {"tags": {"k": "v"}}  ->  {"InstanceId": "i-..."}: a Running instance that is
                not the deployment's (in no VPC of ours).
"""

import argparse
import base64
import datetime as dt
import fnmatch
import hashlib
import hmac
import ipaddress
import json
import os
import random
import re
import signal
import string
import sys
import threading
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

from alibabacloud_openapi_util import client as acs_util
from alibabacloud_openapi_util.client import Client

PRODUCTS = {"2014-05-26": "ecs", "2016-04-28": "vpc", "2014-05-15": "slb"}
ALGORITHM = "ACS3-HMAC-SHA256"
MAX_CLOCK_SKEW = dt.timedelta(minutes=15)
PUBLIC_IMAGES = [  # answered for ImageOwnerAlias=system: (ImageId, CreationTime, Platform, OSName)
    ("ubuntu_22_04_x64_20G_alibase_20240130.vhd", "2024-01-30T00:00:00Z", "Ubuntu", "Ubuntu  22.04 64位"),
    ("ubuntu_22_04_x64_20G_alibase_20231221.vhd", "2023-12-21T00:00:00Z", "Ubuntu", "Ubuntu  22.04 64位"),
    ("aliyun_3_x64_20G_alibase_20240528.vhd", "2024-05-28T00:00:00Z", "Aliyun",
     "Alibaba Cloud Linux  3.2104 LTS 64位"),
    ("aliyun_3_x64_20G_alibase_20231219.vhd", "2023-12-19T00:00:00Z", "Aliyun",
     "Alibaba Cloud Linux  3.2104 LTS 64位"),
]
# A parameter naming a resource -> (its table, the NotFound code, the noun used in the message).
TABLES = {
    "VpcId": ("vpcs", "InvalidVpcId.NotFound", "VPC"),
    "VSwitchId": ("vswitches", "InvalidVSwitchId.NotFound", "vSwitch"),
    "SecurityGroupId": ("security_groups", "InvalidSecurityGroupId.NotFound", "security group"),
    "InstanceId": ("instances", "InvalidInstanceId.NotFound", "instance"),
    "ImageId": ("images", "InvalidImageId.NotFound", "image"),
    "SnapshotId": ("snapshots", "InvalidSnapshotId.NotFound", "snapshot"),
    "KeyPairNames": ("key_pairs", "InvalidKeyPairName.NotFound", "key pair"),
    "LoadBalancerId": ("load_balancers", "InvalidLoadBalancerId.NotFound", "load balancer"),
}
DENIED = "User not authorized to operate on the specified resource, or this API doesn't support RAM."

class ApiError(Exception):
    def __init__(self, status, code, message, **extra):
        super().__init__(code)
        self.status, self.code, self.message, self.extra = status, code, message, extra

def not_found(code, what):
    return ApiError(404, code, f"The specified {what} does not exist.")

def bad(code, message):
    return ApiError(400, code, message)


# ---------------------------------------------------------------------------- small helpers

def new_id(prefix, n=20):
    return prefix + "-" + "".join(random.choices(string.ascii_lowercase + string.digits, k=n))

def now_iso():
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

def need(p, name):
    value = p.get(name)
    if value is None or value == "":
        raise bad(f"Missing{name.replace('.', '')}",
                  f'The input parameter "{name}" that is mandatory for processing this request is not supplied.')
    return value

def as_int(p, name, default, lo, hi):
    raw = p.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad("InvalidParameter", f'The specified parameter "{name}" is not valid.') from None
    if not lo <= value <= hi:
        raise bad("InvalidParameter", f'The specified parameter "{name}" is out of range [{lo}, {hi}].')
    return value

def json_param(p, name, kind):
    try:
        value = json.loads(need(p, name))
    except ValueError:
        value = None
    if not isinstance(value, kind):
        raise bad("InvalidParameter", f'The specified parameter "{name}" is not a valid JSON {kind.__name__}.')
    return value

def indexed(p, prefix):
    """Values of `prefix.N` parameters, ordered by N."""
    pat = re.compile(re.escape(prefix) + r"\.(\d+)$")
    found = sorted((int(m.group(1)), v) for k, v in p.items() if (m := pat.match(k)))
    return [v for _, v in found]

def tags_param(p):
    """Tag.N.Key / Tag.N.Value pairs, ordered by N; a Value not sent is None."""
    pat = re.compile(r"Tag\.(\d+)\.Key$")
    nums = sorted(int(m.group(1)) for k in p if (m := pat.match(k)))
    return [(p[f"Tag.{n}.Key"], p.get(f"Tag.{n}.Value")) for n in nums if p[f"Tag.{n}.Key"]]

def new_tags(p):
    return {k: v or "" for k, v in tags_param(p)}

def tag_match(p):
    """Does a resource carry ALL the Tag.N filters? (A filter without a Value needs the key only.)"""
    wanted = tags_param(p)
    return lambda r: all(k in r["Tags"] and (v is None or r["Tags"][k] == v) for k, v in wanted)

def ecs_tags(r):
    return {"Tag": [{"TagKey": k, "TagValue": v} for k, v in r["Tags"].items()]}

def vpc_tags(r):
    return {"Tag": [{"Key": k, "Value": v} for k, v in r["Tags"].items()]}

def page(items, p, max_size=50):
    size = as_int(p, "PageSize", 10, 1, max_size)
    number = as_int(p, "PageNumber", 1, 1, 1 << 30)
    chunk = items[(number - 1) * size:number * size]
    return chunk, {"TotalCount": len(items), "PageNumber": number, "PageSize": size}

def public_ip():
    return f"47.{random.randint(96, 120)}.{random.randint(0, 255)}.{random.randint(1, 254)}"

def usable_hosts(cidr):
    """Alibaba Cloud reserves a vSwitch's first address and its last three."""
    net = ipaddress.ip_network(cidr)
    return net.network_address + 1, net.network_address + net.num_addresses - 4

def snake(name):
    """InstanceType -> instance_type, VSwitchId -> vswitch_id (the /_state spelling)."""
    name = name.replace("VSwitch", "Vswitch").replace("VRouter", "Vrouter")
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()

def snake_all(value):
    if isinstance(value, dict):
        return {snake(k): snake_all(v) for k, v in value.items()}
    return [snake_all(v) for v in value] if isinstance(value, list) else value

def state_view(res, id_field):
    """One resource as GET /_state shows it: id, status, tags {k: v}, then every attribute in
    snake_case (internal fields, named with a leading underscore, left out)."""
    out = {"id": res[id_field], "tags": dict(res["Tags"]),
           "status": res.get("Status") or res.get("LoadBalancerStatus") or "Available"}
    for k, v in res.items():
        if not k.startswith("_") and k not in ("Tags", "Status"):
            out[snake(k)] = snake_all(list(v.values()) if k == "Listeners" else v)
    return out


# ---------------------------------------------------------------------------- state

class Cloud:
    def __init__(self, config):
        self.account_id = str(config["account_id"])
        self.region = config.get("region", "cn-hangzhou")
        self.users = config["users"]
        self.lock = threading.Lock()
        self.calls, self.nonces, self.tokens = [], set(), {}
        self.vpcs, self.vswitches, self.security_groups, self.key_pairs = {}, {}, {}, {}
        self.images, self.snapshots, self.instances, self.load_balancers = {}, {}, {}, {}

    def live_instances(self):
        return {k: v for k, v in self.instances.items() if v["Status"] != "Deleted"}

    def lookup(self, param, key):
        """The live resource `key` names, in the table of the parameter `param`, or None."""
        res = getattr(self, TABLES[param][0]).get(key)
        return None if res is None or res.get("Status") == "Deleted" else res

    def find(self, p, param):
        """The resource named by the (required) parameter `param`, or the API's NotFound error."""
        res = self.lookup(param, need(p, param))
        if res is None:
            raise not_found(*TABLES[param][1:])
        return res

    def tag_table(self, product, rtype):
        """(ResourceType as echoed, its table) for TagResources/ListTagResources; key pairs are
        keyed by name, the ResourceId Alibaba Cloud uses for them."""
        tables = {"vpc": {"vpc": ("VPC", self.vpcs), "vswitch": ("VSWITCH", self.vswitches)},
                  "ecs": {"instance": ("instance", self.live_instances()),
                          "securitygroup": ("securitygroup", self.security_groups),
                          "image": ("image", self.images), "keypair": ("keypair", self.key_pairs),
                          "snapshot": ("snapshot", self.snapshots)},
                  "slb": {"instance": ("instance", self.load_balancers)}}[product]
        if rtype.lower() not in tables:
            raise bad("InvalidResourceType.NotSupported", f"The ResourceType {rtype} is not supported.")
        return tables[rtype.lower()]

    def state(self):
        kinds = {"vpcs": "VpcId", "vswitches": "VSwitchId", "security_groups": "SecurityGroupId",
                 "key_pairs": "KeyPairId", "images": "ImageId", "snapshots": "SnapshotId",
                 "instances": "InstanceId", "load_balancers": "LoadBalancerId"}
        return {kind: [state_view(r, field) for r in getattr(self, kind).values()]
                for kind, field in kinds.items()}

    def add_instance(self, **fields):
        inst = {"InstanceId": new_id("i"), "InstanceName": "", "HostName": "", "Status": "Pending",
                "InstanceType": "ecs.g7.large", "ImageId": PUBLIC_IMAGES[0][0],
                "ZoneId": self.region + "-h", "RegionId": self.region, "VpcId": "", "VSwitchId": "",
                "PrivateIpAddress": "", "PublicIpAddress": "", "SecurityGroupId": "",
                "KeyPairName": "", "UserData": "", "UserDataText": "", "Tags": {},
                "CreationTime": now_iso(), "InternetMaxBandwidthOut": 0,
                "InternetChargeType": "PayByTraffic", "SystemDiskCategory": "cloud_essd",
                "_builder": False, "_seen_running": 0}
        inst.update(fields)
        self.instances[inst["InstanceId"]] = inst
        return inst

    def bystander(self, tags):
        """An instance of someone else's, Running, in no VPC of ours (POST /_instance)."""
        ip = f"172.31.{random.randint(0, 255)}.{random.randint(1, 250)}"
        inst = self.add_instance(Status="Running", VpcId=new_id("vpc"), VSwitchId=new_id("vsw"),
                                 PrivateIpAddress=ip, InstanceName="bystander",
                                 Tags={str(k): str(v) for k, v in tags.items()})
        return inst["InstanceId"]


# ---------------------------------------------------------------------------- RAM

# Action -> the parameter naming its target resource(s). DeleteAccessControlList's AclId names
# nothing here (no ACLs are modelled), so its Condition is never judged.
CONDITION_TARGETS = {
    "StartInstance": "InstanceId", "StopInstance": "InstanceId", "DeleteInstance": "InstanceId",
    "DeleteImage": "ImageId", "DeleteSnapshot": "SnapshotId", "DeleteKeyPairs": "KeyPairNames",
    "DeleteSecurityGroup": "SecurityGroupId", "DeleteVpc": "VpcId", "DeleteVSwitch": "VSwitchId",
    "DeleteLoadBalancer": "LoadBalancerId", "DeleteLoadBalancerListener": "LoadBalancerId",
    "DeleteAccessControlList": "AclId",
}
TAG_KEY = re.compile(r"^(?:ecs:tag|slb:tag|vpc:tag|acs:resourcetag)/(.+)$", re.IGNORECASE)

def target_tags(c, action, p):
    """The tags of each target resource of the call, or None when one of them does not exist
    (or the action has no target): a tag Condition cannot be judged then, so it does not hold."""
    param = CONDITION_TARGETS.get(action)
    if param not in TABLES:
        return None
    keys = [p.get(param)]
    if param == "KeyPairNames":
        try:
            keys = json.loads(p.get(param) or "")
        except ValueError:
            return None
    valid = isinstance(keys, list) and all(isinstance(k, str) for k in keys)
    found = [c.lookup(param, k) for k in keys] if valid else [None]
    return None if not found or None in found else [r["Tags"] for r in found]

def condition_holds(cond, c, action, p):
    if not cond:
        return True
    targets = target_tags(c, action, p)
    if targets is None:
        return False
    for op, keys in cond.items():
        if op != "StringEquals":
            return False  # only the operator the byoc policies use is modelled
        for key, values in keys.items():
            m = TAG_KEY.match(key)
            values = values if isinstance(values, list) else [values]
            if not m or any(t.get(m.group(1)) not in values for t in targets):
                return False
    return True

def authorize(c, policy, product, action, p):
    """None when allowed, else the NoPermissionType ("ImplicitDeny" / "ExplicitDeny")."""
    if policy == "*":
        return None
    full, allowed = f"{product}:{action}", False
    for st in policy.get("Statement", []):
        acts = st.get("Action", [])
        acts = acts if isinstance(acts, list) else [acts]
        if not any(fnmatch.fnmatchcase(full, a) for a in acts):
            continue
        if condition_holds(st.get("Condition"), c, action, p):
            if st.get("Effect") == "Deny":
                return "ExplicitDeny"
            allowed = allowed or st.get("Effect") == "Allow"
    return None if allowed else "ImplicitDeny"


# ---------------------------------------------------------------------------- actions

ACTIONS = {}
IDEMPOTENT = {"CreateVpc", "CreateVSwitch", "CreateSecurityGroup", "RunInstances", "CreateImage",
              "CreateLoadBalancer"}

def api(product, *names):
    def register(fn):
        for name in names:
            ACTIONS[(product, name)] = fn
        return fn
    return register

def tag_resources(c, p, product):
    _, table = c.tag_table(product, need(p, "ResourceType"))
    ids, tags = indexed(p, "ResourceId"), new_tags(p)
    if not ids:
        need(p, "ResourceId.1")
    if not tags:
        need(p, "Tag.1.Key")
    for rid in ids:
        if rid not in table:
            raise not_found("InvalidResourceId.NotFound", f"resource {rid}")
    for rid in ids:
        table[rid]["Tags"].update(tags)
    return {}

def list_tag_resources(c, p, product):
    # The reference promises only the filtered tags back ("with only Tag.N.Key, all tag values
    # associated with the tag key are returned"): with a tag filter, the rows are the filtered
    # tags of each matching resource, so a caller cannot read other tags from them; without one
    # (resources named by ResourceId.N), every tag of each.
    echoed, table = c.tag_table(product, need(p, "ResourceType"))
    ids, matches = indexed(p, "ResourceId"), tag_match(p)
    filtered = set(new_tags(p))
    rows = [{"ResourceId": rid, "ResourceType": echoed, "TagKey": k, "TagValue": v}
            for rid, r in table.items() if (not ids or rid in ids) and matches(r)
            for k, v in r["Tags"].items() if not filtered or k in filtered]
    size = as_int(p, "MaxResults", 50, 1, 100)
    token = p.get("NextToken") or "0"
    if not token.isdigit() or int(token) > len(rows):
        raise bad("InvalidNextToken", "The specified NextToken is not valid.")
    start = int(token)
    nxt = str(start + size) if start + size < len(rows) else ""
    return {"TagResources": {"TagResource": rows[start:start + size]}, "NextToken": nxt}

for _product in PRODUCTS.values():
    ACTIONS[(_product, "TagResources")] = tag_resources
    ACTIONS[(_product, "ListTagResources")] = list_tag_resources


# --- VPC ---------------------------------------------------------------------------------

def parse_cidr(text):
    try:
        return ipaddress.ip_network(text)
    except ValueError:
        raise bad("InvalidCidrBlock.Malformed", f"Specified CIDR block {text!r} is not valid.") from None

def advance(res, steps):
    res["Status"] = steps.get(res["Status"], res["Status"])

@api("vpc", "CreateVpc")
def create_vpc(c, p, _):
    cidr = p.get("CidrBlock") or "172.16.0.0/12"
    net = parse_cidr(cidr)
    if not any(net.subnet_of(ipaddress.ip_network(b))
               for b in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")) or net.prefixlen > 28:
        raise bad("InvalidCidrBlock.Malformed", f"Specified CIDR block {cidr} is not a valid VPC CIDR block.")
    vpc = {"VpcId": new_id("vpc"), "Status": "Pending", "CidrBlock": str(net),
           "VpcName": p.get("VpcName", ""), "Description": p.get("Description", ""),
           "RegionId": p.get("RegionId") or c.region, "VRouterId": new_id("vrt"),
           "RouteTableId": new_id("vtb"), "ResourceGroupId": new_id("rg", 15),
           "CreationTime": now_iso(), "Tags": new_tags(p)}
    c.vpcs[vpc["VpcId"]] = vpc
    return {k: vpc[k] for k in ("VpcId", "VRouterId", "RouteTableId", "ResourceGroupId")}

@api("vpc", "DescribeVpcs")
def describe_vpcs(c, p, _):
    ids = [i for i in (p.get("VpcId") or "").split(",") if i]
    name, matches = p.get("VpcName"), tag_match(p)
    found = [v for v in c.vpcs.values()
             if (not ids or v["VpcId"] in ids) and (not name or v["VpcName"] == name) and matches(v)]
    chunk, paging = page(found, p)
    out = [{**{k: v[k] for k in ("VpcId", "Status", "CidrBlock", "VpcName", "Description", "RegionId",
                                 "CreationTime", "VRouterId", "ResourceGroupId")},
            "OwnerId": int(c.account_id), "IsDefault": False, "Tags": vpc_tags(v),
            "VSwitchIds": {"VSwitchId": [s["VSwitchId"] for s in c.vswitches.values()
                                         if s["VpcId"] == v["VpcId"]]}} for v in chunk]
    for v in chunk:
        advance(v, {"Pending": "Available"})
    return {"Vpcs": {"Vpc": out}, **paging}

@api("vpc", "CreateVSwitch")
def create_vswitch(c, p, _):
    vpc = c.find(p, "VpcId")
    zone, net = need(p, "ZoneId"), parse_cidr(need(p, "CidrBlock"))
    if vpc["Status"] != "Available":
        raise bad("IncorrectVpcStatus", "The current status of the VPC does not support this operation.")
    if not net.subnet_of(ipaddress.ip_network(vpc["CidrBlock"])) or not 16 <= net.prefixlen <= 29:
        raise bad("InvalidCidrBlock.Malformed",
                  f"Specified CIDR block {net} is not a /16../29 block inside the VPC's {vpc['CidrBlock']}.")
    for s in c.vswitches.values():
        if s["VpcId"] == vpc["VpcId"] and net.overlaps(ipaddress.ip_network(s["CidrBlock"])):
            raise bad("InvalidCidrBlock.Overlapped",
                      f"Specified CIDR block {net} overlaps vSwitch {s['VSwitchId']} ({s['CidrBlock']}).")
    vsw = {"VSwitchId": new_id("vsw"), "VpcId": vpc["VpcId"], "Status": "Pending",
           "CidrBlock": str(net), "ZoneId": zone, "VSwitchName": p.get("VSwitchName", ""),
           "Description": p.get("Description", ""), "CreationTime": now_iso(), "Tags": new_tags(p)}
    c.vswitches[vsw["VSwitchId"]] = vsw
    return {"VSwitchId": vsw["VSwitchId"]}

def vswitch_view(c, s):
    used = sum(1 for i in c.live_instances().values() if i["VSwitchId"] == s["VSwitchId"])
    return {"VSwitchId": s["VSwitchId"], "VpcId": s["VpcId"], "Status": s["Status"],
            "CidrBlock": s["CidrBlock"], "ZoneId": s["ZoneId"], "VSwitchName": s["VSwitchName"],
            "Description": s["Description"], "CreationTime": s["CreationTime"], "IsDefault": False,
            "AvailableIpAddressCount": ipaddress.ip_network(s["CidrBlock"]).num_addresses - 4 - used}

@api("vpc", "DescribeVSwitchAttributes")
def describe_vswitch_attributes(c, p, _):
    s = c.find(p, "VSwitchId")
    out = vswitch_view(c, s)
    advance(s, {"Pending": "Available"})
    return out

@api("vpc", "DescribeVSwitches")
def describe_vswitches(c, p, _):
    vpc_id, ids = p.get("VpcId"), [i for i in (p.get("VSwitchId") or "").split(",") if i]
    matches = tag_match(p)
    found = [s for s in c.vswitches.values() if (not vpc_id or s["VpcId"] == vpc_id)
             and (not ids or s["VSwitchId"] in ids) and matches(s)]
    chunk, paging = page(found, p)
    out = [{**vswitch_view(c, s), "Tags": vpc_tags(s)} for s in chunk]
    for s in chunk:
        advance(s, {"Pending": "Available"})
    return {"VSwitches": {"VSwitch": out}, **paging}

@api("vpc", "DeleteVSwitch")
def delete_vswitch(c, p, _):
    s = c.find(p, "VSwitchId")
    if any(i["VSwitchId"] == s["VSwitchId"] for i in c.live_instances().values()):
        raise bad("DependencyViolation.Instance", "Specified vSwitch has ECS instances.")
    del c.vswitches[s["VSwitchId"]]
    return {}

@api("vpc", "DeleteVpc")
def delete_vpc(c, p, _):
    vpc = c.find(p, "VpcId")
    if any(s["VpcId"] == vpc["VpcId"] for s in c.vswitches.values()):
        raise bad("DependencyViolation.VSwitch", "Specified VPC has vSwitches.")
    if any(g["VpcId"] == vpc["VpcId"] for g in c.security_groups.values()):
        raise bad("DependencyViolation.SecurityGroup", "Specified VPC has security groups.")
    del c.vpcs[vpc["VpcId"]]
    return {}


# --- ECS: security groups, key pairs -----------------------------------------------------

@api("ecs", "CreateSecurityGroup")
def create_security_group(c, p, _):
    vpc_id = p.get("VpcId", "")
    if vpc_id:
        c.find(p, "VpcId")
    sg = {"SecurityGroupId": new_id("sg"), "SecurityGroupName": p.get("SecurityGroupName", ""),
          "Description": p.get("Description", ""), "VpcId": vpc_id,
          "SecurityGroupType": p.get("SecurityGroupType") or "normal",
          "CreationTime": now_iso(), "Tags": new_tags(p), "Permissions": []}
    c.security_groups[sg["SecurityGroupId"]] = sg
    return {"SecurityGroupId": sg["SecurityGroupId"]}

def _rule(p):
    proto = need(p, "IpProtocol").lower()
    if proto not in ("tcp", "udp", "icmp", "gre", "all"):
        raise bad("InvalidIpProtocol.Malformed", f"Specified IpProtocol {proto!r} is not valid.")
    ports = p.get("PortRange") or ("-1/-1" if proto in ("icmp", "gre", "all") else "")
    m = re.fullmatch(r"(-?\d+)/(-?\d+)", ports)
    lo, hi = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    valid = (lo, hi) == (-1, -1) if proto in ("icmp", "gre", "all") else 1 <= lo <= hi <= 65535
    if not m or not valid:
        raise bad("InvalidPortRange.Malformed", f"Specified PortRange {ports!r} is not valid for {proto}.")
    src = need(p, "SourceCidrIp")
    try:
        ipaddress.ip_network(src, strict=False)
    except ValueError:
        raise bad("InvalidSourceCidrIp.Malformed", f"Specified SourceCidrIp {src!r} is not valid.") from None
    policy = (p.get("Policy") or "accept").capitalize()
    if policy not in ("Accept", "Drop"):
        raise bad("InvalidPolicy.Malformed", f"Specified Policy {policy!r} is not valid.")
    return {"IpProtocol": proto.upper(), "PortRange": ports, "SourceCidrIp": src, "Policy": policy,
            "Direction": "ingress", "Priority": str(as_int(p, "Priority", 1, 1, 100)),
            "NicType": "intranet", "Description": p.get("Description", ""),
            "DestCidrIp": "", "SourceGroupId": "", "CreateTime": now_iso()}

@api("ecs", "AuthorizeSecurityGroup")
def authorize_security_group(c, p, _):
    sg = c.find(p, "SecurityGroupId")
    rule, same = _rule(p), ("IpProtocol", "PortRange", "SourceCidrIp", "Policy", "Priority")
    if not any(all(r[k] == rule[k] for k in same) for r in sg["Permissions"]):
        sg["Permissions"].append(rule)  # an identical rule is accepted silently, not stored twice
    return {}

@api("ecs", "DescribeSecurityGroupAttribute")
def describe_security_group_attribute(c, p, _):
    sg = c.find(p, "SecurityGroupId")
    direction = (p.get("Direction") or "all").lower()
    perms = sg["Permissions"] if direction in ("all", "ingress") else []
    return {"SecurityGroupId": sg["SecurityGroupId"], "SecurityGroupName": sg["SecurityGroupName"],
            "Description": sg["Description"], "VpcId": sg["VpcId"],
            "RegionId": p.get("RegionId") or c.region, "InnerAccessPolicy": "Accept",
            "Permissions": {"Permission": [dict(r) for r in perms]}}

@api("ecs", "DescribeSecurityGroups")
def describe_security_groups(c, p, _):
    vpc_id, name, matches = p.get("VpcId"), p.get("SecurityGroupName"), tag_match(p)
    ids = json_param(p, "SecurityGroupIds", list) if p.get("SecurityGroupIds") else []
    ids += [p["SecurityGroupId"]] if p.get("SecurityGroupId") else []
    found = [g for g in c.security_groups.values()
             if (not vpc_id or g["VpcId"] == vpc_id) and (not name or g["SecurityGroupName"] == name)
             and (not ids or g["SecurityGroupId"] in ids) and matches(g)]
    chunk, paging = page(found, p)
    out = [{"SecurityGroupId": g["SecurityGroupId"], "SecurityGroupName": g["SecurityGroupName"],
            "Description": g["Description"], "VpcId": g["VpcId"],
            "SecurityGroupType": g["SecurityGroupType"], "CreationTime": g["CreationTime"],
            "ResourceGroupId": "", "Tags": ecs_tags(g)} for g in chunk]
    return {"SecurityGroups": {"SecurityGroup": out}, "RegionId": p.get("RegionId") or c.region,
            **paging}

@api("ecs", "DeleteSecurityGroup")
def delete_security_group(c, p, _):
    sg = c.find(p, "SecurityGroupId")
    if any(i["SecurityGroupId"] == sg["SecurityGroupId"] for i in c.live_instances().values()):
        raise ApiError(403, "DependencyViolation", "There is still instance(s) in the specified security group.")
    del c.security_groups[sg["SecurityGroupId"]]
    return {}

@api("ecs", "CreateKeyPair")
def create_key_pair(c, p, _):
    name = need(p, "KeyPairName")
    if name in c.key_pairs:
        raise bad("KeyPair.AlreadyExist", "The key pair already exist.")
    blob = base64.b64encode(random.randbytes(900)).decode()
    body = "\n".join(blob[i:i + 64] for i in range(0, len(blob), 64))
    kp = {"KeyPairName": name, "KeyPairId": new_id("kp"),
          "KeyPairFingerPrint": hashlib.md5(blob.encode()).hexdigest(),
          "CreationTime": now_iso(), "Tags": new_tags(p)}
    c.key_pairs[name] = kp
    return {"KeyPairName": name, "KeyPairId": kp["KeyPairId"],
            "KeyPairFingerPrint": kp["KeyPairFingerPrint"],
            "PrivateKeyBody": f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n"}

@api("ecs", "DescribeKeyPairs")
def describe_key_pairs(c, p, _):
    name, matches = p.get("KeyPairName"), tag_match(p)
    found = [k for k in c.key_pairs.values()
             if (not name or fnmatch.fnmatchcase(k["KeyPairName"], name)) and matches(k)]
    chunk, paging = page(found, p)
    out = [{"KeyPairName": k["KeyPairName"], "KeyPairFingerPrint": k["KeyPairFingerPrint"],
            "KeyPairId": k["KeyPairId"], "CreationTime": k["CreationTime"],
            "ResourceGroupId": "", "Tags": ecs_tags(k)} for k in chunk]
    return {"KeyPairs": {"KeyPair": out}, **paging}

@api("ecs", "DeleteKeyPairs")
def delete_key_pairs(c, p, _):
    for name in json_param(p, "KeyPairNames", list):
        c.key_pairs.pop(name, None)
    return {}


# --- ECS: instances ----------------------------------------------------------------------

def image_usable(c, image_id):
    img = c.images.get(image_id)
    if img is not None:
        return img["Status"] == "Available"
    return bool(re.fullmatch(r"[a-z].*\.vhd", image_id))

@api("ecs", "RunInstances")
def run_instances(c, p, _):
    image_id, itype = need(p, "ImageId"), need(p, "InstanceType")
    if not image_usable(c, image_id):
        raise not_found("InvalidImageId.NotFound", f"image {image_id}")
    vsw = c.find(p, "VSwitchId")
    sg = c.find(p, "SecurityGroupId")
    if sg["VpcId"] != vsw["VpcId"]:
        raise bad("InvalidParameter", "The specified security group and vSwitch are not in the same VPC.")
    key = p.get("KeyPairName", "")
    if key and key not in c.key_pairs:
        raise not_found("InvalidKeyPairName.NotFound", f"key pair {key}")
    amount = as_int(p, "Amount", 1, 1, 100)
    try:
        user_text = base64.b64decode(p.get("UserData", ""), validate=True).decode("utf-8", "replace")
    except ValueError:
        raise bad("InvalidUserData.Base64FormatInvalid", "The specified UserData is not valid base64.") from None
    if len(user_text.encode()) > 32 * 1024:
        raise bad("InvalidUserData.SizeExceeded", "The specified UserData exceeds 32 KB.")
    bandwidth = as_int(p, "InternetMaxBandwidthOut", 0, 0, 100)
    first, last = usable_hosts(vsw["CidrBlock"])
    taken = {i["PrivateIpAddress"] for i in c.live_instances().values() if i["VSwitchId"] == vsw["VSwitchId"]}
    wanted = p.get("PrivateIpAddress")
    if wanted:
        try:
            addr = ipaddress.ip_address(wanted)
        except ValueError:
            addr = None
        if amount != 1 or addr is None or not first <= addr <= last:
            raise bad("InvalidPrivateIpAddress",
                      f"Specified private IP address {wanted} is not usable in vSwitch CIDR {vsw['CidrBlock']}.")
        if wanted in taken:
            raise bad("InvalidPrivateIpAddress.Duplicated", f"Specified private IP address {wanted} is in use.")
        ips = [wanted]
    else:
        free = (str(a) for a in ipaddress.ip_network(vsw["CidrBlock"]).hosts()
                if first <= a <= last and str(a) not in taken)
        ips = [next(free, None) for _ in range(amount)]
        if None in ips:
            raise bad("InvalidVSwitchId.IpNotEnough", "The specified vSwitch has not enough IP addresses.")
    ids = []
    for ip in ips:
        inst = c.add_instance(
            InstanceName=p.get("InstanceName", ""), HostName=p.get("HostName") or p.get("InstanceName", ""),
            InstanceType=itype, ImageId=image_id,
            ZoneId=vsw["ZoneId"], RegionId=p.get("RegionId") or c.region, VpcId=vsw["VpcId"],
            VSwitchId=vsw["VSwitchId"], PrivateIpAddress=ip,
            PublicIpAddress=public_ip() if bandwidth > 0 else "",
            SecurityGroupId=sg["SecurityGroupId"], KeyPairName=key,
            UserData=p.get("UserData", ""), UserDataText=user_text, Tags=new_tags(p),
            InternetMaxBandwidthOut=bandwidth,
            InternetChargeType=p.get("InternetChargeType") or "PayByTraffic",
            SystemDiskCategory=p.get("SystemDisk.Category") or "cloud_efficiency",
            _builder="power_state" in user_text and "poweroff" in user_text)
        ids.append(inst["InstanceId"])
    return {"InstanceIdSets": {"InstanceIdSet": ids}}

def advance_instance(i):
    if i["Status"] == "Running" and i["_builder"]:
        i["_seen_running"] += 1
        if i["_seen_running"] >= 2:  # the builder's boot script ends by powering off
            i["Status"], i["_builder"] = "Stopped", False
        return
    advance(i, {"Pending": "Starting", "Starting": "Running", "Stopping": "Stopped"})

@api("ecs", "DescribeInstances")
def describe_instances(c, p, _):
    ids = json_param(p, "InstanceIds", list) if p.get("InstanceIds") else None
    matches = tag_match(p)
    filters = {k: p[k] for k in ("VpcId", "VSwitchId", "Status", "InstanceName", "SecurityGroupId")
               if p.get(k)}
    found = [i for i in c.live_instances().values()
             if (ids is None or i["InstanceId"] in ids) and matches(i)
             and all(i[k] == v for k, v in filters.items())]
    chunk, paging = page(found, p, 100)
    out = []
    for i in chunk:
        out.append({
            "InstanceId": i["InstanceId"], "InstanceName": i["InstanceName"], "HostName": i["HostName"],
            "Status": i["Status"], "InstanceType": i["InstanceType"], "ImageId": i["ImageId"],
            "ZoneId": i["ZoneId"], "RegionId": i["RegionId"], "KeyPairName": i["KeyPairName"],
            "InstanceNetworkType": "vpc", "OSType": "linux",
            "VpcAttributes": {"VpcId": i["VpcId"], "VSwitchId": i["VSwitchId"], "NatIpAddress": "",
                              "PrivateIpAddress": {"IpAddress": [i["PrivateIpAddress"]]}},
            "PublicIpAddress": {"IpAddress": [i["PublicIpAddress"]] if i["PublicIpAddress"] else []},
            "InnerIpAddress": {"IpAddress": []},
            "SecurityGroupIds": {"SecurityGroupId": [i["SecurityGroupId"]] if i["SecurityGroupId"] else []},
            "InternetMaxBandwidthOut": i["InternetMaxBandwidthOut"],
            "InternetChargeType": i["InternetChargeType"], "Tags": ecs_tags(i),
            "CreationTime": i["CreationTime"]})
        advance_instance(i)
    return {"Instances": {"Instance": out}, **paging}

def wrong_status(i):
    return ApiError(403, "IncorrectInstanceStatus",
                    f"The current status of the resource does not support this operation ({i['Status']}).")

@api("ecs", "StopInstance")
def stop_instance(c, p, _):
    i = c.find(p, "InstanceId")
    if i["Status"] != "Running":
        raise wrong_status(i)
    i["Status"], i["_builder"] = "Stopping", False
    return {}

@api("ecs", "StartInstance")
def start_instance(c, p, _):
    i = c.find(p, "InstanceId")
    if i["Status"] != "Stopped":
        raise wrong_status(i)
    i["Status"] = "Starting"
    return {}

@api("ecs", "DeleteInstance")
def delete_instance(c, p, _):
    i = c.find(p, "InstanceId")
    if i["Status"] != "Stopped" and (p.get("Force") or "").lower() != "true":
        raise wrong_status(i)
    i["Status"] = "Deleted"
    for lb in c.load_balancers.values():  # SLB drops a released ECS from its backends
        lb["BackendServers"] = [b for b in lb["BackendServers"] if b["ServerId"] != i["InstanceId"]]
    return {}


# --- ECS: images, snapshots --------------------------------------------------------------

@api("ecs", "CreateImage")
def create_image(c, p, _):
    i = c.find(p, "InstanceId")
    if i["Status"] not in ("Running", "Stopped"):
        raise wrong_status(i)
    name = p.get("ImageName", "")
    if name and any(img["ImageName"] == name for img in c.images.values()):
        raise bad("InvalidImageName.Duplicated", "The specified ImageName already exists.")
    snap = {"SnapshotId": new_id("s"), "Status": "accomplished", "SourceInstanceId": i["InstanceId"],
            "CreationTime": now_iso(), "Tags": new_tags(p)}
    source = c.images.get(i["ImageId"]) or next(
        ({"Platform": pf, "OSName": os_name} for n, _, pf, os_name in PUBLIC_IMAGES if n == i["ImageId"]),
        {"Platform": "Others Linux", "OSName": "Linux 64位"})
    img = {"ImageId": new_id("m"), "ImageName": name, "Description": p.get("Description", ""),
           "Status": "Creating", "CreationTime": now_iso(), "InstanceId": i["InstanceId"],
           "SnapshotId": snap["SnapshotId"], "Platform": source["Platform"],
           "OSName": source["OSName"], "Tags": new_tags(p)}
    c.snapshots[snap["SnapshotId"]] = snap
    c.images[img["ImageId"]] = img
    return {"ImageId": img["ImageId"]}

def image_view(img, alias):
    mappings = ([{"SnapshotId": img["SnapshotId"], "Size": "20", "Device": "/dev/xvda", "Type": "system"}]
                if img.get("SnapshotId") else [])
    return {"ImageId": img["ImageId"], "ImageName": img["ImageName"],
            "Description": img.get("Description", ""), "Status": img["Status"],
            "CreationTime": img["CreationTime"], "OSType": "linux", "Platform": img["Platform"],
            "OSName": img["OSName"], "Architecture": "x86_64", "ImageOwnerAlias": alias,
            "Size": 20, "Usage": "instance", "IsSelfShared": "",
            "Progress": "100%" if img["Status"] == "Available" else "0%",
            "Tags": ecs_tags(img), "DiskDeviceMappings": {"DiskDeviceMapping": mappings}}

@api("ecs", "DescribeImages")
def describe_images(c, p, _):
    """As documented, without Status only Available images are returned; a Creating image still
    advances when a call names it (by id, name, tags) even if the Status filter hides it."""
    alias = p.get("ImageOwnerAlias", "")
    ids = [x for x in (p.get("ImageId") or "").split(",") if x]
    name, matches = p.get("ImageName"), tag_match(p)
    statuses = (p.get("Status") or "Available").split(",")
    own = [(img, "self") for img in c.images.values()] if alias in ("", "self") else []
    system = [({"ImageId": n, "ImageName": n.removesuffix(".vhd"), "Status": "Available",
                "CreationTime": t, "Platform": pf, "OSName": os_name, "Tags": {}}, "system")
              for n, t, pf, os_name in PUBLIC_IMAGES] if alias in ("", "system") else []
    if p.get("OSType", "linux").lower() != "linux" or p.get("Architecture", "x86_64") != "x86_64":
        own, system = [], []  # every image here is a 64-bit x86 Linux
    named = [(img, a) for img, a in own + system
             if (not ids or img["ImageId"] in ids)
             and (not name or fnmatch.fnmatchcase(img["ImageName"], name)) and matches(img)]
    chunk, paging = page([(img, a) for img, a in named if img["Status"] in statuses], p, 100)
    out = [image_view(img, a) for img, a in chunk]
    for img, a in named:
        if a == "self":
            advance(img, {"Creating": "Available"})
    return {"Images": {"Image": out}, "RegionId": p.get("RegionId") or c.region, **paging}

@api("ecs", "DeleteImage")
def delete_image(c, p, _):
    img = c.images.get(need(p, "ImageId"))
    if img is None:  # documented: "If the specified custom image does not exist, the request is ignored."
        return {}
    in_use = any(i["ImageId"] == img["ImageId"] for i in c.live_instances().values())
    if in_use and (p.get("Force") or "").lower() != "true":
        raise ApiError(403, "ImageUsingByInstance",
                       "The specified image has been used to create instances. You can use the "
                       "DescribeInstances API to query these instances, or you can use the force "
                       "parameter to proceed.")
    del c.images[img["ImageId"]]
    return {}

@api("ecs", "DeleteSnapshot")
def delete_snapshot(c, p, _):
    snap = c.find(p, "SnapshotId")
    if any(img["SnapshotId"] == snap["SnapshotId"] for img in c.images.values()):
        raise ApiError(403, "SnapshotCreatedImage", "The snapshot has been used to create user-defined image(s).")
    del c.snapshots[snap["SnapshotId"]]
    return {}


# --- SLB ---------------------------------------------------------------------------------

def port_param(p, name):
    need(p, name)
    return as_int(p, name, None, 1, 65535)

def get_listener(c, p):
    lb, port = c.find(p, "LoadBalancerId"), port_param(p, "ListenerPort")
    if port not in lb["Listeners"]:
        raise bad("InvalidParameter", "The specified resource does not exist.")
    return lb, lb["Listeners"][port]

@api("slb", "CreateLoadBalancer")
def create_load_balancer(c, p, _):
    address_type = (p.get("AddressType") or "internet").lower()
    if address_type not in ("internet", "intranet"):
        raise bad("InvalidParameter", f"The specified AddressType {address_type!r} is not valid.")
    vsw_id, vpc_id = p.get("VSwitchId", ""), p.get("VpcId", "")
    if vsw_id:
        vsw = c.find(p, "VSwitchId")
        vpc_id = vsw["VpcId"]
    elif address_type == "intranet":
        need(p, "VSwitchId")
    address = public_ip() if address_type == "internet" else str(usable_hosts(vsw["CidrBlock"])[1])
    lb = {"LoadBalancerId": new_id("lb"), "LoadBalancerName": p.get("LoadBalancerName", ""),
          "LoadBalancerStatus": "inactive", "Address": address, "AddressType": address_type,
          "NetworkType": "vpc" if vsw_id else "classic", "VpcId": vpc_id, "VSwitchId": vsw_id,
          "LoadBalancerSpec": p.get("LoadBalancerSpec", ""), "RegionId": p.get("RegionId") or c.region,
          "InternetChargeType": p.get("InternetChargeType") or "paybytraffic",
          "ResourceGroupId": new_id("rg", 15), "CreateTime": now_iso(), "Tags": new_tags(p),
          "Listeners": {}, "BackendServers": []}
    c.load_balancers[lb["LoadBalancerId"]] = lb
    return {k: lb[k] for k in ("LoadBalancerId", "Address", "LoadBalancerName", "NetworkType",
                               "VpcId", "VSwitchId", "ResourceGroupId")} | {"AddressIPVersion": "ipv4"}

@api("slb", "DescribeLoadBalancerAttribute")
def describe_load_balancer_attribute(c, p, _):
    lb = c.find(p, "LoadBalancerId")
    ports = sorted(lb["Listeners"])
    out = {k: lb[k] for k in ("LoadBalancerId", "LoadBalancerName", "LoadBalancerStatus", "Address",
                              "AddressType", "RegionId", "NetworkType", "VpcId", "VSwitchId",
                              "LoadBalancerSpec", "InternetChargeType", "ResourceGroupId", "CreateTime")}
    out.update({"AddressIPVersion": "ipv4",
                "ListenerPorts": {"ListenerPort": ports},
                "ListenerPortsAndProtocol": {"ListenerPortAndProtocol": [
                    {"ListenerPort": port, "ListenerProtocol": "tcp"} for port in ports]},
                "BackendServers": {"BackendServer": [dict(b) for b in lb["BackendServers"]]}})
    lb["LoadBalancerStatus"] = "active"
    return out

@api("slb", "CreateLoadBalancerTCPListener")
def create_tcp_listener(c, p, _):
    lb = c.find(p, "LoadBalancerId")
    port, backend = port_param(p, "ListenerPort"), port_param(p, "BackendServerPort")
    bandwidth = as_int(p, "Bandwidth", -1, -1, 5120)
    if port in lb["Listeners"]:
        raise bad("ListenerAlreadyExists", "The specified port already exists.")
    lb["Listeners"][port] = {"ListenerPort": port, "BackendServerPort": backend, "Bandwidth": bandwidth,
                             "ListenerProtocol": "tcp", "Status": "stopped"}
    return {}

@api("slb", "DescribeLoadBalancerTCPListenerAttribute")
def describe_tcp_listener(c, p, _):
    _lb, listener = get_listener(c, p)
    return {"ListenerPort": listener["ListenerPort"], "BackendServerPort": listener["BackendServerPort"],
            "Bandwidth": listener["Bandwidth"], "Status": listener["Status"], "HealthCheck": "on",
            "HealthCheckType": "tcp", "Scheduler": "wrr", "PersistenceTimeout": 0,
            "EstablishedTimeout": 900, "HealthyThreshold": 3, "UnhealthyThreshold": 3,
            "HealthCheckConnectTimeout": 5, "HealthCheckInterval": 2}

@api("slb", "StartLoadBalancerListener")
def start_listener(c, p, _):
    _lb, listener = get_listener(c, p)
    listener["Status"] = "running"
    return {}

@api("slb", "DeleteLoadBalancerListener")
def delete_listener(c, p, _):
    lb, listener = get_listener(c, p)
    del lb["Listeners"][listener["ListenerPort"]]
    return {}

@api("slb", "AddBackendServers")
def add_backend_servers(c, p, _):
    lb = c.find(p, "LoadBalancerId")
    servers, live = json_param(p, "BackendServers", list), c.live_instances()
    added = []
    for s in servers:
        sid = s.get("ServerId") if isinstance(s, dict) else None
        if sid not in live:
            raise bad("InvalidParameter", f"The specified ServerId {sid!r} is not an existing ECS instance.")
        if lb["VpcId"] and live[sid]["VpcId"] != lb["VpcId"]:
            raise bad("InvalidParameter", f"The ECS instance {sid} is not in the load balancer's VPC.")
        try:
            weight = int(s.get("Weight", 100))
        except (TypeError, ValueError):
            weight = -1
        if not 0 <= weight <= 100:
            raise bad("InvalidParameter", f"The specified Weight of {sid} is not valid.")
        added.append({"ServerId": sid, "Weight": weight, "Type": s.get("Type") or "ecs",
                      "Description": s.get("Description", "")})
    for b in added:
        if not any(x["ServerId"] == b["ServerId"] for x in lb["BackendServers"]):
            lb["BackendServers"].append(b)
    return {"LoadBalancerId": lb["LoadBalancerId"],
            "BackendServers": {"BackendServer": [dict(b) for b in lb["BackendServers"]]}}

@api("slb", "DeleteLoadBalancer")
def delete_load_balancer(c, p, _):
    lb = c.find(p, "LoadBalancerId")
    del c.load_balancers[lb["LoadBalancerId"]]
    return {}


# ---------------------------------------------------------------------------- HTTP

def parse_query(qs):
    out = {}
    for part in qs.split("&"):
        if part:
            k, _, v = part.partition("=")
            out[unquote(k)] = unquote(v)
    return out

def string_to_sign(req, payload):
    canonical = "\n".join([req.method, req.pathname or "/", acs_util.get_canonical_query_string(req.query),
                           *acs_util.get_canonicalized_headers(req.headers), payload])
    return canonical, f"{ALGORITHM}\n{hashlib.sha256(canonical.encode()).hexdigest()}"

class Handler(BaseHTTPRequestHandler):
    server_version = "aliyun-standin/1"
    protocol_version = "HTTP/1.1"  # keep-alive; every answer carries Content-Length
    cloud: Cloud = None

    def log_message(self, *args):  # one line per request would bury the tests' output
        pass

    def send_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if isinstance(body, dict) and "RequestId" in body:
            self.send_header("x-acs-request-id", body["RequestId"])
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def dispatch(self):
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        c = self.cloud
        if url.path.startswith("/_"):
            with c.lock:
                if self.command == "GET" and url.path == "/_calls":
                    return self.send_json(200, c.calls)
                if self.command == "GET" and url.path == "/_state":
                    return self.send_json(200, c.state())
                if self.command == "POST" and url.path == "/_instance":
                    try:
                        tags = dict(json.loads(body or b"{}").get("tags") or {})
                    except (ValueError, AttributeError, TypeError):
                        return self.send_json(400, {"error": 'expected {"tags": {"k": "v"}}'})
                    return self.send_json(200, {"InstanceId": c.bystander(tags)})
            return self.send_json(404, {"error": f"no admin endpoint {self.command} {url.path}"})

        params = parse_query(url.query)
        product = PRODUCTS.get(self.headers.get("x-acs-version", ""))
        action = self.headers.get("x-acs-action", "")
        call = {"ak": "", "product": product, "action": action, "allowed": False, "status": 0,
                "code": None, "params": params}
        request_id = str(uuid.uuid4()).upper()
        with c.lock:
            try:
                result = self.handle_api(c, call, url.path or "/", params, body)
                status, out = 200, {"RequestId": request_id, **result}
            except Exception as exc:  # an ApiError, or a bug here: answered as InternalError
                e = exc if isinstance(exc, ApiError) else ApiError(500, "InternalError", repr(exc))
                if e.status == 500:
                    traceback.print_exc()
                status, call["code"] = e.status, e.code
                host = f"{product}.aliyuncs.com" if product else "aliyuncs.com"
                out = {"RequestId": request_id, "HostId": host, "Code": e.code, "Message": e.message,
                       "Recommend": f"https://api.aliyun.com/troubleshoot?q={e.code}", **e.extra}
            call["status"] = status
            c.calls.append(call)
        self.send_json(status, out)

    def handle_api(self, c, call, path, params, body):
        if call["product"] is None:
            raise bad("InvalidVersion", "Specified parameter Version is not valid.")
        # --- the signature, recomputed with Alibaba Cloud's own library
        auth = self.headers.get("Authorization")
        m = re.fullmatch(rf"{ALGORITHM} Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*"
                         r"Signature=([0-9a-fA-F]+)", (auth or "").strip())
        if not m:
            raise bad("IncompleteSignature", "The request signature does not conform to Aliyun standards: "
                      + ("no Authorization header." if auth is None else f"malformed Authorization {auth!r}."))
        ak, signed, signature = m.group(1), m.group(2).split(";"), m.group(3).lower()
        call["ak"] = ak
        user = c.users.get(ak)
        if user is None:
            raise ApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        received = {k.lower() for k in self.headers.keys()}
        required = {"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce",
                    "x-acs-content-sha256"} | {h for h in received if h.startswith("x-acs-")}
        if signed != sorted(signed) or set(signed) - received or required - set(signed):
            raise bad("IncompleteSignature",
                      "The request signature does not conform to Aliyun standards: SignedHeaders must "
                      f"list, sorted, host and every x-acs-* header received; got {';'.join(signed)}.")
        payload = hashlib.sha256(body).hexdigest()
        req = SimpleNamespace(method=self.command, pathname=path, query=params,  # what the library reads
                              headers={h: self.headers.get(h) for h in signed})
        expected = Client.get_authorization(req, ALGORITHM, payload, ak, user["secret"])
        canonical, to_sign = string_to_sign(req, payload)
        if self.headers.get("x-acs-content-sha256") != payload or not hmac.compare_digest(
                expected.rsplit("Signature=", 1)[1], signature):
            print(f"signature mismatch for {ak}; server canonical request:\n{canonical}",
                  file=sys.stderr, flush=True)
            raise bad("SignatureDoesNotMatch", "The request signature does not conform to Aliyun "
                      f"standards. server string to sign is:{to_sign}")
        try:
            sent = dt.datetime.strptime(self.headers["x-acs-date"], "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            raise bad("InvalidTimeStamp.Format", "Specified x-acs-date is not in the format "
                      "yyyy-MM-ddTHH:mm:ssZ.") from None
        if abs(sent.replace(tzinfo=dt.timezone.utc) - dt.datetime.now(dt.timezone.utc)) > MAX_CLOCK_SKEW:
            raise bad("InvalidTimeStamp.Expired", "Specified x-acs-date is more than 15 minutes away from now.")
        nonce = self.headers["x-acs-signature-nonce"]
        if nonce in c.nonces:
            raise bad("SignatureNonceUsed", "Specified signature nonce was used already.")
        c.nonces.add(nonce)
        # --- the action and the caller's RAM policy
        product, action = call["product"], call["action"]
        fn = ACTIONS.get((product, action))
        if fn is None:
            raise ApiError(404, "InvalidAction.NotFound",
                           "Specified api is not found, please check your url and method.")
        denial = authorize(c, user["policy"], product, action, params)
        if denial:
            raise ApiError(403, "Forbidden.RAM", DENIED, AccessDeniedDetail={
                "AuthAction": f"{product}:{action}", "AuthPrincipalType": "SubUser",
                "AuthPrincipalOwnerId": c.account_id, "AuthPrincipalDisplayName": ak,
                "PolicyType": "AccountLevelIdentityBasedPolicy", "NoPermissionType": denial})
        call["allowed"] = True
        # --- ClientToken idempotency: same (AK, product, action, token) -> the same answer
        token = params.get("ClientToken") if action in IDEMPOTENT else None
        key = (ak, product, action, token)
        if token and key in c.tokens:
            first_params, first_result = c.tokens[key]
            if first_params != params:
                raise bad("IdempotentParameterMismatch",
                          "The request uses the same client token as a previous, but non-identical request.")
            return json.loads(json.dumps(first_result))
        result = fn(c, params, product)
        if token:
            c.tokens[key] = (dict(params), json.loads(json.dumps(result)))
        return result

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", required=True)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    with open(args.config, encoding="utf-8") as fh:
        Handler.cloud = Cloud(json.load(fh))
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    def watch_stdin():  # os.read, not sys.stdin: a buffered read would hold a lock at exit
        try:
            while os.read(sys.stdin.fileno(), 65536):
                pass
        except (OSError, ValueError):
            pass
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    print(f"READY {server.server_address[1]}", flush=True)
    while not stop.wait(0.5):
        pass
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
