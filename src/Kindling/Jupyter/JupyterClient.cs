using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace Kindling.Jupyter;

/// <summary>
/// A Jupyter Server REST client (the API the notebook and JupyterLab front ends use): start, interrupt and delete
/// kernels, and open a kernel's websocket. The token goes in the <c>Authorization: token …</c> header, never in a
/// URL, so no message, log line or exception built from a URL can carry it (Jupyter Server's
/// <c>IdentityProvider.get_token</c> reads that header; token-authenticated requests skip the XSRF check).
/// </summary>
internal sealed class JupyterClient : IDisposable
{
    private readonly HttpClient http;
    private readonly Uri baseUri;
    private readonly string token;
    private readonly TimeProvider time;

    /// <param name="baseUri">The server's base URL, e.g. the local end of a port-forward (<c>http://127.0.0.1:N/</c>).</param>
    /// <param name="token">The server's token.</param>
    /// <param name="requestTimeout">How long one REST request may take.</param>
    /// <param name="time">The clock of message headers.</param>
    public JupyterClient(Uri baseUri, string token, TimeSpan requestTimeout, TimeProvider time)
    {
        this.time = time;
        this.baseUri = baseUri;
        this.token = token;
        // The forward is on loopback: a user's HTTP(S)_PROXY must not capture it.
        http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseUri, Timeout = requestTimeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
    }

    /// <summary>The server's version (<c>GET /api</c>), after checking the token is accepted (<c>GET /api/kernelspecs</c>).</summary>
    /// <exception cref="JupyterException">The server is unreachable, or refuses the token.</exception>
    public async Task<string> CheckAsync(CancellationToken cancellationToken)
    {
        var info = await SendAsync(HttpMethod.Get, "api", null, cancellationToken).ConfigureAwait(false);
        await SendAsync(HttpMethod.Get, "api/kernelspecs", null, cancellationToken).ConfigureAwait(false);
        return info?["version"]?.GetValue<string>() ?? "unknown";
    }

    /// <summary>Starts a kernel of <paramref name="kernelName"/> (<c>POST /api/kernels</c>) and returns its id.</summary>
    public async Task<string> StartKernelAsync(string kernelName, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Post, "api/kernels", new JsonObject { ["name"] = kernelName }, cancellationToken).ConfigureAwait(false);
        return answer?["id"]?.GetValue<string>() is { Length: > 0 } id
            ? id
            : throw new JupyterException("Jupyter started a kernel but did not say its id");
    }

    /// <summary>Interrupts what the kernel runs (<c>POST /api/kernels/{id}/interrupt</c>).</summary>
    public Task InterruptAsync(string kernelId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/kernels/{Uri.EscapeDataString(kernelId)}/interrupt", new JsonObject(), cancellationToken);

    /// <summary>Shuts the kernel down (<c>DELETE /api/kernels/{id}</c>); a kernel already gone is fine.</summary>
    public async Task DeleteKernelAsync(string kernelId, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(HttpMethod.Delete, $"api/kernels/{Uri.EscapeDataString(kernelId)}", null, cancellationToken).ConfigureAwait(false);
        }
        catch (JupyterException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>The kernel ids the server runs (<c>GET /api/kernels</c>).</summary>
    public async Task<IReadOnlyList<string>> ListKernelsAsync(CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, "api/kernels", null, cancellationToken).ConfigureAwait(false);
        return answer is JsonArray kernels ? [.. kernels.Select(k => k?["id"]?.GetValue<string>()).OfType<string>()] : [];
    }

    /// <summary>
    /// Opens the kernel's channels websocket (<c>/api/kernels/{id}/channels</c>) in the legacy JSON text protocol:
    /// no subprotocol is requested, which Jupyter Server answers with that protocol and the classic notebook speaks
    /// only. No Origin header is sent, so the server's same-origin check lets a non-browser client in.
    /// </summary>
    public async Task<KernelChannels> ConnectAsync(string kernelId, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"token {token}");
        socket.Options.Proxy = null;
        var session = Guid.NewGuid().ToString("N");
        var ws = new UriBuilder(new Uri(baseUri, $"api/kernels/{Uri.EscapeDataString(kernelId)}/channels"))
        {
            Scheme = baseUri.Scheme == "https" ? "wss" : "ws",
            Query = $"session_id={session}",
        }.Uri;
        try
        {
            await socket.ConnectAsync(ws, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException e)
        {
            socket.Dispose();
            throw new JupyterException($"could not open the kernel's websocket: {e.Message}", null, e);
        }
        return new KernelChannels(socket, session, time);
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new JupyterException($"Jupyter did not answer {method} /{path}: {e.Message}", null, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JupyterException($"Jupyter did not answer {method} /{path} within {http.Timeout.TotalSeconds:0}s", null, e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new JupyterException($"Jupyter refused the token ({(int)response.StatusCode} on {method} /{path})", response.StatusCode);
            if (!response.IsSuccessStatusCode)
                throw new JupyterException($"Jupyter answered {(int)response.StatusCode} {response.ReasonPhrase} to {method} /{path}{Excerpt(text)}", response.StatusCode);
            if (text.Length == 0) return null;
            try
            {
                return JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException)
            {
                throw new JupyterException($"{method} /{path} did not answer JSON: is something other than Jupyter listening there?{Excerpt(text)}", response.StatusCode);
            }
        }
    }

    private static string Excerpt(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length == 0 ? "" : ": " + (line.Length > 200 ? line[..200] + "…" : line);
    }

    public void Dispose() => http.Dispose();
}

/// <summary>Jupyter refused or failed a request; the message never contains the token.</summary>
internal sealed class JupyterException(string message, HttpStatusCode? statusCode = null, Exception? inner = null) : KindlingException(message, inner)
{
    /// <summary>The HTTP status, when the server answered.</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;
}
