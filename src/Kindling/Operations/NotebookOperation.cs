using System.Text;
using k8s;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Resources;

namespace Kindling.Operations;

/// <summary>Options of <c>kindling notebook</c>.</summary>
public sealed record NotebookOptions
{
    /// <summary>The local port on 127.0.0.1 (<c>--port</c>); 0 lets the system choose.</summary>
    public int LocalPort { get; init; } = 8888;

    /// <summary>
    /// Replace the token with a new one and restart the notebook before forwarding (<c>--rotate-token</c>); the
    /// old URL stops working.
    /// </summary>
    public bool RotateToken { get; init; }

    /// <summary>How long to wait for the restarted notebook after rotating.</summary>
    public TimeSpan RestartTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How many requests through the forward may fail before the notebook counts as unreachable.</summary>
    public int ProbeAttempts { get; init; } = 5;

    /// <summary>The pause between those requests: a pod that just turned Ready may refuse the first.</summary>
    public TimeSpan ProbePause { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>A running port-forward to the notebook.</summary>
/// <param name="Url">The login URL, with the token: the one place Kindling shows it.</param>
/// <param name="Pod">The pod forwarded to.</param>
/// <param name="LocalPort">The bound local port.</param>
public sealed record NotebookSession(string Url, string Pod, int LocalPort)
{
    /// <summary>Redacted, so logging the session never leaks the token.</summary>
    public override string ToString() => $"NotebookSession {{ Pod = {Pod}, LocalPort = {LocalPort}, Url = <redacted> }}";
}

/// <summary>
/// <c>kindling notebook</c>: forwards a local port to the Ready notebook pod and hands back the login URL with
/// the token read from the Secret; serves until cancelled, which is the normal way to stop.
/// </summary>
public static class NotebookOperation
{
    /// <param name="environment">The environment and its cluster; a forwarded connection that fails is reported to its progress, and the forward keeps serving.</param>
    /// <param name="options">What to forward.</param>
    /// <param name="onReady">Called once the local port listens, with the URL to open.</param>
    /// <param name="cancellationToken">Stops forwarding (Ctrl+C); the method then returns normally.</param>
    public static async Task RunAsync(EnvironmentContext environment, NotebookOptions options, Action<NotebookSession> onReady, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onReady);
        var ns = environment.Namespace;
        var names = environment.Names;
        var connection = environment.Connection;

        if (options.RotateToken)
        {
            var progress = environment.Progress;
            progress.Report(new ProgressEvent($"Secret/{names.TokenSecret}", ProgressStatus.Started, "rotating the token"));
            await new TokenRotation(connection, ns).RotateAsync(names.TokenSecret, names.JupyterDeployment, JupyterToken.New(), environment.Time, cancellationToken)
                .ConfigureAwait(false);
            progress.Report(new ProgressEvent($"Deployment/{names.JupyterDeployment}", ProgressStatus.Waiting, "restarting the notebook with the new token"));
            // The rollout is complete only when the restarted pod is Ready and the old one is gone (Recreate
            // strategy), so the pod forwarded to below is one that started with the new token.
            await new ReadinessWaiter(connection).WaitAsync(ReadinessTargets.From(environment.Manifests(), ns),
                new ReadinessOptions(options.RestartTimeout, TimeSpan.FromSeconds(3)), progress, cancellationToken).ConfigureAwait(false);
            progress.Report(new ProgressEvent($"Secret/{names.TokenSecret}", ProgressStatus.Done, "token rotated; earlier URLs no longer log in"));
        }

        var pod = await ReadyPodAsync(connection, ns, names.JupyterDeployment, cancellationToken).ConfigureAwait(false);
        var token = await TokenAsync(connection, ns, names.TokenSecret, cancellationToken).ConfigureAwait(false);

        // Until the probe has passed, a failed connection is the probe's to explain, not a progress line.
        var probing = true;
        string? forwardError = null;
        var port = environment.Spec.Notebook.Port;
        await using var forwarder = PortForwarder.Start(connection, new PortForwardTarget(ns, pod, port, options.LocalPort), message =>
        {
            if (Volatile.Read(ref probing)) Volatile.Write(ref forwardError, message);
            else environment.Progress.Report(new ProgressEvent($"Pod/{pod}", ProgressStatus.Failed, message));
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var serving = forwarder.RunAsync(stop.Token);
        try
        {
            // The URL is printed only once a request through the forward was answered (issue 10 §4).
            var failure = await ForwardProbe.FirstFailureAsync(forwarder.LocalPort, ProbePath, options.ProbeAttempts, options.ProbePause, cancellationToken)
                .ConfigureAwait(false);
            if (failure is not null)
            {
                var why = Volatile.Read(ref forwardError) ?? failure;
                throw new KindlingException(
                    $"the port-forward to Pod/{pod} port {port} does not reach Jupyter ({why}); the URL would not work. " +
                    $"See 'kindling status' and 'kubectl logs -n {ns} {pod}'; a notebook whose server stopped is restarted by 'kindling up'");
            }
            Volatile.Write(ref probing, false);
            onReady(new NotebookSession($"http://127.0.0.1:{forwarder.LocalPort}/?token={Uri.EscapeDataString(token)}", pod, forwarder.LocalPort));
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await serving.ConfigureAwait(false);
            throw;
        }
        await serving.ConfigureAwait(false);
    }

    /// <summary>Jupyter Server's <c>GET /api</c> answers with its version and needs no token.</summary>
    private const string ProbePath = "/api";

    internal static async Task<string> ReadyPodAsync(KubeConnection connection, string ns, string deploymentName, CancellationToken cancellationToken)
    {
        var deployment = await connection.TryCallAsync($"read Deployment/{deploymentName}",
            (k, ct) => k.AppsV1.ReadNamespacedDeploymentAsync(deploymentName, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false)
            ?? throw new KindlingException($"the notebook is not deployed in namespace {ns} on {connection.Target}; run 'kindling up' first");
        var selector = new SortedDictionary<string, string>(deployment.Spec?.Selector?.MatchLabels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var pods = await connection.CallAsync($"list pods of Deployment/{deploymentName}",
            (k, ct) => k.CoreV1.ListNamespacedPodAsync(ns, labelSelector: PodConditions.Selector(selector), cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var ready = pods.Items
            .Where(p => PodConditions.IsReady(p) && p.Metadata.DeletionTimestamp is null)
            .OrderByDescending(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .FirstOrDefault();
        if (ready is not null) return ready.Metadata.Name;
        var states = pods.Items.Count == 0 ? "no pod exists" : string.Join(", ", pods.Items.Select(p => $"{p.Metadata.Name}: {PodConditions.Summary(p)}"));
        throw new KindlingException($"no Ready notebook pod in namespace {ns} ({states}); see 'kindling status', or run 'kindling up' to wait for it");
    }

    internal static async Task<string> TokenAsync(KubeConnection connection, string ns, string secretName, CancellationToken cancellationToken)
    {
        var secret = await connection.TryCallAsync($"read Secret/{secretName}",
            (k, ct) => k.CoreV1.ReadNamespacedSecretAsync(secretName, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        if (secret?.Data?.TryGetValue(ResourceNames.TokenKey, out var bytes) == true && bytes.Length > 0) return Encoding.UTF8.GetString(bytes);
        if (secret?.StringData?.TryGetValue(ResourceNames.TokenKey, out var text) == true && text.Length > 0) return text;
        if (secret is null)
            throw new KindlingException($"Secret/{secretName} does not exist in namespace {ns}; run 'kindling up' to create it (with a new token)");
        throw new KindlingException($"Secret/{secretName} in namespace {ns} has no '{ResourceNames.TokenKey}' key; run 'kindling notebook --rotate-token' to set a new one");
    }
}
