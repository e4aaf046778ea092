using System.Text;
using k8s;
using k8s.Models;
using Kindling.Resources;
using Kindling.Spark;
using Kindling.Spark.Notebook;

namespace Kindling.Tests.Resources;

public sealed class ManifestBehaviourTests
{
    private static readonly IReadOnlyList<Manifest> Manifests = EnvironmentManifests.Build(ManifestFixtures.Default());

    private static T Single<T>(IReadOnlyList<Manifest>? manifests = null) =>
        (manifests ?? Manifests).Select(m => m.Object).OfType<T>().Should().ContainSingle().Subject;

    [Fact]
    public void Role_has_exactly_the_core_resources_and_verbs_of_DESIGN_4_and_no_wildcard()
    {
        var role = Single<V1Role>();

        var rule = role.Rules.Should().ContainSingle().Subject;
        rule.ApiGroups.Should().Equal("");
        rule.Resources.Should().BeEquivalentTo("pods", "services", "configmaps", "persistentvolumeclaims", "pods/log");
        rule.Verbs.Should().BeEquivalentTo("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");
        rule.ResourceNames.Should().BeNull();
        rule.NonResourceURLs.Should().BeNull();
        new[] { rule.ApiGroups, rule.Resources, rule.Verbs }.SelectMany(x => x).Should().NotContain(s => s.Contains('*'));
    }

    [Fact]
    public void Nothing_is_cluster_scoped_except_the_namespace()
    {
        Manifests.Select(m => m.Object.Kind).Should().NotContain(["ClusterRole", "ClusterRoleBinding"]);
        Manifests.Where(m => m.Object is not V1Namespace)
            .Should().OnlyContain(m => m.Object.Metadata.NamespaceProperty == "kindling");
    }

    [Fact]
    public void RoleBinding_binds_the_role_to_the_service_account_in_the_namespace()
    {
        var binding = Single<V1RoleBinding>();

        binding.ApiVersion.Should().Be("rbac.authorization.k8s.io/v1");
        binding.RoleRef.Should().BeEquivalentTo(new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = Single<V1Role>().Metadata.Name });
        var subject = binding.Subjects.Should().ContainSingle().Subject;
        (subject.Kind, subject.Name, subject.NamespaceProperty).Should().Be(("ServiceAccount", Single<V1ServiceAccount>().Metadata.Name, "kindling"));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("variant")]
    public void Every_object_carries_the_recommended_labels_and_the_inventory_label(string variant)
    {
        var inputs = ManifestFixtures.ByName(variant);
        foreach (var manifest in EnvironmentManifests.Build(inputs))
        {
            var labels = manifest.Object.Metadata.Labels;
            labels.Should().ContainKeys("app.kubernetes.io/name", "app.kubernetes.io/component");
            labels.Should().Contain(new Dictionary<string, string>
            {
                ["app.kubernetes.io/instance"] = inputs.Spec.Name,
                ["app.kubernetes.io/part-of"] = "kindling",
                ["app.kubernetes.io/managed-by"] = "kindling",
                [KindlingLabels.Inventory] = inputs.Spec.Name,
            }, because: $"{manifest.Object.Kind} {manifest.Object.Metadata.Name} must be findable by up/down");
            labels.Keys.Should().BeInAscendingOrder(StringComparer.Ordinal);
        }
    }

    [Fact]
    public void Apply_order_goes_namespace_then_foundation_then_network_then_workload()
    {
        Manifests.Select(m => m.Phase).Should().BeInAscendingOrder();
        Manifests[0].Object.Should().BeOfType<V1Namespace>();
        Manifests[^1].Object.Should().BeOfType<V1Deployment>();
        Manifests.Should().OnlyContain(m => !string.IsNullOrEmpty(m.Object.ApiVersion) && !string.IsNullOrEmpty(m.Object.Kind));
    }

    [Fact]
    public void Headless_driver_service_selects_only_the_notebook_pod()
    {
        var names = new ResourceNames("kindling");
        var driver = Single<V1Service>(Manifests.Where(m => m.Object.Metadata.Name == names.DriverService).ToList());
        var template = Single<V1Deployment>().Spec.Template;

        driver.Spec.ClusterIP.Should().Be("None");
        driver.Spec.PublishNotReadyAddresses.Should().BeTrue();
        // Slot 0 keeps Spark's names and ports; every further session slot adds its pair and UI port (issue 9 §5).
        driver.Spec.Ports.Take(3).Select(p => (p.Name, p.Port)).Should().Equal(("driver-rpc-port", 7078), ("blockmanager", 7079), ("spark-ui", 4040));
        driver.Spec.Ports.Select(p => p.Port).Should().HaveCount(3 * 8).And.OnlyHaveUniqueItems()
            .And.Contain([7092, 7093, 4047]);
        driver.Spec.Ports.Select(p => p.Name).Should().OnlyHaveUniqueItems().And.OnlyContain(n => n.Length <= 15);
        Selects(driver.Spec.Selector, template.Metadata.Labels).Should().BeTrue();
        Selects(driver.Spec.Selector, ExecutorPodLabels()).Should().BeFalse();
        Selects(driver.Spec.Selector, Single<V1Deployment>().Metadata.Labels).Should().BeTrue(
            "the selector is the Deployment's own selector, which always matches its labels");
        driver.Spec.Selector.Should().Equal(Single<V1Deployment>().Spec.Selector.MatchLabels);
    }

    [Fact]
    public void Jupyter_service_is_cluster_ip_on_the_notebook_port()
    {
        var names = new ResourceNames("kindling");
        var service = Single<V1Service>(Manifests.Where(m => m.Object.Metadata.Name == names.JupyterService).ToList());

        service.Spec.Type.Should().Be("ClusterIP");
        var port = service.Spec.Ports.Should().ContainSingle().Subject;
        port.Port.Should().Be(8888);
        port.TargetPort.Value.Should().Be("jupyter");
        Single<V1Deployment>().Spec.Template.Spec.Containers[0].Ports.Should().Contain(p => p.Name == "jupyter" && p.ContainerPort == 8888);
        Selects(service.Spec.Selector, Single<V1Deployment>().Spec.Template.Metadata.Labels).Should().BeTrue();
    }

    [Fact]
    public void Network_policy_admits_executors_on_the_driver_ports_and_anyone_on_the_jupyter_port_only()
    {
        var defaults = ManifestFixtures.Default();
        var spec = defaults.Spec with
        {
            Notebook = defaults.Spec.Notebook with { Port = 9999 },
            Spark = defaults.Spec.Spark with { DriverPort = 17078, BlockManagerPort = 17079, UiPort = 14040 },
        };
        var manifests = EnvironmentManifests.Build(defaults with { Spec = spec });
        var policy = Single<V1NetworkPolicy>(manifests);
        var podLabels = Single<V1Deployment>(manifests).Spec.Template.Metadata.Labels;

        Selects(policy.Spec.PodSelector.MatchLabels, podLabels).Should().BeTrue();
        Single<V1Deployment>(manifests).Spec.Template.Spec.Containers[0].Env
            .Should().ContainSingle(e => e.Name == "JUPYTER_PORT").Which.Value.Should().Be("9999");
        Selects(policy.Spec.PodSelector.MatchLabels, ExecutorPodLabels()).Should().BeFalse();
        policy.Spec.PolicyTypes.Should().Equal("Ingress");
        policy.Spec.Ingress.Should().HaveCount(2);

        var fromExecutors = policy.Spec.Ingress[0];
        var peer = fromExecutors.FromProperty.Should().ContainSingle().Subject;
        peer.PodSelector.MatchLabels.Should().Equal(new Dictionary<string, string> { ["spark-role"] = "executor" });
        peer.NamespaceSelector.Should().BeNull("executors run in the notebook's own namespace");
        peer.IpBlock.Should().BeNull();
        // The 8 sessions' interleaved driver/block manager pairs form one range (endPort).
        fromExecutors.Ports.Select(p => (p.Protocol, p.Port.Value, p.EndPort)).Should().Equal(("TCP", "17078", (int?)17093));

        var jupyter = policy.Spec.Ingress[1];
        jupyter.FromProperty.Should().BeNull();
        jupyter.Ports.Select(p => (p.Protocol, p.Port.Value)).Should().Equal(("TCP", "9999"));

        var allowedPorts = policy.Spec.Ingress.SelectMany(r => r.Ports).Select(p => p.Port.Value);
        allowedPorts.Should().NotContain("14040", "the Spark UI is reached by port-forward only");
    }

    [Fact]
    public void Deployment_runs_as_the_non_root_spark_user_with_no_privileges()
    {
        var deployment = Single<V1Deployment>();
        var pod = deployment.Spec.Template.Spec;
        var container = pod.Containers.Should().ContainSingle().Subject;

        deployment.Spec.Replicas.Should().Be(1);
        deployment.Spec.Strategy.Type.Should().Be("Recreate");
        pod.ServiceAccountName.Should().Be(new ResourceNames("kindling").ServiceAccount);
        pod.EnableServiceLinks.Should().BeFalse();
        pod.SecurityContext.RunAsNonRoot.Should().BeTrue();
        pod.SecurityContext.RunAsUser.Should().Be(185);
        pod.SecurityContext.FsGroup.Should().Be(185);
        pod.SecurityContext.SeccompProfile.Type.Should().Be("RuntimeDefault");
        container.SecurityContext.AllowPrivilegeEscalation.Should().BeFalse();
        container.SecurityContext.Capabilities.Drop.Should().Equal("ALL");
        container.SecurityContext.Capabilities.Add.Should().BeNull();
        container.SecurityContext.Privileged.Should().NotBe(true);
        container.Image.Should().Be(ManifestFixtures.Images.Jupyter);
        container.Resources.Requests["cpu"].ToString().Should().Be("1");
        container.Resources.Limits["memory"].ToString().Should().Be("4Gi");
        deployment.Spec.Template.Metadata.Annotations.Should().Contain("sidecar.istio.io/inject", "false");
    }

    [Fact]
    public void Deployment_has_readiness_and_liveness_probes_on_jupyters_api()
    {
        var container = Single<V1Deployment>().Spec.Template.Spec.Containers[0];

        foreach (var probe in new[] { container.ReadinessProbe, container.LivenessProbe })
        {
            probe.Should().NotBeNull();
            probe.HttpGet.Path.Should().Be("/api");
            probe.HttpGet.Port.Value.Should().Be("jupyter");
        }
    }

    [Fact]
    public void Notebook_volume_is_the_claim_mounted_at_the_work_dir()
    {
        var pod = Single<V1Deployment>().Spec.Template.Spec;
        var volume = pod.Volumes.Should().ContainSingle(v => v.PersistentVolumeClaim != null).Subject;
        volume.PersistentVolumeClaim.ClaimName.Should().Be(Single<V1PersistentVolumeClaim>().Metadata.Name);
        pod.Containers[0].VolumeMounts.Should().ContainSingle(m => m.Name == volume.Name && m.MountPath == "/home/spark/work");
    }

    [Fact]
    public void Token_reaches_the_pod_only_through_a_secret_key_ref()
    {
        var deployment = Single<V1Deployment>();
        var secret = Single<V1Secret>();

        KubeYaml.Serialize(deployment).Should().NotContain(ManifestFixtures.Token);
        var tokenVar = deployment.Spec.Template.Spec.Containers[0].Env.Should().ContainSingle(e => e.Name == "JUPYTER_TOKEN").Subject;
        tokenVar.Value.Should().BeNull();
        tokenVar.ValueFrom.SecretKeyRef.Name.Should().Be(secret.Metadata.Name);
        tokenVar.ValueFrom.SecretKeyRef.Key.Should().Be(ResourceNames.TokenKey);
        Encoding.UTF8.GetString(secret.Data[ResourceNames.TokenKey]).Should().Be(ManifestFixtures.Token);
        Manifests.Where(m => m.Object is not V1Secret)
            .Should().OnlyContain(m => !KubeYaml.Serialize(m.Object).Contains(ManifestFixtures.Token));
    }

    [Fact]
    public void Pod_env_carries_the_client_mode_driver_settings()
    {
        var inputs = ManifestFixtures.Variant();
        var env = Single<V1Deployment>(EnvironmentManifests.Build(inputs)).Spec.Template.Spec.Containers[0].Env;
        string Value(string name) => env.Should().ContainSingle(e => e.Name == name).Subject.Value;
        string Field(string name) => env.Should().ContainSingle(e => e.Name == name).Subject.ValueFrom.FieldRef.FieldPath;

        Value(NotebookEnvironment.Image).Should().Be(ManifestFixtures.Images.Spark);
        Value(NotebookEnvironment.Master).Should().Be(SparkConventions.InClusterMaster);
        Value(NotebookEnvironment.Namespace).Should().Be("data-team");
        Field(NotebookEnvironment.DriverPodName).Should().Be("metadata.name");
        Field(NotebookEnvironment.DriverPodIp).Should().Be("status.podIP");
        Value(NotebookEnvironment.DriverHost).Should().Be("kindling-driver.data-team.svc");
        Value(NotebookEnvironment.DriverPort).Should().Be("7078");
        Value(NotebookEnvironment.BlockManagerPort).Should().Be("7079");
        Value(NotebookEnvironment.UiPort).Should().Be("4040");
        Value(NotebookEnvironment.ServiceAccount).Should().Be("kindling-spark");
        Value(NotebookEnvironment.ExecutorInstances).Should().Be("2");
        Value(NotebookEnvironment.ExecutorCores).Should().Be("1");
        Value(NotebookEnvironment.ExecutorMemory).Should().Be("2g");
        Value(NotebookEnvironment.DynamicAllocationEnabled).Should().Be("true");
        Value(NotebookEnvironment.DynamicAllocationMinExecutors).Should().Be("0");
        Value(NotebookEnvironment.DynamicAllocationMaxExecutors).Should().Be("10");
        Value(NotebookEnvironment.DynamicAllocationIdleTimeout).Should().Be("60s");
        // spark.conf, over the metrics conf every session gets (SparkObservability).
        Value(NotebookEnvironment.ExtraConf).Should().Be(
            """{"spark.eventLog.enabled":"true","spark.hadoop.fs.s3a.aws.credentials.provider":"com.amazonaws.auth.WebIdentityTokenCredentialsProvider","spark.kubernetes.executor.annotation.prometheus.io/scrape":"false","spark.metrics.conf.*.sink.prometheusServlet.class":"org.apache.spark.metrics.sink.PrometheusServlet","spark.metrics.conf.*.sink.prometheusServlet.path":"/metrics/prometheus","spark.sql.shuffle.partitions":"64","spark.ui.prometheus.enabled":"true"}""");
        env.Select(e => e.Name).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Default_env_extra_conf_is_only_the_metrics_conf_without_history()
    {
        var extra = Single<V1Deployment>().Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == NotebookEnvironment.ExtraConf).Value;
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(extra)!.Keys.Should().BeEquivalentTo(
            "spark.ui.prometheus.enabled", "spark.metrics.conf.*.sink.prometheusServlet.class", "spark.metrics.conf.*.sink.prometheusServlet.path",
            "spark.kubernetes.executor.annotation.prometheus.io/scrape");
    }

    [Fact]
    public void Claim_uses_the_storage_class_only_when_given()
    {
        Single<V1PersistentVolumeClaim>().Spec.StorageClassName.Should().BeNull();
        var variant = Single<V1PersistentVolumeClaim>(EnvironmentManifests.Build(ManifestFixtures.Variant()));
        variant.Spec.StorageClassName.Should().Be("gp3");
        variant.Spec.Resources.Requests["storage"].ToString().Should().Be("50Gi");
        variant.Spec.AccessModes.Should().Equal("ReadWriteOnce");
    }

    [Fact]
    public void Rendered_yaml_loads_back_into_the_same_objects()
    {
        var files = ManifestWriter.Render(Manifests);

        foreach (var (file, manifest) in files.Zip(Manifests))
        {
            // Decoded as kubectl decodes a file: one YAML document to JSON, then the model its kind names.
            var documents = new YamlDotNet.RepresentationModel.YamlStream();
            documents.Load(new StringReader(file.Content));
            documents.Documents.Should().ContainSingle();
            var tree = Kindling.Json.YamlJson.Read(file.Content)!;
            ((string?)tree["kind"]).Should().Be(manifest.Object.Kind);
            ((string?)tree["apiVersion"]).Should().Be(manifest.Object.ApiVersion);
            var loaded = System.Text.Json.JsonSerializer.Deserialize(tree, SourceGenerationContext.Default.GetTypeInfo(manifest.Object.GetType())!)!;
            KubeYaml.Serialize(loaded).Should().Be(KubeYaml.Serialize(manifest.Object));
        }
    }

    /// <summary>The labels Spark puts on an executor pod it creates for a notebook session.</summary>
    private static Dictionary<string, string> ExecutorPodLabels() => new()
    {
        ["spark-role"] = "executor",
        ["spark-app-selector"] = "spark-0123456789abcdef0123456789abcdef",
        ["spark-app-name"] = "pyspark-shell",
        ["spark-exec-id"] = "1",
        ["spark-exec-resourceprofile-id"] = "0",
    };

    private static bool Selects(IDictionary<string, string> selector, IDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
