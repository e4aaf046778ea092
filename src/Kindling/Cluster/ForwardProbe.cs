using System.Net.Sockets;

namespace Kindling.Cluster;

/// <summary>
/// Checks that a running port-forward reaches a server that answers HTTP, before a URL through it is handed out.
/// A listening local port proves nothing: the tunnel is opened per connection, and the kubelet dials the pod's port
/// only then (its error arrives on the stream's error channel, "failed to connect to localhost:8888 inside namespace
/// ... connection refused"), so the first real request is the first moment a refused or stopped server shows.
/// </summary>
internal static class ForwardProbe
{
    /// <summary>
    /// GETs <paramref name="path"/> through 127.0.0.1:<paramref name="localPort"/> until any HTTP answer arrives (its
    /// status does not matter: a server answered), trying <paramref name="attempts"/> times <paramref name="pause"/> apart.
    /// </summary>
    /// <param name="localPort">The forwarder's local port; its accept loop must be running.</param>
    /// <param name="path">A path that answers without credentials (Jupyter's <c>/api</c> gives its version).</param>
    /// <param name="attempts">How many tries: a pod that just became Ready can refuse a first connection.</param>
    /// <param name="pause">The wait between tries.</param>
    /// <param name="cancellationToken">Stops probing.</param>
    /// <returns>Null when the server answered, else what went wrong on the last try.</returns>
    public static async Task<string?> FirstFailureAsync(int localPort, string path, int attempts, TimeSpan pause, CancellationToken cancellationToken)
    {
        // No proxy: HTTP_PROXY must not capture a request meant for our own loopback listener.
        using var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.Zero };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        var url = new Uri($"http://127.0.0.1:{localPort}{path}");
        string? failure = null;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                // A fresh connection per try, so each one opens its own tunnel instead of reusing a dead one.
                request.Headers.ConnectionClose = true;
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or SocketException
                                          || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                failure = e is TaskCanceledException ? "no answer within 10s" : Innermost(e);
            }
            if (attempt < attempts) await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
        }
        return failure;
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e.Message;
    }
}
