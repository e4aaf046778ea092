using System.Text;
using k8s.Models;

namespace Kindling.Tests.Cluster;

/// <summary>Issue 10 §2: one Jupyter token, and it lives in the cluster.</summary>
public sealed class TokenInClusterTests
{
    [Fact]
    public async Task Up_from_a_second_checkout_never_rewrites_the_token_and_no_checkout_keeps_it()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        var token = bed.Token;
        token.Should().MatchRegex("^[0-9a-f]{64}$");
        Directory.Exists(bed.Dir.File(".kindling")).Should().BeFalse("no checkout keeps a copy of the token");
        // A teammate, CI, a new laptop: another checkout of the same kindling.yaml against the same cluster.
        using var otherCheckout = new TempDir();
        var second = await Kindling.Tests.Cli.CliHarness.RunAsync(otherCheckout.Path, "up", "--kubeconfig", bed.Kubeconfig);

        second.ExitCode.Should().Be(0, second.ToString());
        second.Stdout.Should().MatchRegex(@"Secret/kindling-jupyter-token\s+unchanged");
        bed.Token.Should().Be(token);
        bed.Kube.Requests.All.Should().NotContain(r => r.Resource == "secrets" && (r.Verb == "patch" || r.Verb == "update"));
        Directory.Exists(otherCheckout.File(".kindling")).Should().BeFalse("up writes no local copy of the token");
    }

    [Fact]
    public async Task Rotate_token_replaces_the_secret_restarts_the_notebook_and_prints_a_url_with_the_new_token()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        var old = bed.Token!;
        var oldPod = await bed.NotebookPodAsync();
        var localPort = Kindling.Testing.FreePort.Next();
        using var stop = new CancellationTokenSource();
        // The restarted pod's name is not known in advance: every pod answers on Jupyter's port.
        using var jupyter = new Kindling.Testing.StandInJupyter();
        bed.Kube.PortForward.MapAnyPod(8888, jupyter.EndPoint);

        var notebook = bed.RunAsync(stop.Token, "notebook", "--rotate-token", "--port", localPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Kindling.Testing.FreePort.WaitUntilListeningAsync(localPort, TimeSpan.FromSeconds(30));
        await WaitForUrlAsync(() => jupyter.Requests > 0);
        await stop.CancelAsync();
        var result = await notebook;

        result.ExitCode.Should().Be(0, result.ToString());
        var current = Encoding.UTF8.GetString(bed.Kube.Objects.Get<V1Secret>(ClusterTestBed.Ns, ClusterTestBed.TokenSecret)!.Data["token"]);
        current.Should().NotBe(old).And.MatchRegex("^[0-9a-f]{64}$");
        result.Stdout.Trim().Should().Be($"http://127.0.0.1:{localPort}/?token={current}", "the URL printed after rotating logs in");
        result.Stderr.Should().NotContain(current).And.NotContain(old);
        var live = bed.Kube.Objects.List<V1Pod>(ClusterTestBed.Ns).Where(p => p.Metadata.DeletionTimestamp is null).Select(p => p.Metadata.Name).ToList();
        live.Should().NotContain(oldPod, "the pod that read the old token was replaced");
        bed.Kube.Objects.Get<V1Deployment>(ClusterTestBed.Ns, ClusterTestBed.Deployment)!.Spec.Template.Metadata.Annotations
            .Should().ContainKey(Kindling.Cluster.TokenRotation.RotatedAtAnnotation);

        var up = await bed.RunAsync("up");
        up.ExitCode.Should().Be(0, up.ToString());
        Encoding.UTF8.GetString(bed.Kube.Objects.Get<V1Secret>(ClusterTestBed.Ns, ClusterTestBed.TokenSecret)!.Data["token"])
            .Should().Be(current, "up keeps the rotated token");
    }

    private static async Task WaitForUrlAsync(Func<bool> probed)
    {
        // The URL is printed after the forward's probe request was answered; stopping earlier would stop the probe.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!probed() && DateTime.UtcNow < deadline) await Task.Delay(50);
        await Task.Delay(200);
    }
}
