using k8s.Models;
using Kindling.Cluster;
using Kindling.Operations.Spark;
using Kindling.Spark;
using Kindling.Testing.FakeKube;

namespace Kindling.Tests.Spark;

/// <summary>
/// §6 of issue 9: a submission whose answers get lost neither creates a second application nor leaves a driver
/// without its ConfigMap; one that is cut off for good is reported by apps and found by apps --orphans.
/// </summary>
public sealed class SparkSubmitFaultTests
{
    private const string Ns = FakeSparkCluster.Ns;

    private static (KubeConnection Connection, SparkApplications Apps) Client(FakeSparkCluster cluster, TimeProvider? time = null)
    {
        var connection = KubeConnection.Open(new KubeConnectionOptions
        {
            KubeconfigPath = cluster.Kubeconfig,
            HomeDirectory = cluster.Dir.Path,
            Retry = new KubeRetrySettings(BaseDelay: TimeSpan.FromMilliseconds(10), MaxDelay: TimeSpan.FromMilliseconds(50)),
        });
        var options = new SparkApplicationsOptions
        {
            Namespace = Ns,
            Target = new SparkSubmitTarget { Namespace = Ns, Image = "kindling/spark:test", ServiceAccount = "kindling-spark", SparkVersion = "3.5.5" },
            ResolvePath = p => Path.GetFullPath(p, cluster.Dir.Path),
            Time = time ?? TimeProvider.System,
        };
        return (connection, new SparkApplications(connection, options));
    }

    private static void AssertOneCompleteApplication(FakeSparkCluster cluster, SparkSubmitResult result)
    {
        var drivers = cluster.Kube.Objects.List<V1Pod>(Ns, $"{SparkConventions.RoleLabel}=driver");
        drivers.Should().ContainSingle("a lost answer must not create a second application");
        var driver = drivers.Single();
        driver.Metadata.Uid.Should().Be(result.DriverPodUid);
        var maps = cluster.Kube.Objects.List<V1ConfigMap>(Ns, $"{SparkConventions.AppIdLabel}={result.AppId}");
        maps.Select(m => m.Metadata.Name).Should().Contain(result.Submission.Names.ConfConfigMap);
        cluster.Kube.Objects.List<V1Service>(Ns, $"{SparkConventions.AppIdLabel}={result.AppId}").Should().ContainSingle();
        maps.Should().OnlyContain(m => m.Metadata.OwnerReferences.Single().Uid == driver.Metadata.Uid);
    }

    [Theory]
    [InlineData(LostResponse.ServerError)]
    [InlineData(LostResponse.DropConnection)]
    public async Task A_lost_answer_to_the_pod_create_is_recognised_by_the_app_selector_and_the_submission_finishes(LostResponse how)
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        var (connection, apps) = Client(cluster);
        using var _ = connection;
        cluster.Kube.Faults.LoseResponseNext(1, FaultInjector.Where("create", "pods"), how);

        var result = await apps.SubmitAsync(new SparkApplicationSpec { Resource = "local:///opt/app.py" }, CancellationToken.None);

        AssertOneCompleteApplication(cluster, result);
        cluster.Kube.Requests.All.Where(r => r is { Verb: "create", Resource: "pods" }).Should().HaveCount(2, "the create was repeated and met the first one's pod");
    }

    [Theory]
    [InlineData(LostResponse.ServerError)]
    [InlineData(LostResponse.DropConnection)]
    public async Task A_lost_answer_between_the_pod_and_its_config_map_leaves_no_driver_without_it(LostResponse how)
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        var (connection, apps) = Client(cluster);
        using var _ = connection;
        cluster.Kube.Faults.LoseResponseNext(1, FaultInjector.Where("create", "configmaps"), how);

        var result = await apps.SubmitAsync(new SparkApplicationSpec { Resource = "local:///opt/app.py" }, CancellationToken.None);

        AssertOneCompleteApplication(cluster, result);
    }

    [Fact]
    public async Task A_pod_of_another_application_with_the_same_name_is_not_taken_over()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        var (connection, apps) = Client(cluster);
        using var _ = connection;
        var spec = new SparkApplicationSpec { Resource = "local:///opt/app.py", Conf = new Dictionary<string, string> { [SparkConfKeys.DriverPodName] = "nightly" } };
        var first = await apps.SubmitAsync(spec, CancellationToken.None);

        var second = async () => await apps.SubmitAsync(spec, CancellationToken.None);

        (await second.Should().ThrowAsync<KindlingException>()).Which.Message.Should().Contain($"belongs to application {first.AppId}");
        cluster.Kube.Objects.List<V1Pod>(Ns, $"{SparkConventions.RoleLabel}=driver").Should().ContainSingle();
        cluster.Kube.Objects.List<V1ConfigMap>(Ns, SparkConventions.AppIdLabel)
            .Should().OnlyContain(m => m.Metadata.Labels[SparkConventions.AppIdLabel] == first.AppId);
    }

    [Fact]
    public async Task A_driver_whose_config_map_never_appeared_is_failed_in_apps_after_the_grace_and_an_orphan()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        var (connection, apps) = Client(cluster);
        using var _ = connection;
        // The ConfigMap can never be created and the clean-up delete fails too: the cut-off that leaves a driver behind.
        cluster.Kube.Faults.FailNext(1000, 503, FaultInjector.Where("create", "configmaps"));
        cluster.Kube.Faults.FailNext(1000, 503, FaultInjector.Where("delete", "pods"));

        var submit = async () => await apps.SubmitAsync(new SparkApplicationSpec { Resource = "local:///opt/app.py", Name = "cut" }, CancellationToken.None);
        await submit.Should().ThrowAsync<KindlingException>();
        cluster.Kube.Faults.Reset();
        var driver = cluster.Kube.Objects.List<V1Pod>(Ns, $"{SparkConventions.RoleLabel}=driver").Single();
        var appId = SparkApplicationStates.AppIdOf(driver)!;

        (await apps.GetAsync(appId, CancellationToken.None))!.State.Should().NotBe(SparkApplicationState.Failed, "within the grace period the ConfigMap may still come");
        (await apps.ListOrphansAsync(CancellationToken.None)).Should().BeEmpty();

        var later = new SparkFixtures.FixedTime(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(3));
        var (laterConnection, laterApps) = Client(cluster, later);
        using var __ = laterConnection;
        var app = await laterApps.GetAsync(appId, CancellationToken.None);
        app!.State.Should().Be(SparkApplicationState.Failed);
        app.Reason.Should().Be(SparkIncompleteSubmissions.Reason);
        app.Message.Should().Contain(SparkIncompleteSubmissions.ConfConfigMapOf(driver)!);
        var orphans = await laterApps.ListOrphansAsync(CancellationToken.None);
        orphans.Should().ContainSingle().Which.Should().Be(new OrphanExecutor(driver.Metadata.Name, appId, SparkIncompleteSubmissions.ConfConfigMapOf(driver), OrphanReason.ConfigMapMissing));

        await laterApps.DeleteOrphansAsync(CancellationToken.None);
        cluster.Kube.Objects.List<V1Pod>(Ns, $"{SparkConventions.RoleLabel}=driver").Should().BeEmpty();
    }
}
