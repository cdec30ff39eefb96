#!/usr/bin/env python3
"""Fixtures and read-back for tests/deploy_moto.rs, against a local moto server.

    moto_probe.py ENDPOINT setup BUCKET     creates a VPC, two subnets in two AZs with a
                                            route table each, an application security
                                            group, an S3 bucket holding a rotation
                                            function zip, an application role; prints
                                            their ids
    moto_probe.py ENDPOINT inspect STACK... prints, as JSON, what moto really holds
                                            for the stacks: status, resources, outputs,
                                            exports, and per resource the state read
                                            back from its own service

It only reads and reports; the Rust test decides what is right. Needs boto3.
"""

import ast
import io
import json
import sys
import zipfile

import boto3
from botocore.config import Config

REGION = "us-east-1"


def client(endpoint, service):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )


ROTATION_CODE_KEY = "rotation/elasticache-user.zip"


def setup(endpoint, bucket):
    ec2 = client(endpoint, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.42.{i}.0/24", AvailabilityZone=az)["Subnet"]["SubnetId"]
        for i, az in ((1, "us-east-1a"), (2, "us-east-1b"))
    ]
    app_sg = ec2.create_security_group(
        GroupName="redis-cdk-test-application", Description="The application that connects", VpcId=vpc
    )["GroupId"]
    route_tables = []
    for subnet in subnets:
        rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        ec2.associate_route_table(RouteTableId=rt, SubnetId=subnet)
        route_tables.append(rt)
    s3 = client(endpoint, "s3")
    s3.create_bucket(Bucket=bucket)
    # the rotation function's zip (moto stores a function's code but never runs it:
    # this file only has to exist and be a zip)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("lambda_function.py", "# moto test fixture: moto creates the function and never invokes it\n")
    s3.put_object(Bucket=bucket, Key=ROTATION_CODE_KEY, Body=buf.getvalue())
    # the application's role, with a path: policies attach to it by name
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    app_role = client(endpoint, "iam").create_role(
        RoleName="redis-cdk-test-app", Path="/service/", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]["RoleName"]
    return {"vpc": vpc, "subnets": subnets, "route_tables": route_tables, "app_sg": app_sg, "bucket": bucket,
            "app_role": app_role, "rotation_code_key": ROTATION_CODE_KEY}


def document(doc):
    """A policy document as IAM returns it: JSON text, an object, or (moto 5.2, for
    one a CloudFormation template gave as an object) the Python repr of a dict."""
    if not isinstance(doc, str):
        return doc
    try:
        return json.loads(doc)
    except json.JSONDecodeError:
        return ast.literal_eval(doc)


def attempt(fn):
    """The call's result, or {"error": ...} when the service does not know the resource."""
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - every failure is reported to the test
        return {"error": f"{type(e).__name__}: {str(e)[:300]}"}


def describe(endpoint, rtype, physical):
    if rtype == "AWS::KMS::Key":
        kms = client(endpoint, "kms")
        if physical not in [k["KeyId"] for k in kms.list_keys()["Keys"]]:
            return {"error": f"no key {physical}"}
        return {
            # moto 5.2 stores a CloudFormation KeyPolicy as an object, and then fails
            # DescribeKey with a 500 (json.loads of a dict): report it, do not stop.
            "metadata": attempt(lambda: kms.describe_key(KeyId=physical)["KeyMetadata"]),
            "rotation": attempt(lambda: kms.get_key_rotation_status(KeyId=physical)["KeyRotationEnabled"]),
            "tags": attempt(lambda: kms.list_resource_tags(KeyId=physical)["Tags"]),
        }
    if rtype == "AWS::KMS::Alias":
        aliases = client(endpoint, "kms").list_aliases()["Aliases"]
        found = [a for a in aliases if a["AliasName"] == physical]
        return found[0] if found else {"error": f"no alias {physical}"}
    if rtype == "AWS::SNS::Topic":
        sns = client(endpoint, "sns")
        return attempt(lambda: {"attributes": sns.get_topic_attributes(TopicArn=physical)["Attributes"]})
    if rtype == "AWS::IAM::ManagedPolicy":
        iam = client(endpoint, "iam")

        def policy():
            p = iam.get_policy(PolicyArn=physical)["Policy"]
            v = iam.get_policy_version(PolicyArn=physical, VersionId=p["DefaultVersionId"])["PolicyVersion"]
            doc = v["Document"]
            roles = iam.list_entities_for_policy(PolicyArn=physical, EntityFilter="Role")["PolicyRoles"]
            return {"policy": p, "document": json.loads(doc) if isinstance(doc, str) else doc, "roles": roles}

        return attempt(policy)
    if rtype == "AWS::Logs::LogGroup":
        logs = client(endpoint, "logs")
        groups = logs.describe_log_groups(logGroupNamePrefix=physical)["logGroups"]
        found = [g for g in groups if g["logGroupName"] == physical]
        return found[0] if found else {"error": f"no log group {physical}"}
    if rtype == "AWS::Lambda::Function":
        return attempt(lambda: client(endpoint, "lambda").get_function_configuration(FunctionName=physical))
    if rtype == "AWS::IAM::Role":
        iam = client(endpoint, "iam")

        def role():
            names = iam.list_role_policies(RoleName=physical)["PolicyNames"]
            inline = {}
            for n in names:
                doc = iam.get_role_policy(RoleName=physical, PolicyName=n)["PolicyDocument"]
                inline[n] = document(doc)
            attached = iam.list_attached_role_policies(RoleName=physical)["AttachedPolicies"]
            r = iam.get_role(RoleName=physical)["Role"]
            r["AssumeRolePolicyDocument"] = document(r.get("AssumeRolePolicyDocument"))
            return {"role": r, "inline": inline, "attached": attached}

        return attempt(role)
    if rtype == "AWS::SQS::Queue":
        sqs = client(endpoint, "sqs")
        return attempt(lambda: sqs.get_queue_attributes(QueueUrl=physical, AttributeNames=["All"])["Attributes"])
    if rtype == "AWS::EC2::SecurityGroup":
        ec2 = client(endpoint, "ec2")
        return attempt(lambda: ec2.describe_security_groups(GroupIds=[physical])["SecurityGroups"][0])
    return None


def inspect(endpoint, stacks):
    cfn = client(endpoint, "cloudformation")
    out = {"stacks": {}, "exports": {}}
    for e in cfn.list_exports().get("Exports", []):
        out["exports"][e["Name"]] = e["Value"]
    for name in stacks:
        found = attempt(lambda: cfn.describe_stacks(StackName=name)["Stacks"])
        if isinstance(found, dict):
            out["stacks"][name] = {"status": "NOT_FOUND", "error": found["error"], "resources": []}
            continue
        stack = found[0]
        resources = []
        for r in cfn.describe_stack_resources(StackName=name)["StackResources"]:
            # moto lists a type it does not model (ElastiCache, Secrets Manager secret,
            # alarms...) as a blank entry: no logical id, no type.
            rtype = r.get("ResourceType", "")
            resources.append(
                {
                    "logical": r.get("LogicalResourceId", ""),
                    "type": rtype,
                    "physical": r.get("PhysicalResourceId"),
                    "status": r.get("ResourceStatus"),
                    "state": describe(endpoint, rtype, r.get("PhysicalResourceId")),
                }
            )
        out["stacks"][name] = {
            "status": stack["StackStatus"],
            "outputs": {o["OutputKey"]: o.get("OutputValue") for o in stack.get("Outputs", [])},
            "resources": resources,
        }
    out["security_groups"] = {
        g["GroupId"]: g for g in client(endpoint, "ec2").describe_security_groups()["SecurityGroups"]
    }
    return out


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    endpoint, command, args = argv[1], argv[2], argv[3:]
    if command == "setup" and len(args) == 1:
        result = setup(endpoint, args[0])
    elif command == "inspect":
        result = inspect(endpoint, args)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, default=str, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
