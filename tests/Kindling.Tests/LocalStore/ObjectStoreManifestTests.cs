using System.Text;
using System.Text.Json;
using k8s.Models;
using Kindling.Configuration;
using Kindling.Resources;
using Kindling.Spark;
using Kindling.Spark.Notebook;
using Kindling.Tests.Resources;

namespace Kindling.Tests.LocalStore;

/// <summary>The in-cluster object store's objects and how every Spark pod is wired to it.</summary>
public sealed class ObjectStoreManifestTests
{
    private static readonly ObjectStoreCredentials Credentials = new("KLTESTACCESSKEY00001", "golden-store-secret-0123456789abcdef0123");

    private static ManifestInputs On(string sparkVersion = "3.5.5") => ManifestFixtures.LocalStore(sparkVersion) with { StoreCredentials = Credentials };

    private static IReadOnlyList<Manifest> Build(ManifestInputs inputs) => EnvironmentManifests.Build(inputs);

    private static T Single<T>(IReadOnlyList<Manifest> manifests, string name) where T : class, k8s.IKubernetesObject<V1ObjectMeta> =>
        manifests.Select(m => m.Object).OfType<T>().Single(o => o.Metadata.Name == name);

    [Fact]
    public void Nothing_of_the_store_is_rendered_when_it_is_off()
    {
        var manifests = Build(ManifestFixtures.Default());

        manifests.Should().NotContain(m => m.Object.Metadata.Name == "kindling-s3");
        ManifestWriter.Render(manifests).Should().NotContain(f => f.Content.Contains("seaweedfs") || f.Content.Contains("fs.s3a.endpoint"));
    }

    [Fact]
    public void The_store_is_a_secret_a_claim_a_service_a_policy_and_a_deployment_in_apply_phases()
    {
        var store = Build(On()).Where(m => m.Object.Metadata.Name == "kindling-s3").Select(m => (m.Object.Kind, m.Phase, m.CreateOnly)).ToList();

        store.Should().BeEquivalentTo(new[]
        {
            ("Secret", ApplyPhase.Foundation, true),
            ("PersistentVolumeClaim", ApplyPhase.Foundation, false),
            ("Service", ApplyPhase.Network, false),
            ("NetworkPolicy", ApplyPhase.Network, false),
            ("Deployment", ApplyPhase.Workload, false),
        });
    }

    [Fact]
    public void The_credentials_are_only_in_the_secret_and_render_writes_none()
    {
        var manifests = Build(On());
        var secret = Single<V1Secret>(manifests, "kindling-s3");
        Encoding.UTF8.GetString(secret.Data["AWS_SECRET_ACCESS_KEY"]).Should().Be(Credentials.SecretAccessKey);
        Encoding.UTF8.GetString(secret.Data["AWS_ACCESS_KEY_ID"]).Should().Be(Credentials.AccessKeyId);
        var others = ManifestWriter.Render(manifests.Where(m => m.Object is not V1Secret).ToList());
        others.Should().NotContain(f => f.Content.Contains(Credentials.SecretAccessKey) || f.Content.Contains(Credentials.AccessKeyId));

        var rendered = Build(On() with { StoreCredentials = null });
        Single<V1Secret>(rendered, "kindling-s3").Data.Should().BeNull();
        rendered.Single(m => m.Object is V1Secret { Metadata.Name: "kindling-s3" }).Comment.Should().Contain("kubectl -n kindling create secret generic kindling-s3");
    }

    [Fact]
    public void The_store_pod_meets_pod_security_restricted()
    {
        var deployment = Single<V1Deployment>(Build(On()), "kindling-s3");
        var pod = deployment.Spec.Template.Spec;
        var container = pod.Containers.Single();

        deployment.Spec.Strategy.Type.Should().Be("Recreate", "one ReadWriteOnce volume, one writer");
        pod.SecurityContext.RunAsNonRoot.Should().BeTrue();
        pod.SecurityContext.RunAsUser.Should().Be(1000);
        pod.SecurityContext.FsGroup.Should().Be(1000);
        pod.SecurityContext.SeccompProfile.Type.Should().Be("RuntimeDefault");
        pod.AutomountServiceAccountToken.Should().BeFalse();
        container.SecurityContext.AllowPrivilegeEscalation.Should().BeFalse();
        container.SecurityContext.Capabilities.Drop.Should().Equal("ALL");
        container.SecurityContext.ReadOnlyRootFilesystem.Should().BeTrue();
        container.VolumeMounts.Select(v => v.MountPath).Should().BeEquivalentTo("/data", "/tmp");
        pod.Volumes.Single(v => v.Name == "data").PersistentVolumeClaim.ClaimName.Should().Be("kindling-s3");
        container.Image.Should().Be(StorageSpec.DefaultImage);
        container.Args.Should().StartWith(["mini", "-dir=/data"]).And.Contain("-master.telemetry=false");
        container.Ports.Single().ContainerPort.Should().Be(8333);
        container.ReadinessProbe.HttpGet.Path.Should().Be("/healthz");
        container.Env.Select(e => (e.Name, e.ValueFrom.SecretKeyRef.Name, e.ValueFrom.SecretKeyRef.Key)).Should().Equal(
            ("AWS_ACCESS_KEY_ID", "kindling-s3", "AWS_ACCESS_KEY_ID"),
            ("AWS_SECRET_ACCESS_KEY", "kindling-s3", "AWS_SECRET_ACCESS_KEY"));
        container.Lifecycle.PostStart.Exec.Command[2].Should().Contain("'kindling/spark-events/kindling/'").And.Contain("'kindling/spark-driver-logs/kindling/'");
    }

    [Fact]
    public void The_claim_uses_the_cluster_default_class_unless_one_is_named()
    {
        Single<V1PersistentVolumeClaim>(Build(On()), "kindling-s3").Spec.StorageClassName.Should().BeNull();
        var named = On() with { Spec = On().Spec with { Storage = On().Spec.Storage with { StorageClass = "local-path", Size = "7Gi" } } };
        var claim = Single<V1PersistentVolumeClaim>(Build(named), "kindling-s3");
        claim.Spec.StorageClassName.Should().Be("local-path");
        claim.Spec.Resources.Requests["storage"].ToString().Should().Be("7Gi");
    }

    [Fact]
    public void Only_the_notebook_spark_pods_and_the_history_server_may_reach_the_store()
    {
        var policy = Single<V1NetworkPolicy>(Build(On()), "kindling-s3");

        policy.Spec.PodSelector.MatchLabels.Should().Contain("app.kubernetes.io/name", "seaweedfs");
        policy.Spec.PolicyTypes.Should().Equal("Ingress");
        var rule = policy.Spec.Ingress.Single();
        rule.Ports.Single().Port.Value.Should().Be("8333");
        rule.FromProperty.Should().OnlyContain(p => p.NamespaceSelector == null && p.IpBlock == null);
        rule.FromProperty[0].PodSelector.MatchLabels.Should().BeEquivalentTo(StandardLabels.NotebookSelector("kindling"));
        rule.FromProperty[1].PodSelector.MatchExpressions.Single().Values.Should().BeEquivalentTo("driver", "executor");
        rule.FromProperty[2].PodSelector.MatchLabels.Should().BeEquivalentTo(HistoryServerNames.Selector("kindling"));
    }

    [Fact]
    public void The_notebook_reads_the_credentials_from_the_secret_and_gives_executors_the_same_references()
    {
        var notebook = Single<V1Deployment>(Build(On()), "kindling-jupyter").Spec.Template.Spec.Containers.Single();
        notebook.Env.Where(e => e.Name.StartsWith("AWS_", StringComparison.Ordinal))
            .Select(e => (e.Name, PlainValue: e.Value is not null, Secret: e.ValueFrom?.SecretKeyRef?.Name ?? "")).Should().Equal(
                ("AWS_ACCESS_KEY_ID", false, "kindling-s3"),
                ("AWS_SECRET_ACCESS_KEY", false, "kindling-s3"));

        var extra = JsonSerializer.Deserialize<Dictionary<string, string>>(notebook.Env.Single(e => e.Name == NotebookEnvironment.ExtraConf).Value)!;
        extra.Should().Contain(new Dictionary<string, string>
        {
            ["spark.hadoop.fs.s3a.endpoint"] = "http://kindling-s3.kindling.svc:8333",
            ["spark.hadoop.fs.s3a.path.style.access"] = "true",
            ["spark.hadoop.fs.s3a.connection.ssl.enabled"] = "false",
            ["spark.hadoop.fs.s3a.endpoint.region"] = "us-east-1",
            ["spark.hadoop.fs.s3a.aws.credentials.provider"] = "com.amazonaws.auth.EnvironmentVariableCredentialsProvider",
            ["spark.kubernetes.executor.secretKeyRef.AWS_ACCESS_KEY_ID"] = "kindling-s3:AWS_ACCESS_KEY_ID",
            ["spark.kubernetes.executor.secretKeyRef.AWS_SECRET_ACCESS_KEY"] = "kindling-s3:AWS_SECRET_ACCESS_KEY",
            ["spark.eventLog.dir"] = "s3a://kindling/spark-events/kindling",
        });
    }

    [Fact]
    public void Spark_4_images_get_the_sdk_v2_environment_provider()
    {
        LocalObjectStoreConf.S3a(ManifestFixtures.LocalStore("4.0.1").Spec)[S3aCredentials.ProviderKey]
            .Should().Be("software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider");
        LocalObjectStoreConf.S3a(ManifestFixtures.LocalStore("4.1.2").Spec)[S3aCredentials.ProviderKey]
            .Should().Be("software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider");
    }

    [Fact]
    public void Submitted_drivers_and_their_executors_get_the_store_and_spark_conf_wins()
    {
        var spec = On().Spec;
        var target = SparkSubmitTarget.For(spec, "spark:test", "me");
        target.BaseConf.Should().Contain("spark.kubernetes.driver.secretKeyRef.AWS_SECRET_ACCESS_KEY", "kindling-s3:AWS_SECRET_ACCESS_KEY")
            .And.Contain("spark.kubernetes.executor.secretKeyRef.AWS_ACCESS_KEY_ID", "kindling-s3:AWS_ACCESS_KEY_ID")
            .And.Contain("spark.hadoop.fs.s3a.endpoint", "http://kindling-s3.kindling.svc:8333");

        var overridden = spec with { Spark = spec.Spark with { Conf = new Dictionary<string, string> { ["spark.hadoop.fs.s3a.endpoint"] = "http://elsewhere:9000" } } };
        SparkSubmitTarget.For(overridden, "spark:test", "me").BaseConf["spark.hadoop.fs.s3a.endpoint"].Should().Be("http://elsewhere:9000");
    }

    [Fact]
    public void The_history_server_reads_the_store_and_waits_for_it()
    {
        var manifests = Build(On());
        var conf = Single<V1ConfigMap>(manifests, "kindling-history").Data[SparkHistoryServer.ConfFileName];
        conf.Should().Contain("spark.hadoop.fs.s3a.endpoint=http\\://kindling-s3.kindling.svc\\:8333").And.Contain("spark.history.fs.logDirectory=s3a\\://kindling/spark-events/kindling");

        var pod = Single<V1Deployment>(manifests, "kindling-history").Spec.Template.Spec;
        pod.InitContainers.Single().Command[2].Should().Contain("http://kindling-s3.kindling.svc:8333/healthz");
        pod.InitContainers.Single().SecurityContext.Capabilities.Drop.Should().Equal("ALL");
        pod.Containers.Single().Env.Should().Contain(e => e.Name == "AWS_SECRET_ACCESS_KEY" && e.ValueFrom.SecretKeyRef.Name == "kindling-s3");
    }

    [Fact]
    public void The_hook_creates_every_bucket_the_environment_names_in_the_store()
    {
        var spec = On().Spec with { Spark = On().Spec.Spark with { FileUploadPath = "s3a://uploads/kindling" } };

        ObjectStoreDirectories.Buckets(spec).Should().Equal("kindling", "uploads");
        ObjectStoreDirectories.Markers(spec).Should().Equal("kindling/spark-events/kindling/", "kindling/spark-driver-logs/kindling/");
    }
}
