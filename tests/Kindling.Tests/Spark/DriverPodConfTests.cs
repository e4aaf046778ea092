using k8s;
using k8s.Models;
using Kindling.Spark;

namespace Kindling.Tests.Spark;

/// <summary>
/// Issue 9 §3: every conf Spark applies to the driver pod lands where Spark's feature steps put it, for Spark 3.5
/// and 4.x. Each case is pinned by a golden file of the driver pod (and the shipped executor pod template).
/// </summary>
public sealed class DriverPodConfTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var version in new[] { "3.5.5", "4.0.1" })
        foreach (var name in ConfCases.Keys)
            data.Add(name, version);
        return data;
    }

    private static readonly Dictionary<string, Dictionary<string, string>> ConfCases = new(StringComparer.Ordinal)
    {
        ["node-selectors"] = new()
        {
            ["spark.kubernetes.node.selector.disktype"] = "ssd",
            ["spark.kubernetes.node.selector.zone"] = "eu-west-1b",
            ["spark.kubernetes.driver.node.selector.zone"] = "eu-west-1a",
        },
        ["pull-secrets"] = new() { ["spark.kubernetes.container.image.pullSecrets"] = "regcred, mirror-cred ," },
        ["annotations-labels"] = new()
        {
            ["spark.kubernetes.driver.annotation.example.com/app"] = "{{APP_ID}}",
            ["spark.kubernetes.driver.label.team"] = "data",
        },
        ["volumes"] = new()
        {
            ["spark.kubernetes.driver.volumes.hostPath.host-data.mount.path"] = "/data/host",
            ["spark.kubernetes.driver.volumes.hostPath.host-data.options.path"] = "/mnt/data",
            ["spark.kubernetes.driver.volumes.hostPath.host-data.options.type"] = "Directory",
            ["spark.kubernetes.driver.volumes.emptyDir.scratch.mount.path"] = "/scratch",
            ["spark.kubernetes.driver.volumes.emptyDir.scratch.options.medium"] = "Memory",
            ["spark.kubernetes.driver.volumes.emptyDir.scratch.options.sizeLimit"] = "1Gi",
            ["spark.kubernetes.driver.volumes.persistentVolumeClaim.results.mount.path"] = "/results",
            ["spark.kubernetes.driver.volumes.persistentVolumeClaim.results.mount.readOnly"] = "true",
            ["spark.kubernetes.driver.volumes.persistentVolumeClaim.results.mount.subPath"] = "daily",
            ["spark.kubernetes.driver.volumes.persistentVolumeClaim.results.options.claimName"] = "results-claim",
            ["spark.kubernetes.driver.volumes.nfs.shared.mount.path"] = "/shared",
            ["spark.kubernetes.driver.volumes.nfs.shared.options.path"] = "/exports/shared",
            ["spark.kubernetes.driver.volumes.nfs.shared.options.server"] = "nfs.example.com",
        },
        ["secrets"] = new()
        {
            ["spark.kubernetes.driver.secrets.db-credentials"] = "/etc/secrets/db",
            ["spark.kubernetes.driver.secretKeyRef.DB_PASSWORD"] = "db-credentials:password",
        },
        ["tmpfs"] = new() { ["spark.kubernetes.local.dirs.tmpfs"] = "true" },
        ["cores"] = new()
        {
            ["spark.kubernetes.driver.request.cores"] = "500m",
            ["spark.kubernetes.driver.limit.cores"] = "2",
        },
        ["memory-overhead"] = new() { ["spark.driver.memory"] = "2g", ["spark.driver.memoryOverhead"] = "1g" },
        ["min-memory-overhead"] = new() { ["spark.driver.memory"] = "1g", ["spark.driver.minMemoryOverhead"] = "1g" },
        ["pod-template"] = new()
        {
            ["spark.kubernetes.driver.podTemplateFile"] = "driver-template.yaml",
            ["spark.kubernetes.driver.podTemplateContainerName"] = "main",
            ["spark.kubernetes.executor.podTemplateFile"] = "executor-template.yaml",
        },
    };

    public const string DriverTemplate = """
        apiVersion: v1
        kind: Pod
        metadata:
          labels:
            cost-center: analytics
          annotations:
            example.com/owner: data-team
        spec:
          priorityClassName: batch
          tolerations:
          - key: dedicated
            operator: Equal
            value: spark
            effect: NoSchedule
          nodeSelector:
            pool: drivers
          containers:
          - name: log-shipper
            image: fluent/fluent-bit:3.1
          - name: main
            env:
            - name: FROM_TEMPLATE
              value: "yes"
            resources:
              limits:
                ephemeral-storage: 2Gi
            securityContext:
              readOnlyRootFilesystem: true
        """;

    public const string ExecutorTemplate = """
        apiVersion: v1
        kind: Pod
        spec:
          tolerations:
          - key: spot
            operator: Exists
            effect: NoSchedule
        """;

    internal static SparkSubmission Submit(Dictionary<string, string> conf, string version = "3.5.5", SparkPodTemplates? templates = null)
    {
        var spec = new SparkApplicationSpec
        {
            Resource = "s3a://jobs/etl.jar",
            MainClass = "com.example.Etl",
            Name = "etl",
            Conf = conf,
        };
        var target = SparkFixtures.Target with { SparkVersion = version };
        return SparkSubmission.Build(new SparkSubmissionInputs(spec, target, SparkFixtures.Ids().Next(), SparkAppSources.AsGiven(spec))
        {
            Templates = templates ?? SparkPodTemplates.None,
        });
    }

    private static SparkPodTemplates TemplatesFor(Dictionary<string, string> conf) => new(
        conf.ContainsKey(SparkConfKeys.DriverPodTemplateFile) ? SparkPodTemplate.Parse(DriverTemplate, "--conf x", "driver-template.yaml") : null,
        conf.ContainsKey(SparkConfKeys.ExecutorPodTemplateFile) ? SparkPodTemplate.Parse(ExecutorTemplate, "--conf x", "executor-template.yaml") : null);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Driver_pod_matches_golden(string name, string version)
    {
        var conf = ConfCases[name];
        var submission = Submit(conf, version, TemplatesFor(conf));

        var yaml = Kindling.Resources.KubeYaml.Serialize(submission.DriverPod).TrimEnd('\n') + "\n---\n" + Kindling.Resources.KubeYaml.Serialize(submission.ExecutorTemplateConfigMap!);
        Golden.Match($"spark/driver-conf/{name}-{version[..3]}.yaml", yaml);
    }

    private static V1Container Spark(SparkSubmission s) => s.DriverPod.Spec.Containers.Single(c => c.Args?.FirstOrDefault() == "driver");

    [Theory]
    [InlineData("3.5.5")]
    [InlineData("4.0.1")]
    public void Node_selectors_merge_with_the_driver_specific_one_winning(string version)
    {
        var pod = Submit(ConfCases["node-selectors"], version).DriverPod;
        pod.Spec.NodeSelector.Should().Equal(new Dictionary<string, string> { ["disktype"] = "ssd", ["zone"] = "eu-west-1a" });
    }

    [Fact]
    public void Pull_secrets_are_split_trimmed_and_empty_names_dropped()
    {
        Submit(ConfCases["pull-secrets"]).DriverPod.Spec.ImagePullSecrets.Select(s => s.Name).Should().Equal("regcred", "mirror-cred");
    }

    [Fact]
    public void Annotations_get_the_app_id_substituted_and_labels_reach_the_pod_and_the_service_selector()
    {
        var submission = Submit(ConfCases["annotations-labels"]);
        submission.DriverPod.Metadata.Annotations["example.com/app"].Should().Be(submission.Names.AppId);
        submission.DriverPod.Metadata.Labels["team"].Should().Be("data");
        submission.DriverService.Spec.Selector["team"].Should().Be("data");
    }

    [Theory]
    [InlineData("3.5.5", null)]
    [InlineData("4.0.1", "Directory")]
    public void Volumes_of_every_type_are_mounted_as_spark_mounts_them(string version, string? hostPathType)
    {
        var submission = Submit(ConfCases["volumes"], version);
        var volumes = submission.DriverPod.Spec.Volumes.ToDictionary(v => v.Name);
        volumes["host-data"].HostPath.Path.Should().Be("/mnt/data");
        volumes["host-data"].HostPath.Type.Should().Be(hostPathType);
        volumes["scratch"].EmptyDir.Medium.Should().Be("Memory");
        volumes["scratch"].EmptyDir.SizeLimit.ToString().Should().Be("1Gi");
        volumes["results"].PersistentVolumeClaim.ClaimName.Should().Be("results-claim");
        volumes["results"].PersistentVolumeClaim.ReadOnlyProperty.Should().BeTrue();
        volumes["shared"].Nfs.Server.Should().Be("nfs.example.com");
        volumes["shared"].Nfs.Path.Should().Be("/exports/shared");
        var mounts = Spark(submission).VolumeMounts.ToDictionary(m => m.Name);
        mounts["host-data"].MountPath.Should().Be("/data/host");
        mounts["scratch"].MountPath.Should().Be("/scratch");
        mounts["results"].Should().BeEquivalentTo(new { MountPath = "/results", ReadOnlyProperty = true, SubPath = "daily" });
        mounts["shared"].MountPath.Should().Be("/shared");
    }

    [Fact]
    public void Secrets_are_mounted_as_name_volume_and_secret_key_refs_become_env()
    {
        var submission = Submit(ConfCases["secrets"]);
        submission.DriverPod.Spec.Volumes.Should().ContainSingle(v => v.Name == "db-credentials-volume" && v.Secret.SecretName == "db-credentials");
        Spark(submission).VolumeMounts.Should().ContainSingle(m => m.Name == "db-credentials-volume" && m.MountPath == "/etc/secrets/db");
        var env = Spark(submission).Env.Single(e => e.Name == "DB_PASSWORD");
        env.ValueFrom.SecretKeyRef.Should().BeEquivalentTo(new { Name = "db-credentials", Key = "password" });
    }

    [Fact]
    public void Tmpfs_makes_the_local_dirs_memory_backed()
    {
        var volume = Submit(ConfCases["tmpfs"]).DriverPod.Spec.Volumes.Single(v => v.Name == "spark-local-dir-1");
        volume.EmptyDir.Medium.Should().Be("Memory");
        Submit([]).DriverPod.Spec.Volumes.Single(v => v.Name == "spark-local-dir-1").EmptyDir.Medium.Should().BeNull();
    }

    [Fact]
    public void Request_and_limit_cores_set_the_cpu_request_and_limit()
    {
        var resources = Spark(Submit(ConfCases["cores"])).Resources;
        resources.Requests["cpu"].ToString().Should().Be("500m");
        resources.Limits["cpu"].ToString().Should().Be("2");
    }

    [Fact]
    public void Memory_overhead_is_added_to_the_heap()
    {
        var resources = Spark(Submit(ConfCases["memory-overhead"])).Resources;
        resources.Requests["memory"].ToString().Should().Be("3Gi");
        resources.Limits["memory"].ToString().Should().Be("3Gi");
    }

    [Theory]
    [InlineData("3.5.5", "1408Mi")] // 1024 + the fixed 384 floor: Spark 3.5 has no spark.driver.minMemoryOverhead
    [InlineData("4.0.1", "2Gi")]    // 1024 + max(102, 1024)
    public void Min_memory_overhead_is_honoured_from_spark_4(string version, string memory)
    {
        Spark(Submit(ConfCases["min-memory-overhead"], version)).Resources.Limits["memory"].ToString().Should().Be(memory);
    }

    [Fact]
    public void Pod_template_is_merged_as_spark_merges_it()
    {
        var conf = ConfCases["pod-template"];
        var submission = Submit(conf, templates: TemplatesFor(conf));
        var pod = submission.DriverPod;

        // selectSparkContainer took "main"; the other container stays, before the Spark container (Client.scala appends it).
        pod.Spec.Containers.Select(c => c.Name).Should().Equal("log-shipper", "main");
        var main = pod.Spec.Containers[1];
        main.Env.Select(e => e.Name).Should().StartWith(["FROM_TEMPLATE", "SPARK_USER"]);
        main.Resources.Limits.Keys.Should().Contain(["ephemeral-storage", "memory"]);
        main.SecurityContext.ReadOnlyRootFilesystem.Should().BeTrue();
        main.SecurityContext.AllowPrivilegeEscalation.Should().BeFalse();
        pod.Spec.Tolerations.Should().ContainSingle(t => t.Key == "dedicated" && t.Effect == "NoSchedule");
        pod.Spec.PriorityClassName.Should().Be("batch");
        pod.Spec.NodeSelector["pool"].Should().Be("drivers");
        pod.Metadata.Labels["cost-center"].Should().Be("analytics");
        pod.Metadata.Labels[SparkConventions.RoleLabel].Should().Be(SparkConventions.DriverRole);
        pod.Metadata.Annotations["example.com/owner"].Should().Be("data-team");
        pod.Spec.RestartPolicy.Should().Be("Never");
        submission.DriverService.Spec.Selector.Should().NotContainKey("cost-center");

        // PodTemplateConfigMapStep: the user's executor template, shipped and pointed at.
        submission.Conf[SparkConfKeys.ExecutorPodTemplateFile].Should().Be("/opt/spark/pod-template/pod-spec-template.yml");
        var shipped = Kindling.Resources.KubeYaml.Deserialize<V1Pod>(submission.ExecutorTemplateConfigMap!.Data["podspec-configmap-key"]);
        shipped.Spec.Tolerations.Should().ContainSingle(t => t.Key == "spot");
        shipped.Spec.SecurityContext.RunAsNonRoot.Should().BeTrue();
        pod.Spec.Volumes.Should().ContainSingle(v => v.Name == "pod-template-volume" && v.ConfigMap.Name == submission.ExecutorTemplateConfigMap.Metadata.Name);
        main.VolumeMounts.Should().ContainSingle(m => m.Name == "pod-template-volume" && m.MountPath == "/opt/spark/pod-template");
    }

    [Fact]
    public void Without_a_user_template_executors_get_kindlings_restricted_template()
    {
        var submission = Submit([]);
        submission.Conf[SparkConfKeys.ExecutorPodTemplateFile].Should().Be("/opt/spark/pod-template/pod-spec-template.yml");
        submission.Conf[SparkConfKeys.ExecutorPodTemplateContainerName].Should().Be(SparkConventions.ExecutorContainerName);
        submission.ExecutorTemplateConfigMap!.Data["podspec-configmap-key"].Should().Be(ExecutorPodTemplate.Yaml());
        submission.ExecutorTemplateConfigMap.Immutable.Should().BeTrue();
        submission.OwnedObjects().Should().Contain(submission.ExecutorTemplateConfigMap);
    }

    [Theory]
    [InlineData("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n", "is a Deployment, not a Pod")]
    [InlineData("spec:\n  containers: []\n", "without a kind, not a Pod")]
    [InlineData("kind: Pod\nspec: [\n", "is not valid YAML")]
    [InlineData("- kind: Pod\n", "not a mapping")]
    public void A_template_that_is_not_a_pod_is_a_located_error(string yaml, string message)
    {
        var act = () => SparkPodTemplate.Parse(yaml, "--conf spark.kubernetes.driver.podTemplateFile", "t.yaml");
        act.Should().Throw<InvalidInputException>().Which.Errors.Should().ContainSingle(e =>
            e.Path == "--conf spark.kubernetes.driver.podTemplateFile" && e.Message.Contains(message));
    }

    [Fact]
    public void Bad_volume_and_secret_conf_is_reported_all_at_once()
    {
        var act = () => Submit(new Dictionary<string, string>
        {
            ["spark.kubernetes.driver.volumes.hostPath.a.mount.path"] = "/x",
            ["spark.kubernetes.driver.volumes.emptyDir.b.mount.path"] = "/x",
            ["spark.kubernetes.driver.volumes.emptyDir.b.options.sizeLimit"] = "500",
            ["spark.kubernetes.driver.volumes.gcePersistentDisk.c.mount.path"] = "/c",
            ["spark.kubernetes.driver.secretKeyRef.TOKEN"] = "just-a-name",
        });

        var errors = act.Should().Throw<InvalidInputException>().Which.Errors;
        errors.Select(e => e.Path).Should().Contain([
            "--conf spark.kubernetes.driver.volumes.hostPath.a.options.path",
            "--conf spark.kubernetes.driver.volumes.emptyDir.b.options.sizeLimit",
            "--conf spark.kubernetes.driver.volumes.gcePersistentDisk.c",
            "--conf spark.kubernetes.driver.secretKeyRef.TOKEN",
            "--conf spark.kubernetes.driver.volumes.*.mount.path",
        ]);
    }
}
