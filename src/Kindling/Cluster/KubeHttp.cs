using System.Net;
using k8s;
using k8s.Autorest;

namespace Kindling.Cluster;

/// <summary>
/// GET requests through the official client's own pipeline (its HttpClient with the retrying handler, TLS
/// settings and credentials), for responses Kindling reads with its own source-generated models instead of the
/// client's full ones. Mirrors KubernetesClient's <c>Kubernetes.SendRequest</c>/<c>SendRequestRaw</c> (HTTP/2
/// unless disabled, credentials applied per request so exec and token-file credentials refresh, Host set to the
/// kubeconfig's tls-server-name, headers read before the body) and raises the same
/// <see cref="HttpOperationException"/> for a failed status, so <see cref="KubeConnection.Translate"/> applies.
/// </summary>
internal sealed class KubeHttp(Kubernetes client, string? tlsServerName, bool disableHttp2)
{
    /// <summary>Sends a GET of <paramref name="relativeUri"/> (e.g. <c>api/v1/namespaces/x/pods?watch=true</c>); the caller disposes the response.</summary>
    public async Task<HttpResponseMessage> GetAsync(string relativeUri, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, relativeUri));
        if (!disableHttp2) request.Version = HttpVersion.Version20;
        if (client.Credentials is { } credentials)
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrWhiteSpace(tlsServerName)) request.Headers.Host = tlsServerName;

        var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (request)
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}'")
            {
                Request = new HttpRequestMessageWrapper(request, ""),
                Response = new HttpResponseMessageWrapper(response, body),
            };
        }
    }
}
