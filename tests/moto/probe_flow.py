#!/usr/bin/env python3
"""Probe byoc's create / stop-start / delete flow against moto with IAM enforcement.

Run with the moto venv:  ~/.cache/byoc/moto-5.2.6/bin/python probe_flow.py [REGION ...]
Starts moto_server.py (one server per region), creates users holding the seed
aws-cn policies, runs the flow with boto3 and records:
  * raw response bodies  -> samples/<service>-<Action>.xml (first success) and
                            samples/<service>-<Action>-<ErrorCode>.xml (first error)
  * raw request lines     -> samples/requests-<region>.txt
  * outcome log           -> stdout (JSON lines) and probe-<region>.log
"""

import json
import os
import subprocess
import sys
import time
import urllib.parse

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(HERE, "samples")
POL = os.path.join(HERE, "..", "..", "core", "tests", "fixtures", "policies")
SERVICE_FILE = {"ec2": "ec2", "elastic-load-balancing-v2": "elbv2", "elbv2": "elbv2",
                "iam": "iam", "sts": "sts"}
TAG_K, TAG_V = "used-by", "emqx-cloud"
DEPLOY = "probe-deploy-1"


def policy(name):
    with open(os.path.join(POL, f"aws-cn-{name}.json")) as fh:
        return json.load(fh)


def without(doc, action):
    doc = json.loads(json.dumps(doc))
    for st in doc["Statement"]:
        st["Action"] = [a for a in st["Action"] if a != action]
    return doc


class Recorder:
    def __init__(self, region, log):
        self.region = region
        self.log = log
        self.req_lines = []
        self.seen_req = set()
        self.outcomes = []
        self.suffix = ""

    def before_send(self, request, event_name, **kw):
        _, service, op = event_name.split(".", 2)
        service = SERVICE_FILE.get(service, service)
        key = (service, op)
        if key in self.seen_req:
            return
        self.seen_req.add(key)
        auth = request.headers.get("Authorization", b"")
        if isinstance(auth, bytes):
            auth = auth.decode()
        scope = auth.split("Credential=")[1].split(",")[0] if "Credential=" in auth else ""
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        ct = request.headers.get("Content-Type", b"")
        ct = ct.decode() if isinstance(ct, bytes) else ct
        self.req_lines.append(
            f"### {service} {op}\n{request.method} {request.url}\n"
            f"Content-Type: {ct}\nCredential scope: {scope}\n"
            f"{body.decode()}\n"
        )

    def before_parse(self, operation_model, response_dict, event_name, **kw):
        service = SERVICE_FILE.get(event_name.split(".")[1], event_name.split(".")[1])
        op = operation_model.name
        body = response_dict.get("body") or b""
        status = response_dict.get("status_code")
        if status and status >= 300 and not body.lstrip().startswith(b"<?xml") and b"<html" in body[:200].lower():
            name = f"{service}-{op}-HTTP{status}.html"
        elif status and status >= 300:
            code = "Error"
            try:
                txt = body.decode()
                code = txt.split("<Code>")[1].split("</Code>")[0]
            except Exception:
                pass
            name = f"{service}-{op}{self.suffix}-{code}.xml"
        else:
            name = f"{service}-{op}{self.suffix}.xml"
        path = os.path.join(SAMPLES, name)
        if not os.path.exists(path):
            with open(path, "wb") as fh:
                fh.write(body)


def start_server(region, users):
    setup = {"region": region, "users": users}
    sp = os.path.join("/tmp", f"probe-setup-{region}.json")
    kp = os.path.join("/tmp", f"probe-keys-{region}.json")
    with open(sp, "w") as fh:
        json.dump(setup, fh)
    proc = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "moto_server.py"), "--setup", sp, "--keys-out", kp],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    line = proc.stdout.readline().strip()
    assert line.startswith("READY "), line
    port = int(line.split()[1])
    with open(kp) as fh:
        keys = json.load(fh)
    return proc, port, keys


def main(region):
    os.makedirs(SAMPLES, exist_ok=True)
    create, delete, stopstart = policy("create"), policy("delete"), policy("stop-start")
    users = [
        {"name": "create", "policy": create},
        {"name": "delete", "policy": delete},
        {"name": "stopstart", "policy": stopstart},
        {"name": "create-no-runinstances", "policy": without(create, "ec2:RunInstances")},
        {"name": "create-no-createtags", "policy": without(create, "ec2:CreateTags")},
        {"name": "create-no-addtags",
         "policy": without(create, "elasticloadbalancing:AddTags")},
        {"name": "nopolicy", "policy": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]}},
    ]
    proc, port, keys = start_server(region, users)
    endpoint = f"http://127.0.0.1:{port}"
    logf = open(os.path.join(HERE, f"probe-{region}.log"), "w")
    rec = Recorder(region, logf)
    results = {}

    def client(user, service, secret=None):
        k = keys[user]
        sess = boto3.session.Session(
            aws_access_key_id=k["access_key_id"],
            aws_secret_access_key=secret or k["secret_access_key"],
            region_name=region,
        )
        c = sess.client(service, endpoint_url=endpoint,
                        config=Config(retries={"max_attempts": 1}))
        c.meta.events.register("before-send", rec.before_send)
        c.meta.events.register("before-parse", rec.before_parse)
        return c

    def call(label, c, op, sample="", **kw):
        rec.suffix = sample
        try:
            r = getattr(c, op)(**kw)
            r.pop("ResponseMetadata", None)
            out = {"ok": True}
        except ClientError as e:
            r = None
            out = {"ok": False, "code": e.response["Error"].get("Code"),
                   "msg": e.response["Error"].get("Message"),
                   "http": e.response["ResponseMetadata"].get("HTTPStatusCode")}
        except Exception as e:  # noqa
            r = None
            out = {"ok": False, "exc": repr(e)[:300]}
        rec.suffix = ""
        out["call"] = label
        line = json.dumps(out, default=str)
        print(line)
        logf.write(line + "\n")
        results[label] = out
        return r

    def note(label, value):
        line = json.dumps({"note": label, "value": value}, default=str)
        print(line)
        logf.write(line + "\n")

    tags = [{"Key": TAG_K, "Value": TAG_V}, {"Key": "byoc-deployment", "Value": DEPLOY}]

    def ts(rtype):
        return [{"ResourceType": rtype, "Tags": tags}]

    ec2 = client("create", "ec2")
    elb = client("create", "elbv2")
    sts = client("nopolicy", "sts")

    # --- identity ---------------------------------------------------------
    r = call("sts:GetCallerIdentity(nopolicy)", sts, "get_caller_identity")
    note("caller", r)
    call("ec2:DescribeVpcs(nopolicy)", client("nopolicy", "ec2"), "describe_vpcs")
    call("ec2:DescribeVpcs(bad secret)", client("create", "ec2", secret="wrong"), "describe_vpcs")
    call("ec2:DescribeAvailabilityZones(create)", ec2, "describe_availability_zones")
    call("ec2:DescribeRegions(create)", ec2, "describe_regions",
         RegionNames=[region])

    # --- network ------------------------------------------------------------
    vpc = call("CreateVpc", ec2, "create_vpc", CidrBlock="10.42.0.0/16",
               TagSpecifications=ts("vpc"))["Vpc"]
    vpc_id = vpc["VpcId"]
    call("ModifyVpcAttribute", ec2, "modify_vpc_attribute", VpcId=vpc_id,
         EnableDnsHostnames={"Value": True})
    zones = [f"{region}a", f"{region}b", f"{region}c"]
    call("CreateSubnet bad zone", ec2, "create_subnet", VpcId=vpc_id,
         CidrBlock="10.42.200.0/24", AvailabilityZone=f"{region}z")
    call("CreateSubnet zone d", ec2, "create_subnet", VpcId=vpc_id,
         CidrBlock="10.42.201.0/24", AvailabilityZone=f"{region}d")
    subnets = []
    for i, z in enumerate(zones):
        s = call(f"CreateSubnet {z}", ec2, "create_subnet", VpcId=vpc_id,
                 CidrBlock=f"10.42.{i}.0/24", AvailabilityZone=z,
                 TagSpecifications=ts("subnet"))
        if s:
            subnets.append(s["Subnet"]["SubnetId"])
            call(f"ModifySubnetAttribute {z}", ec2, "modify_subnet_attribute",
                 SubnetId=s["Subnet"]["SubnetId"], MapPublicIpOnLaunch={"Value": True})
    # remove the stray 'd' subnet if moto accepted it (keep the flow clean)
    d = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    note("subnet zones", [(s["SubnetId"], s["AvailabilityZone"], s.get("AvailabilityZoneId"))
                          for s in d])
    for s in d:
        if s["SubnetId"] not in subnets:
            call("DeleteSubnet stray (create)", ec2, "delete_subnet", SubnetId=s["SubnetId"])
            call("DeleteSubnet stray (delete)", client("delete", "ec2"), "delete_subnet",
                 SubnetId=s["SubnetId"])

    igw = call("CreateInternetGateway", ec2, "create_internet_gateway",
               TagSpecifications=ts("internet-gateway"))["InternetGateway"]["InternetGatewayId"]
    call("AttachInternetGateway", ec2, "attach_internet_gateway",
         InternetGatewayId=igw, VpcId=vpc_id)
    rts, assocs = [], []
    for i in range(2):
        rt = call(f"CreateRouteTable {i}", ec2, "create_route_table", VpcId=vpc_id,
                  TagSpecifications=ts("route-table"))["RouteTable"]["RouteTableId"]
        rts.append(rt)
    call("CreateRoute", ec2, "create_route", RouteTableId=rts[0],
         DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    for i, s in enumerate(subnets):
        a = call(f"AssociateRouteTable {i}", ec2, "associate_route_table",
                 RouteTableId=rts[0] if i < 2 else rts[1], SubnetId=s)
        assocs.append(a["AssociationId"])
    call("DescribeRouteTables", ec2, "describe_route_tables",
         Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])

    sg = call("DescribeSecurityGroups", ec2, "describe_security_groups",
              Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                       {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"]
    note("default sg", sg)
    sg_id = sg[0]["GroupId"]
    perms = [{"IpProtocol": "tcp", "FromPort": p, "ToPort": p,
              "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": f"port {p}"}]}
             for p in (1883, 8883, 8083, 8084, 18083)]
    perms.append({"IpProtocol": "tcp", "FromPort": 4370, "ToPort": 4370,
                  "IpRanges": [{"CidrIp": "10.42.0.0/16"}]})
    perms.append({"IpProtocol": "tcp", "FromPort": 5370, "ToPort": 5380,
                  "UserIdGroupPairs": [{"GroupId": sg_id}]})
    call("AuthorizeSecurityGroupIngress", ec2, "authorize_security_group_ingress",
         GroupId=sg_id, IpPermissions=perms)
    call("AuthorizeSecurityGroupIngress dup", ec2, "authorize_security_group_ingress",
         GroupId=sg_id, IpPermissions=perms[:1])
    call("CreateTags sg", ec2, "create_tags", Resources=[sg_id], Tags=tags)
    call("CreateSecurityGroup", ec2, "create_security_group", GroupName="probe-extra",
         Description="probe", VpcId=vpc_id, TagSpecifications=ts("security-group"))

    # --- key pair -------------------------------------------------------
    call("CreateKeyPair", ec2, "create_key_pair", KeyName="probe-kp-1",
         TagSpecifications=ts("key-pair"))
    pub = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq4i6Hf0P2fN5y9g0Jk0c2m2S0bMqYxDd7WQkY2oZ2r probe")
    call("ImportKeyPair ed25519", ec2, "import_key_pair", KeyName="probe-kp-2",
         PublicKeyMaterial=pub.encode(), TagSpecifications=ts("key-pair"))
    call("DescribeKeyPairs", ec2, "describe_key_pairs",
         Filters=[{"Name": "tag:used-by", "Values": [TAG_V]}])

    # --- images ---------------------------------------------------------
    ami = "ami-760aaa0f"  # amzn-ami-hvm-2017.09.1 x86_64, present in the global list
    call("DescribeImages by id", ec2, "describe_images", ImageIds=[ami])
    imgs = call("DescribeImages owner amazon", ec2, "describe_images", Owners=["amazon"],
                sample="-all-amazon")
    note("amazon images", {"count": len(imgs["Images"]), "first": sorted(
        (i["ImageId"], i.get("Name"), i.get("Architecture")) for i in imgs["Images"])[:50]}
         if imgs else None)
    imgs2 = call("DescribeImages ubuntu filter", ec2, "describe_images",
                 Filters=[{"Name": "name", "Values": ["ubuntu/images/*"]}])
    note("ubuntu images", [(i["ImageId"], i["Name"], i.get("OwnerId"))
                           for i in imgs2["Images"]] if imgs2 else None)
    call("DescribeImages bogus id", ec2, "describe_images", ImageIds=["ami-00000000deadbeef0"])

    # --- instances ------------------------------------------------------
    ud = "#cloud-config\nruncmd:\n  - echo hello\n"
    run_kw = dict(ImageId=ami, InstanceType="t3.medium", MinCount=1, MaxCount=1,
                  KeyName="probe-kp-1", SubnetId=subnets[0], SecurityGroupIds=[sg_id],
                  UserData=ud,  # boto3 base64-encodes it once on the wire
                  TagSpecifications=ts("instance") + ts("volume"),
                  ClientToken="probe-token-1")
    r1 = call("RunInstances", ec2, "run_instances", **run_kw)
    r2 = call("RunInstances same ClientToken", ec2, "run_instances", sample="-same-token",
              **run_kw)
    i1 = r1["Instances"][0]["InstanceId"]
    i2 = r2["Instances"][0]["InstanceId"] if r2 else None
    note("ClientToken idempotent?", {"first": i1, "second": i2, "same": i1 == i2})
    r3 = call("RunInstances node2", ec2, "run_instances",
              **{**run_kw, "SubnetId": subnets[1], "ClientToken": "probe-token-2"})
    i3 = r3["Instances"][0]["InstanceId"]
    call("RunInstances (create-no-runinstances)",
         client("create-no-runinstances", "ec2"), "run_instances",
         **{**run_kw, "ClientToken": "probe-token-4"})
    r5 = call("RunInstances tagged (create-no-createtags)",
              client("create-no-createtags", "ec2"), "run_instances",
              **{**run_kw, "ClientToken": "probe-token-5"})
    call("CreateTags (create-no-createtags)", client("create-no-createtags", "ec2"),
         "create_tags", Resources=[sg_id], Tags=tags)
    call("DescribeInstanceAttribute userData", ec2, "describe_instance_attribute",
         InstanceId=i1, Attribute="userData")
    d = call("DescribeInstances tag filter", ec2, "describe_instances",
             Filters=[{"Name": "tag:used-by", "Values": [TAG_V]},
                      {"Name": "tag:byoc-deployment", "Values": [DEPLOY]}])
    all_ids = [i["InstanceId"] for res in d["Reservations"] for i in res["Instances"]]
    note("instances", [(i["InstanceId"], i["State"]["Name"], i.get("PublicIpAddress"),
                        i.get("PrivateIpAddress"), i.get("Placement", {}).get("AvailabilityZone"))
                       for res in d["Reservations"] for i in res["Instances"]])
    call("DescribeVolumes", ec2, "describe_volumes",
         Filters=[{"Name": "tag:used-by", "Values": [TAG_V]}])

    img = call("CreateImage", ec2, "create_image", InstanceId=i1, Name="probe-image-1",
               TagSpecifications=ts("image"))
    img_id = img["ImageId"] if img else None
    call("CreateImage snapshot tagspec", ec2, "create_image", sample="-snapshot-tagspec",
         InstanceId=i1,
         Name="probe-image-2", TagSpecifications=ts("image") + ts("snapshot"))
    call("DescribeImages self", ec2, "describe_images", Owners=["self"])
    call("ModifyImageAttribute", ec2, "modify_image_attribute", ImageId=img_id,
         LaunchPermission={"Add": [{"UserId": "210987654321"}]}) if img_id else None
    # extra instances we will terminate with the create policy
    call("TerminateInstances (create)", ec2, "terminate_instances", InstanceIds=[i2] if i2 != i1 else [i3])

    # --- load balancer --------------------------------------------------
    elb_tags = [{"Key": TAG_K, "Value": TAG_V}, {"Key": "byoc-deployment", "Value": DEPLOY}]
    lb = call("CreateLoadBalancer", elb, "create_load_balancer", Name="probe-nlb",
              Type="network", Scheme="internet-facing", Subnets=subnets, Tags=elb_tags)
    lb = lb["LoadBalancers"][0]
    note("lb", {k: lb.get(k) for k in ("LoadBalancerArn", "DNSName", "Type", "State")})
    lb_arn = lb["LoadBalancerArn"]
    call("CreateLoadBalancer (create-no-addtags)", client("create-no-addtags", "elbv2"),
         "create_load_balancer", Name="probe-nlb-2", Type="network",
         Scheme="internet-facing", Subnets=subnets, Tags=elb_tags)
    ports = [1883, 8883, 8083, 8084, 18083, 4370]
    tgs, listeners = [], []
    for p in ports:
        tg = call(f"CreateTargetGroup {p}", elb, "create_target_group",
                  Name=f"probe-tg-{p}", Protocol="TCP", Port=p, VpcId=vpc_id,
                  TargetType="instance", HealthCheckProtocol="TCP", Tags=elb_tags)
        tg_arn = tg["TargetGroups"][0]["TargetGroupArn"]
        tgs.append(tg_arn)
        ls = call(f"CreateListener {p}", elb, "create_listener", LoadBalancerArn=lb_arn,
                  Protocol="TCP", Port=p,
                  DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}],
                  Tags=elb_tags)
        listeners.append(ls["Listeners"][0]["ListenerArn"])
        call(f"RegisterTargets {p}", elb, "register_targets", TargetGroupArn=tg_arn,
             Targets=[{"Id": i1, "Port": p}, {"Id": i3, "Port": p}])
    call("CreateListener TLS", elb, "create_listener", LoadBalancerArn=lb_arn,
         Protocol="TLS", Port=9443,
         Certificates=[{"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/x"}],
         DefaultActions=[{"Type": "forward", "TargetGroupArn": tgs[0]}])
    h = call("DescribeTargetHealth running", elb, "describe_target_health",
             TargetGroupArn=tgs[0])
    note("health running", [(t["Target"]["Id"], t["TargetHealth"]) for t in h["TargetHealthDescriptions"]])
    call("DescribeLoadBalancers", elb, "describe_load_balancers", Names=["probe-nlb"])
    call("DescribeLoadBalancers by arn", elb, "describe_load_balancers", LoadBalancerArns=[lb_arn])
    call("DescribeListeners", elb, "describe_listeners", LoadBalancerArn=lb_arn)
    call("DescribeTargetGroups", elb, "describe_target_groups", LoadBalancerArn=lb_arn)
    t = call("elbv2 DescribeTags", elb, "describe_tags", ResourceArns=[lb_arn, tgs[0], listeners[0]])
    call("DescribeSubnets", ec2, "describe_subnets",
         Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
    call("DescribeInternetGateways", ec2, "describe_internet_gateways",
         Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])
    call("DescribeVpcs", ec2, "describe_vpcs", VpcIds=[vpc_id])
    call("ec2 DescribeTags", ec2, "describe_tags",
         Filters=[{"Name": "key", "Values": ["byoc-deployment"]},
                  {"Name": "value", "Values": [DEPLOY]}])
    call("ModifyLoadBalancerAttributes", elb, "modify_load_balancer_attributes",
         LoadBalancerArn=lb_arn,
         Attributes=[{"Key": "load_balancing.cross_zone.enabled", "Value": "true"}])
    call("ModifyTargetGroupAttributes", elb, "modify_target_group_attributes",
         TargetGroupArn=tgs[0],
         Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}])
    call("elbv2 AddTags", elb, "add_tags", ResourceArns=[lb_arn],
         Tags=[{"Key": "extra", "Value": "1"}])
    call("StopInstances (create)", ec2, "stop_instances", InstanceIds=[i3])
    call("StartInstances (create)", ec2, "start_instances", InstanceIds=[i3])

    # --- stop / start ---------------------------------------------------
    ss = client("stopstart", "ec2")
    d = call("DescribeInstances (stopstart)", ss, "describe_instances",
             Filters=[{"Name": "tag:used-by", "Values": [TAG_V]},
                      {"Name": "tag:byoc-deployment", "Values": [DEPLOY]},
                      {"Name": "instance-state-name", "Values": ["pending", "running", "stopping", "stopped"]}])
    live = [i["InstanceId"] for res in d["Reservations"] for i in res["Instances"]]
    note("live instances", live)
    call("StopInstances", ss, "stop_instances", InstanceIds=live)
    d = call("DescribeInstances after stop", ss, "describe_instances", InstanceIds=live[:1],
             sample="-stopped")
    note("after stop", [(i["InstanceId"], i["State"]) for res in d["Reservations"] for i in res["Instances"]])
    h = call("DescribeTargetHealth stopped", elb, "describe_target_health", TargetGroupArn=tgs[0],
             sample="-stopped")
    note("health stopped", [(t["Target"]["Id"], t["TargetHealth"]) for t in h["TargetHealthDescriptions"]])
    call("StartInstances", ss, "start_instances", InstanceIds=live)
    d = ss.describe_instances(InstanceIds=live)
    note("after start", [(i["InstanceId"], i["State"], i.get("PublicIpAddress")) for res in d["Reservations"] for i in res["Instances"]])
    call("DescribeVpcs (stopstart)", ss, "describe_vpcs")
    call("TerminateInstances (stopstart)", ss, "terminate_instances", InstanceIds=live[:1])

    # --- delete ---------------------------------------------------------
    de = client("delete", "ec2")
    dl = client("delete", "elbv2")
    d = call("DescribeInstances (delete)", de, "describe_instances",
             Filters=[{"Name": "tag:used-by", "Values": [TAG_V]}])
    ids = [i["InstanceId"] for res in d["Reservations"] for i in res["Instances"]
           if i["State"]["Name"] != "terminated"]
    call("DeleteVpc too early (delete)", de, "delete_vpc", VpcId=vpc_id)
    call("TerminateInstances", de, "terminate_instances", InstanceIds=ids)
    h = call("DescribeTargetHealth terminated (create)", elb, "describe_target_health",
             TargetGroupArn=tgs[0])
    note("health terminated", [(t["Target"]["Id"], t["TargetHealth"]) for t in h["TargetHealthDescriptions"]])
    call("DescribeListeners (delete)", dl, "describe_listeners", LoadBalancerArn=lb_arn)
    call("DescribeLoadBalancers (delete)", dl, "describe_load_balancers")
    call("elbv2 DescribeTags (delete)", dl, "describe_tags", ResourceArns=[lb_arn])
    call("DescribeTargetGroups (delete)", dl, "describe_target_groups")
    call("DeleteTargetGroup in use", dl, "delete_target_group", TargetGroupArn=tgs[0])
    call("DeleteListener", dl, "delete_listener", ListenerArn=listeners[0])
    call("DeleteLoadBalancer", dl, "delete_load_balancer", LoadBalancerArn=lb_arn)
    call("DescribeListeners after LB delete (create)", elb, "describe_listeners", ListenerArns=listeners[1:2])
    other = elb.describe_load_balancers()["LoadBalancers"]
    for o in other:
        call("DeleteLoadBalancer other", dl, "delete_load_balancer",
             LoadBalancerArn=o["LoadBalancerArn"])
    for tg in tgs:
        call("DeleteTargetGroup", dl, "delete_target_group", TargetGroupArn=tg)
    call("DeleteTargetGroup again", dl, "delete_target_group", TargetGroupArn=tgs[0])
    imgs = de.describe_images(Owners=["self"])["Images"]
    for im in imgs:
        call("DeregisterImage", de, "deregister_image", ImageId=im["ImageId"])
    for kp in ("probe-kp-1", "probe-kp-2"):
        call("DeleteKeyPair", de, "delete_key_pair", KeyName=kp)
    call("DeleteKeyPair missing", de, "delete_key_pair", KeyName="nope-kp")
    call("DeleteSubnet with assoc", de, "delete_subnet", SubnetId=subnets[2])
    call("DeleteRouteTable with assoc", de, "delete_route_table", RouteTableId=rts[0])
    for a in assocs:
        call("DisassociateRouteTable", de, "disassociate_route_table", AssociationId=a)
    call("DeleteVpc with subnets", de, "delete_vpc", VpcId=vpc_id)
    for rt in rts:
        call("DeleteRouteTable", de, "delete_route_table", RouteTableId=rt)
    for s in subnets:
        call("DeleteSubnet", de, "delete_subnet", SubnetId=s)
    call("DeleteInternetGateway attached", de, "delete_internet_gateway", InternetGatewayId=igw)
    call("DeleteSecurityGroup extra (delete)", de, "delete_security_group", GroupName="probe-extra") 
    # decide DeleteVpc-before-IGW: moto does not check the IGW (probe it)
    call("DetachInternetGateway", de, "detach_internet_gateway", InternetGatewayId=igw, VpcId=vpc_id)
    call("DeleteInternetGateway", de, "delete_internet_gateway", InternetGatewayId=igw)
    call("DeleteVpc", de, "delete_vpc", VpcId=vpc_id)
    call("DescribeVpcs after", de, "describe_vpcs", VpcIds=[vpc_id])
    sgs = de.describe_security_groups()["SecurityGroups"]
    note("security groups left", [(g["GroupId"], g["GroupName"], g.get("VpcId")) for g in sgs])
    d = de.describe_instances(Filters=[{"Name": "tag:used-by", "Values": [TAG_V]}])
    note("instances left", [(i["InstanceId"], i["State"]["Name"]) for res in d["Reservations"] for i in res["Instances"]])

    extras(region, endpoint, keys, client, call, note, ts, ami)

    with open(os.path.join(SAMPLES, f"requests-{region}.txt"), "w") as fh:
        fh.write("\n".join(rec.req_lines))
    proc.stdin.close()
    proc.wait(timeout=20)
    note("server exit code", proc.returncode)
    logf.close()


def extras(region, endpoint, keys, client, call, note, ts, ami):
    """Edge cases: dependency checks moto does / does not make, raw requests."""
    ec2 = client("create", "ec2")
    elb = client("create", "elbv2")
    de = client("delete", "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16", TagSpecifications=ts("vpc"))["Vpc"]["VpcId"]
    sub = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24",
                            AvailabilityZone=f"{region}a")["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    inst = ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1,
                             SubnetId=sub, TagSpecifications=ts("instance"))["Instances"][0]["InstanceId"]
    tg = elb.create_target_group(Name="x-tg", Protocol="TCP", Port=1883, VpcId=vpc)[
        "TargetGroups"][0]["TargetGroupArn"]
    elb.register_targets(TargetGroupArn=tg, Targets=[{"Id": inst}])
    call("X DescribeTargetHealth after RunInstances", elb, "describe_target_health", TargetGroupArn=tg)
    call("X DeleteSubnet with running instance", de, "delete_subnet", SubnetId=sub)
    de.terminate_instances(InstanceIds=[inst])
    h = call("X DescribeTargetHealth terminated, explicit Targets", elb,
             "describe_target_health", TargetGroupArn=tg, Targets=[{"Id": inst}],
             sample="-terminated-explicit")
    note("X health terminated explicit", h and [(t["Target"], t["TargetHealth"]) for t in h["TargetHealthDescriptions"]])
    h = call("X DescribeTargetHealth terminated, no Targets", elb, "describe_target_health", TargetGroupArn=tg)
    note("X health terminated list", h and h["TargetHealthDescriptions"])
    call("X DeleteVpc with IGW still attached", de, "delete_vpc", VpcId=vpc)
    call("X DescribeInternetGateways", ec2, "describe_internet_gateways", InternetGatewayIds=[igw])

    # ClientToken: same token, different params
    r1 = ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=2, MaxCount=2,
                           ClientToken="tok-x")
    r2 = ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=2, MaxCount=2,
                           ClientToken="tok-x")
    note("X ClientToken reservations", [r1["ReservationId"], r2["ReservationId"],
                                        [i.get("ClientToken") for i in r1["Instances"]]])
    d = call("X DescribeInstances filter client-token", ec2, "describe_instances",
             sample="-client-token-filter",
             Filters=[{"Name": "client-token", "Values": ["tok-x"]}])
    d2 = ec2.describe_instances(InstanceIds=[i["InstanceId"] for i in r1["Instances"]])
    note("X ClientToken echoed in DescribeInstances",
         [i.get("ClientToken") for res in d2["Reservations"] for i in res["Instances"]])

    # IAM under enforcement
    call("X iam:GetUser (create)", client("create", "iam"), "get_user")
    call("X iam:ListUsers (create)", client("create", "iam"), "list_users")

    # raw requests
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    import urllib.request
    k = keys["create"]
    creds = Credentials(k["access_key_id"], k["secret_access_key"])

    def raw(label, method, service, query=None, body=None, ctype=None, sign_region=region):
        url = endpoint + "/" + (("?" + urllib.parse.urlencode(query)) if query else "")
        headers = {}
        if ctype:
            headers["Content-Type"] = ctype
        req = AWSRequest(method=method, url=url, data=body or b"", headers=headers)
        SigV4Auth(creds, service, sign_region).add_auth(req)
        p = req.prepare()
        r = urllib.request.Request(p.url, data=p.body if method == "POST" else None,
                                   headers=dict(p.headers), method=method)
        try:
            with urllib.request.urlopen(r, timeout=30) as resp:
                status, text = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read()
        note(label, {"status": status, "body": text[:300].decode(errors="replace")})
        return status, text

    raw("R ec2 GET query", "GET", "ec2", {"Action": "DescribeRegions", "Version": "2016-11-15"})
    raw("R ec2 POST form", "POST", "ec2", None,
        b"Action=DescribeRegions&Version=2016-11-15",
        "application/x-www-form-urlencoded; charset=utf-8")
    raw("R ec2 POST form no Version", "POST", "ec2", None, b"Action=DescribeRegions",
        "application/x-www-form-urlencoded; charset=utf-8")
    raw("R ec2 POST query in URL, empty body", "POST", "ec2",
        {"Action": "DescribeRegions", "Version": "2016-11-15"})
    raw("R ec2 POST form without content-type", "POST", "ec2", None,
        b"Action=DescribeRegions&Version=2016-11-15", None)
    raw("R elbv2 POST form", "POST", "elasticloadbalancing", None,
        b"Action=DescribeLoadBalancers&Version=2015-12-01",
        "application/x-www-form-urlencoded; charset=utf-8")
    raw("R elb POST form no Version", "POST", "elasticloadbalancing", None,
        b"Action=DescribeLoadBalancers",
        "application/x-www-form-urlencoded; charset=utf-8")
    raw("R sts GetCallerIdentity", "POST", "sts", None,
        b"Action=GetCallerIdentity&Version=2011-06-15",
        "application/x-www-form-urlencoded; charset=utf-8")
    other = "us-east-1" if region.startswith("cn-") else "cn-northwest-1"
    raw(f"R sts signed with other-partition region {other}", "POST", "sts", None,
        b"Action=GetCallerIdentity&Version=2011-06-15",
        "application/x-www-form-urlencoded; charset=utf-8", sign_region=other)
    raw("R iam GetUser", "POST", "iam", None, b"Action=GetUser&Version=2010-05-08",
        "application/x-www-form-urlencoded; charset=utf-8")
    raw("R ec2 unknown action", "POST", "ec2", None,
        b"Action=DescribeFooBar&Version=2016-11-15",
        "application/x-www-form-urlencoded; charset=utf-8")


if __name__ == "__main__":
    for region in sys.argv[1:] or ["us-east-1", "cn-northwest-1"]:
        print(f"===== {region}")
        main(region)
