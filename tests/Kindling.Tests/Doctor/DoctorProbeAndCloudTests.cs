using k8s.Models;
using Kindling.Configuration;
using Kindling.Operations.Doctor.Checks;

namespace Kindling.Tests.Doctor;

/// <summary>The DNS probe pod, ECR through the AWS CLI, and the EKS checks (add-ons, network policy, IRSA) with a scripted <c>aws</c>.</summary>
public sealed class DoctorProbeAndCloudTests
{
    private const string Ns = "kindling";

    private static DoctorLine Line(IReadOnlyList<DoctorLine> lines, string check) => lines.Single(l => l.Check == check);

    [Fact]
    public async Task The_DNS_probe_runs_a_restricted_pod_that_resolves_a_headless_Service_and_cleans_up()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        bed.Kube.Objects.Create(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = Ns } });
        var doctor = bed.DoctorAsync("-o", "json");

        // The kubelet's part: the pod runs the command and exits 0 once the name resolves.
        var probe = await bed.Kube.Objects.WaitForAsync<V1Pod>(Ns, p => p.Metadata.Labels?.ContainsKey(DnsProbeCheck.ProbeLabel) == true, TimeSpan.FromSeconds(30));
        var service = await bed.Kube.Objects.WaitForAsync<V1Service>(Ns, s => s.Metadata.Name == probe.Metadata.Name, TimeSpan.FromSeconds(30));
        service.Spec.ClusterIP.Should().Be("None");
        service.Spec.PublishNotReadyAddresses.Should().BeTrue();
        service.Spec.Selector.Should().Contain(DnsProbeCheck.ProbeLabel, probe.Metadata.Name);
        service.Metadata.OwnerReferences.Should().ContainSingle(o => o.Uid == probe.Metadata.Uid);
        var container = probe.Spec.Containers.Single();
        container.Image.Should().Be($"{bed.Registry.Host}/spark:t1");
        container.Command.Last().Should().Be($"{probe.Metadata.Name}.{Ns}.svc");
        probe.Spec.SecurityContext.RunAsNonRoot.Should().BeTrue();
        container.SecurityContext.AllowPrivilegeEscalation.Should().BeFalse();
        container.SecurityContext.Capabilities.Drop.Should().Equal("ALL");
        bed.Kube.Pods.Succeeded(Ns, probe.Metadata.Name);

        var result = await doctor;

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain($"resolved the headless Service {probe.Metadata.Name}.{Ns}.svc");
        bed.Kube.Objects.Exists<V1Pod>(Ns, probe.Metadata.Name).Should().BeFalse();
        bed.Kube.Objects.Exists<V1Service>(Ns, probe.Metadata.Name).Should().BeFalse();
    }

    [Fact]
    public async Task A_failed_DNS_probe_fails()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        bed.Kube.Objects.Create(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = Ns } });
        var doctor = bed.DoctorAsync();
        var probe = await bed.Kube.Objects.WaitForAsync<V1Pod>(Ns, p => p.Metadata.Labels?.ContainsKey(DnsProbeCheck.ProbeLabel) == true, TimeSpan.FromSeconds(30));
        bed.Kube.Pods.Terminated(Ns, probe.Metadata.Name, "Error", 1);

        var result = await doctor;

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stdout.Should().MatchRegex(@"FAIL\s+dns-probe\s+a pod running the Spark image could not resolve");
        bed.Kube.Objects.Exists<V1Pod>(Ns, probe.Metadata.Name).Should().BeFalse();
    }

    [Fact]
    public async Task ECR_images_are_looked_up_with_aws_ecr_describe_images()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        const string registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
        bed.Cluster.Dir.Write("kindling.yaml", $"images:\n  registry: {registry}\n  tag: t1\n");
        using var aws = new ScriptedAws(new Dictionary<string, AwsAnswer>
        {
            ["ecr describe-images spark"] = AwsAnswer.Json(new { imageDetails = new[] { new { repositoryName = "spark", imageTags = new[] { "t1" } } } }),
            ["ecr describe-images jupyter"] = AwsAnswer.Error("ImageNotFoundException", "DescribeImages",
                "The image with imageId {imageDigest:'null', imageTag:'t1'} does not exist within the repository with name 'jupyter' in the registry with id '123456789012'"),
        });

        var (result, lines) = await bed.JsonAsync(new Dictionary<string, string?> { ["PATH"] = aws.Path });

        result.ExitCode.Should().Be(1, result.ToString());
        Line(lines, "images/spark").Status.Should().Be("ok");
        Line(lines, "images/jupyter").Found.Should().Contain("ECR repository jupyter in eu-west-1 has no image t1");
        aws.Calls().Should().ContainEquivalentOf(new[] { "ecr", "describe-images", "--repository-name", "jupyter", "--image-ids", "imageTag=t1", "--region", "eu-west-1", "--output", "json" });
    }

    [Fact]
    public async Task ECR_labels_come_from_the_config_blob_behind_a_presigned_URL_that_is_never_shown()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        const string registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
        bed.Cluster.Dir.Write("kindling.yaml", $"images:\n  registry: {registry}\n  tag: t1\n");
        bed.PushSpark("3.5.4");
        var (manifest, configDigest) = bed.Registry.PlatformManifest("spark", DoctorTestBed.Tag);
        var presigned = $"http://{bed.Registry.Host}/v2/spark/blobs/{configDigest}?X-Amz-Signature=presigned-secret-7Hq";
        var found = AwsAnswer.Json(new { imageDetails = new[] { new { repositoryName = "spark" } } });
        using var aws = new ScriptedAws(new Dictionary<string, AwsAnswer>
        {
            ["ecr describe-images spark"] = found,
            ["ecr describe-images jupyter"] = found,
            ["ecr batch-get-image spark"] = AwsAnswer.Json(new { images = new[] { new { imageManifest = manifest } }, failures = Array.Empty<object>() }),
            ["ecr batch-get-image jupyter"] = AwsAnswer.Json(new { images = Array.Empty<object>(), failures = Array.Empty<object>() }),
            ["ecr get-download-url-for-layer spark"] = AwsAnswer.Json(new { downloadUrl = presigned, layerDigest = configDigest }),
        });

        var (result, lines) = await bed.JsonAsync(new Dictionary<string, string?> { ["PATH"] = aws.Path });

        result.ExitCode.Should().Be(1, result.ToString());
        Line(lines, "image-versions/spark").Found.Should().Contain("Spark 3.5.4 where spark.version is 3.5.5");
        Line(lines, "node-architecture").Status.Should().Be("ok");
        (result.Stdout + result.Stderr).Should().NotContain("presigned-secret-7Hq");
        bed.Registry.Requests.Should().Contain($"GET /v2/spark/blobs/{configDigest}");
    }

    [Fact]
    public async Task Executors_do_not_count_on_nodes_whose_taints_they_do_not_tolerate()
    {
        await using var bed = await DoctorTestBed.StartAsync("spark:\n  executors:\n    instances: 6");
        bed.Kube.Objects.Create(new V1Node
        {
            ApiVersion = "v1", Kind = "Node",
            Metadata = new V1ObjectMeta { Name = "spot-1", Labels = new Dictionary<string, string> { ["kubernetes.io/arch"] = "amd64" } },
            Spec = new V1NodeSpec { Taints = [new V1Taint { Key = "kindling.dev/spot", Value = "true", Effect = "NoSchedule" }] },
            Status = new V1NodeStatus
            {
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
                Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("16"), ["memory"] = new("64Gi") },
            },
        }, keepStatus: true);

        var (result, lines) = await bed.JsonAsync();

        result.ExitCode.Should().Be(1, result.ToString());
        Line(lines, "capacity").Found.Should().Contain("do not fit on 1 node(s) with cpu 4, memory 16Gi").And.Contain("1 node(s) not Ready, cordoned, or tainted against these pods were left out");

        bed.Kube.Objects.Create(new V1Deployment
        {
            ApiVersion = "apps/v1", Kind = "Deployment", Metadata = new V1ObjectMeta { Name = "cluster-autoscaler" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 0,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "cluster-autoscaler" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "cluster-autoscaler" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "cluster-autoscaler", Image = "registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.0" }] },
                },
            },
        }, "kube-system");

        (result, lines) = await bed.JsonAsync();
        result.ExitCode.Should().Be(0, result.ToString());
        Line(lines, "capacity").Status.Should().Be("warn");
        Line(lines, "capacity").Found.Should().Contain("the cluster autoscaler may add nodes");
    }

    [Fact]
    public async Task On_Kindlings_EKS_add_ons_network_policy_and_IRSA_are_checked()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        const string issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789";
        const string roleArn = "arn:aws:iam::123456789012:role/kindling-spark";
        LocalStateStore.For(bed.ConfigPath, bed.Cluster.Dir.Path).Save(new LocalState
        {
            Terraform = new TerraformOutputs
            {
                SparkRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark",
                JupyterRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jupyter",
                ClusterName = "kindling",
                ClusterEndpoint = bed.Kube.Uri.ToString(),
                ClusterCertificateAuthority = "",
                SparkRoleArn = roleArn,
            },
        });
        bed.Kube.Objects.Create(new V1DaemonSet
        {
            ApiVersion = "apps/v1", Kind = "DaemonSet", Metadata = new V1ObjectMeta { Name = "aws-node" },
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["k8s-app"] = "aws-node" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["k8s-app"] = "aws-node" } },
                    Spec = new V1PodSpec
                    {
                        Containers =
                        [
                            new V1Container { Name = "aws-node", Image = "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.2" },
                            new V1Container { Name = "aws-eks-nodeagent", Image = "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon/aws-network-policy-agent:v1.1.6",
                                Args = ["--enable-ipv6=false", "--enable-network-policy=false"] },
                        ],
                    },
                },
            },
        }, "kube-system");
        object Trust(string subject) => new
        {
            Role = new
            {
                RoleName = "kindling-spark",
                Arn = roleArn,
                AssumeRolePolicyDocument = new
                {
                    Version = "2012-10-17",
                    Statement = new[]
                    {
                        new
                        {
                            Effect = "Allow",
                            Principal = new { Federated = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789" },
                            Action = "sts:AssumeRoleWithWebIdentity",
                            Condition = new { StringEquals = new Dictionary<string, string>
                            {
                                ["oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789:sub"] = subject,
                                ["oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789:aud"] = "sts.amazonaws.com",
                            } },
                        },
                    },
                },
            },
        };
        var answers = new Dictionary<string, AwsAnswer>
        {
            ["eks describe-addon aws-ebs-csi-driver"] = AwsAnswer.Json(new { addon = new { addonName = "aws-ebs-csi-driver", addonVersion = "v1.37.0-eksbuild.1", status = "DEGRADED",
                health = new { issues = new[] { new { code = "InsufficientNumberOfReplicas", message = "The add-on is unhealthy because it doesn't have the desired number of replicas." } } } } }),
            ["eks describe-addon vpc-cni"] = AwsAnswer.Json(new { addon = new { addonName = "vpc-cni", addonVersion = "v1.19.2-eksbuild.1", status = "ACTIVE", configurationValues = "{}" } }),
            ["eks describe-cluster kindling"] = AwsAnswer.Json(new { cluster = new { name = "kindling", identity = new { oidc = new { issuer } } } }),
            ["iam get-role kindling-spark"] = AwsAnswer.Json(Trust("system:serviceaccount:other:kindling-spark")),
        };
        using var aws = new ScriptedAws(answers);

        var (result, lines) = await bed.JsonAsync(new Dictionary<string, string?> { ["PATH"] = aws.Path });

        result.ExitCode.Should().Be(1, result.ToString());
        Line(lines, "eks-addons/aws-ebs-csi-driver").Found.Should().Contain("is DEGRADED").And.Contain("InsufficientNumberOfReplicas");
        Line(lines, "eks-addons/vpc-cni").Status.Should().Be("ok");
        Line(lines, "network-policy").Found.Should().Contain("not enforced").And.Contain("enableNetworkPolicy is unset").And.Contain("--enable-network-policy=false");
        Line(lines, "irsa").Found.Should().Contain("does not let system:serviceaccount:kindling:kindling-spark assume it");
        aws.Calls().Should().Contain(c => c.SequenceEqual(new[] { "iam", "get-role", "--role-name", "kindling-spark", "--region", "eu-west-1", "--output", "json" }));

        answers["eks describe-addon aws-ebs-csi-driver"] = AwsAnswer.Json(new { addon = new { addonName = "aws-ebs-csi-driver", addonVersion = "v1.37.0-eksbuild.1", status = "ACTIVE" } });
        answers["eks describe-addon vpc-cni"] = AwsAnswer.Json(new { addon = new { addonName = "vpc-cni", status = "ACTIVE", configurationValues = "{\"enableNetworkPolicy\":\"true\"}" } });
        answers["iam get-role kindling-spark"] = AwsAnswer.Json(Trust("system:serviceaccount:kindling:kindling-spark"));
        bed.Kube.Objects.Update<V1DaemonSet>("kube-system", "aws-node", d => d.Spec.Template.Spec.Containers[1].Args = ["--enable-ipv6=false", "--enable-network-policy=true"]);
        using var healthy = new ScriptedAws(answers);

        (result, lines) = await bed.JsonAsync(new Dictionary<string, string?> { ["PATH"] = healthy.Path });

        result.ExitCode.Should().Be(0, result.ToString());
        Line(lines, "network-policy").Found.Should().Contain("--enable-network-policy=true").And.Contain("enableNetworkPolicy: true");
        Line(lines, "irsa").Found.Should().Contain($"{roleArn} (rendered; not applied yet); its trust policy admits system:serviceaccount:kindling:kindling-spark");
    }

    [Fact]
    public async Task The_fake_apiserver_rejects_pods_as_LimitRanger_and_ResourceQuota_do()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        bed.Kube.Objects.Create(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = Ns } });
        bed.Kube.Objects.Create(new V1LimitRange
        {
            ApiVersion = "v1", Kind = "LimitRange", Metadata = new V1ObjectMeta { Name = "lr" },
            Spec = new V1LimitRangeSpec { Limits = [new V1LimitRangeItem { Type = "Container", Max = new Dictionary<string, ResourceQuantity> { ["memory"] = new("2Gi") } }] },
        }, Ns);
        V1Pod Pod(string name, string memory) => new()
        {
            ApiVersion = "v1", Kind = "Pod", Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "x", Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["memory"] = new(memory) },
                Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new(memory) },
            } }] },
        };

        var tooBig = () => bed.Kube.Objects.Create(Pod("big", "2867Mi"), Ns);
        tooBig.Should().Throw<Exception>().Which.Message.Should().Contain("maximum memory usage per Container is 2Gi, but limit is 2867Mi");

        bed.Kube.Objects.Create(new V1ResourceQuota
        {
            ApiVersion = "v1", Kind = "ResourceQuota", Metadata = new V1ObjectMeta { Name = "q" },
            Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["requests.memory"] = new("3Gi") } },
        }, Ns);
        bed.Kube.Objects.Create(Pod("one", "2Gi"), Ns);
        var overQuota = () => bed.Kube.Objects.Create(Pod("two", "2Gi"), Ns);
        overQuota.Should().Throw<Exception>().Which.Message.Should().Contain("exceeded quota: q, requested: requests.memory=2048Mi, used: requests.memory=2048Mi, limited: requests.memory=3Gi");
        var defaulted = bed.Kube.Objects.Get<V1Pod>(Ns, "one")!;
        defaulted.Spec.Containers[0].Resources.Limits["memory"].ToString().Should().Be("2Gi");
    }
}
