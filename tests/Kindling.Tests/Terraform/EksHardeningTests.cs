using System.Net;
using System.Text.Json;
using k8s.Models;
using Kindling.Configuration;
using Kindling.Operations;
using Kindling.Resources;
using Kindling.Spark;
using Kindling.Terraform;
using Kindling.Testing.Processes;
using Kindling.Tests.Resources;

namespace Kindling.Tests.Terraform;

/// <summary>
/// Issue 8 §1/§4/§5/§6 on the AWS side: the API allow-list, the EKS version table, the Cluster Autoscaler,
/// executor placement, and the add-ons' configuration checked in a plan (moto has no add-on API).
/// </summary>
public sealed class EksHardeningTests
{
    private sealed class FixedLookup(Func<IPAddress> answer) : IPublicAddressLookup
    {
        public int Calls { get; private set; }

        public string Source => "test lookup";

        public Task<IPAddress> LookupAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(answer());
        }
    }

    [Fact]
    public async Task Without_cidrs_the_api_is_limited_to_this_machines_public_address_and_says_so()
    {
        var lookup = new FixedLookup(() => IPAddress.Parse("198.51.100.23"));
        var access = await ApiAccess.ResolveAsync(new EnvironmentSpec(), lookup, lookUp: true, CancellationToken.None);

        access.Spec.Aws.ApiAccessCidrs.Should().Equal("198.51.100.23/32");
        access.Description.Should().Contain("198.51.100.23/32 only").And.Contain("test lookup");
        Variables(access.Spec).Should().Contain("default     = [\"198.51.100.23/32\"]");
    }

    [Fact]
    public async Task A_failed_lookup_is_an_error_that_names_the_settings_to_use_instead()
    {
        var lookup = new FixedLookup(() => throw new KindlingException("checkip did not answer (timeout)"));
        var act = () => ApiAccess.ResolveAsync(new EnvironmentSpec(), lookup, lookUp: true, CancellationToken.None);

        (await act.Should().ThrowAsync<KindlingException>()).Which.Message
            .Should().Contain("checkip did not answer").And.Contain("aws.apiAccessCidrs").And.Contain("aws.privateApi");
    }

    [Fact]
    public async Task Configured_cidrs_private_api_emulators_and_destroy_never_ask_the_network()
    {
        var lookup = new FixedLookup(() => throw new InvalidOperationException("must not be called"));
        var configured = new EnvironmentSpec { Aws = new AwsSpec { ApiAccessCidrs = ["203.0.113.0/24"] } };
        (await ApiAccess.ResolveAsync(configured, lookup, true, CancellationToken.None)).Spec.Aws.ApiAccessCidrs.Should().Equal("203.0.113.0/24");

        var privateApi = new EnvironmentSpec { Aws = new AwsSpec { PrivateApi = true } };
        (await ApiAccess.ResolveAsync(privateApi, lookup, true, CancellationToken.None)).Description.Should().Contain("private only");
        Variables(privateApi).Should().Contain("default     = true").And.Contain("variable \"api_access_cidrs\"");
        MainTf(privateApi).Should().Contain("endpoint_public_access  = !var.private_api");

        var emulator = new EnvironmentSpec { Aws = new AwsSpec { Endpoint = "http://127.0.0.1:5000" } };
        var emulated = await ApiAccess.ResolveAsync(emulator, lookup, true, CancellationToken.None);
        emulated.Spec.Aws.ApiAccessCidrs.Should().Equal(ApiAccess.EmulatorCidr);
        emulated.Description.Should().Contain("no public-address lookup against an emulator");

        (await ApiAccess.ResolveAsync(new EnvironmentSpec(), lookup, lookUp: false, CancellationToken.None)).Spec.Aws.ApiAccessCidrs.Should().ContainSingle();
        lookup.Calls.Should().Be(0);
    }

    [Fact]
    public void Render_without_a_lookup_leaves_the_allow_list_without_default_never_open_to_the_world()
    {
        var variables = Variables(new EnvironmentSpec());
        var block = variables[variables.IndexOf("variable \"api_access_cidrs\"", StringComparison.Ordinal)..];
        block[..block.IndexOf('}')].Should().NotContain("default     =");
        string.Concat(TerraformModule.Render(new EnvironmentSpec()).Select(f => f.Content)).Should().NotContain("0.0.0.0/0\"]");
    }

    [Theory]
    [InlineData("203.0.113.9\n", "203.0.113.9")]
    [InlineData("  198.51.100.1  ", "198.51.100.1")]
    public void Checkip_answers_are_parsed(string text, string expected) =>
        CheckIpLookup.Parse(text, "checkip").ToString().Should().Be(expected);

    [Theory]
    [InlineData("<html>rate limited</html>")]
    [InlineData("2001:db8::1")]
    [InlineData("")]
    public void Checkip_answers_that_are_not_ipv4_are_errors(string text) =>
        FluentActions.Invoking(() => CheckIpLookup.Parse(text, "checkip")).Should().Throw<KindlingException>().WithMessage("*not an IPv4 address*");

    [Fact]
    public void The_default_eks_version_is_in_standard_support_on_2026_11_27_and_every_version_has_a_matching_autoscaler()
    {
        var today = new DateOnly(2026, 11, 27);
        var version = EksVersions.Get(EksVersions.Default);
        version.EndOfStandardSupport.Should().BeAfter(today);
        new EnvironmentSpec().Aws.KubernetesVersion.Should().Be(EksVersions.Default);
        EksVersions.All.Should().OnlyContain(v => v.ClusterAutoscalerVersion.StartsWith(v.Version + ".", StringComparison.Ordinal));
        EksVersions.All.Should().OnlyContain(v => v.EndOfExtendedSupport > today, "a retired version can no longer be created");
    }

    [Fact]
    public void The_autoscaler_is_rendered_only_on_kindlings_eks_with_its_role_and_matches_the_cluster_minor()
    {
        EnvironmentManifests.Build(ManifestFixtures.Irsa()).Should().NotContain(m => m.Object.Metadata.NamespaceProperty == "kube-system");
        EnvironmentManifests.Build(ManifestFixtures.Eks() with { ClusterAutoscalerRoleArn = null })
            .Should().NotContain(m => m.Object.Kind == "ClusterRole");

        var inputs = ManifestFixtures.Eks();
        inputs = inputs with { Spec = inputs.Spec with { Aws = inputs.Spec.Aws with { KubernetesVersion = "1.33", ClusterName = "prod" } } };
        var manifests = EnvironmentManifests.Build(inputs);
        var deployment = manifests.Select(m => m.Object).OfType<V1Deployment>().Single(d => d.Metadata.NamespaceProperty == "kube-system");
        var container = deployment.Spec.Template.Spec.Containers.Single();
        container.Image.Should().Be("registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.6");
        container.Args.Should().Contain("--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/prod");
        container.SecurityContext.AllowPrivilegeEscalation.Should().BeFalse();
        container.SecurityContext.Capabilities.Drop.Should().Equal("ALL");
        deployment.Spec.Template.Spec.SecurityContext.RunAsNonRoot.Should().BeTrue();
        deployment.Spec.Template.Spec.SecurityContext.SeccompProfile.Type.Should().Be("RuntimeDefault");
        deployment.Spec.Template.Spec.Volumes.Should().BeNull("no hostPath: the distroless image carries its CA bundle");
        var account = manifests.Select(m => m.Object).OfType<V1ServiceAccount>().Single(a => a.Metadata.NamespaceProperty == "kube-system");
        account.Metadata.Name.Should().Be(AutoscalingFile.ServiceAccount);
        account.Metadata.Annotations["eks.amazonaws.com/role-arn"].Should().Be(ManifestFixtures.ClusterAutoscalerRoleArn);
        Kindling.Cluster.ReadinessTargets.From(manifests, inputs.Spec.Namespace).Deployments.Should().NotContain(d => d.Name == "cluster-autoscaler");
    }

    [Fact]
    public void Executors_select_and_tolerate_the_executor_group_and_the_notebook_stays_on_demand()
    {
        var manifests = EnvironmentManifests.Build(ManifestFixtures.Eks());
        var notebook = manifests.Select(m => m.Object).OfType<V1Deployment>().Single(d => d.Metadata.NamespaceProperty != "kube-system");
        notebook.Spec.Template.Spec.NodeSelector.Should().Equal(new Dictionary<string, string> { ["eks.amazonaws.com/capacityType"] = "ON_DEMAND" });

        var template = ExecutorPodTemplate.Build(SparkPlacement.For(ManifestFixtures.Eks().Spec, onKindlingEks: true));
        template.Spec.NodeSelector.Should().Equal(new Dictionary<string, string> { [NodePools.PoolLabel] = NodePools.ExecutorPool });
        var toleration = template.Spec.Tolerations.Single();
        (toleration.Key, toleration.Value, toleration.Effect).Should().Be((NodePools.ExecutorTaintKey, "true", "NoSchedule"));

        // Off Kindling's EKS, or without an executor group, nothing is pinned to labels that may not exist.
        SparkPlacement.For(ManifestFixtures.Eks().Spec, onKindlingEks: false).Should().Be(SparkPlacement.None);
        var plain = EnvironmentManifests.Build(ManifestFixtures.Default());
        plain.Select(m => m.Object).OfType<V1Deployment>().Single().Spec.Template.Spec.NodeSelector.Should().BeNull();
        ExecutorPodTemplate.Build(SparkPlacement.For(new EnvironmentSpec(), onKindlingEks: true)).Spec.Tolerations.Should().BeNull();
    }

    [Fact]
    public async Task The_add_ons_and_executor_group_are_configured_right_in_the_plan()
    {
        // moto has no add-on API, so the plan JSON is where the add-ons' configuration is checked. With the
        // emulator settings the provider makes no call for a plan from empty state; eks_addons is forced on.
        var spec = new EnvironmentSpec
        {
            Aws = new AwsSpec
            {
                Endpoint = "http://127.0.0.1:9",
                ApiAccessCidrs = ["198.51.100.7/32"],
                EcrPrefix = "team-a",
                ExecutorNodes = new ExecutorNodesSpec { InstanceTypes = ["m6i.xlarge", "m5.xlarge"], Min = 0, Max = 7 },
            },
        };
        using var dir = new TempDir();
        foreach (var file in TerraformModule.Render(spec)) dir.Write(file.RelativePath, file.Content);
        var module = dir.File(TerraformModule.Folder);
        var env = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test" };
        await Terraform(module, env, "init", "-input=false", "-no-color", "-backend=false", $"-plugin-dir={TerraformTool.PluginDirectory}");
        await Terraform(module, env, "plan", "-input=false", "-no-color", "-refresh=false", "-var=eks_addons=true", "-out=addons.tfplan");
        var show = await ToolRun.RunAsync(TerraformTool.Executable, ["show", "-json", "addons.tfplan"], module, env);
        show.ExitCode.Should().Be(0, show.ToString());

        using var plan = JsonDocument.Parse(show.Stdout);
        JsonElement After(string address) => plan.RootElement.GetProperty("resource_changes").EnumerateArray()
            .Single(r => r.GetProperty("address").GetString() == address).GetProperty("change").GetProperty("after");

        var vpcCni = After("aws_eks_addon.vpc_cni[0]");
        vpcCni.GetProperty("addon_name").GetString().Should().Be("vpc-cni");
        JsonDocument.Parse(vpcCni.GetProperty("configuration_values").GetString()!).RootElement
            .GetProperty("enableNetworkPolicy").GetString().Should().Be("true");
        After("aws_eks_addon.ebs_csi[0]").GetProperty("addon_name").GetString().Should().Be("aws-ebs-csi-driver");
        var ebsAttachment = After("aws_iam_role_policy_attachment.ebs_csi");
        ebsAttachment.GetProperty("policy_arn").GetString().Should().Be("arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy");
        // The add-on uses the EBS CSI role: the configuration references it (the ARN is unknown until apply).
        var config = plan.RootElement.GetProperty("configuration").GetProperty("root_module").GetProperty("resources").EnumerateArray()
            .Single(r => r.GetProperty("address").GetString() == "aws_eks_addon.ebs_csi");
        config.GetProperty("expressions").GetProperty("service_account_role_arn").GetProperty("references").EnumerateArray()
            .Select(r => r.GetString()).Should().Contain("aws_iam_role.ebs_csi.arn");

        After("aws_ecr_repository.spark").GetProperty("name").GetString().Should().Be("team-a/spark");
        After("aws_ecr_repository.jupyter").GetProperty("force_delete").GetBoolean().Should().BeFalse();
        var cluster = After("aws_eks_cluster.main");
        cluster.GetProperty("vpc_config")[0].GetProperty("public_access_cidrs").EnumerateArray().Select(c => c.GetString()).Should().Equal("198.51.100.7/32");
        cluster.GetProperty("enabled_cluster_log_types").EnumerateArray().Select(c => c.GetString()).Should().BeEquivalentTo("api", "audit", "authenticator");
        var executors = After("aws_eks_node_group.executors[0]");
        executors.GetProperty("capacity_type").GetString().Should().Be("SPOT");
        executors.GetProperty("scaling_config")[0].GetProperty("max_size").GetInt32().Should().Be(7);
        plan.RootElement.GetProperty("resource_changes").EnumerateArray().Select(r => r.GetProperty("address").GetString())
            .Should().Contain("aws_autoscaling_group_tag.executor_node_template[\"k8s.io/cluster-autoscaler/node-template/taint/kindling.dev/executors\"]");
        var template = After("aws_launch_template.nodes");
        template.GetProperty("metadata_options")[0].GetProperty("http_tokens").GetString().Should().Be("required");
        template.GetProperty("metadata_options")[0].GetProperty("http_put_response_hop_limit").GetInt32().Should().Be(1);
    }

    private static async Task Terraform(string dir, IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        var result = await ToolRun.RunAsync(TerraformTool.Executable, args, dir, env);
        result.ExitCode.Should().Be(0, $"terraform {string.Join(' ', args)} should pass:\n{result}");
    }

    private static string Variables(EnvironmentSpec spec) =>
        TerraformModule.Render(spec).Single(f => f.RelativePath.EndsWith("variables.tf", StringComparison.Ordinal)).Content;

    private static string MainTf(EnvironmentSpec spec) =>
        TerraformModule.Render(spec).Single(f => f.RelativePath.EndsWith("main.tf", StringComparison.Ordinal)).Content;
}
