using System.Net;
using System.Net.Sockets;
using System.Text;
using k8s.Models;
using Kindling.Testing;

namespace Kindling.Tests.Cluster;

public sealed class NotebookTests
{
    [Fact]
    public async Task Notebook_forwards_concurrent_requests_to_the_pod_and_prints_the_url_with_the_token_from_the_secret()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        var pod = await bed.NotebookPodAsync(PodConditions);
        using var jupyter = new StandInJupyter();
        bed.Kube.PortForward.Map(ClusterTestBed.Ns, pod, 8888, jupyter.EndPoint);
        var localPort = FreePort.Next();
        using var stop = new CancellationTokenSource();

        var notebook = bed.RunAsync(stop.Token, "notebook", "--port", localPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await FreePort.WaitUntilListeningAsync(localPort, TimeSpan.FromSeconds(20));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{localPort}/") };
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => http.GetStringAsync($"lab/{i}")));
        var again = await http.GetStringAsync("api/status");
        await stop.CancelAsync();
        var result = await notebook;

        answers.Should().Equal(Enumerable.Range(0, 8).Select(i => $"jupyter saw GET /lab/{i}"));
        again.Should().Be("jupyter saw GET /api/status");
        bed.Kube.PortForward.Sessions.Should().BeGreaterThanOrEqualTo(2, "each local connection gets its own tunnel");
        result.ExitCode.Should().Be(0, result.ToString());
        var secret = bed.Kube.Objects.Get<V1Secret>(ClusterTestBed.Ns, ClusterTestBed.TokenSecret)!;
        var token = Encoding.UTF8.GetString(secret.Data["token"]);
        result.Stdout.Trim().Should().Be($"http://127.0.0.1:{localPort}/?token={token}");
        result.Stderr.Should().NotContain(token);
    }

    [Fact]
    public async Task A_forward_that_the_pod_refuses_exits_1_without_printing_the_url()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        var pod = await bed.NotebookPodAsync(PodConditions);
        // The pod is Ready but nothing listens on its port (no backend mapped): the kubelet refuses the dial.
        var result = await bed.RunAsync("notebook", "--port", "0");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stdout.Should().NotContain("token=").And.NotContain("http://");
        result.Stderr.Should().Contain($"Pod/{pod}").And.Contain("connection refused").And.Contain("kindling status");
        bed.AssertNoSecret(result);
        bed.Kube.PortForward.Sessions.Should().BeGreaterThanOrEqualTo(1, "the forward was really tried");
    }

    [Fact]
    public async Task A_backend_that_stopped_listening_is_refused_too()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        var pod = await bed.NotebookPodAsync(PodConditions);
        var gone = new StandInJupyter();
        var endpoint = gone.EndPoint;
        gone.Dispose();
        bed.Kube.PortForward.Map(ClusterTestBed.Ns, pod, 8888, endpoint);

        var result = await bed.RunAsync("notebook", "--port", "0");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stdout.Should().NotContain("token=");
        result.Stderr.Should().Contain("does not reach Jupyter");
        bed.AssertNoSecret(result);
    }

    [Fact]
    public async Task A_taken_local_port_is_bad_input_with_a_free_port_suggested()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var result = await bed.RunAsync("notebook", "--port", taken.ToString(System.Globalization.CultureInfo.InvariantCulture));

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain($"127.0.0.1:{taken} is already in use").And.MatchRegex(@"try --port \d+");
        bed.AssertNoSecret(result);
    }

    [Fact]
    public async Task Notebook_before_up_says_to_run_up()
    {
        await using var bed = await ClusterTestBed.StartAsync();

        var result = await bed.RunAsync("notebook", "--port", "0");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("kindling up");
    }

    private static bool PodConditions(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
