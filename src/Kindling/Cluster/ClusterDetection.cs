using Kindling.Configuration;

namespace Kindling.Cluster;

/// <summary>What a node tells about the cluster it belongs to.</summary>
/// <param name="Name">The node's name.</param>
/// <param name="Labels">Its labels.</param>
/// <param name="ProviderId"><c>spec.providerID</c>, if set.</param>
/// <param name="Architecture"><c>status.nodeInfo.architecture</c> (<c>amd64</c>, <c>arm64</c>), if known.</param>
public sealed record NodeFacts(string Name, IReadOnlyDictionary<string, string> Labels, string? ProviderId, string? Architecture);

/// <summary>The kind of cluster found, and why Kindling thinks so.</summary>
/// <param name="Kind">A <see cref="ClusterKinds"/> value (never <c>auto</c>).</param>
/// <param name="Name">
/// The tool's own name for the cluster, which its image loader needs: kind's cluster name, minikube's profile,
/// k3d's cluster name; null for the others.
/// </param>
/// <param name="Evidence">What decided it, said to the user.</param>
public sealed record DetectedCluster(string Kind, string? Name, string Evidence)
{
    /// <summary>True for a laptop cluster.</summary>
    public bool IsLocal => ClusterKinds.IsLocal(Kind);
}

/// <summary>
/// Tells the kind of cluster from the kubeconfig context (its name and API server) and, when the cluster could be
/// asked, its nodes' labels and provider IDs. Pure: the facts are inputs. Each rule follows what the tool itself
/// writes: kind names contexts <c>kind-&lt;cluster&gt;</c> and sets the kubelet's provider-id to
/// <c>kind://&lt;provider&gt;/&lt;cluster&gt;/&lt;node&gt;</c> (kind's kubeadm config template); minikube names the context
/// after its profile and labels nodes <c>minikube.k8s.io/name</c>; k3d names contexts <c>k3d-&lt;cluster&gt;</c> and its
/// k3s nodes report provider-id <c>k3s://</c> and instance type <c>k3s</c>; Docker Desktop, Rancher Desktop and
/// OrbStack name their contexts <c>docker-desktop</c>, <c>rancher-desktop</c> and <c>orbstack</c>; EKS endpoints end in
/// <c>.eks.amazonaws.com</c> and its nodes carry <c>eks.amazonaws.com/*</c> labels.
/// </summary>
public static class ClusterDetection
{
    private const string KindContextPrefix = "kind-";
    private const string K3dContextPrefix = "k3d-";

    /// <summary>Detects the cluster; <paramref name="configured"/> (<c>cluster.kind</c>) wins unless it is <c>auto</c>.</summary>
    /// <param name="configured">The <c>cluster.kind</c> value.</param>
    /// <param name="context">The kubeconfig context name (empty in-cluster).</param>
    /// <param name="server">The API server URL.</param>
    /// <param name="nodes">The cluster's nodes, or null when they were not read.</param>
    public static DetectedCluster Detect(string configured, string context, string server, IReadOnlyList<NodeFacts>? nodes = null)
    {
        ArgumentNullException.ThrowIfNull(configured);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(server);
        if (configured != ClusterKinds.Auto)
            return new DetectedCluster(configured, ToolName(configured, context, nodes), $"cluster.kind is {configured} in kindling.yaml");
        return FromContext(context, server, nodes) ?? FromNodes(nodes ?? [])
            ?? new DetectedCluster(ClusterKinds.Other, null,
                $"context '{context}' (server {server}) is not one Kindling recognises as EKS or a laptop cluster; set cluster.kind to say which it is");
    }

    private static DetectedCluster? FromContext(string context, string server, IReadOnlyList<NodeFacts>? nodes)
    {
        var host = Uri.TryCreate(server, UriKind.Absolute, out var uri) ? uri.Host : "";
        if (host.EndsWith(".eks.amazonaws.com", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".eks.amazonaws.com.cn", StringComparison.OrdinalIgnoreCase))
            return new DetectedCluster(ClusterKinds.Eks, null, $"its API server {host} is an EKS endpoint");
        if (context.StartsWith(KindContextPrefix, StringComparison.Ordinal) && context.Length > KindContextPrefix.Length)
            return new DetectedCluster(ClusterKinds.Kind, context[KindContextPrefix.Length..], $"context '{context}' is kind's");
        if (context.StartsWith(K3dContextPrefix, StringComparison.Ordinal) && context.Length > K3dContextPrefix.Length)
            return new DetectedCluster(ClusterKinds.K3d, context[K3dContextPrefix.Length..], $"context '{context}' is k3d's");
        switch (context)
        {
            case "minikube":
                return new DetectedCluster(ClusterKinds.Minikube, context, "context 'minikube' is minikube's");
            case "docker-desktop" or "docker-for-desktop":
                return new DetectedCluster(ClusterKinds.DockerDesktop, null, $"context '{context}' is Docker Desktop's");
            case "rancher-desktop":
                return new DetectedCluster(ClusterKinds.RancherDesktop, null, "context 'rancher-desktop' is Rancher Desktop's");
            case "orbstack":
                return new DetectedCluster(ClusterKinds.OrbStack, null, "context 'orbstack' is OrbStack's");
        }
        // Docker Desktop's API server name, whatever the context is called.
        if (host.Equals("kubernetes.docker.internal", StringComparison.OrdinalIgnoreCase))
            return new DetectedCluster(ClusterKinds.DockerDesktop, null, "its API server is kubernetes.docker.internal (Docker Desktop)");
        return null;
    }

    private static DetectedCluster? FromNodes(IReadOnlyList<NodeFacts> nodes)
    {
        foreach (var node in nodes)
        {
            if (node.ProviderId is { } id && id.StartsWith("kind://", StringComparison.Ordinal))
            {
                // kind://<provider>/<cluster>/<node>
                var parts = id["kind://".Length..].Split('/');
                return new DetectedCluster(ClusterKinds.Kind, parts.Length >= 2 ? parts[1] : null, $"node {node.Name} has kind's provider ID {id}");
            }
            if (node.Labels.TryGetValue("minikube.k8s.io/name", out var profile))
                return new DetectedCluster(ClusterKinds.Minikube, profile, $"node {node.Name} carries minikube.k8s.io/name={profile}");
            if (node.Labels.Keys.Any(k => k.StartsWith("eks.amazonaws.com/", StringComparison.Ordinal)))
                return new DetectedCluster(ClusterKinds.Eks, null, $"node {node.Name} carries EKS labels");
            if (node.Name == "docker-desktop")
                return new DetectedCluster(ClusterKinds.DockerDesktop, null, "the node is named docker-desktop");
            if (node.Name == "orbstack")
                return new DetectedCluster(ClusterKinds.OrbStack, null, "the node is named orbstack");
            if (node.Name.Contains("rancher-desktop", StringComparison.Ordinal))
                return new DetectedCluster(ClusterKinds.RancherDesktop, null, $"node {node.Name} is Rancher Desktop's");
            if (node.Name.StartsWith(K3dContextPrefix, StringComparison.Ordinal) && node.ProviderId?.StartsWith("k3s://", StringComparison.Ordinal) == true)
            {
                // k3d names nodes k3d-<cluster>-server-<n> / k3d-<cluster>-agent-<n>.
                var rest = node.Name[K3dContextPrefix.Length..];
                var cut = Math.Max(rest.LastIndexOf("-server-", StringComparison.Ordinal), rest.LastIndexOf("-agent-", StringComparison.Ordinal));
                return new DetectedCluster(ClusterKinds.K3d, cut > 0 ? rest[..cut] : null, $"node {node.Name} is a k3d k3s node");
            }
        }
        return null;
    }

    // The loader's cluster name when cluster.kind is given: from the context or nodes when they agree on the kind.
    private static string? ToolName(string kind, string context, IReadOnlyList<NodeFacts>? nodes)
    {
        var found = FromContext(context, "", nodes) ?? FromNodes(nodes ?? []);
        if (found is not null && found.Kind == kind) return found.Name;
        return kind switch
        {
            ClusterKinds.Kind => "kind",
            ClusterKinds.Minikube => context.Length > 0 ? context : "minikube",
            ClusterKinds.K3d => "k3s-default",
            _ => null,
        };
    }
}
