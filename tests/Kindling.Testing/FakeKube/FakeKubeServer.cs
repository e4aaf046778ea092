using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// An in-memory Kubernetes API server on 127.0.0.1, reached by real clients (KubernetesClient, kubectl) over
/// HTTP with a bearer token. See README.md in this folder for what it supports and where it deviates.
/// <code>await using var kube = await FakeKubeServer.StartAsync();
/// kube.WriteKubeconfig(path);</code>
/// </summary>
public sealed class FakeKubeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    private readonly ServingCertificate _certificate;

    private FakeKubeServer(WebApplication app, FakeKubeOptions options, ServingCertificate certificate)
    {
        _app = app;
        _certificate = certificate;
        Options = options;
        Token = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
        Store = new ObjectStore();
        Store.Hub.Capacity = options.WatchHistory;
        Network = new ClusterNetwork();
        Api = new ObjectApi(Store, options.Time, Network);
        Requests = new RequestLog();
        Faults = new FaultInjector(this);
        Permissions = new Permissions();
        Logs = new PodLogs();
        Pods = new PodControl(this);
        Objects = new ObjectControl(this);
        Events = new EventControl(this);
        PortForward = new PortForwardMap();
        Controllers = new ControllerHost(this);
        Api.GracefulPodDeletion = (pod, delay) => Controllers.Later(delay, () => FinishTermination(Json.Namespace(pod), Json.Name(pod), Json.Uid(pod)));
    }

    /// <summary>Base URL, e.g. https://127.0.0.1:41234/.</summary>
    public Uri Uri { get; private set; } = null!;

    /// <summary>PEM of the CA that signed the serving certificate (certificate-authority-data in the kubeconfig).</summary>
    public string CertificateAuthorityPem => _certificate.CaPem;

    /// <summary>The bearer token clients must send.</summary>
    public string Token { get; }

    public FakeKubeOptions Options { get; }

    /// <summary>Move pods through phases and container states; set logs.</summary>
    public PodControl Pods { get; }

    /// <summary>Create, read and change stored objects directly (typed KubernetesClient models or JSON).</summary>
    public ObjectControl Objects { get; }

    /// <summary>Record core/v1 Events about objects.</summary>
    public EventControl Events { get; }

    /// <summary>Which CustomResourceDefinitions are installed (none by default): discovery and requests follow it.</summary>
    public CrdControl Crds { get; } = new();

    /// <summary>Every request the server received.</summary>
    public RequestLog Requests { get; }

    public FaultInjector Faults { get; }

    public Permissions Permissions { get; }

    /// <summary>Where pods/portforward sessions connect to: <c>kube.PortForward.Map("ns", "pod", 8888, endpoint)</c>.</summary>
    public PortForwardMap PortForward { get; }

    /// <summary>Switches for the mini controllers (deployments, replica sets, PVC binding, GC, namespaces).</summary>
    public ControllerHost Controllers { get; }

    internal ObjectStore Store { get; }

    internal ObjectApi Api { get; }

    internal ClusterNetwork Network { get; }

    internal PodLogs Logs { get; }

    internal CancellationToken Stopping => _stopping.Token;

    public static async Task<FakeKubeServer> StartAsync(FakeKubeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var certificate = ServingCertificate.Create();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate.Server)));
        var app = builder.Build();
        var server = new FakeKubeServer(app, options ?? new FakeKubeOptions(), certificate);
        Router.Map(app, server);
        server.Controllers.Start();
        server.Seed();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Uri = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>
    /// Writes a kubeconfig with one cluster/user/context for this server, usable by
    /// <c>KubernetesClientConfiguration.BuildConfigFromConfigFile</c> and by kubectl.
    /// </summary>
    public void WriteKubeconfig(string path, string contextName = "fake", string? @namespace = null)
    {
        var ns = @namespace is null ? "" : $"\n    namespace: {@namespace}";
        var server = Uri.ToString().TrimEnd('/');
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {contextName}
              cluster:
                server: {server}
                certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(CertificateAuthorityPem))}
            users:
            - name: {contextName}-user
              user:
                token: {Token}
            contexts:
            - name: {contextName}
              context:
                cluster: {contextName}
                user: {contextName}-user{ns}
            current-context: {contextName}
            """;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text + "\n");
    }

    /// <summary>The number of watch streams currently open.</summary>
    public int OpenWatches
    {
        get
        {
            lock (Store.Gate)
            {
                return Store.Hub.OpenWatches;
            }
        }
    }

    /// <summary>The newest resourceVersion handed out.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (Store.Gate)
            {
                return Store.ResourceVersion;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Controllers.StopAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
        _certificate.Dispose();
    }

    private void FinishTermination(string ns, string name, string? uid)
    {
        lock (Store.Gate)
        {
            if (Store.Get(ResourceCatalog.Pods, ns, name) is { } pod && Json.Uid(pod) == uid && pod["metadata"]?["deletionTimestamp"] is not null)
            {
                Store.Remove(ResourceCatalog.Pods, pod);
            }
        }

        Logs.Signal();
    }

    /// <summary>What a fresh cluster has: the system namespaces and one Ready node.</summary>
    private void Seed()
    {
        var system = new WriteOptions("kube-apiserver");
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            Api.Create(ResourceCatalog.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, system);
        }

        Api.Create(ResourceCatalog.Nodes, null, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = Options.NodeName, ["labels"] = new JsonObject
            {
                // The kubelet labels its node with these (kubernetes.io "Well-Known Labels").
                ["kubernetes.io/hostname"] = Options.NodeName, ["kubernetes.io/arch"] = Options.NodeArchitecture, ["kubernetes.io/os"] = "linux",
            } },
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady" }),
                ["allocatable"] = new JsonObject { ["cpu"] = "4", ["memory"] = "16Gi", ["pods"] = "110" },
                ["capacity"] = new JsonObject { ["cpu"] = "4", ["memory"] = "16Gi", ["pods"] = "110" },
            },
        }, system with { KeepStatus = true });

        if (Options.SystemWorkloads)
        {
            KindSystemSeed.Seed(Api, Store, Options);
        }
    }
}

/// <summary>Start-up options.</summary>
public sealed record FakeKubeOptions
{
    /// <summary>How many changes the watch history keeps before older resourceVersions answer 410.</summary>
    public int WatchHistory { get; init; } = 2000;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The node pods are scheduled to.</summary>
    public string NodeName { get; init; } = "fake-node-1";

    /// <summary>How often an idle watch sends a BOOKMARK when the client allows them (the apiserver: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The seeded node's <c>kubernetes.io/arch</c>.</summary>
    public string NodeArchitecture { get; init; } = "amd64";

    /// <summary>Whether the cluster runs kind's system workloads (CoreDNS, local-path provisioner; see <see cref="KindSystemSeed"/>).</summary>
    public bool SystemWorkloads { get; init; } = true;

    /// <summary>Reported by /version.</summary>
    public string KubernetesVersion { get; init; } = "v1.32.0";
}
