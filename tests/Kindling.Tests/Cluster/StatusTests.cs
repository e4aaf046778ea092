using System.Text.Json;
using k8s.Models;

namespace Kindling.Tests.Cluster;

public sealed class StatusTests
{
    [Fact]
    public async Task Status_shows_every_object_the_notebook_pod_and_spark_pods_by_application()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        var notebook = await bed.NotebookPodAsync();
        SparkPod(bed, "pi-1a2b3c-driver", "spark-0001", "driver", "pi");
        SparkPod(bed, "pi-1a2b3c-exec-1", "spark-0001", "executor", "pi");
        SparkPod(bed, "etl-4d5e6f-driver", "spark-0002", "driver", "etl");

        var text = await bed.RunAsync("status");

        text.ExitCode.Should().Be(0, text.ToString());
        text.Stdout.Should().Contain("Namespace kindling on context 'fake'").And.Contain(": ready");
        text.Stdout.Should().MatchRegex(@"Deployment/kindling-jupyter\s+ready\s+1/1 available");
        text.Stdout.Should().MatchRegex(@"PersistentVolumeClaim/kindling-notebooks\s+ready\s+Bound");
        text.Stdout.Should().Contain($"{notebook}  Running  Ready");
        text.Stdout.Should().Contain("spark-0001 (pi)").And.Contain("spark-0002 (etl)");
        text.Stdout.Should().MatchRegex(@"driver\s+pi-1a2b3c-driver");
        text.Stdout.Should().MatchRegex(@"executor\s+pi-1a2b3c-exec-1");
        bed.AssertNoSecret(text);

        var json = await bed.RunAsync("status", "-o", "json");

        json.ExitCode.Should().Be(0, json.ToString());
        using var doc = JsonDocument.Parse(json.Stdout);
        var root = doc.RootElement;
        root.GetProperty("ready").GetBoolean().Should().BeTrue();
        root.GetProperty("objects").EnumerateArray().Should().HaveCount(11)
            .And.OnlyContain(o => o.GetProperty("present").GetBoolean() && o.GetProperty("ready").GetBoolean());
        root.GetProperty("notebookPods")[0].GetProperty("phase").GetString().Should().Be("Running");
        var apps = root.GetProperty("sparkApplications").EnumerateArray().ToList();
        apps.Select(a => a.GetProperty("appId").GetString()).Should().Equal("spark-0001", "spark-0002");
        apps[0].GetProperty("pods").EnumerateArray().Select(p => p.GetProperty("role").GetString()).Should().Equal("driver", "executor");
        bed.AssertNoSecret(json);
    }

    [Fact]
    public async Task Status_before_up_reports_everything_missing()
    {
        await using var bed = await ClusterTestBed.StartAsync();

        var result = await bed.RunAsync("status", "-o", "json");

        result.ExitCode.Should().Be(0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        doc.RootElement.GetProperty("ready").GetBoolean().Should().BeFalse();
        doc.RootElement.GetProperty("objects").EnumerateArray().Should().OnlyContain(o => !o.GetProperty("present").GetBoolean());
    }

    private static void SparkPod(ClusterTestBed bed, string name, string appId, string role, string appName) =>
        bed.Kube.Objects.Create(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string> { ["spark-app-selector"] = appId, ["spark-role"] = role, ["spark-app-name"] = appName },
            },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "spark", Image = "spark:3.5.5" }], RestartPolicy = "Never" },
        }, ClusterTestBed.Ns);
}
