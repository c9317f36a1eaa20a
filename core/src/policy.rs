//! Least-privilege cloud policies, one per cloud and operation (SPEC §3): what the customer grants
//! the credentials that `byoc create`, `byoc delete` and `byoc stop|start` run with.
//!
//! Where each document comes from, and why it looks the way it does:
//!
//! - **aliyun (RAM) and aws-cn (IAM)** reproduce the seed `emqx-byoc-prerequisites.zh.md` exactly.
//!   The seed publishes three documents per cloud: one for creating a deployment, one "if you need
//!   to delete the deployment after creating it" (删除) and one for stopping and starting it (停止和
//!   启动). They map one-to-one onto [`Operation::Create`], [`Operation::Delete`] and
//!   [`Operation::StopStart`], so nothing is derived: the statements, effects, action lists (in
//!   the seed's order) and conditions are the seed's, and `core/tests/fixtures/policies/` holds
//!   the seed's six JSON blocks verbatim for the tests to compare against. reference/domain.md §6.4
//!   describes an older, single combined aliyun / aws-cn policy (more actions, no tag conditions);
//!   the seed is newer and authoritative (reference §11), so that one is not used.
//! - **aws (international)** follows reference §6.2, whose three documents are the aws-cn ones
//!   action for action (the published intl page even keeps the `VisualEditor0/1` statement ids).
//!   Every statement uses `Resource: "*"` and scopes by tag rather than by ARN, so no partition
//!   (`arn:aws` vs `arn:aws-cn`) appears and one table serves both clouds.
//! - **gcp** follows reference §6.3: a custom role per operation (title, description, stage GA,
//!   the permissions in the order §6.3 lists them) plus the gcloud commands that create it, a
//!   service account, the binding and the account's key. GCP custom roles cannot carry
//!   conditions, and IAM conditions on a binding match Resource Manager tags, not the labels the
//!   toolkit puts on resources; the published roles have none, so the tag setting does not change
//!   a gcp role.
//!
//! The tag the seed conditions destructive actions on (`used-by = emqx-cloud`) is a setting
//! ([`TagCondition`]); its default reproduces the seed, and changing it changes only the
//! conditions. Output is deterministic byte for byte so two versions can be diffed.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::catalog::Cloud;
use crate::lang::Lang;

/// What the customer is about to do with a deployment; each needs its own policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Operation {
    #[serde(rename = "create")]
    Create,
    #[serde(rename = "delete")]
    Delete,
    #[serde(rename = "stop-start")]
    StopStart,
}

impl Operation {
    /// Every operation, in the order the console lists them.
    pub const ALL: [Operation; 3] = [Operation::Create, Operation::Delete, Operation::StopStart];

    pub fn code(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Delete => "delete",
            Operation::StopStart => "stop-start",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Operation {
    type Err = PolicyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Operation::ALL
            .into_iter()
            .find(|op| op.code() == s)
            .ok_or_else(|| PolicyError::UnknownOperation(s.to_owned()))
    }
}

/// The seed's tag key: the toolkit labels every resource it creates with `used-by = emqx-cloud`,
/// and destructive actions are allowed only on resources that carry it.
pub const DEFAULT_TAG_KEY: &str = "used-by";
/// The seed's tag value (see [`DEFAULT_TAG_KEY`]).
pub const DEFAULT_TAG_VALUE: &str = "emqx-cloud";
/// AWS's limit for a tag key, in characters (not bytes).
pub const MAX_TAG_KEY_CHARS: usize = 128;
/// AWS's limit for a tag value, in characters (not bytes).
pub const MAX_TAG_VALUE_CHARS: usize = 256;

/// The resource tag that destructive actions are conditioned on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagCondition {
    pub key: String,
    pub value: String,
}

impl Default for TagCondition {
    /// The seed's `used-by = emqx-cloud`, so default output reproduces the seed.
    fn default() -> Self {
        TagCondition {
            key: DEFAULT_TAG_KEY.to_owned(),
            value: DEFAULT_TAG_VALUE.to_owned(),
        }
    }
}

impl TagCondition {
    /// Checks a tag before it goes into a policy. JSON escaping would keep quotes and backslashes
    /// harmless in the document, but such a tag is almost surely a typo and breaks when pasted into
    /// a shell or a console form, so it is refused with the other impossible tags.
    pub fn parse(key: &str, value: &str) -> Result<TagCondition, PolicyError> {
        check_tag_part(key, MAX_TAG_KEY_CHARS).map_err(PolicyError::InvalidTagKey)?;
        check_tag_part(value, MAX_TAG_VALUE_CHARS).map_err(PolicyError::InvalidTagValue)?;
        Ok(TagCondition {
            key: key.to_owned(),
            value: value.to_owned(),
        })
    }
}

fn check_tag_part(text: &str, max: usize) -> Result<(), TagProblem> {
    if text.is_empty() {
        Err(TagProblem::Empty)
    } else if text.chars().count() > max {
        Err(TagProblem::TooLong { max })
    } else if text.chars().any(char::is_control) {
        Err(TagProblem::ControlCharacter)
    } else if text.contains(['"', '\\']) {
        Err(TagProblem::QuoteOrBackslash)
    } else {
        Ok(())
    }
}

/// Why a tag key or value was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TagProblem {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("must not contain control characters")]
    ControlCharacter,
    #[error("must not contain quotes or backslashes")]
    QuoteOrBackslash,
}

impl TagProblem {
    /// Stable detail code, so the console can say precisely what is wrong in either language.
    pub fn code(self) -> &'static str {
        match self {
            TagProblem::Empty => "empty",
            TagProblem::TooLong { .. } => "too_long",
            TagProblem::ControlCharacter => "control_character",
            TagProblem::QuoteOrBackslash => "quote_or_backslash",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("unknown operation \"{0}\"; expected one of create, delete, stop-start")]
    UnknownOperation(String),
    #[error("tag key {0}")]
    InvalidTagKey(TagProblem),
    #[error("tag value {0}")]
    InvalidTagValue(TagProblem),
}

impl PolicyError {
    /// Stable machine-readable code, used in API problems and translated messages.
    pub fn code(&self) -> &'static str {
        match self {
            PolicyError::UnknownOperation(_) => "unknown_operation",
            PolicyError::InvalidTagKey(_) => "invalid_tag_key",
            PolicyError::InvalidTagValue(_) => "invalid_tag_value",
        }
    }

    /// The input the error is about, as the API's query parameter names it.
    pub fn field(&self) -> &'static str {
        match self {
            PolicyError::UnknownOperation(_) => "operation",
            PolicyError::InvalidTagKey(_) => "tag_key",
            PolicyError::InvalidTagValue(_) => "tag_value",
        }
    }

    /// The error in `lang`, a clause like the English `Display`.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let problem = |p: &TagProblem| match p {
            TagProblem::Empty => "不能为空".to_owned(),
            TagProblem::TooLong { max } => format!("最多 {max} 个字符"),
            TagProblem::ControlCharacter => "不能包含控制字符".to_owned(),
            TagProblem::QuoteOrBackslash => "不能包含引号或反斜杠".to_owned(),
        };
        match self {
            PolicyError::UnknownOperation(op) => {
                format!("未知的操作 \"{op}\"；应为 create、delete、stop-start 之一")
            }
            PolicyError::InvalidTagKey(p) => format!("标签键{}", problem(p)),
            PolicyError::InvalidTagValue(p) => format!("标签值{}", problem(p)),
        }
    }
}

/// A policy ready to show, copy or download.
#[derive(Clone, Debug, PartialEq)]
pub enum PolicyDocument {
    /// aliyun, aws, aws-cn: the JSON policy document.
    Json(Value),
    /// gcp: the custom role as YAML (for `gcloud iam roles create --file`) plus the gcloud commands
    /// to create the role, a service account, bind it and create its key.
    GcpRole {
        role_id: String,
        yaml: String,
        commands: Vec<String>,
    },
}

impl PolicyDocument {
    /// The download name, e.g. `emqx-byoc-aliyun-create-policy.json`; the gcloud commands refer
    /// to the YAML by this same name.
    pub fn file_name(&self, cloud: Cloud, op: Operation) -> String {
        let extension = match self {
            PolicyDocument::Json(_) => "json",
            PolicyDocument::GcpRole { .. } => "yaml",
        };
        file_name(cloud, op, extension)
    }

    pub fn media_type(&self) -> &'static str {
        match self {
            PolicyDocument::Json(_) => "application/json",
            PolicyDocument::GcpRole { .. } => "application/yaml",
        }
    }

    /// Pretty JSON (2-space indent, trailing newline) or the YAML, the same bytes every time.
    pub fn to_text(&self) -> String {
        match self {
            PolicyDocument::Json(value) => {
                let mut text = String::new();
                write_json(&mut text, value, 0);
                text.push('\n');
                text
            }
            PolicyDocument::GcpRole { yaml, .. } => yaml.clone(),
        }
    }
}

fn file_name(cloud: Cloud, op: Operation, extension: &str) -> String {
    format!(
        "emqx-byoc-{}-{}-policy.{extension}",
        cloud.code(),
        op.code()
    )
}

/// The policy `op` needs on `cloud`, with destructive actions conditioned on `tag`.
pub fn policy(cloud: Cloud, op: Operation, tag: &TagCondition) -> PolicyDocument {
    match cloud {
        Cloud::Aliyun => PolicyDocument::Json(aliyun(op).to_value(tag)),
        Cloud::AwsCn | Cloud::Aws => PolicyDocument::Json(aws(op).to_value(tag)),
        Cloud::Gcp => gcp(op).document(op),
    }
}

// ---------------------------------------------------------------------------------------------
// JSON policies (aliyun RAM, AWS IAM)

/// A JSON policy as the seed writes it. Every statement the sources publish is `Allow` on
/// `Resource: "*"`: least privilege comes from the action lists and the tag conditions, so those
/// two constants are not per-statement data.
struct JsonPolicy {
    version: &'static str,
    statements: &'static [Statement],
}

struct Statement {
    sid: Option<&'static str>,
    actions: &'static [&'static str],
    condition: Option<TagKeyForm>,
}

/// How a statement names the resource tag: each service spells the condition key its own way,
/// and aliyun writes the value as a list where AWS writes a string (both as in the seed).
#[derive(Clone, Copy)]
enum TagKeyForm {
    /// `ecs:tag/<key>` (aliyun ECS).
    AliyunEcs,
    /// `acs:ResourceTag/<key>` (aliyun VPC).
    AliyunAcs,
    /// `slb:tag/<key>` (aliyun SLB).
    AliyunSlb,
    /// `aws:ResourceTag/<key>` (AWS and AWS China).
    Aws,
}

impl TagKeyForm {
    fn condition(self, tag: &TagCondition) -> Value {
        let value = Value::String(tag.value.clone());
        let (prefix, value) = match self {
            TagKeyForm::AliyunEcs => ("ecs:tag/", Value::Array(vec![value])),
            TagKeyForm::AliyunAcs => ("acs:ResourceTag/", Value::Array(vec![value])),
            TagKeyForm::AliyunSlb => ("slb:tag/", Value::Array(vec![value])),
            TagKeyForm::Aws => ("aws:ResourceTag/", value),
        };
        let mut equals = Map::new();
        equals.insert(format!("{prefix}{}", tag.key), value);
        let mut condition = Map::new();
        condition.insert("StringEquals".to_owned(), Value::Object(equals));
        Value::Object(condition)
    }
}

impl JsonPolicy {
    fn to_value(&self, tag: &TagCondition) -> Value {
        let statements = self.statements.iter().map(|s| s.to_value(tag)).collect();
        let mut policy = Map::new();
        policy.insert("Version".to_owned(), self.version.into());
        policy.insert("Statement".to_owned(), Value::Array(statements));
        Value::Object(policy)
    }
}

impl Statement {
    fn to_value(&self, tag: &TagCondition) -> Value {
        let mut statement = Map::new();
        if let Some(sid) = self.sid {
            statement.insert("Sid".to_owned(), sid.into());
        }
        statement.insert("Effect".to_owned(), "Allow".into());
        let actions = self.actions.iter().map(|&a| Value::from(a)).collect();
        statement.insert("Action".to_owned(), Value::Array(actions));
        statement.insert("Resource".to_owned(), "*".into());
        if let Some(form) = self.condition {
            statement.insert("Condition".to_owned(), form.condition(tag));
        }
        Value::Object(statement)
    }
}

const fn allow(actions: &'static [&'static str]) -> Statement {
    Statement {
        sid: None,
        actions,
        condition: None,
    }
}

const fn allow_tagged(actions: &'static [&'static str], form: TagKeyForm) -> Statement {
    Statement {
        sid: None,
        actions,
        condition: Some(form),
    }
}

fn aliyun(op: Operation) -> &'static JsonPolicy {
    match op {
        Operation::Create => &ALIYUN_CREATE,
        Operation::Delete => &ALIYUN_DELETE,
        Operation::StopStart => &ALIYUN_STOP_START,
    }
}

fn aws(op: Operation) -> &'static JsonPolicy {
    match op {
        Operation::Create => &AWS_CREATE,
        Operation::Delete => &AWS_DELETE,
        Operation::StopStart => &AWS_STOP_START,
    }
}

// The tables below are the seed's documents, statement by statement, actions in the seed's order
// (including where it is not alphabetical) so that the output reads like the published one.

const ALIYUN_CREATE: JsonPolicy = JsonPolicy {
    version: "1",
    statements: &[
        allow(&[
            "ecs:AddTags",
            "ecs:AttachKeyPair",
            "ecs:AuthorizeSecurityGroup",
            "ecs:AuthorizeSecurityGroupEgress",
            "ecs:CreateInstance",
            "ecs:CreateImage",
            "ecs:CreateKeyPair",
            "ecs:CreateSecurityGroup",
            "ecs:DescribeDisks",
            "ecs:DescribeImages",
            "ecs:DescribeInstances",
            "ecs:DescribeInstanceMaintenanceAttributes",
            "ecs:DescribeInstanceRamRole",
            "ecs:DescribeKeyPairs",
            "ecs:DescribeNetworkInterfaces",
            "ecs:DescribeRegions",
            "ecs:DescribeSecurityGroups",
            "ecs:DescribeSecurityGroupAttribute",
            "ecs:DescribeUserData",
            "ecs:DeleteKeyPairs",
            "ecs:DeleteSecurityGroup",
            "ecs:DetachKeyPair",
            "ecs:ImportKeyPair",
            "ecs:ListTagResources",
            "ecs:ModifyImageSharePermission",
            "ecs:ModifySecurityGroupPolicy",
            "ecs:RunInstances",
            "ecs:TagResources",
        ]),
        allow_tagged(
            &[
                "ecs:StartInstance",
                "ecs:StopInstance",
                "ecs:DeleteImage",
                "ecs:DeleteInstance",
                "ecs:DeleteSnapshot",
            ],
            TagKeyForm::AliyunEcs,
        ),
        allow(&[
            "vpc:AllocateEipAddress",
            "vpc:AssociateEipAddress",
            "vpc:CreateVpc",
            "vpc:CreateVSwitch",
            "vpc:DescribeEipAddresses",
            "vpc:DescribeRouteTableList",
            "vpc:DescribeVpcs",
            "vpc:DescribeVSwitches",
            "vpc:DescribeVSwitchAttributes",
            "vpc:DeleteVpc",
            "vpc:DeleteVSwitch",
            "vpc:ListTagResources",
            "vpc:ReleaseEipAddress",
            "vpc:TagResources",
            "vpc:UnassociateEipAddress",
        ]),
        allow(&[
            "slb:AddAccessControlListEntry",
            "slb:AddBackendServers",
            "slb:CreateAccessControlList",
            "slb:CreateLoadBalancer",
            "slb:CreateLoadBalancerTCPListener",
            "slb:DescribeAccessControlListAttribute",
            "slb:DescribeLoadBalancerAttribute",
            "slb:DescribeLoadBalancerTCPListenerAttribute",
            "slb:StartLoadBalancerListener",
            "slb:SetLoadBalancerTCPListenerAttribute",
            "slb:ListTagResources",
            "slb:TagResources",
        ]),
    ],
};

const ALIYUN_DELETE: JsonPolicy = JsonPolicy {
    version: "1",
    statements: &[
        allow(&[
            "ecs:DescribeDisks",
            "ecs:DescribeInstanceMaintenanceAttributes",
            "ecs:DescribeInstanceRamRole",
            "ecs:DescribeImages",
            "ecs:DescribeInstances",
            "ecs:DescribeKeyPairs",
            "ecs:DescribeNetworkInterfaces",
            "ecs:DescribeUserData",
            "ecs:DescribeSecurityGroups",
            "ecs:DescribeSecurityGroupAttribute",
            "ecs:ListTagResources",
        ]),
        allow_tagged(
            &[
                "ecs:DeleteKeyPairs",
                "ecs:DeleteImage",
                "ecs:DeleteInstance",
                "ecs:DeleteSecurityGroup",
            ],
            TagKeyForm::AliyunEcs,
        ),
        allow(&[
            "vpc:DescribeRouteTableList",
            "vpc:DescribeVpcs",
            "vpc:DescribeVSwitchAttributes",
            "vpc:ListTagResources",
        ]),
        allow_tagged(
            &["vpc:DeleteVpc", "vpc:DeleteVSwitch"],
            TagKeyForm::AliyunAcs,
        ),
        allow(&[
            "slb:DescribeLoadBalancerAttribute",
            "slb:DescribeAccessControlListAttribute",
            "slb:ListTagResources",
        ]),
        allow_tagged(
            &[
                "slb:DeleteLoadBalancer",
                "slb:DeleteLoadBalancerListener",
                "slb:DeleteAccessControlList",
            ],
            TagKeyForm::AliyunSlb,
        ),
    ],
};

const ALIYUN_STOP_START: JsonPolicy = JsonPolicy {
    version: "1",
    statements: &[
        allow(&["ecs:DescribeInstances"]),
        allow_tagged(
            &["ecs:StartInstance", "ecs:StopInstance"],
            TagKeyForm::AliyunEcs,
        ),
    ],
};

/// AWS writes statement ids; the seed keeps the ones the IAM visual editor generated.
const fn aws_statements(
    read_and_build: &'static [&'static str],
    tagged: &'static [&'static str],
) -> [Statement; 2] {
    [
        Statement {
            sid: Some("VisualEditor0"),
            actions: read_and_build,
            condition: None,
        },
        Statement {
            sid: Some("VisualEditor1"),
            actions: tagged,
            condition: Some(TagKeyForm::Aws),
        },
    ]
}

const AWS_CREATE: JsonPolicy = JsonPolicy {
    version: "2012-10-17",
    statements: &aws_statements(
        &[
            "ec2:AssociateRouteTable",
            "ec2:AttachInternetGateway",
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:CreateInternetGateway",
            "ec2:CreateImage",
            "ec2:CreateKeyPair",
            "ec2:CreateRoute",
            "ec2:CreateRouteTable",
            "ec2:CreateSecurityGroup",
            "ec2:CreateSubnet",
            "ec2:CreateTags",
            "ec2:CreateVpc",
            "ec2:DescribeInstances",
            "ec2:DescribeInstanceAttribute",
            "ec2:DescribeInstanceCreditSpecifications",
            "ec2:DescribeInstanceTypes",
            "ec2:DescribeInternetGateways",
            "ec2:DescribeImages",
            "ec2:DescribeRegions",
            "ec2:DescribeRouteTables",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeSecurityGroupRules",
            "ec2:DescribeKeyPairs",
            "ec2:DescribeSubnets",
            "ec2:DescribeTags",
            "ec2:DescribeVolumes",
            "ec2:DescribeVpcs",
            "ec2:DescribeVpcAttribute",
            "ec2:DeleteSecurityGroup",
            "ec2:DeleteKeyPair",
            "ec2:ImportKeyPair",
            "ec2:RunInstances",
            "ec2:ModifyImageAttribute",
            "ec2:ModifySubnetAttribute",
            "ec2:ModifyVpcAttribute",
            "elasticloadbalancing:AddTags",
            "elasticloadbalancing:CreateListener",
            "elasticloadbalancing:CreateLoadBalancer",
            "elasticloadbalancing:CreateTargetGroup",
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeTags",
            "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetGroupAttributes",
            "elasticloadbalancing:DescribeTargetHealth",
            "elasticloadbalancing:ModifyLoadBalancerAttributes",
            "elasticloadbalancing:ModifyTargetGroupAttributes",
            "elasticloadbalancing:RegisterTargets",
        ],
        &["ec2:StopInstances", "ec2:TerminateInstances"],
    ),
};

const AWS_DELETE: JsonPolicy = JsonPolicy {
    version: "2012-10-17",
    statements: &aws_statements(
        &[
            "ec2:DescribeInstances",
            "ec2:DescribeInstanceAttribute",
            "ec2:DescribeInstanceTypes",
            "ec2:DescribeInstanceCreditSpecifications",
            "ec2:DescribeInternetGateways",
            "ec2:DescribeImages",
            "ec2:DescribeKeyPairs",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeRouteTables",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeSubnets",
            "ec2:DescribeTags",
            "ec2:DescribeVolumes",
            "ec2:DescribeVpcs",
            "ec2:DescribeVpcAttribute",
            "ec2:DetachInternetGateway",
            "ec2:DisassociateRouteTable",
            "ec2:ModifyInstanceAttribute",
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeTags",
            "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetGroupAttributes",
        ],
        &[
            "ec2:DeleteInternetGateway",
            "ec2:DeleteKeyPair",
            "ec2:DeleteVpc",
            "ec2:DeleteRouteTable",
            "ec2:DeleteSubnet",
            "ec2:DeregisterImage",
            "ec2:TerminateInstances",
            "elasticloadbalancing:DeleteLoadBalancer",
            "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:DeleteTargetGroup",
        ],
    ),
};

const AWS_STOP_START: JsonPolicy = JsonPolicy {
    version: "2012-10-17",
    statements: &aws_statements(
        &["ec2:DescribeInstances"],
        &["ec2:StartInstances", "ec2:StopInstances"],
    ),
};

// ---------------------------------------------------------------------------------------------
// GCP custom roles

struct GcpRole {
    /// Distinct per operation, so all three roles can live in one project.
    role_id: &'static str,
    title: &'static str,
    description: &'static str,
    permissions: &'static [&'static str],
}

impl GcpRole {
    fn document(&self, op: Operation) -> PolicyDocument {
        let mut yaml = format!(
            "title: \"{}\"\ndescription: \"{}\"\nstage: \"GA\"\nincludedPermissions:\n",
            self.title, self.description
        );
        for permission in self.permissions {
            yaml.push_str("- ");
            yaml.push_str(permission);
            yaml.push('\n');
        }
        // Placeholders in `<UPPER_CASE>` for what only the customer knows; the YAML is referred
        // to by its download name so the first command works as downloaded.
        let yaml_file = file_name(Cloud::Gcp, op, "yaml");
        let role_id = self.role_id;
        let account = "<SERVICE_ACCOUNT_NAME>@<PROJECT_ID>.iam.gserviceaccount.com";
        let commands = vec![
            format!("gcloud iam roles create {role_id} --project=<PROJECT_ID> --file={yaml_file}"),
            "gcloud iam service-accounts create <SERVICE_ACCOUNT_NAME> --project=<PROJECT_ID>"
                .to_owned(),
            format!(
                "gcloud projects add-iam-policy-binding <PROJECT_ID> \
                 --member=serviceAccount:{account} --role=projects/<PROJECT_ID>/roles/{role_id}"
            ),
            format!("gcloud iam service-accounts keys create <KEY_FILE> --iam-account={account}"),
        ];
        PolicyDocument::GcpRole {
            role_id: role_id.to_owned(),
            yaml,
            commands,
        }
    }
}

fn gcp(op: Operation) -> &'static GcpRole {
    match op {
        Operation::Create => &GCP_CREATE,
        Operation::Delete => &GCP_DELETE,
        Operation::StopStart => &GCP_STOP_START,
    }
}

// Titles, descriptions and `CreateEmqxCloudByocRole` are the published ones (reference §6.3); the
// other two role ids follow the same pattern. Permissions are in the order §6.3 lists them.

const GCP_CREATE: GcpRole = GcpRole {
    role_id: "CreateEmqxCloudByocRole",
    title: "EMQX Cloud BYOC creation",
    description: "The minimum role definition for creating an EMQX Cloud BYOC deployment",
    permissions: &[
        "compute.firewalls.get",
        "compute.firewalls.create",
        "compute.targetPools.get",
        "compute.targetPools.create",
        "compute.targetPools.use",
        "compute.images.get",
        "compute.images.create",
        "compute.images.setLabels",
        "compute.images.useReadOnly",
        "compute.disks.create",
        "compute.disks.delete",
        "compute.disks.get",
        "compute.disks.useReadOnly",
        "compute.instances.setMetadata",
        "compute.instances.setLabels",
        "compute.instances.setServiceAccount",
        "compute.instances.create",
        "compute.instances.getSerialPortOutput",
        "compute.instances.use",
        "compute.instances.get",
        "compute.instances.delete",
        "compute.subnetworks.useExternalIp",
        "compute.subnetworks.get",
        "compute.subnetworks.create",
        "compute.subnetworks.use",
        "compute.addresses.create",
        "compute.addresses.get",
        "compute.addresses.use",
        "compute.networks.create",
        "compute.networks.updatePolicy",
        "compute.networks.get",
        "compute.httpHealthChecks.get",
        "compute.httpHealthChecks.create",
        "compute.httpHealthChecks.useReadOnly",
        "compute.forwardingRules.get",
        "compute.forwardingRules.create",
        "compute.forwardingRules.setLabels",
        "compute.machineTypes.get",
        "compute.zones.get",
        "compute.regionOperations.get",
        "compute.globalOperations.get",
        "compute.zoneOperations.get",
    ],
};

const GCP_DELETE: GcpRole = GcpRole {
    role_id: "DeleteEmqxCloudByocRole",
    title: "EMQX Cloud BYOC deleting",
    description: "The minimum role definition for deleting an EMQX Cloud BYOC deployment",
    permissions: &[
        "compute.firewalls.get",
        "compute.firewalls.delete",
        "compute.zoneOperations.get",
        "compute.instances.delete",
        "compute.instances.get",
        "compute.targetPools.delete",
        "compute.targetPools.get",
        "compute.networks.delete",
        "compute.networks.updatePolicy",
        "compute.networks.get",
        "compute.regionOperations.get",
        "compute.forwardingRules.get",
        "compute.forwardingRules.delete",
        "compute.globalOperations.get",
        "compute.httpHealthChecks.get",
        "compute.httpHealthChecks.delete",
        "compute.subnetworks.get",
        "compute.subnetworks.delete",
        "compute.addresses.delete",
        "compute.addresses.get",
        "compute.disks.get",
        "compute.images.delete",
        "compute.images.get",
    ],
};

const GCP_STOP_START: GcpRole = GcpRole {
    role_id: "OperateEmqxCloudByocRole",
    title: "EMQX Cloud BYOC operation",
    description:
        "The minimum role definition for stopping or starting an EMQX Cloud BYOC deployment",
    permissions: &[
        "compute.instances.get",
        "compute.instances.start",
        "compute.instances.stop",
    ],
};

// ---------------------------------------------------------------------------------------------
// Deterministic pretty JSON

/// Keys in the order policies are conventionally written (and the seed writes them); any other
/// key follows, alphabetically.
const KEY_ORDER: [&str; 7] = [
    "Version",
    "Statement",
    "Sid",
    "Effect",
    "Action",
    "Resource",
    "Condition",
];

fn key_rank(key: &str) -> (usize, &str) {
    let rank = KEY_ORDER
        .iter()
        .position(|k| *k == key)
        .unwrap_or(KEY_ORDER.len());
    (rank, key)
}

/// Writes `value` like `serde_json::to_string_pretty`, but with object keys in a fixed order.
/// serde_json's own order depends on its `preserve_order` feature, which any crate in a build
/// can switch on; the console (wasm) and the server must produce the same bytes regardless.
fn write_json(out: &mut String, value: &Value, depth: usize) {
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                new_line(out, depth + 1);
                write_json(out, item, depth + 1);
            }
            new_line(out, depth);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|(a, _), (b, _)| key_rank(a).cmp(&key_rank(b)));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                new_line(out, depth + 1);
                // A key is escaped exactly as a string value is.
                out.push_str(&Value::String(key.clone()).to_string());
                out.push_str(": ");
                write_json(out, item, depth + 1);
            }
            new_line(out, depth);
            out.push('}');
        }
        // Scalars, `[]` and `{}`: serde_json's compact form, which escapes strings correctly.
        scalar => out.push_str(&scalar.to_string()),
    }
}

fn new_line(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const SEED_ALIYUN_CREATE: &str = include_str!("../tests/fixtures/policies/aliyun-create.json");
    const SEED_ALIYUN_DELETE: &str = include_str!("../tests/fixtures/policies/aliyun-delete.json");
    const SEED_ALIYUN_STOP_START: &str =
        include_str!("../tests/fixtures/policies/aliyun-stop-start.json");
    const SEED_AWS_CN_CREATE: &str = include_str!("../tests/fixtures/policies/aws-cn-create.json");
    const SEED_AWS_CN_DELETE: &str = include_str!("../tests/fixtures/policies/aws-cn-delete.json");
    const SEED_AWS_CN_STOP_START: &str =
        include_str!("../tests/fixtures/policies/aws-cn-stop-start.json");

    const JSON_CLOUDS: [Cloud; 3] = [Cloud::Aliyun, Cloud::AwsCn, Cloud::Aws];

    fn json(cloud: Cloud, op: Operation, tag: &TagCondition) -> Value {
        match policy(cloud, op, tag) {
            PolicyDocument::Json(value) => value,
            other => panic!("{cloud} {op}: expected JSON, got {other:?}"),
        }
    }

    fn gcp_role(op: Operation) -> (String, String, Vec<String>) {
        match policy(Cloud::Gcp, op, &TagCondition::default()) {
            PolicyDocument::GcpRole {
                role_id,
                yaml,
                commands,
            } => (role_id, yaml, commands),
            other => panic!("gcp {op}: expected a role, got {other:?}"),
        }
    }

    fn statements(policy: &Value) -> &Vec<Value> {
        policy["Statement"].as_array().expect("Statement array")
    }

    fn actions_of(statement: &Value) -> Vec<&str> {
        statement["Action"]
            .as_array()
            .expect("Action array")
            .iter()
            .map(|a| a.as_str().expect("action string"))
            .collect()
    }

    /// Every action of a policy with the condition of the statement that grants it.
    fn grants(policy: &Value) -> Vec<(String, Option<Value>)> {
        statements(policy)
            .iter()
            .flat_map(|s| {
                let condition = s.get("Condition").cloned();
                actions_of(s)
                    .into_iter()
                    .map(move |a| (a.to_owned(), condition.clone()))
            })
            .collect()
    }

    /// The API name of an action without its service, e.g. `DeleteVpc`.
    fn verb(action: &str) -> &str {
        action.rsplit(':').next().unwrap_or(action)
    }

    fn assert_equals_seed(cloud: Cloud, op: Operation, seed: &str) {
        let seed: Value = serde_json::from_str(seed).expect("seed fixture is JSON");
        let ours = json(cloud, op, &TagCondition::default());
        // Action lists statement by statement, in the seed's order, for a readable failure...
        let ours_actions: Vec<Vec<&str>> = statements(&ours).iter().map(actions_of).collect();
        let seed_actions: Vec<Vec<&str>> = statements(&seed).iter().map(actions_of).collect();
        assert_eq!(ours_actions, seed_actions, "{cloud} {op}: action lists");
        // ...then everything: statements, effects, resources, conditions, ids, version.
        assert_eq!(ours, seed, "{cloud} {op}: whole document");
    }

    #[test]
    fn aliyun_create_policy_equals_the_seed() {
        assert_equals_seed(Cloud::Aliyun, Operation::Create, SEED_ALIYUN_CREATE);
    }

    #[test]
    fn aliyun_delete_policy_equals_the_seed() {
        assert_equals_seed(Cloud::Aliyun, Operation::Delete, SEED_ALIYUN_DELETE);
    }

    #[test]
    fn aliyun_stop_start_policy_equals_the_seed() {
        assert_equals_seed(Cloud::Aliyun, Operation::StopStart, SEED_ALIYUN_STOP_START);
    }

    #[test]
    fn aws_cn_create_policy_equals_the_seed() {
        assert_equals_seed(Cloud::AwsCn, Operation::Create, SEED_AWS_CN_CREATE);
    }

    #[test]
    fn aws_cn_delete_policy_equals_the_seed() {
        assert_equals_seed(Cloud::AwsCn, Operation::Delete, SEED_AWS_CN_DELETE);
    }

    #[test]
    fn aws_cn_stop_start_policy_equals_the_seed() {
        assert_equals_seed(Cloud::AwsCn, Operation::StopStart, SEED_AWS_CN_STOP_START);
    }

    #[test]
    fn text_reproduces_the_seed_layout_byte_for_byte() {
        // aliyun-create is left out only because the seed writes one `},{` on a single line; its
        // content is checked by aliyun_create_policy_equals_the_seed.
        let cases = [
            (Cloud::Aliyun, Operation::Delete, SEED_ALIYUN_DELETE),
            (Cloud::Aliyun, Operation::StopStart, SEED_ALIYUN_STOP_START),
            (Cloud::AwsCn, Operation::Create, SEED_AWS_CN_CREATE),
            (Cloud::AwsCn, Operation::Delete, SEED_AWS_CN_DELETE),
            (Cloud::AwsCn, Operation::StopStart, SEED_AWS_CN_STOP_START),
        ];
        for (cloud, op, seed) in cases {
            let text = policy(cloud, op, &TagCondition::default()).to_text();
            assert_eq!(text, seed, "{cloud} {op}");
        }
    }

    #[test]
    fn aws_policies_are_the_aws_cn_policies_as_the_international_reference_lists_them() {
        let tag = TagCondition::default();
        for op in Operation::ALL {
            assert_eq!(policy(Cloud::Aws, op, &tag), policy(Cloud::AwsCn, op, &tag));
        }
        // Reference §6.2: create allows stopping and terminating only tagged instances.
        let create = json(Cloud::Aws, Operation::Create, &tag);
        let tagged = &statements(&create)[1];
        assert_eq!(
            actions_of(tagged),
            ["ec2:StopInstances", "ec2:TerminateInstances"]
        );
        assert_eq!(
            tagged["Condition"]["StringEquals"]["aws:ResourceTag/used-by"],
            "emqx-cloud"
        );
        assert!(!create.to_string().contains("arn:"));
    }

    #[test]
    fn every_operation_of_every_cloud_produces_a_document() {
        let tag = TagCondition::default();
        for cloud in Cloud::ALL {
            for op in Operation::ALL {
                let document = policy(cloud, op, &tag);
                let text = document.to_text();
                assert!(text.ends_with('\n'), "{cloud} {op}");
                let name = document.file_name(cloud, op);
                match &document {
                    PolicyDocument::Json(value) => {
                        assert_ne!(cloud, Cloud::Gcp);
                        assert!(!statements(value).is_empty(), "{cloud} {op}");
                        assert!(grants(value).iter().all(|(a, _)| a.contains(':')));
                        assert_eq!(document.media_type(), "application/json");
                        assert!(name.ends_with(".json"), "{name}");
                    }
                    PolicyDocument::GcpRole {
                        role_id, commands, ..
                    } => {
                        assert_eq!(cloud, Cloud::Gcp);
                        assert!(!role_id.is_empty());
                        assert_eq!(commands.len(), 4);
                        assert!(text.contains("includedPermissions:\n- compute."));
                        assert_eq!(document.media_type(), "application/yaml");
                        assert!(name.ends_with(".yaml"), "{name}");
                    }
                }
            }
        }
    }

    #[test]
    fn file_names_name_the_cloud_and_the_operation() {
        let tag = TagCondition::default();
        let name = |cloud, op| policy(cloud, op, &tag).file_name(cloud, op);
        assert_eq!(
            name(Cloud::Aliyun, Operation::Create),
            "emqx-byoc-aliyun-create-policy.json"
        );
        assert_eq!(
            name(Cloud::AwsCn, Operation::Delete),
            "emqx-byoc-aws-cn-delete-policy.json"
        );
        assert_eq!(
            name(Cloud::Aws, Operation::StopStart),
            "emqx-byoc-aws-stop-start-policy.json"
        );
        assert_eq!(
            name(Cloud::Gcp, Operation::Create),
            "emqx-byoc-gcp-create-policy.yaml"
        );
    }

    #[test]
    fn delete_policies_grant_nothing_that_creates_or_starts() {
        const BUILDING: [&str; 10] = [
            "Create",
            "Run",
            "Import",
            "Allocate",
            "Authorize",
            "Register",
            "Associate",
            "Attach",
            "Start",
            "Tag",
        ];
        for cloud in JSON_CLOUDS {
            let delete = json(cloud, Operation::Delete, &TagCondition::default());
            for (action, _) in grants(&delete) {
                let verb = verb(&action);
                assert!(
                    !BUILDING.iter().any(|b| verb.starts_with(b)),
                    "{cloud} delete grants {action}"
                );
            }
        }
        let (_, yaml, _) = gcp_role(Operation::Delete);
        for permission in yaml.lines().filter_map(|l| l.strip_prefix("- ")) {
            let verb = permission.rsplit('.').next().unwrap_or_default();
            assert!(
                ["get", "delete", "updatePolicy"].contains(&verb),
                "gcp delete grants {permission}"
            );
        }
    }

    #[test]
    fn stop_start_policies_only_read_start_and_stop_instances() {
        let allowed = [
            "ecs:DescribeInstances",
            "ecs:StartInstance",
            "ecs:StopInstance",
            "ec2:DescribeInstances",
            "ec2:StartInstances",
            "ec2:StopInstances",
        ];
        for cloud in JSON_CLOUDS {
            let stop_start = json(cloud, Operation::StopStart, &TagCondition::default());
            let granted = grants(&stop_start);
            assert_eq!(granted.len(), 3, "{cloud}");
            for (action, _) in granted {
                assert!(allowed.contains(&action.as_str()), "{cloud}: {action}");
            }
        }
        let (_, yaml, _) = gcp_role(Operation::StopStart);
        assert!(yaml.ends_with(
            "includedPermissions:\n- compute.instances.get\n- compute.instances.start\n- compute.instances.stop\n"
        ));
    }

    #[test]
    fn destructive_actions_of_delete_and_stop_start_carry_the_tag_condition() {
        const DESTRUCTIVE: [&str; 6] = [
            "Delete",
            "Terminate",
            "Deregister",
            "Release",
            "Stop",
            "Start",
        ];
        let tag = TagCondition::default();
        for cloud in JSON_CLOUDS {
            for op in [Operation::Delete, Operation::StopStart] {
                let document = json(cloud, op, &tag);
                for (action, condition) in grants(&document) {
                    if DESTRUCTIVE.iter().any(|d| verb(&action).starts_with(d)) {
                        let condition = condition
                            .unwrap_or_else(|| panic!("{cloud} {op}: {action} is unconditioned"));
                        let text = condition.to_string();
                        assert!(
                            text.contains("/used-by\"") && text.contains("\"emqx-cloud\""),
                            "{cloud} {op}: {action} conditioned on {text}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn create_policies_stop_and_remove_only_tagged_instances() {
        // Load-balancer listeners are started unconditioned in the seed; instances are not.
        const INSTANCE_LIFECYCLE: [&str; 7] = [
            "StartInstance",
            "StopInstance",
            "StartInstances",
            "StopInstances",
            "TerminateInstances",
            "DeleteInstance",
            "DeleteImage",
        ];
        let tag = TagCondition::default();
        for cloud in JSON_CLOUDS {
            let create = json(cloud, Operation::Create, &tag);
            let mut conditioned = 0;
            for (action, condition) in grants(&create) {
                if INSTANCE_LIFECYCLE.contains(&verb(&action)) {
                    assert!(
                        condition.is_some(),
                        "{cloud} create: {action} unconditioned"
                    );
                    conditioned += 1;
                }
            }
            assert!(conditioned >= 2, "{cloud}");
        }
    }

    #[test]
    fn each_service_names_the_tag_in_its_own_condition_key() {
        let tag = TagCondition::parse("owner", "team-a").expect("valid tag");
        let aliyun = json(Cloud::Aliyun, Operation::Delete, &tag);
        let keys: Vec<Value> = statements(&aliyun)
            .iter()
            .filter_map(|s| s.get("Condition"))
            .map(|c| c["StringEquals"].clone())
            .collect();
        let expected: Vec<Value> = [
            r#"{"ecs:tag/owner": ["team-a"]}"#,
            r#"{"acs:ResourceTag/owner": ["team-a"]}"#,
            r#"{"slb:tag/owner": ["team-a"]}"#,
        ]
        .iter()
        .map(|s| serde_json::from_str(s).expect("JSON"))
        .collect();
        assert_eq!(keys, expected);

        let aws = json(Cloud::AwsCn, Operation::Delete, &tag);
        assert_eq!(
            statements(&aws)[1]["Condition"],
            serde_json::from_str::<Value>(
                r#"{"StringEquals": {"aws:ResourceTag/owner": "team-a"}}"#
            )
            .expect("JSON")
        );
    }

    #[test]
    fn changing_the_tag_condition_changes_the_condition_and_nothing_else() {
        let default = TagCondition::default();
        let custom = TagCondition::parse("managed-by", "mqtt-prod").expect("valid tag");
        let without_conditions = |mut policy: Value| {
            if let Some(statements) = policy["Statement"].as_array_mut() {
                for statement in statements {
                    if let Some(s) = statement.as_object_mut() {
                        s.remove("Condition");
                    }
                }
            }
            policy
        };
        for cloud in JSON_CLOUDS {
            for op in Operation::ALL {
                let before = json(cloud, op, &default);
                let after = json(cloud, op, &custom);
                assert_ne!(before, after, "{cloud} {op}");
                assert_eq!(
                    without_conditions(before.clone()),
                    without_conditions(after.clone()),
                    "{cloud} {op}"
                );
                // Byte for byte: the custom text is the default text with the tag replaced.
                let expected = PolicyDocument::Json(before)
                    .to_text()
                    .replace("/used-by\"", "/managed-by\"")
                    .replace("\"emqx-cloud\"", "\"mqtt-prod\"");
                assert_eq!(
                    PolicyDocument::Json(after).to_text(),
                    expected,
                    "{cloud} {op}"
                );
            }
        }
    }

    #[test]
    fn tag_text_is_escaped_inside_the_json() {
        // parse() refuses quotes, but the fields are public; the document must stay valid JSON.
        let odd = TagCondition {
            key: "a\"b".to_owned(),
            value: "c\\d".to_owned(),
        };
        let text = policy(Cloud::Aws, Operation::StopStart, &odd).to_text();
        let parsed: Value = serde_json::from_str(&text).expect("still JSON");
        assert_eq!(
            parsed["Statement"][1]["Condition"]["StringEquals"]["aws:ResourceTag/a\"b"],
            "c\\d"
        );
    }

    #[test]
    fn gcp_roles_do_not_depend_on_the_tag() {
        let custom = TagCondition::parse("managed-by", "mqtt-prod").expect("valid tag");
        for op in Operation::ALL {
            assert_eq!(
                policy(Cloud::Gcp, op, &TagCondition::default()),
                policy(Cloud::Gcp, op, &custom)
            );
        }
    }

    #[test]
    fn output_is_the_same_bytes_every_time() {
        let tag = TagCondition::default();
        for cloud in Cloud::ALL {
            for op in Operation::ALL {
                let first = policy(cloud, op, &tag);
                let second = policy(cloud, op, &tag);
                assert_eq!(first, second, "{cloud} {op}");
                assert_eq!(first.to_text(), second.to_text(), "{cloud} {op}");
            }
        }
    }

    #[test]
    fn json_text_is_two_space_pretty_json_in_policy_key_order() {
        let document = policy(Cloud::Aliyun, Operation::Create, &TagCondition::default());
        let text = document.to_text();
        let parsed: Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(PolicyDocument::Json(parsed), document);
        assert!(text.starts_with("{\n  \"Version\": \"1\",\n  \"Statement\": [\n    {\n"));
        let tagged = text
            .find("\"ecs:StartInstance\"")
            .expect("tagged statement");
        let effect = text[..tagged].rfind("\"Effect\"").expect("Effect");
        let resource = text[tagged..].find("\"Resource\"").expect("Resource") + tagged;
        let condition = text[tagged..].find("\"Condition\"").expect("Condition") + tagged;
        assert!(effect < tagged && tagged < resource && resource < condition);
        assert!(text.ends_with("  ]\n}\n"));
    }

    /// The published role (EMQ/prereq-intl) lists its permissions in another order; reference
    /// §6.3 groups them. The sets must be the same.
    #[test]
    fn gcp_create_role_has_the_published_42_permissions_in_reference_order() {
        let published: BTreeSet<&str> = [
            "compute.firewalls.get",
            "compute.targetPools.get",
            "compute.images.get",
            "compute.disks.create",
            "compute.disks.delete",
            "compute.disks.get",
            "compute.instances.setMetadata",
            "compute.instances.setLabels",
            "compute.subnetworks.useExternalIp",
            "compute.subnetworks.get",
            "compute.instances.setServiceAccount",
            "compute.addresses.create",
            "compute.instances.create",
            "compute.addresses.get",
            "compute.networks.create",
            "compute.httpHealthChecks.get",
            "compute.firewalls.create",
            "compute.networks.updatePolicy",
            "compute.images.create",
            "compute.images.setLabels",
            "compute.addresses.use",
            "compute.subnetworks.create",
            "compute.instances.getSerialPortOutput",
            "compute.httpHealthChecks.create",
            "compute.disks.useReadOnly",
            "compute.forwardingRules.get",
            "compute.machineTypes.get",
            "compute.targetPools.create",
            "compute.zones.get",
            "compute.regionOperations.get",
            "compute.images.useReadOnly",
            "compute.instances.use",
            "compute.instances.get",
            "compute.targetPools.use",
            "compute.forwardingRules.create",
            "compute.httpHealthChecks.useReadOnly",
            "compute.instances.delete",
            "compute.globalOperations.get",
            "compute.subnetworks.use",
            "compute.networks.get",
            "compute.zoneOperations.get",
            "compute.forwardingRules.setLabels",
        ]
        .into_iter()
        .collect();
        let (role_id, yaml, _) = gcp_role(Operation::Create);
        assert_eq!(role_id, "CreateEmqxCloudByocRole");
        let listed: Vec<&str> = yaml.lines().filter_map(|l| l.strip_prefix("- ")).collect();
        assert_eq!(listed.len(), 42);
        assert_eq!(listed.iter().copied().collect::<BTreeSet<_>>(), published);
        assert_eq!(listed.first(), Some(&"compute.firewalls.get"));
        assert_eq!(listed.last(), Some(&"compute.zoneOperations.get"));
    }

    #[test]
    fn gcp_delete_role_has_the_published_23_permissions() {
        let published: BTreeSet<&str> = [
            "compute.firewalls.get",
            "compute.zoneOperations.get",
            "compute.instances.delete",
            "compute.targetPools.delete",
            "compute.networks.delete",
            "compute.regionOperations.get",
            "compute.firewalls.delete",
            "compute.networks.updatePolicy",
            "compute.forwardingRules.get",
            "compute.globalOperations.get",
            "compute.networks.get",
            "compute.httpHealthChecks.get",
            "compute.subnetworks.get",
            "compute.httpHealthChecks.delete",
            "compute.targetPools.get",
            "compute.addresses.delete",
            "compute.subnetworks.delete",
            "compute.disks.get",
            "compute.addresses.get",
            "compute.instances.get",
            "compute.forwardingRules.delete",
            "compute.images.delete",
            "compute.images.get",
        ]
        .into_iter()
        .collect();
        let (role_id, yaml, _) = gcp_role(Operation::Delete);
        assert_eq!(role_id, "DeleteEmqxCloudByocRole");
        let listed: Vec<&str> = yaml.lines().filter_map(|l| l.strip_prefix("- ")).collect();
        assert_eq!(listed.len(), 23);
        assert_eq!(listed.into_iter().collect::<BTreeSet<_>>(), published);
    }

    #[test]
    fn gcp_role_yaml_has_title_description_and_stage_ga() {
        let (_, yaml, _) = gcp_role(Operation::Create);
        assert!(yaml.starts_with(
            "title: \"EMQX Cloud BYOC creation\"\n\
             description: \"The minimum role definition for creating an EMQX Cloud BYOC deployment\"\n\
             stage: \"GA\"\n\
             includedPermissions:\n- compute.firewalls.get\n"
        ));
        let (_, yaml, _) = gcp_role(Operation::StopStart);
        assert!(yaml.starts_with("title: \"EMQX Cloud BYOC operation\"\n"));
        assert!(yaml.contains(
            "description: \"The minimum role definition for stopping or starting an EMQX Cloud BYOC deployment\"\n"
        ));
    }

    #[test]
    fn gcp_commands_create_the_role_from_the_downloaded_file_and_bind_it() {
        for op in Operation::ALL {
            let document = policy(Cloud::Gcp, op, &TagCondition::default());
            let file = document.file_name(Cloud::Gcp, op);
            let (role_id, _, commands) = gcp_role(op);
            assert_eq!(
                commands[0],
                format!("gcloud iam roles create {role_id} --project=<PROJECT_ID> --file={file}")
            );
            assert_eq!(
                commands[1],
                "gcloud iam service-accounts create <SERVICE_ACCOUNT_NAME> --project=<PROJECT_ID>"
            );
            assert_eq!(
                commands[2],
                format!(
                    "gcloud projects add-iam-policy-binding <PROJECT_ID> \
                     --member=serviceAccount:<SERVICE_ACCOUNT_NAME>@<PROJECT_ID>.iam.gserviceaccount.com \
                     --role=projects/<PROJECT_ID>/roles/{role_id}"
                )
            );
            assert_eq!(
                commands[3],
                "gcloud iam service-accounts keys create <KEY_FILE> \
                 --iam-account=<SERVICE_ACCOUNT_NAME>@<PROJECT_ID>.iam.gserviceaccount.com"
            );
            // The server sends each command as an HTTP header value.
            assert!(commands
                .iter()
                .all(|c| c.chars().all(|ch| ch.is_ascii_graphic() || ch == ' ')));
        }
    }

    #[test]
    fn gcp_role_ids_differ_per_operation_so_all_three_fit_in_one_project() {
        let ids: BTreeSet<String> = Operation::ALL.iter().map(|&op| gcp_role(op).0).collect();
        assert_eq!(ids.len(), 3);
    }

    #[test]
    fn operation_codes_round_trip_through_from_str_display_and_serde() {
        for op in Operation::ALL {
            assert_eq!(op.code().parse::<Operation>(), Ok(op));
            assert_eq!(op.to_string(), op.code());
            let json = serde_json::to_string(&op).expect("serialize");
            assert_eq!(json, format!("\"{}\"", op.code()));
            assert_eq!(
                serde_json::from_str::<Operation>(&json).expect("deserialize"),
                op
            );
        }
        assert_eq!(
            Operation::ALL.map(Operation::code),
            ["create", "delete", "stop-start"]
        );
    }

    #[test]
    fn unknown_operation_is_rejected_with_its_code_and_field() {
        for input in ["", "Create", "stop_start", "stop", "start", " delete"] {
            let error = input.parse::<Operation>().expect_err(input);
            assert_eq!(error, PolicyError::UnknownOperation(input.to_owned()));
            assert_eq!(error.code(), "unknown_operation");
            assert_eq!(error.field(), "operation");
        }
        assert_eq!(
            "restart".parse::<Operation>().map_err(|e| e.to_string()),
            Err(
                "unknown operation \"restart\"; expected one of create, delete, stop-start"
                    .to_owned()
            )
        );
    }

    #[test]
    fn default_tag_condition_is_the_seed_s_used_by_emqx_cloud() {
        let tag = TagCondition::default();
        assert_eq!(tag.key, "used-by");
        assert_eq!(tag.value, "emqx-cloud");
        assert_eq!(TagCondition::parse("used-by", "emqx-cloud"), Ok(tag));
    }

    #[test]
    fn tag_condition_accepts_keys_and_values_up_to_their_limits_in_characters() {
        let key = "键".repeat(MAX_TAG_KEY_CHARS);
        let value = "值".repeat(MAX_TAG_VALUE_CHARS);
        let tag = TagCondition::parse(&key, &value).expect("at the limits");
        assert_eq!((tag.key, tag.value), (key, value));
        assert!(TagCondition::parse("team name", "a:b/c=d+e@f.g").is_ok());
    }

    #[test]
    fn tag_condition_rejects_empty_key_and_value() {
        assert_eq!(
            TagCondition::parse("", "emqx-cloud"),
            Err(PolicyError::InvalidTagKey(TagProblem::Empty))
        );
        assert_eq!(
            TagCondition::parse("used-by", ""),
            Err(PolicyError::InvalidTagValue(TagProblem::Empty))
        );
    }

    #[test]
    fn tag_condition_rejects_too_long_key_and_value() {
        let key = "k".repeat(MAX_TAG_KEY_CHARS + 1);
        assert_eq!(
            TagCondition::parse(&key, "v"),
            Err(PolicyError::InvalidTagKey(TagProblem::TooLong { max: 128 }))
        );
        let value = "v".repeat(MAX_TAG_VALUE_CHARS + 1);
        assert_eq!(
            TagCondition::parse("k", &value),
            Err(PolicyError::InvalidTagValue(TagProblem::TooLong {
                max: 256
            }))
        );
    }

    #[test]
    fn tag_condition_rejects_control_characters() {
        for bad in ["used\nby", "used\tby", "used\u{7f}by", "used\u{85}by"] {
            assert_eq!(
                TagCondition::parse(bad, "v"),
                Err(PolicyError::InvalidTagKey(TagProblem::ControlCharacter)),
                "{bad:?}"
            );
            assert_eq!(
                TagCondition::parse("k", bad),
                Err(PolicyError::InvalidTagValue(TagProblem::ControlCharacter)),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn tag_condition_rejects_quotes_and_backslashes() {
        for bad in ["used\"by", "used\\by"] {
            assert_eq!(
                TagCondition::parse(bad, "v"),
                Err(PolicyError::InvalidTagKey(TagProblem::QuoteOrBackslash))
            );
            assert_eq!(
                TagCondition::parse("k", bad),
                Err(PolicyError::InvalidTagValue(TagProblem::QuoteOrBackslash))
            );
        }
    }

    #[test]
    fn tag_errors_have_stable_codes_fields_and_messages() {
        let key = PolicyError::InvalidTagKey(TagProblem::TooLong { max: 128 });
        assert_eq!(key.code(), "invalid_tag_key");
        assert_eq!(key.field(), "tag_key");
        assert_eq!(key.to_string(), "tag key must be at most 128 characters");
        let value = PolicyError::InvalidTagValue(TagProblem::Empty);
        assert_eq!(value.code(), "invalid_tag_value");
        assert_eq!(value.field(), "tag_value");
        assert_eq!(value.to_string(), "tag value must not be empty");
        let problems = [
            TagProblem::Empty,
            TagProblem::TooLong { max: 1 },
            TagProblem::ControlCharacter,
            TagProblem::QuoteOrBackslash,
        ];
        assert_eq!(
            problems.map(TagProblem::code),
            [
                "empty",
                "too_long",
                "control_character",
                "quote_or_backslash"
            ]
        );
    }
}
