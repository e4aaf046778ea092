using k8s.Models;
using Kindling.Testing.FakeKube;
using Kindling.Tests.Cli;

namespace Kindling.Tests.Cluster;

/// <summary>A fake API server, a working directory and a kubeconfig pointing at it; runs the real CLI against them.</summary>
internal sealed class ClusterTestBed : IAsyncDisposable
{
    /// <summary>The built-in environment's namespace and object names.</summary>
    public const string Ns = "kindling";

    public const string Deployment = "kindling-jupyter";

    public const string TokenSecret = "kindling-jupyter-token";

    public const string Claim = "kindling-notebooks";

    private ClusterTestBed(FakeKubeServer kube, TempDir dir)
    {
        Kube = kube;
        Dir = dir;
        Kubeconfig = dir.File("kubeconfig");
        kube.WriteKubeconfig(Kubeconfig);
    }

    public FakeKubeServer Kube { get; }

    public TempDir Dir { get; }

    public string Kubeconfig { get; }

    private string? lastToken;

    /// <summary>The token in the cluster's Secret (created by the first <c>up</c>); after a purge, the last one seen.</summary>
    public string? Token
    {
        get
        {
            var secret = Kube.Objects.Get<V1Secret>(Ns, TokenSecret);
            if (secret?.Data?.TryGetValue("token", out var bytes) == true) lastToken = System.Text.Encoding.UTF8.GetString(bytes);
            return lastToken;
        }
    }

    public static async Task<ClusterTestBed> StartAsync(bool autoReady = true, FakeKubeOptions? options = null)
    {
        var kube = await FakeKubeServer.StartAsync(options);
        kube.Pods.AutoReady = autoReady;
        return new ClusterTestBed(kube, new TempDir());
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    public async Task<CliResult> RunAsync(CancellationToken cancellation, params string[] args)
    {
        _ = Token;
        // As with spark-submit, everything after submit's application is the application's: --kubeconfig goes first there.
        string[] withKubeconfig = args is ["submit", .. var rest] ? ["submit", "--kubeconfig", Kubeconfig, .. rest] : [.. args, "--kubeconfig", Kubeconfig];
        var result = await CliHarness.RunAsync(new CliRun(Dir.Path) { Cancellation = cancellation, Time = Time }, withKubeconfig);
        _ = Token;
        return result;
    }

    /// <summary>The clock CLI runs get (null: the system's).</summary>
    public TimeProvider? Time { get; set; }

    /// <summary>Waits for the notebook Deployment's pod to exist and returns its name.</summary>
    public async Task<string> NotebookPodAsync(Func<V1Pod, bool>? condition = null)
    {
        var pod = await Kube.Objects.WaitForAsync<V1Pod>(Ns,
            p => p.Metadata.Name.StartsWith(Deployment + "-", StringComparison.Ordinal) && p.Metadata.DeletionTimestamp is null && (condition?.Invoke(p) ?? true),
            TimeSpan.FromSeconds(20));
        return pod.Metadata.Name;
    }

    /// <summary>Asserts the Jupyter token appears nowhere in a command's output.</summary>
    public void AssertNoSecret(CliResult result)
    {
        var token = Token;
        token.Should().NotBeNullOrEmpty();
        result.Stdout.Should().NotContain(token!);
        result.Stderr.Should().NotContain(token!);
    }

    public async ValueTask DisposeAsync()
    {
        await Kube.DisposeAsync();
        Dir.Dispose();
    }
}
