using k8s;

namespace Kindling.Cluster;

/// <summary>
/// GETs an HTTP path of a Service through the API server's service proxy
/// (<c>/api/v1/namespaces/{ns}/services/{name}:{port}/proxy/{path}</c>): no port-forward, no local port, the
/// caller's own credentials and RBAC (<c>get services/proxy</c>).
/// </summary>
internal sealed class ServiceProxy(KubeConnection connection)
{
    /// <summary>The response body; throws the connection's translated error (403, 404, 503 no endpoints ...).</summary>
    public Task<string> GetAsync(string @namespace, string service, int port, string path, CancellationToken cancellationToken) =>
        connection.CallAsync($"read {path} of Service/{service} through the API server's proxy",
            async (k, ct) =>
            {
                using var stream = await k.CoreV1.ConnectGetNamespacedServiceProxyWithPathAsync($"{service}:{port}", @namespace, path.TrimStart('/'), cancellationToken: ct).ConfigureAwait(false);
                using var reader = new StreamReader(stream);
                return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
            },
            cancellationToken);
}
