//! The AWS and AWS China engine: executes a deployment's plan phase by phase with only the calls
//! the seed's policy for that operation allows. Every step looks for its resource first (by the
//! deployment's tags, by name, or by the client token) and creates it only when it is missing, so
//! a retry after a failure or a `kill -9` continues without duplicates. Delete and stop/start find
//! their resources by tag alone, so they touch nothing without the deployment's tag and the
//! destructive-action tag, and work from any machine.

pub mod credentials;
pub mod query;

use std::time::{Duration, Instant};

use byoc_core::lifecycle::deployment::Operation;
use byoc_core::provision::{Detail, Kind, Plan, Resource, Role, DEPLOYMENT_TAG_KEY};

use super::state::{State, Store};
pub use super::{
    base64, instance_role, role_code, UserData, Waits, RESOURCE_TAG_KEY, ROLE_TAG_KEY,
};
use query::roxmltree_owned::Item;
pub use query::{AwsError, Client, Service};

pub struct Engine<'a, U: UserData> {
    pub api: Client,
    plan: &'a Plan,
    store: Store,
    state: State,
    user_data: U,
    /// The AMI the builder starts from; found by name when not given.
    base_image: Option<String>,
    pub waits: Waits,
    /// The domain clients use, for the dns phase.
    domain: String,
    /// Called with a line for the person running the toolkit (waits, adoptions, retries).
    log: Box<dyn FnMut(&str) + 'a>,
}

/// A request's parameters, in the Query protocol's flattened form.
#[derive(Default, Clone)]
struct Params(Vec<(String, String)>);

impl Params {
    fn new() -> Params {
        Params::default()
    }

    fn p(mut self, k: impl Into<String>, v: impl Into<String>) -> Params {
        self.0.push((k.into(), v.into()));
        self
    }

    /// EC2 filters: `Filter.N.Name`, `Filter.N.Value.M`.
    fn filters<S: AsRef<str>>(mut self, filters: &[(S, Vec<String>)]) -> Params {
        for (i, (name, values)) in filters.iter().enumerate() {
            self = self.p(format!("Filter.{}.Name", i + 1), name.as_ref());
            for (j, v) in values.iter().enumerate() {
                self = self.p(format!("Filter.{}.Value.{}", i + 1, j + 1), v.clone());
            }
        }
        self
    }

    /// EC2 tags at creation: `TagSpecification.N.ResourceType`, `TagSpecification.N.Tag.M.*`.
    fn tag_spec(mut self, n: usize, resource_type: &str, tags: &[(String, String)]) -> Params {
        self = self.p(format!("TagSpecification.{n}.ResourceType"), resource_type);
        for (i, (k, v)) in tags.iter().enumerate() {
            self = self
                .p(format!("TagSpecification.{n}.Tag.{}.Key", i + 1), k.clone())
                .p(
                    format!("TagSpecification.{n}.Tag.{}.Value", i + 1),
                    v.clone(),
                );
        }
        self
    }

    /// ELB tags: `Tags.member.N.Key|Value`.
    fn elb_tags(mut self, tags: &[(String, String)]) -> Params {
        for (i, (k, v)) in tags.iter().enumerate() {
            self = self
                .p(format!("Tags.member.{}.Key", i + 1), k.clone())
                .p(format!("Tags.member.{}.Value", i + 1), v.clone());
        }
        self
    }

    /// `Prefix.N` lists (EC2 `InstanceId.N`; ELB `Prefix.member.N`).
    fn list(mut self, prefix: &str, values: &[String]) -> Params {
        for (i, v) in values.iter().enumerate() {
            self = self.p(format!("{prefix}.{}", i + 1), v.clone());
        }
        self
    }
}

/// How EC2 describes and creates one kind of network resource.
struct Ec2Kind {
    describe: &'static str,
    list: &'static str,
    id: &'static str,
    create: &'static str,
    resource_type: &'static str,
}

const VPC: Ec2Kind = Ec2Kind {
    describe: "DescribeVpcs",
    list: "vpcSet",
    id: "vpcId",
    create: "CreateVpc",
    resource_type: "vpc",
};
const SUBNET: Ec2Kind = Ec2Kind {
    describe: "DescribeSubnets",
    list: "subnetSet",
    id: "subnetId",
    create: "CreateSubnet",
    resource_type: "subnet",
};
const INTERNET_GATEWAY: Ec2Kind = Ec2Kind {
    describe: "DescribeInternetGateways",
    list: "internetGatewaySet",
    id: "internetGatewayId",
    create: "CreateInternetGateway",
    resource_type: "internet-gateway",
};
const ROUTE_TABLE: Ec2Kind = Ec2Kind {
    describe: "DescribeRouteTables",
    list: "routeTableSet",
    id: "routeTableId",
    create: "CreateRouteTable",
    resource_type: "route-table",
};

const LIVE_STATES: [&str; 4] = ["pending", "running", "stopping", "stopped"];

impl<'a, U: UserData> Engine<'a, U> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        api: Client,
        plan: &'a Plan,
        store: Store,
        user_data: U,
        base_image: Option<String>,
        domain: &str,
        log: Box<dyn FnMut(&str) + 'a>,
    ) -> Result<Engine<'a, U>, AwsError> {
        let state = store
            .load(&plan.deployment_id, plan.cloud.code(), &plan.region)
            .map_err(AwsError::Plan)?;
        Ok(Engine {
            api,
            plan,
            store,
            state,
            user_data,
            base_image,
            waits: Waits::default(),
            domain: domain.to_owned(),
            log,
        })
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    fn ec2(&self, action: &str, params: Params) -> Result<query::roxmltree_owned::Xml, AwsError> {
        self.api.call(Service::Ec2, action, &params.0)
    }

    fn elb(&self, action: &str, params: Params) -> Result<query::roxmltree_owned::Xml, AwsError> {
        self.api.call(Service::Elb, action, &params.0)
    }

    fn record(&mut self, key: &str, id: &str) -> Result<(), AwsError> {
        if self.state.ids.get(key).map(String::as_str) != Some(id) {
            self.state.ids.insert(key.to_owned(), id.to_owned());
            self.store.save(&self.state).map_err(AwsError::Plan)?;
        }
        Ok(())
    }

    fn fact(&mut self, key: &str, value: &str) -> Result<(), AwsError> {
        self.state.facts.insert(key.to_owned(), value.to_owned());
        self.store.save(&self.state).map_err(AwsError::Plan)
    }

    fn id(&self, key: &str) -> Result<String, AwsError> {
        self.state
            .ids
            .get(key)
            .cloned()
            .ok_or_else(|| AwsError::Plan(format!("{key} was not created before it is needed")))
    }

    fn res(&self, key: &str) -> Result<&'a Resource, AwsError> {
        self.plan
            .get(key)
            .ok_or_else(|| AwsError::Plan(format!("the plan has no {key}")))
    }

    /// Every tag a resource carries: the plan's (destructive-action tag, deployment, the
    /// customer's), its name, its key and, for instances, its role.
    fn tags_of(&self, r: &Resource) -> Vec<(String, String)> {
        let mut tags: Vec<(String, String)> = self
            .plan
            .tags
            .iter()
            .map(|t| (t.key.clone(), t.value.clone()))
            .collect();
        tags.push(("Name".into(), r.name.clone()));
        tags.push((RESOURCE_TAG_KEY.into(), r.key.clone()));
        if let Some(role) = instance_role(r) {
            tags.push((ROLE_TAG_KEY.into(), role_code(role).into()));
        }
        tags
    }

    /// The filters that find only this deployment's resources: its ID and the destructive-action
    /// tag, which the policies' conditions require.
    fn own_filters(&self) -> Vec<(String, Vec<String>)> {
        let destructive = &self.plan.tags[0];
        vec![
            (
                format!("tag:{DEPLOYMENT_TAG_KEY}"),
                vec![self.plan.deployment_id.clone()],
            ),
            (
                format!("tag:{}", destructive.key),
                vec![destructive.value.clone()],
            ),
        ]
    }

    fn key_filters(&self, key: &str) -> Vec<(String, Vec<String>)> {
        let mut f = self.own_filters();
        f.push((format!("tag:{RESOURCE_TAG_KEY}"), vec![key.to_owned()]));
        f
    }

    fn wait<T>(
        &mut self,
        what: &str,
        limit: Duration,
        mut look: impl FnMut(&mut Self) -> Result<Option<T>, AwsError>,
    ) -> Result<T, AwsError> {
        let start = Instant::now();
        let mut said = false;
        loop {
            match look(self) {
                Ok(Some(done)) => return Ok(done),
                Ok(None) => {}
                // EC2 is eventually consistent: an ID it just gave out may be unknown to the
                // next read for a while.
                Err(e) if e.code().is_some_and(|c| c.ends_with("NotFound")) => {}
                Err(e) => return Err(e),
            }
            if start.elapsed() >= limit {
                return Err(AwsError::Plan(format!(
                    "gave up waiting for {what} after {} s; run the operation again to continue",
                    limit.as_secs()
                )));
            }
            if !said {
                (self.log)(&format!("       waiting for {what} …"));
                said = true;
            }
            std::thread::sleep(self.waits.poll);
        }
    }

    /// A read of a resource this run may have just made: retried while EC2 does not know the ID
    /// yet (at most a minute).
    fn fresh(
        &mut self,
        action: &str,
        params: Params,
    ) -> Result<query::roxmltree_owned::Xml, AwsError> {
        let what = format!("AWS to show what it just made ({action})");
        self.wait(&what, Duration::from_secs(60), |e| {
            e.ec2(action, params.clone()).map(Some)
        })
    }

    /// Runs one phase of `op`; answers the line to report for it.
    pub fn run_phase(&mut self, op: Operation, phase: &str) -> Result<String, AwsError> {
        match (op, phase) {
            (_, "preflight") => self.preflight(op),
            (Operation::Create, "network") => self.network(),
            (Operation::Create, "image") => self.image(),
            (Operation::Create, "compute") => self.compute(),
            (Operation::Create, "load_balancer") => self.load_balancer(),
            (Operation::Create, "dns") => Ok(self.dns()),
            (Operation::Create, "cluster") => self.healthy(),
            (Operation::Create, "register") => Ok("the deployment's resources are in place and recorded".into()),
            (Operation::Stop, "cluster") => Ok("the brokers leave the cluster as their instances stop".into()),
            (Operation::Stop, "compute") => self.stop_or_start(false),
            (Operation::Start, "compute") => self.stop_or_start(true),
            (Operation::Start, "cluster") => Ok("the brokers rejoin the cluster as they boot".into()),
            (Operation::Delete, "cluster") => Ok("the cluster goes with its instances".into()),
            (Operation::Delete, "dns") => Ok(format!(
                "remove the DNS record of {} from your DNS zone; the load balancer it points to is deleted next",
                self.domain
            )),
            (Operation::Delete, "load_balancer") => self.delete_load_balancer(),
            (Operation::Delete, "compute") => self.delete_instances(),
            (Operation::Delete, "image") => self.delete_image_and_key(),
            (Operation::Delete, "network") => self.delete_network(),
            (op, phase) => Err(AwsError::Plan(format!(
                "{phase} is not a phase of {}",
                op.code()
            ))),
        }
    }

    /// What the console shows once create or start has finished.
    pub fn outputs(&self) -> byoc_core::api::DeploymentOutputs {
        let zone = self.plan.get("subnet-1").and_then(|r| match &r.detail {
            Detail::Subnet { zone, .. } => Some(zone.clone()),
            _ => None,
        });
        byoc_core::api::DeploymentOutputs {
            cloud_account_id: self.state.facts.get("account").cloned(),
            zone,
            vpc_id: self.state.ids.get("vpc").cloned(),
            load_balancer: self.state.facts.get("load_balancer").cloned(),
        }
    }

    // ----- preflight -----

    fn preflight(&mut self, op: Operation) -> Result<String, AwsError> {
        // One read the operation's policy allows: proves the credentials and the region.
        match op {
            Operation::Create | Operation::Delete => {
                let xml = self.ec2("DescribeVpcs", Params::new().filters(&self.own_filters()))?;
                let found = xml.items("vpcSet").len();
                // Sent to the control plane: the region, never which key was used.
                Ok(format!(
                    "credentials accepted in {}; {found} VPC of this deployment found",
                    self.plan.region
                ))
            }
            Operation::Stop | Operation::Start => {
                let n = self.cluster_instances()?.len();
                Ok(format!(
                    "credentials accepted in {}; {n} instances of this deployment found",
                    self.plan.region
                ))
            }
        }
    }

    // ----- network -----

    fn find_one(
        &self,
        action: &str,
        list: &str,
        key: &str,
        id_field: &str,
    ) -> Result<Option<Item>, AwsError> {
        let xml = self.ec2(action, Params::new().filters(&self.key_filters(key)))?;
        let items = xml.items(list);
        Ok(items.into_iter().find(|i| i.get(id_field).is_some()))
    }

    /// Finds the plan's resource `r` by its tags, or creates it with `params` and its tags; records
    /// its ID either way. Answers the ID and, where EC2 says it, the owning account.
    fn ensure(
        &mut self,
        kind: &Ec2Kind,
        r: &Resource,
        params: Params,
    ) -> Result<(String, Option<String>), AwsError> {
        let (id, owner) = match self.find_one(kind.describe, kind.list, &r.key, kind.id)? {
            Some(found) => (
                found.get(kind.id).unwrap_or_default().to_owned(),
                found.get("ownerId").map(str::to_owned),
            ),
            None => {
                let xml = self.ec2(
                    kind.create,
                    params.tag_spec(1, kind.resource_type, &self.tags_of(r)),
                )?;
                let id = xml
                    .first(kind.id)
                    .ok_or_else(|| unreadable(kind.create, &format!("no {}", kind.id)))?;
                (id, xml.first("ownerId"))
            }
        };
        self.record(&r.key, &id)?;
        Ok((id, owner.filter(|o| !o.is_empty())))
    }

    fn network(&mut self) -> Result<String, AwsError> {
        // VPC
        let vpc_res = self.res("vpc")?;
        let Detail::Vpc { cidr } = &vpc_res.detail else {
            unreachable!()
        };
        let (vpc_id, owner) =
            self.ensure(&VPC, vpc_res, Params::new().p("CidrBlock", cidr.clone()))?;
        if let Some(owner) = owner {
            self.fact("account", &owner)?;
        }
        for attr in ["EnableDnsSupport", "EnableDnsHostnames"] {
            self.ec2(
                "ModifyVpcAttribute",
                Params::new()
                    .p("VpcId", vpc_id.clone())
                    .p(format!("{attr}.Value"), "true"),
            )?;
        }
        // Subnets
        let subnets: Vec<&Resource> = self.plan.of(Kind::Subnet).collect();
        for s in &subnets {
            let Detail::Subnet { cidr, zone } = &s.detail else {
                unreachable!()
            };
            let (id, _) = self.ensure(
                &SUBNET,
                s,
                Params::new()
                    .p("VpcId", vpc_id.clone())
                    .p("CidrBlock", cidr.clone())
                    .p("AvailabilityZone", zone.clone()),
            )?;
            self.ec2(
                "ModifySubnetAttribute",
                Params::new()
                    .p("SubnetId", id)
                    .p("MapPublicIpOnLaunch.Value", "true"),
            )?;
        }
        // Internet gateway, attached to the VPC.
        let igw_res = self.res("igw")?;
        let (igw_id, _) = self.ensure(&INTERNET_GATEWAY, igw_res, Params::new())?;
        let attached = self
            .fresh(
                "DescribeInternetGateways",
                Params::new().list("InternetGatewayId", std::slice::from_ref(&igw_id)),
            )?
            .items("attachmentSet")
            .iter()
            .any(|a| a.get("vpcId") == Some(vpc_id.as_str()));
        if !attached {
            self.ec2(
                "AttachInternetGateway",
                Params::new()
                    .p("InternetGatewayId", igw_id.clone())
                    .p("VpcId", vpc_id.clone()),
            )?;
        }
        // Route tables: the main one adopted, the others created with the internet route.
        for rt in self.plan.of(Kind::RouteTable).collect::<Vec<_>>() {
            let Detail::RouteTable {
                subnets: rt_subnets,
                internet_route,
            } = &rt.detail
            else {
                unreachable!()
            };
            if rt.origin == byoc_core::provision::Origin::Adopted {
                let xml = self.ec2(
                    "DescribeRouteTables",
                    Params::new().filters(&[
                        ("vpc-id", vec![vpc_id.clone()]),
                        ("association.main", vec!["true".into()]),
                    ]),
                )?;
                let id = xml.first("routeTableId").ok_or_else(|| {
                    unreadable("DescribeRouteTables", "the VPC has no main route table")
                })?;
                self.tag(&id, rt)?;
                self.record(&rt.key, &id)?;
                continue;
            }
            let (id, _) =
                self.ensure(&ROUTE_TABLE, rt, Params::new().p("VpcId", vpc_id.clone()))?;
            let now = self.fresh(
                "DescribeRouteTables",
                Params::new().list("RouteTableId", std::slice::from_ref(&id)),
            )?;
            if *internet_route
                && !now
                    .items("routeSet")
                    .iter()
                    .any(|r| r.get("destinationCidrBlock") == Some("0.0.0.0/0"))
            {
                self.ec2(
                    "CreateRoute",
                    Params::new()
                        .p("RouteTableId", id.clone())
                        .p("DestinationCidrBlock", "0.0.0.0/0")
                        .p("GatewayId", igw_id.clone()),
                )?;
            }
            let associated: Vec<String> = now
                .items("associationSet")
                .iter()
                .filter_map(|a| a.get("subnetId").map(str::to_owned))
                .collect();
            for s in rt_subnets {
                let subnet_id = self.id(s)?;
                if !associated.contains(&subnet_id) {
                    self.ec2(
                        "AssociateRouteTable",
                        Params::new()
                            .p("RouteTableId", id.clone())
                            .p("SubnetId", subnet_id),
                    )?;
                }
            }
        }
        // The VPC's default security group, adopted: tagged and opened to the broker's ports.
        let sg_res = self.res("sg")?;
        let Detail::SecurityGroup {
            public_ports,
            vpc_cidr,
        } = &sg_res.detail
        else {
            unreachable!()
        };
        let xml = self.ec2(
            "DescribeSecurityGroups",
            Params::new().filters(&[
                ("vpc-id", vec![vpc_id.clone()]),
                ("group-name", vec!["default".into()]),
            ]),
        )?;
        let group = xml
            .items("securityGroupInfo")
            .into_iter()
            .next()
            .ok_or_else(|| {
                unreadable(
                    "DescribeSecurityGroups",
                    "the VPC has no default security group",
                )
            })?;
        let sg_id = group.get("groupId").unwrap_or_default().to_owned();
        self.tag(&sg_id, sg_res)?;
        self.record("sg", &sg_id)?;
        let open: Vec<(String, String)> = xml
            .items("ipPermissions")
            .iter()
            .flat_map(|p| {
                let from = p.get("fromPort").unwrap_or("").to_owned();
                p.all("ipRanges.cidrIp")
                    .into_iter()
                    .map(move |c| (from.clone(), c.to_owned()))
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut params = Params::new().p("GroupId", sg_id.clone());
        let mut n = 0;
        let mut wanted: Vec<(u16, u16, &str, &str)> = public_ports
            .iter()
            .map(|p| (*p, *p, "tcp", "0.0.0.0/0"))
            .collect();
        wanted.push((0, 65535, "tcp", vpc_cidr.as_str()));
        for (from, to, proto, cidr) in wanted {
            if open
                .iter()
                .any(|(f, c)| *f == from.to_string() && c == cidr)
            {
                continue;
            }
            n += 1;
            params = params
                .p(format!("IpPermissions.{n}.IpProtocol"), proto)
                .p(format!("IpPermissions.{n}.FromPort"), from.to_string())
                .p(format!("IpPermissions.{n}.ToPort"), to.to_string())
                .p(format!("IpPermissions.{n}.IpRanges.1.CidrIp"), cidr);
        }
        if n > 0 {
            match self.ec2("AuthorizeSecurityGroupIngress", params) {
                Err(e) if e.code() == Some("InvalidPermission.Duplicate") => {}
                other => {
                    other?;
                }
            }
        }
        Ok(format!(
            "VPC {vpc_id} ({}) with {} subnets, internet gateway {igw_id}, {} route tables and security group {sg_id}",
            self.plan_vpc_cidr(),
            subnets.len(),
            self.plan.count(Kind::RouteTable)
        ))
    }

    fn plan_vpc_cidr(&self) -> String {
        match self.plan.get("vpc").map(|r| &r.detail) {
            Some(Detail::Vpc { cidr }) => cidr.clone(),
            _ => String::new(),
        }
    }

    /// Tags an existing EC2 resource (adopted ones).
    fn tag(&self, id: &str, r: &Resource) -> Result<(), AwsError> {
        let mut params = Params::new().p("ResourceId.1", id);
        for (i, (k, v)) in self.tags_of(r).iter().enumerate() {
            params = params
                .p(format!("Tag.{}.Key", i + 1), k.clone())
                .p(format!("Tag.{}.Value", i + 1), v.clone());
        }
        self.ec2("CreateTags", params)?;
        Ok(())
    }

    // ----- image -----

    fn image(&mut self) -> Result<String, AwsError> {
        let key_res = self.res("key")?;
        let keys = self.ec2(
            "DescribeKeyPairs",
            Params::new().filters(&self.key_filters("key")),
        )?;
        let key_name = match keys.items("keySet").into_iter().next() {
            Some(k) => k.get("keyName").unwrap_or_default().to_owned(),
            None => {
                let xml = self.ec2(
                    "CreateKeyPair",
                    Params::new().p("KeyName", key_res.name.clone()).tag_spec(
                        1,
                        "key-pair",
                        &self.tags_of(key_res),
                    ),
                )?;
                let material = xml.first("keyMaterial").unwrap_or_default();
                // The private key stays on this machine, readable by this user only.
                let path = self
                    .store
                    .save_private(&format!("{}.pem", key_res.name), &material)
                    .map_err(AwsError::Plan)?;
                self.fact("key_file", &path.display().to_string())?;
                xml.first("keyName").unwrap_or_else(|| key_res.name.clone())
            }
        };
        self.record("key", &key_name)?;
        // The image, built once.
        let image_res = self.res("image")?;
        let existing = self.find_images()?;
        let image_id = match existing.into_iter().next() {
            Some(img) => img.get("imageId").unwrap_or_default().to_owned(),
            None => {
                let builder = self.res("builder")?;
                let base = self.base_image()?;
                let builder_id = self.run_instance(builder, &base)?;
                let id = builder_id.clone();
                self.wait(
                    "the image builder to install the broker and power off",
                    self.waits.image_build,
                    |e| Ok(e.instance_state(&id)?.filter(|s| s == "stopped")),
                )?;
                let xml = self.ec2(
                    "CreateImage",
                    Params::new()
                        .p("InstanceId", builder_id.clone())
                        .p("Name", image_res.name.clone())
                        .p(
                            "Description",
                            format!(
                                "EMQX broker image of BYOC deployment {}",
                                self.plan.deployment_id
                            ),
                        )
                        .tag_spec(1, "image", &self.tags_of(image_res)),
                )?;
                xml.first("imageId")
                    .ok_or_else(|| unreadable("CreateImage", "no imageId"))?
            }
        };
        self.record("image", &image_id)?;
        let id = image_id.clone();
        self.wait(
            "the image to become available",
            self.waits.state_change,
            |e| {
                let xml = e.ec2(
                    "DescribeImages",
                    Params::new().list("ImageId", std::slice::from_ref(&id)),
                )?;
                match xml.first("imageState").as_deref() {
                    Some("available") => Ok(Some(())),
                    Some("failed" | "error") => Err(AwsError::Plan(format!(
                        "AWS could not make the image {id}; deregister it in the EC2 console and run the operation again"
                    ))),
                    _ => Ok(None),
                }
            },
        )?;
        // The builder has done its work.
        let builders = self.instances_with_role(Role::ImageBuilder)?;
        if !builders.is_empty() {
            self.ec2(
                "TerminateInstances",
                Params::new().list("InstanceId", &builders),
            )?;
        }
        Ok(format!("image {image_id} and key pair {key_name}"))
    }

    fn find_images(&self) -> Result<Vec<Item>, AwsError> {
        let xml = self.ec2(
            "DescribeImages",
            Params::new()
                .p("Owner.1", "self")
                .filters(&self.key_filters("image")),
        )?;
        Ok(xml
            .items("imagesSet")
            .into_iter()
            .filter(|i| i.get("imageState") != Some("deregistered"))
            .collect())
    }

    /// The AMI the builder starts from: the one given, or the newest Amazon Linux 2023 for x86-64
    /// published by Amazon in this region.
    fn base_image(&self) -> Result<String, AwsError> {
        if let Some(id) = &self.base_image {
            return Ok(id.clone());
        }
        let xml = self.ec2(
            "DescribeImages",
            Params::new().p("Owner.1", "amazon").filters(&[
                ("name", vec!["al2023-ami-2023.*-x86_64".into()]),
                ("state", vec!["available".into()]),
            ]),
        )?;
        let mut images = xml.items("imagesSet");
        images.sort_by(|a, b| b.get("creationDate").cmp(&a.get("creationDate")));
        images
            .first()
            .and_then(|i| i.get("imageId"))
            .map(str::to_owned)
            .ok_or_else(|| {
                AwsError::Plan(format!(
                    "no Amazon Linux 2023 image found in {}; pass --base-image ami-… (an x86-64 image with cloud-init)",
                    self.plan.region
                ))
            })
    }

    // ----- instances -----

    /// Launches one instance of the plan, or finds it by its tags (given at launch, so an instance
    /// that exists carries them). RunInstances is never sent twice blindly: after a lost answer
    /// the next run finds the instance. No client token: AWS would answer a retry after the
    /// instance died with the dead one.
    fn run_instance(&mut self, r: &Resource, image: &str) -> Result<String, AwsError> {
        let Detail::Instance {
            instance_type,
            subnet,
            private_ip,
            ..
        } = &r.detail
        else {
            unreachable!()
        };
        let mut filters = self.key_filters(&r.key);
        filters.push((
            "instance-state-name".to_owned(),
            LIVE_STATES.iter().map(|s| (*s).to_owned()).collect(),
        ));
        let found = self.ec2("DescribeInstances", Params::new().filters(&filters))?;
        if let Some(id) = found
            .items("instancesSet")
            .iter()
            .find_map(|i| i.get("instanceId"))
        {
            let id = id.to_owned();
            self.record(&r.key, &id)?;
            return Ok(id);
        }
        let user_data = base64(self.user_data.user_data(self.plan, r).as_bytes());
        let tags = self.tags_of(r);
        let mut params = Params::new()
            .p("ImageId", image)
            .p("InstanceType", instance_type.clone())
            .p("MinCount", "1")
            .p("MaxCount", "1")
            .p("SubnetId", self.id(subnet)?)
            .p("SecurityGroupId.1", self.id("sg")?)
            .p("KeyName", self.id("key")?)
            .p("UserData", user_data)
            .tag_spec(1, "instance", &tags)
            .tag_spec(2, "volume", &tags);
        if let Some(ip) = private_ip {
            params = params.p("PrivateIpAddress", ip.clone());
        }
        let xml = self.ec2("RunInstances", params)?;
        let id = xml
            .first("instanceId")
            .ok_or_else(|| unreadable("RunInstances", "no instanceId"))?;
        self.record(&r.key, &id)?;
        Ok(id)
    }

    fn instance_state(&self, id: &str) -> Result<Option<String>, AwsError> {
        let xml = self.ec2(
            "DescribeInstances",
            Params::new().list("InstanceId", &[id.to_owned()]),
        )?;
        Ok(xml
            .items("instancesSet")
            .into_iter()
            .find(|i| i.get("instanceId") == Some(id))
            .and_then(|i| i.get("instanceState.name").map(str::to_owned)))
    }

    /// This deployment's instances that are not terminated, of the given roles (all when none).
    fn live_instances(&self, roles: &[Role]) -> Result<Vec<Item>, AwsError> {
        let mut filters = self.own_filters();
        if !roles.is_empty() {
            let codes = roles.iter().map(|r| role_code(*r).to_owned()).collect();
            filters.push((format!("tag:{ROLE_TAG_KEY}"), codes));
        }
        filters.push((
            "instance-state-name".to_owned(),
            LIVE_STATES.iter().map(|s| (*s).to_owned()).collect(),
        ));
        let xml = self.ec2("DescribeInstances", Params::new().filters(&filters))?;
        Ok(xml.items("instancesSet"))
    }

    /// This deployment's live instances of one role.
    fn instances_with_role(&self, role: Role) -> Result<Vec<String>, AwsError> {
        Ok(self
            .live_instances(&[role])?
            .iter()
            .filter_map(|i| i.get("instanceId").map(str::to_owned))
            .collect())
    }

    /// The broker and agent instances (id, state) of this deployment.
    fn cluster_instances(&self) -> Result<Vec<(String, String)>, AwsError> {
        Ok(self
            .live_instances(&[Role::Broker, Role::Agent])?
            .iter()
            .filter_map(|i| {
                Some((
                    i.get("instanceId")?.to_owned(),
                    i.get("instanceState.name").unwrap_or("").to_owned(),
                ))
            })
            .collect())
    }

    fn compute(&mut self) -> Result<String, AwsError> {
        let image = self.id("image")?;
        let wanted: Vec<&Resource> = self
            .plan
            .of(Kind::Instance)
            .filter(|r| r.is_cluster_instance())
            .collect();
        let mut ids = Vec::new();
        for r in &wanted {
            ids.push(self.run_instance(r, &image)?);
        }
        self.wait_states(&ids, "running")?;
        let brokers = wanted
            .iter()
            .filter(|r| instance_role(r) == Some(Role::Broker))
            .count();
        Ok(format!(
            "{brokers} broker instances and the agent instance running ({})",
            ids.join(", ")
        ))
    }

    fn wait_states(&mut self, ids: &[String], state: &str) -> Result<(), AwsError> {
        if ids.is_empty() {
            return Ok(());
        }
        let ids = ids.to_vec();
        let what = format!("{} instances to be {state}", ids.len());
        self.wait(&what, self.waits.state_change, |e| {
            let xml = e.ec2("DescribeInstances", Params::new().list("InstanceId", &ids))?;
            let items = xml.items("instancesSet");
            let done = ids.iter().all(|id| {
                items.iter().any(|i| {
                    i.get("instanceId") == Some(id) && i.get("instanceState.name") == Some(state)
                })
            });
            Ok(done.then_some(()))
        })
    }

    fn stop_or_start(&mut self, start: bool) -> Result<String, AwsError> {
        let instances = self.cluster_instances()?;
        let (action, goal) = if start {
            ("StartInstances", "running")
        } else {
            ("StopInstances", "stopped")
        };
        let ids: Vec<String> = instances.iter().map(|(id, _)| id.clone()).collect();
        if ids.is_empty() {
            return Err(AwsError::Plan(format!(
                "no instances tagged {DEPLOYMENT_TAG_KEY}={} and {}={} in {}: is this the deployment's region and account?",
                self.plan.deployment_id, self.plan.tags[0].key, self.plan.tags[0].value, self.plan.region
            )));
        }
        let todo: Vec<String> = instances
            .iter()
            .filter(|(_, s)| s != goal)
            .map(|(id, _)| id.clone())
            .collect();
        if !todo.is_empty() {
            self.ec2(action, Params::new().list("InstanceId", &todo))?;
        }
        self.wait_states(&ids, goal)?;
        Ok(format!("{} instances {goal}", ids.len()))
    }

    // ----- load balancer -----

    fn load_balancer(&mut self) -> Result<String, AwsError> {
        let vpc_id = self.id("vpc")?;
        let tgs: Vec<&Resource> = self.plan.of(Kind::TargetGroup).collect();
        for tg in &tgs {
            let Detail::TargetGroup {
                target_port,
                targets,
                ..
            } = &tg.detail
            else {
                unreachable!()
            };
            let arn = match self.elb_find(
                "DescribeTargetGroups",
                "TargetGroups",
                &tg.name,
                "TargetGroupArn",
            )? {
                Some(arn) => arn,
                None => {
                    let xml = self.elb(
                        "CreateTargetGroup",
                        Params::new()
                            .p("Name", tg.name.clone())
                            .p("Protocol", "TCP")
                            .p("Port", target_port.to_string())
                            .p("VpcId", vpc_id.clone())
                            .p("TargetType", "instance")
                            .p("HealthCheckProtocol", "TCP")
                            .elb_tags(&self.tags_of(tg)),
                    )?;
                    xml.first("TargetGroupArn")
                        .ok_or_else(|| unreadable("CreateTargetGroup", "no TargetGroupArn"))?
                }
            };
            self.record(&tg.key, &arn)?;
            let mut params = Params::new().p("TargetGroupArn", arn);
            for (i, t) in targets.iter().enumerate() {
                params = params.p(format!("Targets.member.{}.Id", i + 1), self.id(t)?);
            }
            // Registering a registered target changes nothing.
            self.elb("RegisterTargets", params)?;
        }
        let nlb = self.res("nlb")?;
        let Detail::LoadBalancer { subnets } = &nlb.detail else {
            unreachable!()
        };
        let arn = match self.elb_find(
            "DescribeLoadBalancers",
            "LoadBalancers",
            &nlb.name,
            "LoadBalancerArn",
        )? {
            Some(arn) => arn,
            None => {
                let mut params = Params::new()
                    .p("Name", nlb.name.clone())
                    .p("Type", "network")
                    .p("Scheme", "internet-facing")
                    .p("IpAddressType", "ipv4");
                for (i, s) in subnets.iter().enumerate() {
                    params = params.p(format!("Subnets.member.{}", i + 1), self.id(s)?);
                }
                let xml = self.elb("CreateLoadBalancer", params.elb_tags(&self.tags_of(nlb)))?;
                xml.first("LoadBalancerArn")
                    .ok_or_else(|| unreadable("CreateLoadBalancer", "no LoadBalancerArn"))?
            }
        };
        self.record("nlb", &arn)?;
        let lb_arn = arn.clone();
        let dns = self.wait(
            "the load balancer to become active",
            self.waits.state_change,
            |e| {
                let xml = e.elb(
                    "DescribeLoadBalancers",
                    Params::new().list("LoadBalancerArns.member", std::slice::from_ref(&lb_arn)),
                )?;
                let lb = xml.items("LoadBalancers").into_iter().next();
                Ok(lb.and_then(|lb| {
                    (lb.get("State.Code") == Some("active"))
                        .then(|| lb.get("DNSName").unwrap_or("").to_owned())
                }))
            },
        )?;
        self.fact("load_balancer", &dns)?;
        let existing = self.elb(
            "DescribeListeners",
            Params::new().p("LoadBalancerArn", arn.clone()),
        )?;
        let ports: Vec<String> = existing
            .items("Listeners")
            .iter()
            .filter_map(|l| l.get("Port").map(str::to_owned))
            .collect();
        for l in self.plan.of(Kind::Listener).collect::<Vec<_>>() {
            let Detail::Listener { port, target_group } = &l.detail else {
                unreachable!()
            };
            if ports.contains(&port.to_string()) {
                continue;
            }
            let xml = self.elb(
                "CreateListener",
                Params::new()
                    .p("LoadBalancerArn", arn.clone())
                    .p("Protocol", "TCP")
                    .p("Port", port.to_string())
                    .p("DefaultActions.member.1.Type", "forward")
                    .p(
                        "DefaultActions.member.1.TargetGroupArn",
                        self.id(target_group)?,
                    )
                    .elb_tags(&self.tags_of(l)),
            )?;
            let listener = xml.first("ListenerArn").unwrap_or_default();
            self.record(&l.key, &listener)?;
        }
        Ok(format!(
            "network load balancer {dns} with {} listeners and {} target groups",
            self.plan.count(Kind::Listener),
            tgs.len()
        ))
    }

    /// Finds an ELB resource by its name (unique per account and region); `None` when absent.
    fn elb_find(
        &self,
        action: &str,
        list: &str,
        name: &str,
        field: &str,
    ) -> Result<Option<String>, AwsError> {
        match self.elb(
            action,
            Params::new().list("Names.member", &[name.to_owned()]),
        ) {
            Ok(xml) => Ok(xml
                .items(list)
                .into_iter()
                .find_map(|i| i.get(field).map(str::to_owned))),
            Err(e)
                if matches!(
                    e.code(),
                    Some("TargetGroupNotFound" | "LoadBalancerNotFound")
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn dns(&mut self) -> String {
        let lb = self
            .state
            .facts
            .get("load_balancer")
            .cloned()
            .unwrap_or_default();
        let resolves = std::net::ToSocketAddrs::to_socket_addrs(&(self.domain.as_str(), 1883))
            .map(|mut a| a.next().is_some())
            .unwrap_or(false);
        if resolves {
            format!("{} resolves; it must be a CNAME of {lb}", self.domain)
        } else {
            format!(
                "create the DNS record {}. CNAME {lb} in your DNS zone (it does not resolve yet); clients connect through it",
                self.domain
            )
        }
    }

    fn healthy(&mut self) -> Result<String, AwsError> {
        let tgs: Vec<String> = self
            .plan
            .of(Kind::TargetGroup)
            .map(|t| self.id(&t.key))
            .collect::<Result<_, _>>()?;
        let brokers = self
            .plan
            .resources
            .iter()
            .filter(|r| instance_role(r) == Some(Role::Broker))
            .count();
        self.wait(
            "every broker to pass the load balancer's health checks",
            self.waits.healthy,
            |e| {
                for arn in &tgs {
                    let xml = e.elb(
                        "DescribeTargetHealth",
                        Params::new().p("TargetGroupArn", arn.clone()),
                    )?;
                    let states = xml.items("TargetHealthDescriptions");
                    let healthy = states
                        .iter()
                        .filter(|s| s.get("TargetHealth.State") == Some("healthy"))
                        .count();
                    if healthy < brokers {
                        return Ok(None);
                    }
                }
                Ok(Some(()))
            },
        )?;
        Ok(format!(
            "all {brokers} brokers healthy behind every listener"
        ))
    }

    // ----- delete -----

    fn delete_load_balancer(&mut self) -> Result<String, AwsError> {
        let nlb = self.res("nlb")?;
        let mut said = Vec::new();
        if let Some(arn) = self.elb_find(
            "DescribeLoadBalancers",
            "LoadBalancers",
            &nlb.name,
            "LoadBalancerArn",
        )? {
            self.check_elb_tags(&arn)?;
            // Its listeners go with it.
            self.elb(
                "DeleteLoadBalancer",
                Params::new().p("LoadBalancerArn", arn.clone()),
            )?;
            said.push(format!("load balancer {}", nlb.name));
        }
        let mut groups = 0;
        for tg in self.plan.of(Kind::TargetGroup).collect::<Vec<_>>() {
            if let Some(arn) = self.elb_find(
                "DescribeTargetGroups",
                "TargetGroups",
                &tg.name,
                "TargetGroupArn",
            )? {
                self.check_elb_tags(&arn)?;
                let a = arn.clone();
                // A target group stays "in use" for a moment after its load balancer goes.
                self.wait(
                    "the load balancer to release its target groups",
                    self.waits.state_change,
                    |e| match e.elb(
                        "DeleteTargetGroup",
                        Params::new().p("TargetGroupArn", a.clone()),
                    ) {
                        Ok(_) => Ok(Some(())),
                        Err(err) if err.code() == Some("ResourceInUse") => Ok(None),
                        Err(err) => Err(err),
                    },
                )?;
                groups += 1;
            }
        }
        said.push(format!("{groups} target groups"));
        Ok(format!("deleted {}", said.join(" and ")))
    }

    /// A name match is not enough to delete: the resource must carry this deployment's tags.
    fn check_elb_tags(&self, arn: &str) -> Result<(), AwsError> {
        let xml = self.elb(
            "DescribeTags",
            Params::new().list("ResourceArns.member", &[arn.to_owned()]),
        )?;
        let tags = xml.items("Tags");
        let has = |k: &str, v: &str| {
            tags.iter()
                .any(|t| t.get("Key") == Some(k) && t.get("Value") == Some(v))
        };
        let d = &self.plan.tags[0];
        if has(DEPLOYMENT_TAG_KEY, &self.plan.deployment_id) && has(&d.key, &d.value) {
            Ok(())
        } else {
            Err(AwsError::Plan(format!(
                "{arn} has this deployment's name but not its tags ({DEPLOYMENT_TAG_KEY}, {}); it was left alone",
                d.key
            )))
        }
    }

    fn delete_instances(&mut self) -> Result<String, AwsError> {
        let ids: Vec<String> = self
            .live_instances(&[])?
            .iter()
            .filter_map(|i| i.get("instanceId").map(str::to_owned))
            .collect();
        if !ids.is_empty() {
            self.ec2("TerminateInstances", Params::new().list("InstanceId", &ids))?;
            self.wait_states(&ids, "terminated")?;
        }
        Ok(format!("terminated {} instances", ids.len()))
    }

    fn delete_image_and_key(&mut self) -> Result<String, AwsError> {
        let images = self.find_images()?;
        for img in &images {
            if let Some(id) = img.get("imageId") {
                self.ec2("DeregisterImage", Params::new().p("ImageId", id))?;
            }
        }
        let keys = self.ec2(
            "DescribeKeyPairs",
            Params::new().filters(&self.own_filters()),
        )?;
        let keys = keys.items("keySet");
        for k in &keys {
            // By name: the emulator ignores KeyPairId (and answers success), AWS takes both.
            if let Some(name) = k.get("keyName") {
                self.ec2("DeleteKeyPair", Params::new().p("KeyName", name))?;
            }
        }
        Ok(format!(
            "deregistered {} image and deleted {} key pair",
            images.len(),
            keys.len()
        ))
    }

    fn delete_network(&mut self) -> Result<String, AwsError> {
        let own = Params::new().filters(&self.own_filters());
        let tables = self.ec2("DescribeRouteTables", own.clone())?;
        let mut removed = 0;
        for rt in tables.items("routeTableSet") {
            let Some(id) = rt.get("routeTableId") else {
                continue;
            };
            // The main table goes with the VPC; its association cannot be removed.
            if rt.tag(RESOURCE_TAG_KEY) == Some("rtb-main") {
                continue;
            }
            let detail = self.ec2(
                "DescribeRouteTables",
                Params::new().list("RouteTableId", &[id.to_owned()]),
            )?;
            for a in detail.items("associationSet") {
                if let (Some(assoc), Some(_)) =
                    (a.get("routeTableAssociationId"), a.get("subnetId"))
                {
                    self.ec2(
                        "DisassociateRouteTable",
                        Params::new().p("AssociationId", assoc),
                    )?;
                }
            }
            self.ec2("DeleteRouteTable", Params::new().p("RouteTableId", id))?;
            removed += 1;
        }
        let subnets = self.ec2("DescribeSubnets", own.clone())?;
        let subnets: Vec<String> = subnets
            .items("subnetSet")
            .iter()
            .filter_map(|s| s.get("subnetId").map(str::to_owned))
            .collect();
        for id in &subnets {
            let id = id.clone();
            // The load balancer's network interfaces leave the subnet a little after it goes.
            self.wait(
                "the subnets to be free of the load balancer",
                self.waits.state_change,
                |e| match e.ec2("DeleteSubnet", Params::new().p("SubnetId", id.clone())) {
                    Ok(_) => Ok(Some(())),
                    Err(err) if err.code() == Some("DependencyViolation") => Ok(None),
                    Err(err) => Err(err),
                },
            )?;
        }
        let igws = self.ec2("DescribeInternetGateways", own.clone())?;
        let vpcs = self.ec2("DescribeVpcs", own)?;
        let vpc_ids: Vec<String> = vpcs
            .items("vpcSet")
            .iter()
            .filter_map(|v| v.get("vpcId").map(str::to_owned))
            .collect();
        let igw_items = igws.items("internetGatewaySet");
        for igw in &igw_items {
            let Some(id) = igw.get("internetGatewayId") else {
                continue;
            };
            let attached = self.ec2(
                "DescribeInternetGateways",
                Params::new().list("InternetGatewayId", &[id.to_owned()]),
            )?;
            for a in attached.items("attachmentSet") {
                if let Some(vpc) = a.get("vpcId") {
                    self.ec2(
                        "DetachInternetGateway",
                        Params::new().p("InternetGatewayId", id).p("VpcId", vpc),
                    )?;
                }
            }
            self.ec2(
                "DeleteInternetGateway",
                Params::new().p("InternetGatewayId", id),
            )?;
        }
        for id in &vpc_ids {
            self.ec2("DeleteVpc", Params::new().p("VpcId", id.clone()))?;
        }
        Ok(format!(
            "deleted {removed} route tables, {} subnets, {} internet gateway and {} VPC",
            subnets.len(),
            igw_items.len(),
            vpc_ids.len()
        ))
    }
}

fn unreadable(action: &str, reason: &str) -> AwsError {
    AwsError::Unreadable {
        action: format!("ec2:{action}"),
        reason: reason.to_owned(),
    }
}
