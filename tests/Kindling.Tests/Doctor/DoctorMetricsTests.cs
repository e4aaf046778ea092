namespace Kindling.Tests.Doctor;

/// <summary><c>doctor</c> says which metrics path applies: the PodMonitor when the Operator's API is served, else the annotations.</summary>
public sealed class DoctorMetricsTests
{
    private static DoctorLine Metrics(IReadOnlyList<DoctorLine> lines) => lines.Single(l => l.Check == "metrics");

    [Fact]
    public async Task Without_the_PodMonitor_API_the_scrape_annotations_apply()
    {
        await using var bed = await DoctorTestBed.StartAsync();

        var (result, lines) = await bed.JsonAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        var line = Metrics(lines);
        line.Status.Should().Be("ok");
        line.Found.Should().Contain("no PodMonitor API").And.Contain("prometheus.io/scrape").And.Contain("/metrics/prometheus");
    }

    [Fact]
    public async Task With_the_PodMonitor_API_doctor_warns_until_up_has_created_the_PodMonitor()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        bed.Kube.Crds.Install("podmonitors.monitoring.coreos.com");

        var (before, beforeLines) = await bed.JsonAsync();

        before.ExitCode.Should().Be(0, "a missing PodMonitor is a warning, not a failure: " + before);
        Metrics(beforeLines).Status.Should().Be("warn");
        Metrics(beforeLines).Found.Should().Contain("PodMonitor/kindling-spark is not in kindling yet");
        Metrics(beforeLines).Fix.Should().Contain("kindling up");

        var up = await bed.Cluster.RunAsync("up", "--timeout", "30s");
        up.ExitCode.Should().Be(0, up.ToString());
        var (after, afterLines) = await bed.JsonAsync();

        after.ExitCode.Should().Be(0, after.ToString());
        Metrics(afterLines).Status.Should().Be("ok");
        Metrics(afterLines).Found.Should().Contain("PodMonitor/kindling-spark").And.Contain("annotations are ignored");
    }
}
