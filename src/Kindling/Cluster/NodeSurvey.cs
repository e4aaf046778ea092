using k8s;
using k8s.Models;

namespace Kindling.Cluster;

/// <summary>
/// The cluster's nodes as cluster detection reads them, listed once per command. Listing nodes is cluster-scoped
/// and namespaced identities are often not allowed it (a team's Role cannot grant it), so a refusal is not an
/// error: detection falls back to the kubeconfig's context and server, and <see cref="Note"/> says so.
/// </summary>
/// <param name="Nodes">The nodes, or null when they could not be read.</param>
/// <param name="Items">The nodes as the API returned them (empty when not read), for checks that need more than <see cref="NodeFacts"/>.</param>
/// <param name="Note">Why the nodes were not read; empty when they were.</param>
public sealed record NodeSurvey(IReadOnlyList<NodeFacts>? Nodes, IReadOnlyList<V1Node> Items, string Note)
{
    /// <summary>No nodes were asked for (no cluster, or nothing to learn from them).</summary>
    public static NodeSurvey NotRead { get; } = new(null, [], "");

    /// <summary>The one architecture every node reports (<c>amd64</c>, <c>arm64</c>), or null when unknown or mixed.</summary>
    public string? Architecture =>
        Nodes is { Count: > 0 } nodes && nodes.Select(n => n.Architecture).Distinct(StringComparer.Ordinal).ToList() is [{ } only] ? only : null;

    /// <summary>
    /// Lists the nodes. A 403 (RBAC) or an unreachable API server gives a survey without nodes and the reason;
    /// a cancelled call is not swallowed.
    /// </summary>
    public static async Task<NodeSurvey> ReadAsync(KubeConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            var list = await connection.CallAsync("list nodes", (k, ct) => k.CoreV1.ListNodeAsync(cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            var items = list.Items.ToList();
            return new NodeSurvey(items.Select(Facts).ToList(), items, "");
        }
        catch (KubernetesApiException e) when (e.StatusCode is 401 or 403)
        {
            return new NodeSurvey(null, [], $"its nodes could not be read ({(e.StatusCode == 403 ? "listing nodes is forbidden for this identity" : "the credentials were rejected")}), so only the context and server were used");
        }
        catch (KindlingException e) when (e is not KubernetesApiException && e.InnerException is HttpRequestException or TaskCanceledException)
        {
            return new NodeSurvey(null, [], "its API server did not answer, so only the context and server were used");
        }
    }

    /// <summary>
    /// What detection needs from a node. The architecture is the kubelet's <c>status.nodeInfo.architecture</c>,
    /// else the well-known label <c>kubernetes.io/arch</c> it also sets (kubernetes.io "Well-Known Labels").
    /// </summary>
    public static NodeFacts Facts(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var labels = node.Metadata?.Labels is { } l ? new Dictionary<string, string>(l, StringComparer.Ordinal) : new Dictionary<string, string>(StringComparer.Ordinal);
        var architecture = node.Status?.NodeInfo?.Architecture is { Length: > 0 } a ? a : labels.GetValueOrDefault("kubernetes.io/arch");
        return new NodeFacts(node.Metadata?.Name ?? "", labels, node.Spec?.ProviderID, architecture);
    }
}
