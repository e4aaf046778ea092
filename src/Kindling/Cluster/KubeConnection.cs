using System.Net.Sockets;
using System.Security.Authentication;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using k8s.Models;
using Kindling.Cluster.Kubeconfig;

namespace Kindling.Cluster;

/// <summary>
/// An authenticated client for one cluster, built from kubeconfig or in-cluster config, with retries below it
/// and one place that turns client failures into <see cref="KubernetesApiException"/> naming the cluster tried.
/// </summary>
public sealed class KubeConnection : IDisposable
{
    private const string InClusterSource = "in-cluster service account";

    private KubeConnection(Kubernetes client, KubernetesClientConfiguration config, KubeTarget target, TimeProvider time)
    {
        Client = client;
        Http = new KubeHttp(client, config.TlsServerName, config.DisableHttp2);
        Target = target;
        DefaultNamespace = config.Namespace;
        Time = time;
    }

    /// <summary>The official client; call it through <see cref="CallAsync{T}"/>.</summary>
    internal IKubernetes Client { get; }

    /// <summary>GETs through the same client, for responses read into Kindling's own small models (<see cref="PodView"/>).</summary>
    internal KubeHttp Http { get; }

    /// <summary>Which file, context and server this connection uses.</summary>
    public KubeTarget Target { get; }

    /// <summary>The context's namespace, if it sets one.</summary>
    public string? DefaultNamespace { get; }

    /// <summary>The clock used for waits.</summary>
    public TimeProvider Time { get; }

    /// <summary>Builds a connection; a missing kubeconfig or unknown context is bad input (nothing was contacted yet).</summary>
    public static KubeConnection Open(KubeConnectionOptions options)
    {
        var (config, target) = ResolveConfiguration(options);
        var client = new WatchingKubernetes(config, new RetryingHandler(options.Retry, options.Time));
        return new KubeConnection(client, config, target, options.Time);
    }

    private static (KubernetesClientConfiguration Config, KubeTarget Target) ResolveConfiguration(KubeConnectionOptions options)
    {
        if (options.KubeconfigPath is { } explicitPath)
        {
            if (InputFile.Problem(explicitPath, explicitPath, "a kubeconfig") is { } problem)
                throw new InvalidInputException("--kubeconfig", problem);
            return FromFiles([explicitPath], options, "--kubeconfig");
        }

        if (!string.IsNullOrWhiteSpace(options.KubeconfigVariable))
        {
            // kubectl merges every listed file and skips missing ones; only files that can be read without blocking
            // are taken (a FIFO would hang).
            var files = options.KubeconfigVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Where(f => InputFile.Problem(f, f, "a kubeconfig") is null).ToList();
            if (files.Count == 0)
                throw new InvalidInputException("KUBECONFIG", $"none of the files in KUBECONFIG exist: {options.KubeconfigVariable}");
            return FromFiles(files, options, "KUBECONFIG");
        }

        var home = options.HomeDirectory ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var defaultPath = Path.Combine(home, ".kube", "config");
        if (!File.Exists(defaultPath) && options.Context is null && KubernetesClientConfiguration.IsInCluster())
        {
            var inCluster = KubernetesClientConfiguration.InClusterConfig();
            return (inCluster, new KubeTarget(InClusterSource, "", inCluster.Host));
        }
        if (File.Exists(defaultPath) && InputFile.Problem(defaultPath, defaultPath, "a kubeconfig") is { } defaultProblem)
            throw new InvalidInputException("--kubeconfig", defaultProblem);
        if (!File.Exists(defaultPath))
            throw new InvalidInputException("--kubeconfig",
                $"no kubeconfig found (looked at {defaultPath}, KUBECONFIG is unset and this is not a pod); " +
                "pass --kubeconfig, or create the cluster with 'kindling infra apply' and its context with 'kindling kubeconfig'");
        return FromFiles([defaultPath], options, "--kubeconfig");
    }

    private static (KubernetesClientConfiguration, KubeTarget) FromFiles(IReadOnlyList<string> files, KubeConnectionOptions options, string argument) =>
        KubeClientConfig.Build(KubeconfigLoader.Load(files, argument), options.Context, argument, options.Time);

    /// <summary>
    /// Runs one API call; failures become <see cref="KubernetesApiException"/> (an HTTP status from the server)
    /// or <see cref="KindlingException"/> (the server could not be reached), both naming the cluster tried.
    /// </summary>
    /// <param name="action">What was attempted, e.g. <c>apply Deployment kindling/jupyter</c>.</param>
    /// <param name="call">The call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    internal async Task<T> CallAsync<T>(string action, Func<IKubernetes, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(Client, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(action, e, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Like <see cref="CallAsync{T}"/>, returning null for 404 Not Found.</summary>
    internal async Task<T?> TryCallAsync<T>(string action, Func<IKubernetes, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await CallAsync(action, call, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode == 404)
        {
            return null;
        }
    }

    /// <summary>The translated form of a client exception, or null to let it propagate (cancellation, bugs).</summary>
    internal Exception? Translate(string action, Exception error, CancellationToken cancellationToken)
    {
        switch (error)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case KindlingException:
                return null;
            case HttpOperationException http:
                return FromStatus(action, (int)http.Response.StatusCode, ParseStatus(http.Response.Content), http.Response.ReasonPhrase, http);
            case KubernetesException kube when kube.Status is { } status:
                return FromStatus(action, status.Code ?? 500, status, null, kube);
            case HttpRequestException transport:
                return new KindlingException($"{action}: cannot reach the Kubernetes API of {Target}: {TransportReason(transport)}", transport);
            case TaskCanceledException timeout:
                return new KindlingException($"{action}: the Kubernetes API of {Target} did not answer in time", timeout);
            default:
                return null;
        }
    }

    private KubernetesApiException FromStatus(string action, int code, V1Status? status, string? reasonPhrase, Exception inner)
    {
        var reason = status?.Reason ?? reasonPhrase ?? code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var detail = status?.Message ?? reasonPhrase ?? "no detail";
        var hint = code switch
        {
            401 => "; the credentials were rejected: refresh them (for EKS: aws eks update-kubeconfig) or pick another --context",
            403 => "; the identity of this context lacks the permission",
            _ => "",
        };
        return new KubernetesApiException(code, reason, $"{action}: {detail} (HTTP {code} {reason}, {Target}){hint}", inner);
    }

    private static V1Status? ParseStatus(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            var status = KubernetesJson.Deserialize<V1Status>(body);
            return status?.Kind == "Status" ? status : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string TransportReason(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused }) return "connection refused (is the cluster running?)";
            if (inner is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain }) return "host not found";
            if (inner is AuthenticationException tls) return $"TLS handshake failed ({tls.Message}); check the cluster CA in the kubeconfig";
        }
        return e.Message;
    }

    /// <inheritdoc />
    public void Dispose() => Client.Dispose();
}
