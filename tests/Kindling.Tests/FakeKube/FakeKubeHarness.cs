using k8s;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Testing.FakeKube;

namespace Kindling.Tests.FakeKube;

/// <summary>A started fake plus a real KubernetesClient configured from the kubeconfig the fake writes.</summary>
internal sealed class FakeKubeHarness : IAsyncDisposable
{
    private readonly string _dir;

    private FakeKubeHarness(FakeKubeServer kube, Kubernetes client, string dir, string kubeconfig)
    {
        Kube = kube;
        Client = client;
        _dir = dir;
        KubeconfigPath = kubeconfig;
    }

    public FakeKubeServer Kube { get; }

    public Kubernetes Client { get; }

    public string KubeconfigPath { get; }

    public static async Task<FakeKubeHarness> StartAsync(string ns = "team", FakeKubeOptions? options = null)
    {
        var kube = await FakeKubeServer.StartAsync(options);
        var dir = Directory.CreateTempSubdirectory("fakekube-").FullName;
        var path = Path.Combine(dir, "kubeconfig");
        kube.WriteKubeconfig(path, "fake", ns);
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        var client = new WatchingKubernetes(config);
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        return new FakeKubeHarness(kube, client, dir, path);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Kube.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
