using System.Text.Json;
using k8s;
using k8s.Models;

namespace Kindling.Tests.Terraform;

/// <summary>
/// The whole lifecycle through the CLI against moto: apply creates everything and saves the outputs, a second
/// apply changes nothing, output re-reads them, destroy leaves nothing behind.
/// </summary>
public sealed class InfraLifecycleTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    [Fact]
    public async Task Apply_creates_everything_saves_outputs_is_idempotent_and_destroy_removes_it()
    {
        // A bucket to grant: the Spark role then also gets its S3 policy (31 resources without IRSA, +2); the
        // hardening (KMS key, alias and policy, log group, launch template) adds 5, the EBS CSI and autoscaler
        // roles 4, the spot executor group 1, and history (on with buckets) 2. The add-ons are left out against
        // moto, which has no add-on API.
        using var scenario = new InfraScenario(moto.Server,
            "  s3Buckets:\n    - kindling-data\n  executorNodes:\n    instanceTypes: [m5.xlarge, m5a.xlarge]\n    capacityType: SPOT\n    min: 0\n    max: 5\n");

        var apply = await scenario.CliAsync("infra", "apply", "--auto-approve", "-f", scenario.ConfigPath);
        apply.ExitCode.Should().Be(0, apply.ToString());
        // A loaded machine can make moto take over a minute ("1m04s").
        apply.Stderr.Should().MatchRegex(@"✓ aws_vpc\.main created \(id=vpc-[0-9a-f]+\) \((\d+\.\ds|\d+m\d\ds)\)", "each resource gets a line with its elapsed time");
        apply.Stdout.Should().Contain("Apply complete: 45 added");
        apply.Stdout.Should().Contain("aws.endpoint is set, so no public-address lookup").And.Contain("127.0.0.1/32");

        // 1. What moto reports.
        var vpcs = await scenario.KindlingVpcsAsync();
        vpcs.Should().ContainSingle();
        vpcs[0].GetProperty("CidrBlock").GetString().Should().Be("10.0.0.0/16");
        var vpcId = vpcs[0].GetProperty("VpcId").GetString()!;
        // The queries are independent; each is an aws CLI process, so they run side by side.
        var subnetsQuery = scenario.SubnetsAsync(vpcId);
        var natQuery = scenario.Moto.AwsAsync("ec2", "describe-nat-gateways", "--filter", $"Name=vpc-id,Values={vpcId}");
        var repositoriesQuery = scenario.RepositoriesAsync();
        var rolesQuery = scenario.KindlingRolesAsync();
        var nodePoliciesQuery = scenario.Moto.AwsAsync("iam", "list-attached-role-policies", "--role-name", "kindling-eks-node");
        var clustersQuery = scenario.ClustersAsync();
        var clusterQuery = scenario.Moto.AwsAsync("eks", "describe-cluster", "--name", "kindling");
        var nodegroupQuery = scenario.Moto.AwsAsync("eks", "describe-nodegroup", "--cluster-name", "kindling", "--nodegroup-name", "kindling-nodes");
        var oidcQuery = scenario.Moto.AwsAsync("iam", "list-open-id-connect-providers");
        var sparkRoleQuery = scenario.Moto.AwsAsync("iam", "get-role", "--role-name", "kindling-spark");
        var sparkPolicyQuery = scenario.Moto.AwsAsync("iam", "get-role-policy", "--role-name", "kindling-spark", "--policy-name", "s3-buckets");
        var executorsQuery = scenario.Moto.AwsAsync("eks", "describe-nodegroup", "--cluster-name", "kindling", "--nodegroup-name", "kindling-executors");
        var ebsRoleQuery = scenario.Moto.AwsAsync("iam", "get-role", "--role-name", "kindling-ebs-csi");
        var autoscalerPolicyQuery = scenario.Moto.AwsAsync("iam", "get-role-policy", "--role-name", "kindling-cluster-autoscaler", "--policy-name", "cluster-autoscaler");
        var logGroupsQuery = scenario.Moto.AwsAsync("logs", "describe-log-groups", "--log-group-name-prefix", "/aws/eks/kindling/");

        var subnets = await subnetsQuery;
        subnets.Select(s => (s.GetProperty("AvailabilityZone").GetString(), s.GetProperty("CidrBlock").GetString()))
            .Should().BeEquivalentTo(new[]
            {
                ("eu-west-1a", "10.0.0.0/20"), ("eu-west-1b", "10.0.16.0/20"), ("eu-west-1c", "10.0.32.0/20"),
                ("eu-west-1a", "10.0.48.0/20"), ("eu-west-1b", "10.0.64.0/20"), ("eu-west-1c", "10.0.80.0/20"),
            });
        var nat = await natQuery;
        nat.GetProperty("NatGateways").EnumerateArray().Should().ContainSingle();

        var repositories = await repositoriesQuery;
        repositories.Select(r => r.GetProperty("repositoryName").GetString()).Should().BeEquivalentTo("spark", "jupyter");
        repositories.Should().OnlyContain(r => r.GetProperty("imageScanningConfiguration").GetProperty("scanOnPush").GetBoolean());
        repositories.Should().OnlyContain(r => r.GetProperty("imageTagMutability").GetString() == "IMMUTABLE");

        (await rolesQuery).Should().Equal("kindling-cluster-autoscaler", "kindling-ebs-csi", "kindling-eks-cluster", "kindling-eks-node", "kindling-spark", "kindling-spark-history");
        var nodePolicies = await nodePoliciesQuery;
        nodePolicies.GetProperty("AttachedPolicies").EnumerateArray().Select(p => p.GetProperty("PolicyName").GetString())
            .Should().BeEquivalentTo("AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly");

        (await clustersQuery).Should().Equal("kindling");
        var cluster = (await clusterQuery).GetProperty("cluster");
        cluster.GetProperty("version").GetString().Should().Be("1.35");
        // CIS EKS: a restricted public endpoint, encrypted Secrets, control-plane logs.
        var vpcConfig = cluster.GetProperty("resourcesVpcConfig");
        vpcConfig.GetProperty("endpointPublicAccess").GetBoolean().Should().BeTrue();
        vpcConfig.GetProperty("publicAccessCidrs").EnumerateArray().Select(c => c.GetString()).Should().Equal("127.0.0.1/32");
        var encryption = cluster.GetProperty("encryptionConfig").EnumerateArray().Single();
        encryption.GetProperty("resources").EnumerateArray().Select(r => r.GetString()).Should().Equal("secrets");
        encryption.GetProperty("provider").GetProperty("keyArn").GetString().Should().StartWith("arn:aws:kms:");
        cluster.GetProperty("logging").GetProperty("clusterLogging").EnumerateArray()
            .Where(l => l.GetProperty("enabled").GetBoolean())
            .SelectMany(l => l.GetProperty("types").EnumerateArray().Select(t => t.GetString()))
            .Should().BeEquivalentTo("api", "audit", "authenticator");
        (await logGroupsQuery).GetProperty("logGroups").EnumerateArray().Single().GetProperty("retentionInDays").GetInt32().Should().Be(90);
        var nodegroup = (await nodegroupQuery).GetProperty("nodegroup");
        nodegroup.GetProperty("scalingConfig").GetProperty("desiredSize").GetInt32().Should().Be(2);
        nodegroup.GetProperty("instanceTypes").EnumerateArray().Select(t => t.GetString()).Should().Equal("m5.large");
        nodegroup.GetProperty("capacityType").GetString().Should().Be("ON_DEMAND");
        var launchTemplateId = nodegroup.GetProperty("launchTemplate").GetProperty("id").GetString()!;
        var executors = (await executorsQuery).GetProperty("nodegroup");
        executors.GetProperty("capacityType").GetString().Should().Be("SPOT");
        executors.GetProperty("instanceTypes").EnumerateArray().Select(t => t.GetString()).Should().Equal("m5.xlarge", "m5a.xlarge");
        executors.GetProperty("scalingConfig").GetProperty("maxSize").GetInt32().Should().Be(5);
        executors.GetProperty("labels").GetProperty("kindling.dev/node-pool").GetString().Should().Be("executors");
        var taint = executors.GetProperty("taints").EnumerateArray().Single();
        (taint.GetProperty("key").GetString(), taint.GetProperty("value").GetString(), taint.GetProperty("effect").GetString())
            .Should().Be(("kindling.dev/executors", "true", "NO_SCHEDULE"));
        executors.GetProperty("launchTemplate").GetProperty("id").GetString().Should().Be(launchTemplateId);
        // Nodes: IMDSv2 only with one hop, so pods cannot reach the node role; encrypted root volume.
        var launchTemplate = (await scenario.Moto.AwsAsync("ec2", "describe-launch-template-versions", "--launch-template-id", launchTemplateId,
            "--versions", "$Latest")).GetProperty("LaunchTemplateVersions").EnumerateArray().Single().GetProperty("LaunchTemplateData");
        var metadata = launchTemplate.GetProperty("MetadataOptions");
        metadata.GetProperty("HttpTokens").GetString().Should().Be("required");
        metadata.GetProperty("HttpPutResponseHopLimit").GetInt32().Should().Be(1);
        launchTemplate.GetProperty("BlockDeviceMappings").EnumerateArray().Single().GetProperty("Ebs").GetProperty("Encrypted").GetBoolean().Should().BeTrue();
        // The EBS CSI role trusts only its controller's ServiceAccount; the autoscaler may resize only tagged groups.
        var ebsTrust = PolicyDocument((await ebsRoleQuery).GetProperty("Role").GetProperty("AssumeRolePolicyDocument")).GetProperty("Statement").EnumerateArray().Single();
        ebsTrust.GetProperty("Condition").GetProperty("StringEquals").EnumerateObject().Where(p => p.Name.EndsWith(":sub", StringComparison.Ordinal))
            .Select(p => p.Value.GetString()).Should().Equal("system:serviceaccount:kube-system:ebs-csi-controller-sa");
        var autoscalerWrite = PolicyDocument((await autoscalerPolicyQuery).GetProperty("PolicyDocument")).GetProperty("Statement").EnumerateArray()
            .Single(st => st.GetProperty("Action").EnumerateArray().Any(a => a.GetString() == "autoscaling:SetDesiredCapacity"));
        autoscalerWrite.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:ResourceTag/k8s.io/cluster-autoscaler/kindling").GetString().Should().Be("owned");
        var oidcProviders = (await oidcQuery).GetProperty("OpenIDConnectProviderList").EnumerateArray().ToList();
        oidcProviders.Should().ContainSingle();

        // IRSA: the Spark role trusts exactly the environment's ServiceAccount through the cluster's OIDC provider.
        var sparkRole = (await sparkRoleQuery).GetProperty("Role");
        var trust = PolicyDocument(sparkRole.GetProperty("AssumeRolePolicyDocument")).GetProperty("Statement").EnumerateArray().Single();
        trust.GetProperty("Action").GetString().Should().Be("sts:AssumeRoleWithWebIdentity");
        trust.GetProperty("Principal").GetProperty("Federated").GetString().Should().Be(oidcProviders[0].GetProperty("Arn").GetString());
        var issuerHost = cluster.GetProperty("identity").GetProperty("oidc").GetProperty("issuer").GetString()!["https://".Length..];
        var equals = trust.GetProperty("Condition").GetProperty("StringEquals");
        equals.GetProperty($"{issuerHost}:sub").GetString().Should().Be("system:serviceaccount:kindling:kindling-spark");
        equals.GetProperty($"{issuerHost}:aud").GetString().Should().Be("sts.amazonaws.com");
        var s3 = PolicyDocument((await sparkPolicyQuery).GetProperty("PolicyDocument")).GetProperty("Statement").EnumerateArray().ToList();
        s3.SelectMany(st => st.GetProperty("Resource").EnumerateArray().Select(x => x.GetString()))
            .Should().BeEquivalentTo("arn:aws:s3:::kindling-data", "arn:aws:s3:::kindling-data/*");

        // 2. The outputs are saved, and they are what moto reports.
        var saved = scenario.State.Terraform;
        saved.Should().NotBeNull();
        saved!.SparkRepositoryUrl.Should().Be(Uri(repositories, "spark"));
        saved.JupyterRepositoryUrl.Should().Be(Uri(repositories, "jupyter"));
        saved.ClusterName.Should().Be("kindling");
        saved.ClusterEndpoint.Should().Be(cluster.GetProperty("endpoint").GetString());
        saved.ClusterCertificateAuthority.Should().Be(cluster.GetProperty("certificateAuthority").GetProperty("data").GetString());
        saved.SparkRoleArn.Should().Be(sparkRole.GetProperty("Arn").GetString());
        saved.ClusterAutoscalerRoleArn.Should().EndWith(":role/kindling-cluster-autoscaler");
        // aws.s3Buckets turns history on by default, with the History Server's own read-only role.
        saved.HistoryRoleArn.Should().MatchRegex("^arn:aws:iam::[0-9]{12}:role/kindling-spark-history$");

        // Re-rendering now takes the images from the outputs: the Deployment carries the moto ECR URIs.
        var render = await scenario.CliAsync("render", "-f", scenario.ConfigPath, "--output-dir", "out", "-o", "json");
        render.ExitCode.Should().Be(0, render.ToString());
        string tag;
        using (var json = JsonDocument.Parse(render.Stdout))
        {
            tag = json.RootElement.GetProperty("imageTag").GetString()!;
            json.RootElement.GetProperty("images").GetProperty("jupyterSource").GetString().Should().Be("terraformOutputs");
            json.RootElement.GetProperty("images").GetProperty("sparkSource").GetString().Should().Be("terraformOutputs");
        }
        var deployments = Directory.GetFiles(Path.Combine(scenario.Directory, "out", "k8s"), "*.yaml")
            .Select(File.ReadAllText).Where(y => y.Contains("kind: Deployment", StringComparison.Ordinal))
            .Select(y => Kindling.Resources.KubeYaml.Deserialize<V1Deployment>(y)).ToList();
        var deployment = deployments.Single(d => d.Metadata.Name == "kindling-jupyter");
        // The environment now runs on Kindling's EKS: the Cluster Autoscaler comes with it, with its IRSA role.
        deployments.Single(d => d.Metadata.Name == "cluster-autoscaler").Metadata.NamespaceProperty.Should().Be("kube-system");
        var container = deployment.Spec.Template.Spec.Containers.Single();
        container.Image.Should().Be($"{Uri(repositories, "jupyter")}:{tag}");
        container.Env.Single(e => e.Name == "SPARK_IMAGE").Value.Should().Be($"{Uri(repositories, "spark")}:{tag}");
        // ... and the Spark ServiceAccount carries the role, with S3A told to use the pod's web identity.
        var serviceAccount = Kindling.Resources.KubeYaml.Deserialize<V1ServiceAccount>(File.ReadAllText(
            Directory.GetFiles(Path.Combine(scenario.Directory, "out", "k8s"), "*-serviceaccount-kindling-spark.yaml").Single()));
        serviceAccount.Metadata.Annotations.Should().Contain("eks.amazonaws.com/role-arn", saved.SparkRoleArn);
        var historyAccount = Kindling.Resources.KubeYaml.Deserialize<V1ServiceAccount>(File.ReadAllText(
            Directory.GetFiles(Path.Combine(scenario.Directory, "out", "k8s"), "*-serviceaccount-kindling-history.yaml").Single()));
        historyAccount.Metadata.Annotations.Should().Contain("eks.amazonaws.com/role-arn", saved.HistoryRoleArn);
        container.Env.Single(e => e.Name == "SPARK_S3A_CREDENTIALS_PROVIDER").Value.Should().Be("com.amazonaws.auth.WebIdentityTokenCredentialsProvider");

        // 3. A second apply has nothing to do, and terraform itself agrees (-detailed-exitcode 0 = no changes).
        var again = await scenario.CliAsync("infra", "apply", "--auto-approve", "-f", scenario.ConfigPath, "-o", "json");
        again.ExitCode.Should().Be(0, again.ToString());
        using (var json = JsonDocument.Parse(again.Stdout))
        {
            json.RootElement.GetProperty("applied").GetBoolean().Should().BeFalse();
            json.RootElement.GetProperty("changes").GetProperty("add").GetInt32().Should().Be(0);
            json.RootElement.GetProperty("changes").GetProperty("change").GetInt32().Should().Be(0);
            json.RootElement.GetProperty("changes").GetProperty("remove").GetInt32().Should().Be(0);
        }
        var plan = await scenario.TerraformAsync("plan", "-detailed-exitcode", "-input=false", "-no-color");
        plan.ExitCode.Should().Be(0, plan.ToString());

        // infra output re-reads the same values.
        var output = await scenario.CliAsync("infra", "output", "-f", scenario.ConfigPath, "-o", "json");
        output.ExitCode.Should().Be(0, output.ToString());
        using (var json = JsonDocument.Parse(output.Stdout))
            json.RootElement.GetProperty("sparkRepositoryUrl").GetString().Should().Be(saved.SparkRepositoryUrl);

        // 4. Destroy leaves nothing behind, and Kindling forgets the outputs.
        var destroy = await scenario.CliAsync("infra", "destroy", "--auto-approve", "-f", scenario.ConfigPath);
        destroy.ExitCode.Should().Be(0, destroy.ToString());
        destroy.Stdout.Should().Contain("Destroy complete: 45 destroyed");
        var vpcsLeft = scenario.KindlingVpcsAsync();
        var subnetsLeft = scenario.SubnetsAsync(vpcId);
        var repositoriesLeft = scenario.RepositoriesAsync();
        var clustersLeft = scenario.ClustersAsync();
        var rolesLeft = scenario.KindlingRolesAsync();
        var oidcLeft = scenario.Moto.AwsAsync("iam", "list-open-id-connect-providers");
        (await vpcsLeft).Should().BeEmpty();
        (await subnetsLeft).Should().BeEmpty();
        (await repositoriesLeft).Should().BeEmpty();
        (await clustersLeft).Should().BeEmpty();
        (await rolesLeft).Should().BeEmpty();
        (await oidcLeft).GetProperty("OpenIDConnectProviderList").EnumerateArray().Should().BeEmpty();
        scenario.State.Terraform.Should().BeNull();
        var list = await scenario.TerraformAsync("state", "list");
        list.Stdout.Trim().Should().BeEmpty();
    }

    // IAM returns policy documents URL-encoded; the aws CLI decodes them into JSON, but accept either form.
    private static JsonElement PolicyDocument(JsonElement document) =>
        document.ValueKind == JsonValueKind.String
            ? JsonDocument.Parse(System.Net.WebUtility.UrlDecode(document.GetString()!)).RootElement.Clone()
            : document;

    private static string Uri(IReadOnlyList<JsonElement> repositories, string name) =>
        repositories.Single(r => r.GetProperty("repositoryName").GetString() == name).GetProperty("repositoryUri").GetString()!;
}
