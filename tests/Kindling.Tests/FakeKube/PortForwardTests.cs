using System.Net;
using System.Net.Sockets;
using System.Text;
using k8s;
using k8s.Models;

namespace Kindling.Tests.FakeKube;

public sealed class PortForwardTests
{
    [Fact]
    public async Task Three_concurrent_sessions_reach_the_mapped_backend_through_the_real_client()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var echo = EchoAsync(backend, cts.Token);

        await h.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "jupyter-0" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "jupyter:1" }] },
        }, "team");
        var notRunning = await Record.ExceptionAsync(() => h.Client.WebSocketNamespacedPodPortForwardAsync("jupyter-0", "team", [8888], "v4.channel.k8s.io", cancellationToken: cts.Token));
        notRunning.Should().NotBeNull();

        h.Kube.Pods.Running("team", "jupyter-0");
        h.Kube.PortForward.Map("team", "jupyter-0", 8888, backend.LocalEndpoint);

        var sessions = Enumerable.Range(0, 3).Select(async i =>
        {
            using var socket = await h.Client.WebSocketNamespacedPodPortForwardAsync("jupyter-0", "team", [8888], "v4.channel.k8s.io", cancellationToken: cts.Token);
            using var demux = new StreamDemuxer(socket, StreamType.PortForward);
            demux.Start();
            var stream = demux.GetStream((byte?)0, (byte?)0);
            var message = Encoding.UTF8.GetBytes($"hello from session {i}\n");
            await stream.WriteAsync(message, cts.Token);
            var received = new byte[message.Length];
            await stream.ReadExactlyAsync(received, cts.Token);
            return Encoding.UTF8.GetString(received);
        }).ToList();

        var replies = await Task.WhenAll(sessions);
        replies.Should().BeEquivalentTo(Enumerable.Range(0, 3).Select(i => $"hello from session {i}\n"));
        h.Kube.PortForward.Sessions.Should().Be(3);
        await cts.CancelAsync();
        await Record.ExceptionAsync(() => echo);
    }

    private static async Task EchoAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            connections.Add(Task.Run(async () =>
            {
                using (client)
                {
                    var stream = client.GetStream();
                    await stream.CopyToAsync(stream, cancellationToken);
                }
            }, cancellationToken));
        }
    }
}
