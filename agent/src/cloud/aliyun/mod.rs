//! Alibaba Cloud: the engine that executes a deployment's plan on ECS, VPC and SLB with only the
//! calls the seed's RAM policy for that operation allows, signed with ACS3-HMAC-SHA256.
//!
//! Every step looks for its resource first by the deployment's tags (`ListTagResources`, which
//! all three policies allow) and creates it only when it is missing, under a `ClientToken` derived
//! from the deployment and the resource, so a retry after a failure or a `kill -9` finds or
//! repeats the same create and never makes a second one. Delete and stop/start find their
//! resources by tag alone, so they touch nothing without the deployment's tag and the
//! destructive-action tag, which the policies' conditions require anyway.

pub mod client;
pub mod credentials;
pub mod sign;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use byoc_core::lifecycle::deployment::Operation;
use byoc_core::provision::{Detail, Kind, Plan, Resource, Role, DEPLOYMENT_TAG_KEY};
use serde_json::Value;
use sha2::Digest;

use super::state::{State, Store};
use super::{base64, instance_role, role_code, UserData, Waits, RESOURCE_TAG_KEY, ROLE_TAG_KEY};
pub use client::{AliyunError, Client, Product};

/// A request's parameters, flattened as the RPC style takes them.
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

    /// `Tag.N.Key` / `Tag.N.Value`, as every create and filter takes them.
    fn tags(mut self, tags: &[(String, String)]) -> Params {
        for (i, (k, v)) in tags.iter().enumerate() {
            self = self
                .p(format!("Tag.{}.Key", i + 1), k.clone())
                .p(format!("Tag.{}.Value", i + 1), v.clone());
        }
        self
    }
}

/// The items of a wrapped list in an answer: `{"Vpcs": {"Vpc": [...]}}`.
fn items<'v>(v: &'v Value, outer: &str, inner: &str) -> &'v [Value] {
    v[outer][inner].as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn text(v: &Value, field: &str) -> Option<String> {
    match &v[field] {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The tags of an ECS item (`Tags.Tag[].TagKey/TagValue`).
fn ecs_tags(item: &Value) -> BTreeMap<String, String> {
    items(item, "Tags", "Tag")
        .iter()
        .filter_map(|t| Some((text(t, "TagKey")?, text(t, "TagValue").unwrap_or_default())))
        .collect()
}

/// The plain Alibaba Cloud Linux 3 public images' IDs.
const BASE_IMAGE_PREFIX: &str = "aliyun_3_x64_20G_alibase_";

/// Instance states that still hold resources (and that stop and start act on).
const STOPPED: &str = "Stopped";
const RUNNING: &str = "Running";

pub struct Engine<'a, U: UserData> {
    pub api: Client,
    plan: &'a Plan,
    store: Store,
    state: State,
    user_data: U,
    /// The image the builder starts from; the newest Alibaba Cloud Linux 3 when not given.
    base_image: Option<String>,
    pub waits: Waits,
    /// The domain clients use, for the dns phase.
    domain: String,
    /// Called with a line for the person running the toolkit (waits, retries).
    log: Box<dyn FnMut(&str) + 'a>,
}

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
    ) -> Result<Engine<'a, U>, AliyunError> {
        let state = store
            .load(&plan.deployment_id, plan.cloud.code(), &plan.region)
            .map_err(AliyunError::Plan)?;
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

    fn call(&self, product: Product, action: &str, params: Params) -> Result<Value, AliyunError> {
        self.api.call(product, action, &params.0)
    }

    fn record(&mut self, key: &str, id: &str) -> Result<(), AliyunError> {
        if self.state.ids.get(key).map(String::as_str) != Some(id) {
            self.state.ids.insert(key.to_owned(), id.to_owned());
            self.store.save(&self.state).map_err(AliyunError::Plan)?;
        }
        Ok(())
    }

    fn fact(&mut self, key: &str, value: &str) -> Result<(), AliyunError> {
        self.state.facts.insert(key.to_owned(), value.to_owned());
        self.store.save(&self.state).map_err(AliyunError::Plan)
    }

    fn id(&self, key: &str) -> Result<String, AliyunError> {
        self.state
            .ids
            .get(key)
            .cloned()
            .ok_or_else(|| AliyunError::Plan(format!("{key} was not created before it is needed")))
    }

    fn res(&self, key: &str) -> Result<&'a Resource, AliyunError> {
        self.plan
            .get(key)
            .ok_or_else(|| AliyunError::Plan(format!("the plan has no {key}")))
    }

    /// Every tag a resource carries: the plan's (destructive-action tag, deployment, the
    /// customer's), its name, its key and, for instances, its role.
    fn tags_of(&self, r: &Resource) -> Vec<(String, String)> {
        let mut tags = self.own_tags();
        tags.push(("Name".into(), r.name.clone()));
        tags.push((RESOURCE_TAG_KEY.into(), r.key.clone()));
        if let Some(role) = instance_role(r) {
            tags.push((ROLE_TAG_KEY.into(), role_code(role).into()));
        }
        tags
    }

    /// The tags that find only this deployment's resources: its ID and the destructive-action
    /// tag, which the policies' conditions require.
    fn own_tags(&self) -> Vec<(String, String)> {
        let destructive = &self.plan.tags[0];
        vec![
            (destructive.key.clone(), destructive.value.clone()),
            (DEPLOYMENT_TAG_KEY.into(), self.plan.deployment_id.clone()),
        ]
    }

    /// The `ClientToken` of a resource's create: the same on every retry of this deployment's
    /// create, so Alibaba Cloud answers a repeated call with the first one's resource. A new one
    /// only when the resource was made and has since gone (see [`Engine::forget`]).
    fn client_token(&self, key: &str) -> String {
        let generation = self
            .state
            .facts
            .get(&format!("generation:{key}"))
            .cloned()
            .unwrap_or_default();
        let digest = sha2::Sha256::digest(
            format!("{}\0{key}\0{generation}", self.plan.deployment_id).as_bytes(),
        );
        crate::cloud::hex(&digest[..16])
    }

    /// A resource this run recorded is gone (deleted by someone): the next create needs a fresh
    /// token, or Alibaba Cloud would answer it with the gone resource.
    fn forget(&mut self, key: &str) -> Result<(), AliyunError> {
        if self.state.ids.remove(key).is_some() {
            let name = format!("generation:{key}");
            let next = self
                .state
                .facts
                .get(&name)
                .and_then(|g| g.parse::<u32>().ok())
                .unwrap_or(0)
                + 1;
            self.fact(&name, &next.to_string())?;
        }
        Ok(())
    }

    /// This deployment's resources of one type carrying every tag of `extra` too: their IDs.
    /// `ListTagResources` answers rows of resources carrying all the given tags; only the IDs
    /// are read, as the reference does not promise which of their tags come back.
    fn tagged_with(
        &self,
        product: Product,
        resource_type: &str,
        extra: &[(String, String)],
    ) -> Result<std::collections::BTreeSet<String>, AliyunError> {
        let mut tags = self.own_tags();
        tags.extend_from_slice(extra);
        let mut found = std::collections::BTreeSet::new();
        let mut next = String::new();
        for _ in 0..100 {
            let mut params = Params::new().p("ResourceType", resource_type).tags(&tags);
            // Only VPC's ListTagResources takes a page size (ECS's and SLB's choose their own).
            if product == Product::Vpc {
                params = params.p("MaxResults", "50");
            }
            if !next.is_empty() {
                params = params.p("NextToken", next.clone());
            }
            let v = self.call(product, "ListTagResources", params)?;
            for row in items(&v, "TagResources", "TagResource") {
                if let Some(id) = text(row, "ResourceId") {
                    found.insert(id);
                }
            }
            next = text(&v, "NextToken").unwrap_or_default();
            if next.is_empty() {
                break;
            }
        }
        Ok(found)
    }

    /// This deployment's resources of one type (by its tag and the destructive-action tag).
    fn tagged(
        &self,
        product: Product,
        resource_type: &str,
    ) -> Result<std::collections::BTreeSet<String>, AliyunError> {
        self.tagged_with(product, resource_type, &[])
    }

    /// The ID of the plan's resource `key`: the one carrying its plan key among this deployment's.
    fn find(
        &self,
        product: Product,
        resource_type: &str,
        key: &str,
    ) -> Result<Option<String>, AliyunError> {
        Ok(self
            .tagged_with(
                product,
                resource_type,
                &[(RESOURCE_TAG_KEY.to_owned(), key.to_owned())],
            )?
            .into_iter()
            .next())
    }

    fn wait<T>(
        &mut self,
        what: &str,
        limit: Duration,
        mut look: impl FnMut(&mut Self) -> Result<Option<T>, AliyunError>,
    ) -> Result<T, AliyunError> {
        let start = Instant::now();
        let mut said = false;
        loop {
            match look(self) {
                Ok(Some(done)) => return Ok(done),
                Ok(None) => {}
                // An ID just given out may be unknown to the next read for a moment.
                Err(e) if e.code().is_some_and(|c| c.ends_with(".NotFound")) => {}
                Err(e) => return Err(e),
            }
            if start.elapsed() >= limit {
                return Err(AliyunError::Plan(format!(
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

    /// Repeats a delete while Alibaba Cloud says something still depends on the resource (an
    /// instance leaving a vSwitch or security group takes a moment).
    fn delete_when_free(
        &mut self,
        what: &str,
        product: Product,
        action: &str,
        params: Params,
    ) -> Result<(), AliyunError> {
        let limit = self.waits.state_change;
        self.wait(what, limit, |e| {
            match e.call(product, action, params.clone()) {
                Ok(_) => Ok(Some(())),
                Err(err)
                    if err
                        .code()
                        .is_some_and(|c| c.starts_with("DependencyViolation")) =>
                {
                    Ok(None)
                }
                Err(err) => Err(err),
            }
        })
    }

    /// Runs one phase of `op`; answers the line to report for it.
    pub fn run_phase(&mut self, op: Operation, phase: &str) -> Result<String, AliyunError> {
        match (op, phase) {
            (_, "preflight") => self.preflight(op),
            (Operation::Create, "network") => self.network(),
            (Operation::Create, "image") => self.image(),
            (Operation::Create, "compute") => self.compute(),
            (Operation::Create, "load_balancer") => self.load_balancer(),
            (Operation::Create, "dns") => Ok(self.dns()),
            (Operation::Create, "cluster") => self.listeners_running(),
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
            (op, phase) => Err(AliyunError::Plan(format!(
                "{phase} is not a phase of {}",
                op.code()
            ))),
        }
    }

    /// What the console shows once create or start has finished: the account UID (the
    /// PrivateLink principal on Alibaba Cloud), the first vSwitch's zone, the VPC and the SLB's
    /// address.
    pub fn outputs(&self) -> byoc_core::api::DeploymentOutputs {
        let zone = self.plan.get("vsw-1").and_then(|r| match &r.detail {
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

    fn preflight(&mut self, op: Operation) -> Result<String, AliyunError> {
        // One read the operation's policy allows: proves the credentials and the region.
        match op {
            Operation::Create | Operation::Delete => {
                let found = self.tagged(Product::Vpc, "VPC")?.len();
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

    /// Finds the plan's resource `key` by its tags, or creates it with `action` and `params`
    /// (plus its tags and client token) and reads its ID from `id_field`; records it either way.
    fn ensure(
        &mut self,
        product: Product,
        resource_type: &str,
        key: &str,
        action: &str,
        params: Params,
        id_field: &str,
    ) -> Result<String, AliyunError> {
        if let Some(id) = self.find(product, resource_type, key)? {
            self.record(key, &id)?;
            return Ok(id);
        }
        self.forget(key)?;
        let r = self.res(key)?;
        let v = self.call(
            product,
            action,
            params
                .p("ClientToken", self.client_token(key))
                .tags(&self.tags_of(r)),
        )?;
        let id = text(&v, id_field).ok_or_else(|| unreadable(product, action, id_field))?;
        self.record(key, &id)?;
        Ok(id)
    }

    fn network(&mut self) -> Result<String, AliyunError> {
        let vpc = self.res("vpc")?;
        let Detail::Vpc { cidr } = &vpc.detail else {
            return Err(AliyunError::Plan("the plan's vpc is not a VPC".into()));
        };
        let vpc_id = self.ensure(
            Product::Vpc,
            "VPC",
            "vpc",
            "CreateVpc",
            Params::new()
                .p("CidrBlock", cidr.clone())
                .p("VpcName", vpc.name.clone())
                .p("Description", self.description()),
            "VpcId",
        )?;
        let id = vpc_id.clone();
        let owner = self.wait("the VPC to be available", self.waits.state_change, |e| {
            let v = e.call(
                Product::Vpc,
                "DescribeVpcs",
                Params::new().p("VpcId", id.clone()),
            )?;
            Ok(items(&v, "Vpcs", "Vpc")
                .iter()
                .find(|x| text(x, "VpcId").as_deref() == Some(id.as_str()))
                .filter(|x| text(x, "Status").as_deref() == Some("Available"))
                .map(|x| text(x, "OwnerId").unwrap_or_default()))
        })?;
        if !owner.is_empty() {
            self.fact("account", &owner)?;
        }
        let mut zones = Vec::new();
        for r in self.plan.of(Kind::Subnet).collect::<Vec<_>>() {
            let Detail::Subnet { cidr, zone } = &r.detail else {
                continue;
            };
            let vsw = self.ensure(
                Product::Vpc,
                "VSWITCH",
                &r.key,
                "CreateVSwitch",
                Params::new()
                    .p("VpcId", vpc_id.clone())
                    .p("ZoneId", zone.clone())
                    .p("CidrBlock", cidr.clone())
                    .p("VSwitchName", r.name.clone())
                    .p("Description", self.description()),
                "VSwitchId",
            )?;
            self.wait(
                "the vSwitches to be available",
                self.waits.state_change,
                |e| {
                    let v = e.call(
                        Product::Vpc,
                        "DescribeVSwitchAttributes",
                        Params::new().p("VSwitchId", vsw.clone()),
                    )?;
                    Ok((text(&v, "Status").as_deref() == Some("Available")).then_some(()))
                },
            )?;
            zones.push(zone.clone());
        }
        let sg = self.security_group(&vpc_id)?;
        let count = zones.len();
        zones.sort();
        zones.dedup();
        Ok(format!(
            "VPC {vpc_id} ({cidr}), {count} vSwitches in {}, security group {sg}",
            zones.join(", ")
        ))
    }

    fn description(&self) -> String {
        format!("EMQX BYOC deployment {}", self.plan.deployment_id)
    }

    /// The deployment's security group: clients anywhere on the brokers' ports (the SLB keeps
    /// their address), everything between the deployment's own machines.
    fn security_group(&mut self, vpc_id: &str) -> Result<String, AliyunError> {
        let r = self.res("sg")?;
        let Detail::SecurityGroup {
            public_ports,
            vpc_cidr,
        } = &r.detail
        else {
            return Err(AliyunError::Plan(
                "the plan's sg is not a security group".into(),
            ));
        };
        let sg = self.ensure(
            Product::Ecs,
            "securitygroup",
            "sg",
            "CreateSecurityGroup",
            Params::new()
                .p("VpcId", vpc_id)
                .p("SecurityGroupName", r.name.clone())
                .p("SecurityGroupType", "normal")
                .p("Description", self.description()),
            "SecurityGroupId",
        )?;
        let have = self.call(
            Product::Ecs,
            "DescribeSecurityGroupAttribute",
            Params::new()
                .p("SecurityGroupId", sg.clone())
                .p("Direction", "ingress"),
        )?;
        let have: Vec<(String, String, String)> = items(&have, "Permissions", "Permission")
            .iter()
            .map(|p| {
                (
                    text(p, "IpProtocol")
                        .unwrap_or_default()
                        .to_ascii_lowercase(),
                    text(p, "PortRange").unwrap_or_default(),
                    text(p, "SourceCidrIp").unwrap_or_default(),
                )
            })
            .collect();
        let mut wanted: Vec<(String, String, String)> = public_ports
            .iter()
            .map(|p| ("tcp".into(), format!("{p}/{p}"), "0.0.0.0/0".into()))
            .collect();
        wanted.push(("all".into(), "-1/-1".into(), vpc_cidr.clone()));
        for (protocol, range, source) in wanted {
            if have.contains(&(protocol.clone(), range.clone(), source.clone())) {
                continue;
            }
            self.call(
                Product::Ecs,
                "AuthorizeSecurityGroup",
                Params::new()
                    .p("SecurityGroupId", sg.clone())
                    .p("IpProtocol", protocol)
                    .p("PortRange", range)
                    .p("SourceCidrIp", source),
            )?;
        }
        Ok(sg)
    }

    // ----- image -----

    fn image(&mut self) -> Result<String, AliyunError> {
        let key_name = self.key_pair()?;
        let image_id = match self.find(Product::Ecs, "image", "image")? {
            Some(id) => id,
            None => {
                let builder = self.res("builder")?;
                let base = self.base_image()?;
                let builder_id = self.run_instance(builder, &base)?;
                let id = builder_id.clone();
                self.wait(
                    "the image builder to install the broker and power off",
                    self.waits.image_build,
                    |e| Ok(e.instance_status(&id)?.filter(|s| s == STOPPED).map(|_| ())),
                )?;
                self.forget("image")?;
                let image = self.res("image")?;
                let v = self.call(
                    Product::Ecs,
                    "CreateImage",
                    Params::new()
                        .p("InstanceId", builder_id)
                        .p("ImageName", image.name.clone())
                        .p(
                            "Description",
                            format!(
                                "EMQX broker image of BYOC deployment {}",
                                self.plan.deployment_id
                            ),
                        )
                        .p("ClientToken", self.client_token("image"))
                        .tags(&self.tags_of(image)),
                )?;
                text(&v, "ImageId")
                    .ok_or_else(|| unreadable(Product::Ecs, "CreateImage", "ImageId"))?
            }
        };
        self.record("image", &image_id)?;
        let id = image_id.clone();
        self.wait(
            "the image to become available",
            self.waits.image_build,
            |e| {
                let v = e.call(
                    Product::Ecs,
                    "DescribeImages",
                    Params::new()
                        .p("ImageId", id.clone())
                        .p("ImageOwnerAlias", "self")
                        // Without it only available images are listed.
                        .p("Status", "Creating,Waiting,Available,UnAvailable,CreateFailed"),
                )?;
                match items(&v, "Images", "Image")
                    .iter()
                    .find(|i| text(i, "ImageId").as_deref() == Some(id.as_str()))
                    .and_then(|i| text(i, "Status"))
                    .as_deref()
                {
                    Some("Available") => Ok(Some(())),
                    Some("CreateFailed" | "UnAvailable") => Err(AliyunError::Plan(format!(
                        "Alibaba Cloud could not make the image {id}; delete it in the ECS console and run the operation again"
                    ))),
                    _ => Ok(None),
                }
            },
        )?;
        // The builder has done its work.
        let builders = self.instances_with_role(Role::ImageBuilder)?;
        for (id, _) in &builders {
            self.call(
                Product::Ecs,
                "DeleteInstance",
                Params::new().p("InstanceId", id.clone()).p("Force", "true"),
            )?;
        }
        Ok(format!("image {image_id} and key pair {key_name}"))
    }

    /// The key pair: found by its tags, or created with them; its private key stays on this
    /// machine, readable by this user only.
    fn key_pair(&mut self) -> Result<String, AliyunError> {
        if let Some(name) = self.find(Product::Ecs, "keypair", "key")? {
            self.record("key", &name)?;
            return Ok(name);
        }
        let r = self.res("key")?;
        let v = self.call(
            Product::Ecs,
            "CreateKeyPair",
            Params::new()
                .p("KeyPairName", r.name.clone())
                .tags(&self.tags_of(r)),
        );
        let v = match v {
            Ok(v) => v,
            Err(e) if e.code() == Some("KeyPair.AlreadyExist") => {
                return Err(AliyunError::Plan(format!(
                    "a key pair named {} exists without this deployment's tags; it was left alone. Delete or rename it in the ECS console and run the operation again",
                    r.name
                )))
            }
            Err(e) => return Err(e),
        };
        let material = text(&v, "PrivateKeyBody").unwrap_or_default();
        let path = self
            .store
            .save_private(&format!("{}.pem", r.name), &material)
            .map_err(AliyunError::Plan)?;
        self.fact("key_file", &path.display().to_string())?;
        let name = text(&v, "KeyPairName").unwrap_or_else(|| r.name.clone());
        self.record("key", &name)?;
        Ok(name)
    }

    /// The image the builder starts from: the one given, or the newest plain Alibaba Cloud Linux
    /// 3 (x86-64, with cloud-init and dnf, as the builder's user data expects) in this region,
    /// named `aliyun_3_x64_20G_alibase_<date>.vhd` (not the hardened or quick-boot variants).
    fn base_image(&self) -> Result<String, AliyunError> {
        if let Some(id) = &self.base_image {
            return Ok(id.clone());
        }
        let mut newest: Option<(String, String)> = None;
        for page in 1..=10u32 {
            let v = self.call(
                Product::Ecs,
                "DescribeImages",
                Params::new()
                    .p("ImageOwnerAlias", "system")
                    .p("OSType", "linux")
                    .p("Architecture", "x86_64")
                    .p("PageSize", "100")
                    .p("PageNumber", page.to_string()),
            )?;
            let list = items(&v, "Images", "Image");
            for i in list {
                let (Some(id), created) = (text(i, "ImageId"), text(i, "CreationTime")) else {
                    continue;
                };
                let created = created.unwrap_or_default();
                if id.starts_with(BASE_IMAGE_PREFIX)
                    && newest.as_ref().is_none_or(|(_, c)| created > *c)
                {
                    newest = Some((id, created));
                }
            }
            let total = v["TotalCount"].as_u64().unwrap_or(0);
            if list.is_empty() || u64::from(page) * 100 >= total {
                break;
            }
        }
        newest.map(|(id, _)| id).ok_or_else(|| {
            AliyunError::Plan(format!(
                "no Alibaba Cloud Linux 3 image ({BASE_IMAGE_PREFIX}…) found in {}; pass --base-image <ImageId> (an x86-64 image with cloud-init and dnf)",
                self.plan.region
            ))
        })
    }

    // ----- instances -----

    /// This deployment's instances (id, status, role), found by its tags; deleted ones are gone
    /// from the answer.
    fn instances(
        &self,
        extra: &[(String, String)],
    ) -> Result<Vec<(String, String, String)>, AliyunError> {
        let mut tags = self.own_tags();
        tags.extend_from_slice(extra);
        let mut out = Vec::new();
        for page in 1..=20u32 {
            let v = self.call(
                Product::Ecs,
                "DescribeInstances",
                Params::new()
                    .tags(&tags)
                    .p("PageSize", "50")
                    .p("PageNumber", page.to_string()),
            )?;
            let list = items(&v, "Instances", "Instance");
            for i in list {
                let tags = ecs_tags(i);
                out.push((
                    text(i, "InstanceId").unwrap_or_default(),
                    text(i, "Status").unwrap_or_default(),
                    tags.get(ROLE_TAG_KEY).cloned().unwrap_or_default(),
                ));
            }
            let total = v["TotalCount"].as_u64().unwrap_or(0);
            if list.is_empty() || out.len() as u64 >= total {
                break;
            }
        }
        out.retain(|(id, _, _)| !id.is_empty());
        Ok(out)
    }

    fn instances_with_role(&self, role: Role) -> Result<Vec<(String, String)>, AliyunError> {
        Ok(self
            .instances(&[(ROLE_TAG_KEY.into(), role_code(role).into())])?
            .into_iter()
            .map(|(id, status, _)| (id, status))
            .collect())
    }

    /// The broker and agent instances (id, status).
    fn cluster_instances(&self) -> Result<Vec<(String, String)>, AliyunError> {
        let cluster = [role_code(Role::Broker), role_code(Role::Agent)];
        Ok(self
            .instances(&[])?
            .into_iter()
            .filter(|(_, _, role)| cluster.contains(&role.as_str()))
            .map(|(id, status, _)| (id, status))
            .collect())
    }

    fn instance_status(&self, id: &str) -> Result<Option<String>, AliyunError> {
        let v = self.call(
            Product::Ecs,
            "DescribeInstances",
            Params::new().p("InstanceIds", json_list(&[id.to_owned()])),
        )?;
        Ok(items(&v, "Instances", "Instance")
            .iter()
            .find(|i| text(i, "InstanceId").as_deref() == Some(id))
            .and_then(|i| text(i, "Status")))
    }

    /// Launches one instance of the plan, or finds it by its tags (given at launch, so an
    /// instance that exists carries them). A repeat after a lost answer carries the same client
    /// token, so it answers with the first launch's instance.
    fn run_instance(&mut self, r: &Resource, image: &str) -> Result<String, AliyunError> {
        let Detail::Instance {
            instance_type,
            subnet,
            private_ip,
            ..
        } = &r.detail
        else {
            return Err(AliyunError::Plan(format!("{} is not an instance", r.key)));
        };
        let found = self.instances(&[(RESOURCE_TAG_KEY.into(), r.key.clone())])?;
        if let Some((id, _, _)) = found.first() {
            let id = id.clone();
            self.record(&r.key, &id)?;
            return Ok(id);
        }
        self.forget(&r.key)?;
        let user_data = base64(self.user_data.user_data(self.plan, r).as_bytes());
        let mut params = Params::new()
            .p("ImageId", image)
            .p("InstanceType", instance_type.clone())
            .p("VSwitchId", self.id(subnet)?)
            .p("SecurityGroupId", self.id("sg")?)
            .p("KeyPairName", self.id("key")?)
            .p("InstanceName", r.name.clone())
            .p("HostName", r.key.clone())
            .p("UserData", user_data)
            .p("Amount", "1")
            .p("SystemDisk.Category", "cloud_essd")
            // A public address with the instance's own bandwidth: the agent reaches the control
            // plane and the builder the broker's packages without an EIP or NAT gateway, which
            // the delete policy could not remove.
            .p("InternetChargeType", "PayByTraffic")
            .p("InternetMaxBandwidthOut", "10")
            .p("ClientToken", self.client_token(&r.key))
            .tags(&self.tags_of(r));
        if let Some(ip) = private_ip {
            params = params.p("PrivateIpAddress", ip.clone());
        }
        let v = self.call(Product::Ecs, "RunInstances", params)?;
        let id = v["InstanceIdSets"]["InstanceIdSet"][0]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| unreadable(Product::Ecs, "RunInstances", "InstanceIdSets"))?;
        self.record(&r.key, &id)?;
        Ok(id)
    }

    fn compute(&mut self) -> Result<String, AliyunError> {
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
        self.wait_statuses(&ids, RUNNING)?;
        let brokers = wanted
            .iter()
            .filter(|r| instance_role(r) == Some(Role::Broker))
            .count();
        Ok(format!(
            "{brokers} broker instances and the agent instance running ({})",
            ids.join(", ")
        ))
    }

    fn wait_statuses(&mut self, ids: &[String], status: &str) -> Result<(), AliyunError> {
        if ids.is_empty() {
            return Ok(());
        }
        let ids = ids.to_vec();
        let what = format!(
            "{} instances to be {}",
            ids.len(),
            status.to_ascii_lowercase()
        );
        self.wait(&what, self.waits.state_change, |e| {
            let v = e.call(
                Product::Ecs,
                "DescribeInstances",
                Params::new()
                    .p("InstanceIds", json_list(&ids))
                    .p("PageSize", "50"),
            )?;
            let list = items(&v, "Instances", "Instance");
            let done = ids.iter().all(|id| {
                list.iter().any(|i| {
                    text(i, "InstanceId").as_deref() == Some(id.as_str())
                        && text(i, "Status").as_deref() == Some(status)
                })
            });
            Ok(done.then_some(()))
        })
    }

    fn stop_or_start(&mut self, start: bool) -> Result<String, AliyunError> {
        let instances = self.cluster_instances()?;
        let (action, goal, moving) = if start {
            ("StartInstance", RUNNING, "Starting")
        } else {
            ("StopInstance", STOPPED, "Stopping")
        };
        if instances.is_empty() {
            return Err(AliyunError::Plan(format!(
                "no instances tagged {DEPLOYMENT_TAG_KEY}={} and {}={} in {}: is this the deployment's region and account?",
                self.plan.deployment_id, self.plan.tags[0].key, self.plan.tags[0].value, self.plan.region
            )));
        }
        for (id, status) in &instances {
            if status != goal && status != moving {
                self.call(
                    Product::Ecs,
                    action,
                    Params::new().p("InstanceId", id.clone()),
                )?;
            }
        }
        let ids: Vec<String> = instances.into_iter().map(|(id, _)| id).collect();
        self.wait_statuses(&ids, goal)?;
        Ok(format!(
            "{} instances {}",
            ids.len(),
            goal.to_ascii_lowercase()
        ))
    }

    // ----- load balancer -----

    fn load_balancer(&mut self) -> Result<String, AliyunError> {
        let slb = self.res("slb")?;
        let Detail::Slb { backends } = &slb.detail else {
            return Err(AliyunError::Plan("the plan's slb is not an SLB".into()));
        };
        let lb = match self.find(Product::Slb, "instance", "slb")? {
            Some(id) => id,
            None => {
                // Tagged at creation, and again at once with TagResources (which older SLB
                // releases need); a run killed in between repeats the create under the same
                // token, which answers with this SLB.
                let v = self.call(
                    Product::Slb,
                    "CreateLoadBalancer",
                    Params::new()
                        .p("LoadBalancerName", slb.name.clone())
                        .p("AddressType", "internet")
                        .p("InternetChargeType", "paybytraffic")
                        .p("LoadBalancerSpec", "slb.s2.small")
                        .p("ClientToken", self.client_token("slb"))
                        .tags(&self.tags_of(slb)),
                )?;
                let id = text(&v, "LoadBalancerId").ok_or_else(|| {
                    unreadable(Product::Slb, "CreateLoadBalancer", "LoadBalancerId")
                })?;
                self.call(
                    Product::Slb,
                    "TagResources",
                    Params::new()
                        .p("ResourceType", "instance")
                        .p("ResourceId.1", id.clone())
                        .tags(&self.tags_of(slb)),
                )?;
                id
            }
        };
        self.record("slb", &lb)?;
        let id = lb.clone();
        let attributes = self.wait("the SLB to be active", self.waits.state_change, |e| {
            let v = e.call(
                Product::Slb,
                "DescribeLoadBalancerAttribute",
                Params::new().p("LoadBalancerId", id.clone()),
            )?;
            Ok((text(&v, "LoadBalancerStatus").as_deref() == Some("active")).then_some(v))
        })?;
        let address = text(&attributes, "Address").unwrap_or_default();
        self.fact("load_balancer", &address)?;
        let ports: Vec<u64> = items(&attributes, "ListenerPorts", "ListenerPort")
            .iter()
            .filter_map(Value::as_u64)
            .collect();
        let listeners: Vec<(u16, u16)> = self
            .plan
            .of(Kind::Listener)
            .filter_map(|r| match r.detail {
                Detail::TcpListener { port, backend_port } => Some((port, backend_port)),
                _ => None,
            })
            .collect();
        for (port, backend_port) in &listeners {
            if !ports.contains(&u64::from(*port)) {
                self.call(
                    Product::Slb,
                    "CreateLoadBalancerTCPListener",
                    Params::new()
                        .p("LoadBalancerId", lb.clone())
                        .p("ListenerPort", port.to_string())
                        .p("BackendServerPort", backend_port.to_string())
                        .p("Bandwidth", "-1"),
                )?;
            }
        }
        let have: Vec<String> = items(&attributes, "BackendServers", "BackendServer")
            .iter()
            .filter_map(|b| text(b, "ServerId"))
            .collect();
        let mut add = Vec::new();
        for key in backends {
            let id = self.id(key)?;
            if !have.contains(&id) {
                add.push(serde_json::json!({"ServerId": id, "Weight": "100", "Type": "ecs"}));
            }
        }
        if !add.is_empty() {
            self.call(
                Product::Slb,
                "AddBackendServers",
                Params::new()
                    .p("LoadBalancerId", lb.clone())
                    .p("BackendServers", Value::Array(add).to_string()),
            )?;
        }
        for (port, _) in &listeners {
            if self.listener_status(&lb, *port)?.as_deref() != Some("running") {
                self.call(
                    Product::Slb,
                    "StartLoadBalancerListener",
                    Params::new()
                        .p("LoadBalancerId", lb.clone())
                        .p("ListenerPort", port.to_string()),
                )?;
            }
        }
        Ok(format!(
            "SLB {lb} at {address}: {} TCP listeners in front of {} brokers",
            listeners.len(),
            backends.len()
        ))
    }

    fn listener_status(&self, lb: &str, port: u16) -> Result<Option<String>, AliyunError> {
        let v = self.call(
            Product::Slb,
            "DescribeLoadBalancerTCPListenerAttribute",
            Params::new()
                .p("LoadBalancerId", lb)
                .p("ListenerPort", port.to_string()),
        )?;
        Ok(text(&v, "Status"))
    }

    fn dns(&mut self) -> String {
        let lb = self
            .state
            .facts
            .get("load_balancer")
            .cloned()
            .unwrap_or_default();
        format!(
            "create the DNS record {}. A {lb} in your DNS zone (the SLB's address); clients connect through it",
            self.domain
        )
    }

    /// The create policy cannot read the SLB's health checks (no `slb:DescribeHealthStatus`):
    /// the listeners are confirmed running here, and the agent node reports the brokers' health
    /// to the console from inside the cluster.
    fn listeners_running(&mut self) -> Result<String, AliyunError> {
        let lb = self.id("slb")?;
        let ports: Vec<u16> = self
            .plan
            .of(Kind::Listener)
            .filter_map(|r| match r.detail {
                Detail::TcpListener { port, .. } => Some(port),
                _ => None,
            })
            .collect();
        let n = ports.len();
        self.wait("every listener to run", self.waits.state_change, |e| {
            for port in &ports {
                if e.listener_status(&lb, *port)?.as_deref() != Some("running") {
                    return Ok(None);
                }
            }
            Ok(Some(()))
        })?;
        Ok(format!(
            "all {n} listeners running; the agent reports the brokers' health from inside the cluster"
        ))
    }

    // ----- delete -----

    fn delete_load_balancer(&mut self) -> Result<String, AliyunError> {
        let found = self.tagged(Product::Slb, "instance")?;
        for id in &found {
            // Its listeners go with it.
            self.call(
                Product::Slb,
                "DeleteLoadBalancer",
                Params::new().p("LoadBalancerId", id.clone()),
            )?;
        }
        Ok(format!("deleted {} SLB with its listeners", found.len()))
    }

    fn delete_instances(&mut self) -> Result<String, AliyunError> {
        let ids: Vec<String> = self
            .instances(&[])?
            .into_iter()
            .map(|(id, _, _)| id)
            .collect();
        for id in &ids {
            self.call(
                Product::Ecs,
                "DeleteInstance",
                Params::new().p("InstanceId", id.clone()).p("Force", "true"),
            )?;
        }
        if !ids.is_empty() {
            self.wait(
                "the instances to be released",
                self.waits.state_change,
                |e| Ok(e.instances(&[])?.is_empty().then_some(())),
            )?;
        }
        Ok(format!("released {} instances", ids.len()))
    }

    fn delete_image_and_key(&mut self) -> Result<String, AliyunError> {
        let images = self.tagged(Product::Ecs, "image")?;
        for id in &images {
            self.call(
                Product::Ecs,
                "DeleteImage",
                Params::new().p("ImageId", id.clone()),
            )?;
        }
        let keys = self.tagged(Product::Ecs, "keypair")?;
        if !keys.is_empty() {
            let names: Vec<String> = keys.iter().cloned().collect();
            self.call(
                Product::Ecs,
                "DeleteKeyPairs",
                Params::new().p("KeyPairNames", json_list(&names)),
            )?;
        }
        Ok(format!(
            "deleted {} image and {} key pair",
            images.len(),
            keys.len()
        ))
    }

    fn delete_network(&mut self) -> Result<String, AliyunError> {
        let groups = self.tagged(Product::Ecs, "securitygroup")?;
        for id in &groups {
            self.delete_when_free(
                "the security group to be free of the instances",
                Product::Ecs,
                "DeleteSecurityGroup",
                Params::new().p("SecurityGroupId", id.clone()),
            )?;
        }
        let vswitches = self.tagged(Product::Vpc, "VSWITCH")?;
        for id in &vswitches {
            self.delete_when_free(
                "the vSwitches to be free of the instances",
                Product::Vpc,
                "DeleteVSwitch",
                Params::new().p("VSwitchId", id.clone()),
            )?;
        }
        let vpcs = self.tagged(Product::Vpc, "VPC")?;
        for id in &vpcs {
            self.delete_when_free(
                "the VPC to be empty",
                Product::Vpc,
                "DeleteVpc",
                Params::new().p("VpcId", id.clone()),
            )?;
        }
        Ok(format!(
            "deleted {} security group, {} vSwitches and {} VPC",
            groups.len(),
            vswitches.len(),
            vpcs.len()
        ))
    }
}

/// A JSON list of strings, as `InstanceIds` and `KeyPairNames` take it.
fn json_list(values: &[String]) -> String {
    Value::from(values.to_vec()).to_string()
}

fn unreadable(product: Product, action: &str, field: &str) -> AliyunError {
    AliyunError::Unreadable {
        action: format!("{}:{action}", product.code()),
        reason: format!("no {field}"),
    }
}
