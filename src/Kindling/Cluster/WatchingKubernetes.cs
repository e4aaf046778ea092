using k8s;
using k8s.Autorest;

namespace Kindling.Cluster;

/// <summary>
/// The official client, except that a <c>watch=true</c> list is answered with its response stream unread.
/// The base <c>Kubernetes.CreateResultAsync</c> wraps a watch response in an internal line-splitting content and
/// reads its first event as the list type; the full package's Watcher then reads on through that internal type.
/// KubernetesClient.Aot (the trim- and AOT-safe build of the same client) ships without the Watcher, so
/// <see cref="KubeWatch"/> reads the stream itself and needs it untouched.
/// </summary>
internal sealed class WatchingKubernetes(KubernetesClientConfiguration config, params DelegatingHandler[] handlers)
    : Kubernetes(config, handlers)
{
    /// <inheritdoc />
    protected override Task<HttpOperationResponse<T>> CreateResultAsync<T>(
        HttpRequestMessage httpRequest, HttpResponseMessage httpResponse, bool? watch, CancellationToken cancellationToken)
    {
        if (watch != true) return base.CreateResultAsync<T>(httpRequest, httpResponse, watch, cancellationToken);
        return Task.FromResult(new HttpOperationResponse<T> { Request = httpRequest, Response = httpResponse });
    }
}
