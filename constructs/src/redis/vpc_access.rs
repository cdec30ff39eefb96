//! `RedisVpcAccess`: where the cache lives and who may reach it.

use crate::cfn::ec2::{CfnSecurityGroup, CfnSecurityGroupIngress};
use crate::cfn::elasticache::CfnSubnetGroup;
use crate::core::{AsScope, Construct, ResourceHandle, Value};
use crate::facts::DEFAULT_PORT;
use crate::map;

/// Required settings of a [`RedisVpcAccess`]: the VPC and the subnets.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VpcAccessProps {
    /// The VPC id (a literal `vpc-...` or a parameter's value).
    pub vpc_id: Value,
    /// The private subnets for the cache nodes: a list, or a `List<AWS::EC2::Subnet::Id>` parameter's value.
    pub subnet_ids: Value,
    /// The port clients connect to.
    ///
    /// Default: 6379, the Redis and Valkey default.
    #[serde(default = "default_port")]
    #[schemars(range(min = 1))]
    pub port: u16,
    /// A second port clients connect to, such as a serverless cache's reader endpoint (6380).
    ///
    /// Default: none; ingress covers `port` only.
    #[serde(default)]
    pub reader_port: Option<u16>,
    /// Security groups allowed in on the cache port(s), each with a description.
    ///
    /// Default: none. More can be added with [`RedisVpcAccess::allow_from_security_group`].
    #[serde(default)]
    pub allowed_security_groups: Vec<(Value, String)>,
    /// CIDR ranges allowed in on the cache port(s), each with a description.
    ///
    /// Default: none. `0.0.0.0/0` and `::/0` are refused unless
    /// [`VpcAccessProps::allow_open_ingress`] is set.
    #[serde(default)]
    pub allowed_cidrs: Vec<(String, String)>,
    /// Accept `0.0.0.0/0` or `::/0` in `allowed_cidrs` (with a warning at synth).
    ///
    /// Default: false: open ingress is an error.
    #[serde(default)]
    pub allow_open_ingress: bool,
    /// Use this existing security group instead of creating one.
    ///
    /// Default: a new security group, with no egress (a cache initiates no connections).
    #[serde(default)]
    pub existing_security_group: Option<Value>,
    /// Use this existing subnet group (its name) instead of creating one.
    ///
    /// Default: a new subnet group over `subnet_ids`.
    #[serde(default)]
    pub existing_subnet_group: Option<Value>,
}

impl VpcAccessProps {
    /// Access in `vpc_id` over `subnet_ids`, port 6379, with no ingress yet.
    pub fn new(vpc_id: impl Into<Value>, subnet_ids: impl Into<Value>) -> Self {
        VpcAccessProps {
            vpc_id: vpc_id.into(),
            subnet_ids: subnet_ids.into(),
            port: DEFAULT_PORT,
            reader_port: None,
            allowed_security_groups: Vec::new(),
            allowed_cidrs: Vec::new(),
            allow_open_ingress: false,
            existing_security_group: None,
            existing_subnet_group: None,
        }
    }

    /// Sets the port; see [`VpcAccessProps::port`].
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Sets the reader port; see [`VpcAccessProps::reader_port`].
    pub fn reader_port(mut self, port: u16) -> Self {
        self.reader_port = Some(port);
        self
    }

    /// Allows a security group in; see [`VpcAccessProps::allowed_security_groups`].
    pub fn allow_from_security_group(mut self, group_id: impl Into<Value>, description: impl Into<String>) -> Self {
        self.allowed_security_groups.push((group_id.into(), description.into()));
        self
    }

    /// Allows a CIDR range in; see [`VpcAccessProps::allowed_cidrs`].
    pub fn allow_from_cidr(mut self, cidr: impl Into<String>, description: impl Into<String>) -> Self {
        self.allowed_cidrs.push((cidr.into(), description.into()));
        self
    }

    /// Opts in to `0.0.0.0/0` and `::/0`; see [`VpcAccessProps::allow_open_ingress`].
    pub fn allow_open_ingress(mut self) -> Self {
        self.allow_open_ingress = true;
        self
    }

    /// Uses an existing security group; see [`VpcAccessProps::existing_security_group`].
    pub fn existing_security_group(mut self, group_id: impl Into<Value>) -> Self {
        self.existing_security_group = Some(group_id.into());
        self
    }

    /// Uses an existing subnet group; see [`VpcAccessProps::existing_subnet_group`].
    pub fn existing_subnet_group(mut self, name: impl Into<Value>) -> Self {
        self.existing_subnet_group = Some(name.into());
        self
    }
}

fn default_port() -> u16 {
    DEFAULT_PORT
}

/// The network side of a cache: a security group (child `SecurityGroup`), a subnet
/// group (child `SubnetGroup`) and one ingress rule per allowed peer (children
/// `Ingress<n>`), on the cache port and the reader port where it differs.
#[derive(Debug, Clone)]
pub struct RedisVpcAccess {
    path: String,
    stack: String,
    security_group_id: Value,
    security_group: Option<ResourceHandle>,
    subnet_group_name: Value,
    subnet_ids: Value,
    vpc_id: Value,
    port: u16,
    reader_port: Option<u16>,
    ingress_count: usize,
}

impl RedisVpcAccess {
    /// Creates the security group, subnet group and ingress rules under `id`.
    pub fn new(scope: &mut impl AsScope, id: &str, props: VpcAccessProps) -> Self {
        let mut scope = scope.as_scope();
        let mut me = scope.child(id);
        if props.port == 0 {
            me.rule_error("EC017", "port must be between 1 and 65535, got 0");
        }
        if props.reader_port == Some(0) {
            me.rule_error("EC017", "reader_port must be between 1 and 65535, got 0");
        }
        let (security_group_id, security_group) = match props.existing_security_group {
            Some(sg) => (sg, None),
            None => {
                let sg = me.add_resource(
                    "SecurityGroup",
                    CfnSecurityGroup::new(format!("Security group for the {} cache", me.full_path()))
                        .vpc_id(props.vpc_id.clone())
                        .security_group_egress(vec![map! {
                            "CidrIp" => "255.255.255.255/32",
                            "Description" => "Disallow all traffic",
                            "FromPort" => 252,
                            "IpProtocol" => "icmp",
                            "ToPort" => 86,
                        }]),
                );
                (sg.get_att("GroupId"), Some(sg))
            }
        };
        let subnet_group_name = match props.existing_subnet_group {
            Some(name) => name,
            None => me
                .add_resource(
                    "SubnetGroup",
                    CfnSubnetGroup::new(format!("Subnets of the {} cache", me.full_path()), props.subnet_ids.clone()),
                )
                .reference(),
        };
        let mut access = RedisVpcAccess {
            path: me.path().to_string(),
            stack: me.stack_name().to_string(),
            security_group_id,
            security_group,
            subnet_group_name,
            subnet_ids: props.subnet_ids,
            vpc_id: props.vpc_id,
            port: props.port,
            reader_port: props.reader_port,
            ingress_count: 0,
        };
        for (peer, description) in props.allowed_security_groups {
            access.add_ingress(&mut me, Peer::SecurityGroup(peer), description);
        }
        for (cidr, description) in props.allowed_cidrs {
            let open = cidr == "0.0.0.0/0" || cidr == "::/0";
            if open && !props.allow_open_ingress {
                me.rule_error("SEC002", format!(
                    "allowed_cidrs contains '{cidr}', which opens the cache to the whole internet; allow the application's security group or private CIDR instead, or set allow_open_ingress"
                ));
                continue;
            }
            if open {
                me.rule_warn(
                    "SEC002",
                    format!("ingress from '{cidr}' opens the cache port to every address; prefer a security group"),
                );
            }
            if !looks_like_cidr(&cidr) {
                me.rule_error(
                    "CON024",
                    format!("allowed_cidrs contains '{cidr}', which is not an IPv4 or IPv6 CIDR such as 10.0.10.0/24"),
                );
                continue;
            }
            access.add_ingress(&mut me, Peer::Cidr(cidr), description);
        }
        access
    }

    /// Allows `group_id` in on the cache port(s), with a new ingress rule under this construct.
    pub fn allow_from_security_group(
        &mut self,
        scope: &mut impl AsScope,
        group_id: impl Into<Value>,
        description: impl Into<String>,
    ) {
        let mut scope = scope.as_scope();
        if scope.stack_name() != self.stack {
            scope.rule_error(
                "APP010",
                format!(
                    "allow_from_security_group must be called with the stack that holds {} ('{}'), got '{}'",
                    self.path,
                    self.stack,
                    scope.stack_name()
                ),
            );
            return;
        }
        let path = self.path.clone();
        let mut me = scope.stack().root();
        let mut node = me.at_path(&path);
        self.add_ingress(&mut node, Peer::SecurityGroup(group_id.into()), description.into());
    }

    fn add_ingress(&mut self, me: &mut crate::core::Scope<'_>, peer: Peer, description: String) {
        self.ingress_count += 1;
        let (from, to) = match self.reader_port {
            Some(r) if r != self.port => (self.port.min(r), self.port.max(r)),
            _ => (self.port, self.port),
        };
        let mut rule = CfnSecurityGroupIngress::new("tcp")
            .group_id(self.security_group_id.clone())
            .from_port(from)
            .to_port(to)
            .description(description);
        rule = match peer {
            Peer::SecurityGroup(sg) => rule.source_security_group_id(sg),
            Peer::Cidr(c) if c.contains(':') => rule.cidr_ipv6(c),
            Peer::Cidr(c) => rule.cidr_ip(c),
        };
        me.add_resource(&format!("Ingress{}", self.ingress_count), rule);
    }

    /// The security group id of the cache.
    pub fn security_group_id(&self) -> Value {
        self.security_group_id.clone()
    }

    /// The security group resource, when this construct created it.
    pub fn security_group(&self) -> Option<&ResourceHandle> {
        self.security_group.as_ref()
    }

    /// The subnet group name (a `Ref`, so the cache is created after it).
    pub fn subnet_group_name(&self) -> Value {
        self.subnet_group_name.clone()
    }

    /// The subnet ids.
    pub fn subnet_ids(&self) -> Value {
        self.subnet_ids.clone()
    }

    /// The VPC id.
    pub fn vpc_id(&self) -> Value {
        self.vpc_id.clone()
    }

    /// The cache port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The reader port, if set.
    pub fn reader_port(&self) -> Option<u16> {
        self.reader_port
    }
}

enum Peer {
    SecurityGroup(Value),
    Cidr(String),
}

fn looks_like_cidr(s: &str) -> bool {
    let Some((ip, len)) = s.split_once('/') else { return false };
    let Ok(len) = len.parse::<u8>() else { return false };
    if ip.contains(':') {
        ip.parse::<std::net::Ipv6Addr>().is_ok() && len <= 128
    } else {
        ip.parse::<std::net::Ipv4Addr>().is_ok() && len <= 32
    }
}

impl Construct for RedisVpcAccess {
    fn stack_name(&self) -> &str {
        &self.stack
    }

    fn path(&self) -> &str {
        &self.path
    }
}
