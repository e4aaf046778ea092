namespace Kindling.Cluster;

/// <summary>Which cluster a connection talks to, for error messages: the kubeconfig file, the context and the API server.</summary>
/// <param name="Source">The kubeconfig file, or <c>in-cluster service account</c>.</param>
/// <param name="Context">The context used; empty in-cluster.</param>
/// <param name="Server">The API server URL.</param>
public sealed record KubeTarget(string Source, string Context, string Server)
{
    /// <summary><c>context 'x' (server https://..., from /home/u/.kube/config)</c>.</summary>
    public override string ToString() =>
        Context.Length > 0 ? $"context '{Context}' (server {Server}, from {Source})" : $"server {Server} ({Source})";
}
