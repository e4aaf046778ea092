using k8s;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Images;
using Kindling.Resources;
using Kindling.Tools;

namespace Kindling.Operations.Doctor;

/// <summary>What every check may read: the environment as rendered, the cluster, and the outside tools.</summary>
internal sealed class DoctorContext(DoctorInputs inputs)
{
    // The nodes cluster detection already read are not listed again.
    private readonly Lazy<Task<IReadOnlyList<V1Node>>> nodes = new(() => inputs.Nodes is { } read ? Task.FromResult(read) : ListNodesAsync(inputs.Connection));
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<RemoteImage>>> images = new(StringComparer.Ordinal);
    private readonly Lazy<IReadOnlyList<PodDemand>> pods = new(() => EnvironmentPods.For(inputs));

    /// <summary>The inputs.</summary>
    public DoctorInputs Inputs => inputs;

    public KubeConnection Connection => inputs.Connection;

    public EnvironmentSpec Spec => inputs.Spec;

    public string Namespace => inputs.Spec.Namespace;

    public ResourceNames Names { get; } = new(inputs.Spec.Name);

    /// <summary>True when run by <c>up</c> before it applies anything: checks judge only what dooms <c>up</c>.</summary>
    public bool ForUp => inputs.ForUp;

    /// <summary>Whether the environment runs on the EKS cluster Kindling provisioned (the one shared predicate).</summary>
    public bool OnKindlingEks => KindlingEks.RunsOn(inputs.Spec, inputs.State, inputs.Connection.Target.Server);

    /// <summary>The pods an environment in use runs: notebook, one cluster-mode driver, the configured executors.</summary>
    public IReadOnlyList<PodDemand> Pods => pods.Value;

    /// <summary>The cluster's nodes, read once.</summary>
    public Task<IReadOnlyList<V1Node>> NodesAsync() => nodes.Value;

    /// <summary>What the registry says about <paramref name="reference"/>, asked once per run.</summary>
    public Task<RemoteImage> RemoteImageAsync(string reference, CancellationToken cancellationToken) =>
        images.GetOrAdd(reference, r => new Lazy<Task<RemoteImage>>(() => ReadImageAsync(r, cancellationToken))).Value;

    private Task<RemoteImage> ReadImageAsync(string reference, CancellationToken cancellationToken) =>
        RemoteImages.ReadAsync(reference, inputs.Tools, inputs.RegistryHandler, inputs.Spec.Aws.Endpoint, cancellationToken);

    /// <summary>The rendered object of kind <typeparamref name="T"/>, if the environment renders one.</summary>
    public T? Rendered<T>() where T : class => inputs.Manifests.Select(m => m.Object).OfType<T>().FirstOrDefault();

    private static async Task<IReadOnlyList<V1Node>> ListNodesAsync(KubeConnection connection) =>
        (await connection.CallAsync("list nodes", (k, ct) => k.CoreV1.ListNodeAsync(cancellationToken: ct), CancellationToken.None).ConfigureAwait(false)).Items.ToList();
}

/// <summary>Everything the checks are computed from; the operation builds it once.</summary>
internal sealed record DoctorInputs
{
    public required KubeConnection Connection { get; init; }

    public required EnvironmentSpec Spec { get; init; }

    public required IReadOnlyList<Manifest> Manifests { get; init; }

    public required ResolvedImages Images { get; init; }

    public required LocalState State { get; init; }

    public required ToolEnvironment Tools { get; init; }

    public required TimeProvider Time { get; init; }

    /// <summary>The kind of cluster, and why Kindling thinks so.</summary>
    public DetectedCluster Cluster { get; init; } = new(ClusterKinds.Other, null, "not detected");

    /// <summary>The nodes as cluster detection read them; null: a check that needs them lists them.</summary>
    public IReadOnlyList<V1Node>? Nodes { get; init; }

    /// <summary>See <see cref="DoctorContext.ForUp"/>.</summary>
    public bool ForUp { get; init; }

    /// <summary>The namespace's state when the caller already reads it (up); null: the permission check reads it.</summary>
    public Task<NamespaceState>? NamespaceState { get; init; }

    /// <summary>Whether the DNS check may start a short-lived probe pod (doctor only; never during <c>up</c>).</summary>
    public bool DnsProbe { get; init; } = true;

    /// <summary>How long the DNS probe pod may take.</summary>
    public TimeSpan DnsProbeTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Receives progress from checks that wait.</summary>
    public IProgress<ProgressEvent> Progress { get; init; } = new Progress<ProgressEvent>();

    /// <summary>Sends registry (OCI distribution API) requests.</summary>
    public required HttpMessageHandler RegistryHandler { get; init; }
}
