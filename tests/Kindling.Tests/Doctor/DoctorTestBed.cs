using System.Text.Json;
using Kindling.Operations.Doctor.Checks;
using Kindling.Testing;
using Kindling.Testing.FakeKube;
using Kindling.Tests.Cli;
using Kindling.Tests.Cluster;

namespace Kindling.Tests.Doctor;

/// <summary>One line of <c>doctor -o json</c>.</summary>
public sealed record DoctorLine(string Check, string Status, string Found, string? Fix);

/// <summary>A fake cluster (kind-like: CoreDNS, local-path default class, one 4-CPU/16Gi amd64 node), a fake registry holding the environment's images, and a kindling.yaml naming them.</summary>
internal sealed class DoctorTestBed : IAsyncDisposable
{
    public const string Tag = "t1";

    private DoctorTestBed(ClusterTestBed cluster, FakeRegistry registry)
    {
        Cluster = cluster;
        Registry = registry;
    }

    public ClusterTestBed Cluster { get; }

    public FakeRegistry Registry { get; }

    public FakeKubeServer Kube => Cluster.Kube;

    public string ConfigPath => Cluster.Dir.File("kindling.yaml");

    public static async Task<DoctorTestBed> StartAsync(string extraConfig = "", bool pushImages = true)
    {
        var cluster = await ClusterTestBed.StartAsync();
        var registry = await FakeRegistry.StartAsync();
        var bed = new DoctorTestBed(cluster, registry);
        bed.WriteConfig(extraConfig);
        if (pushImages)
        {
            bed.PushSpark();
            bed.PushJupyter();
        }
        return bed;
    }

    public void WriteConfig(string extra) => Cluster.Dir.Write("kindling.yaml", $"""
        images:
          registry: {Registry.Host}
          tag: {Tag}
        {extra}
        """);

    public void PushSpark(string sparkVersion = "3.5.5", string python = "3.10", params string[] platforms) =>
        Registry.Push("spark", Tag, new Dictionary<string, string>
        {
            [ImageVersionsCheck.SparkVersionLabel] = sparkVersion,
            [ImageVersionsCheck.PythonVersionLabel] = python,
        }, platforms);

    public void PushJupyter(string sparkVersion = "3.5.5", string python = "3.10") =>
        Registry.Push("jupyter", Tag, new Dictionary<string, string>
        {
            [ImageVersionsCheck.SparkVersionLabel] = sparkVersion,
            [ImageVersionsCheck.PythonVersionLabel] = python,
        });

    public Task<CliResult> DoctorAsync(params string[] args) => DoctorAsync(new Dictionary<string, string?>(), args);

    public Task<CliResult> DoctorAsync(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        CliHarness.RunAsync(new CliRun(Cluster.Dir.Path) { Environment = environment },
            ["doctor", "-f", ConfigPath, "--kubeconfig", Cluster.Kubeconfig, .. args]);

    /// <summary>Runs <c>doctor -o json --no-dns-probe</c> and returns its lines.</summary>
    public async Task<(CliResult Result, IReadOnlyList<DoctorLine> Lines)> JsonAsync(IReadOnlyDictionary<string, string?>? environment = null, params string[] args)
    {
        var result = await DoctorAsync(environment ?? new Dictionary<string, string?>(), ["-o", "json", "--no-dns-probe", .. args]);
        using var doc = JsonDocument.Parse(result.Stdout);
        var lines = doc.RootElement.GetProperty("checks").EnumerateArray().Select(c => new DoctorLine(
            c.GetProperty("check").GetString()!, c.GetProperty("status").GetString()!, c.GetProperty("found").GetString()!,
            c.TryGetProperty("fix", out var f) ? f.GetString() : null)).ToList();
        return (result, lines);
    }

    public async ValueTask DisposeAsync()
    {
        await Registry.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
