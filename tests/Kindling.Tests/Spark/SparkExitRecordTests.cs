using System.Text.Json;
using k8s.Models;
using Kindling.Spark;

namespace Kindling.Tests.Spark;

/// <summary>
/// The driver's own exit outlives its pod: recorded while the pod exists (by <c>apps</c>, before <c>kill</c>
/// deletes it) in a ConfigMap the notebooks' PVC owns, and shown by <c>apps</c>, <c>apps -o json</c> and
/// <c>logs</c> after the pod is gone.
/// </summary>
public sealed class SparkExitRecordTests
{
    private const string Ns = FakeSparkCluster.Ns;
    private const string Ledger = "kindling-spark-exits";

    private static V1PersistentVolumeClaim Claim(FakeSparkCluster cluster) =>
        cluster.Kube.Objects.Create(new V1PersistentVolumeClaim
        {
            ApiVersion = "v1",
            Kind = "PersistentVolumeClaim",
            Metadata = new V1ObjectMeta { Name = "kindling-notebooks" },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("10Gi") } },
            },
        }, Ns);

    private static async Task<string> SubmitAsync(FakeSparkCluster cluster, string name)
    {
        var submit = await cluster.CliAsync("submit", "--name", name, "local:///opt/app.py");
        submit.ExitCode.Should().Be(0, submit.ToString());
        return SparkApplicationStates.AppIdOf(cluster.Kube.Objects.List<V1Pod>(Ns, $"{SparkConventions.AppNameLabel}={name},{SparkConventions.RoleLabel}=driver").Single())!;
    }

    [Fact]
    public async Task An_OOMKilled_drivers_exit_code_is_listed_after_its_pod_is_deleted()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        var claim = Claim(cluster);
        var appId = await SubmitAsync(cluster, "nightly");
        var driver = cluster.DriverPod(appId).Metadata.Name;
        cluster.Kube.Pods.Schedule(Ns, driver);
        cluster.Kube.Pods.Running(Ns, driver);
        cluster.Kube.Pods.Terminated(Ns, driver, "OOMKilled", 137, message: "java.lang.OutOfMemoryError: Java heap space");

        var seen = await cluster.CliAsync("apps");
        seen.ExitCode.Should().Be(0, seen.ToString());
        var ledger = cluster.Kube.Objects.Get<V1ConfigMap>(Ns, Ledger)!;
        ledger.Metadata.OwnerReferences.Should().ContainSingle(o => o.Kind == "PersistentVolumeClaim" && o.Uid == claim.Metadata.Uid);
        ledger.Metadata.Labels.Should().NotContainKey("kindling.dev/inventory", "up must never prune it, nor a plain down delete it");

        // Someone (kubectl, a cleanup job) deletes the finished driver: the pod's status, the only place Kubernetes kept its exit, goes with it.
        cluster.Kube.Objects.Delete<V1Pod>(Ns, driver);
        var table = await cluster.CliAsync("apps");
        var json = await cluster.CliAsync("apps", "-o", "json");

        table.ExitCode.Should().Be(0, table.ToString());
        table.Stdout.Should().MatchRegex($@"nightly\s+{appId}\s+Failed").And.Contain("OOMKilled (exit 137)").And.Contain("Java heap space");
        json.ExitCode.Should().Be(0, json.ToString());
        var row = JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().Single(e => e.GetProperty("appId").GetString() == appId);
        row.GetProperty("state").GetString().Should().Be("Failed");
        row.GetProperty("exitCode").GetInt32().Should().Be(137);
        row.GetProperty("reason").GetString().Should().Be("OOMKilled");

        // status only reads the record (it changes nothing), and shows it with the environment's other objects.
        var status = await cluster.CliAsync("status");
        status.Stdout.Should().Contain($"{appId} (nightly)  driver Failed, OOMKilled (exit 137); pods deleted");
        var statusJson = await cluster.CliAsync("status", "-o", "json");
        statusJson.Stdout.Should().Contain("\"driverEnded\": \"Failed, OOMKilled (exit 137)\"").And.Contain("\"podsGone\": true");
    }

    [Fact]
    public async Task Kill_records_a_running_driver_as_killed_and_a_finished_one_with_its_own_exit()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        Claim(cluster);
        var running = await SubmitAsync(cluster, "streaming");
        cluster.Kube.Pods.Schedule(Ns, cluster.DriverPod(running).Metadata.Name);
        cluster.Kube.Pods.Running(Ns, cluster.DriverPod(running).Metadata.Name);
        var finished = await SubmitAsync(cluster, "batch");
        cluster.Kube.Pods.Schedule(Ns, cluster.DriverPod(finished).Metadata.Name);
        cluster.Kube.Pods.Failed(Ns, cluster.DriverPod(finished).Metadata.Name, "Error", 3);

        (await cluster.CliAsync("kill", running)).ExitCode.Should().Be(0);
        (await cluster.CliAsync("kill", finished)).ExitCode.Should().Be(0);
        var json = await cluster.CliAsync("apps", "-o", "json");

        json.ExitCode.Should().Be(0, json.ToString());
        var rows = JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("appId").GetString()!);
        rows[running].GetProperty("state").GetString().Should().Be("Failed");
        rows[running].GetProperty("reason").GetString().Should().Be("KilledByKindling");
        (rows[running].TryGetProperty("exitCode", out var none) ? none.ValueKind : JsonValueKind.Null).Should().Be(JsonValueKind.Null);
        rows[finished].GetProperty("reason").GetString().Should().Be("Error");
        rows[finished].GetProperty("exitCode").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task Without_the_notebooks_PVC_nothing_is_recorded_and_apps_still_works()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        var appId = await SubmitAsync(cluster, "early");
        cluster.Kube.Pods.Schedule(Ns, cluster.DriverPod(appId).Metadata.Name);
        cluster.Kube.Pods.Succeeded(Ns, cluster.DriverPod(appId).Metadata.Name);

        var apps = await cluster.CliAsync("apps");

        apps.ExitCode.Should().Be(0, apps.ToString());
        apps.Stdout.Should().Contain("Succeeded");
        cluster.Kube.Objects.Exists<V1ConfigMap>(Ns, Ledger).Should().BeFalse();
    }

    [Fact]
    public void Records_round_trip_skip_garbage_and_evict_the_oldest()
    {
        var at = new DateTimeOffset(2026, 11, 27, 6, 0, 0, TimeSpan.Zero);
        var record = new SparkExitRecord("spark-1", "etl \"q\"", "Failed", "OOMKilled", 137, "tail\nof log", "etl-driver", at.AddMinutes(-5), at);

        var parsed = SparkExitRecords.Parse(new Dictionary<string, string>
        {
            ["spark-1"] = SparkExitRecords.Serialize(record),
            ["spark-2"] = "{not json",
            ["spark-3"] = "{\"name\":\"x\"}",
        });

        parsed.Should().ContainSingle().Which.Value.Should().Be(record);
        var full = Enumerable.Range(0, SparkExitRecords.Limit)
            .ToDictionary(i => $"spark-{i}", i => record with { AppId = $"spark-{i}", RecordedAt = at.AddSeconds(SparkExitRecords.Limit - i) });
        SparkExitRecords.Evictions(full, 2).Should().Equal($"spark-{SparkExitRecords.Limit - 1}", $"spark-{SparkExitRecords.Limit - 2}");
        SparkExitRecords.Evictions(parsed, 2).Should().BeEmpty();
        SparkExitRecords.Serialize(record with { Message = new string('x', SparkExitRecords.MessageLimit) }).Length
            .Should().BeLessThan(1024 * 1024 / SparkExitRecords.Limit, "the whole ConfigMap stays under Kubernetes' 1 MiB");
    }
}
