using Kindling.Cluster;
using Kindling.Operations.Spark;

namespace Kindling.Operations;

/// <summary>Options of <c>kindling ui</c>.</summary>
public sealed record UiOptions
{
    /// <summary>The environment.</summary>
    public required EnvironmentContext Environment { get; init; }

    /// <summary>App id, driver pod or application name.</summary>
    public required string Application { get; init; }

    /// <summary>The local port (<c>--port</c>); 0 picks a free one.</summary>
    public int LocalPort { get; init; } = 4040;

    /// <summary>Called once the forward listens, with what is served and where.</summary>
    public Action<UiEndpoint>? OnReady { get; init; }
}

/// <summary>Where <c>ui</c> serves an application's UI.</summary>
/// <param name="AppId">The application id.</param>
/// <param name="Url">The local URL: the driver's Spark UI, or the application's page on the History Server.</param>
/// <param name="FromHistory">True when the application has finished and the History Server serves its UI.</param>
public sealed record UiEndpoint(string AppId, Uri Url, bool FromHistory);

/// <summary>
/// <c>kindling ui</c>: port-forwards to a running driver's Spark UI until cancelled. A finished application (its
/// driver pod finished, or no pod of it left) is served by the History Server, which rebuilds its UI from the event
/// log. Notebook sessions are refused with the reason (their UI is served by the notebook pod).
/// </summary>
public static class UiOperation
{
    /// <summary>Forwards until <paramref name="cancellationToken"/> is cancelled or the connection ends.</summary>
    /// <exception cref="InvalidInputException">No such application, live or finished, or it is a notebook session.</exception>
    /// <exception cref="KindlingException">A finished application, and no History Server pod is ready.</exception>
    public static async Task RunAsync(UiOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var environment = options.Environment;
        var apps = SparkEnvironment.Open(environment);
        var found = await apps.GetAsync(options.Application, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            // No pods left: a finished application is served by the History Server.
            var finished = environment.Spec.History is { Enabled: false } ? null : await TryFinishedAsync(apps, options.Application, cancellationToken).ConfigureAwait(false);
            if (finished is null) throw new InvalidInputException("app", $"no Spark application '{options.Application}'; see 'kindling apps --all'");
            await ForwardHistoryAsync(options, apps, finished, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (found.ClientMode || found.DriverPod is null)
            throw new InvalidInputException("app", $"{found.AppId} is a notebook session: its UI is served by the notebook pod {found.DriverPod}");
        if (found.IsFinished)
        {
            // Its UI is gone with the driver; the History Server rebuilds it from the event log.
            await ForwardHistoryAsync(options, apps, found.AppId, cancellationToken).ConfigureAwait(false);
            return;
        }
        await using var forwarder = PortForwarder.Start(environment.Connection,
            new PortForwardTarget(environment.Namespace, found.DriverPod, environment.Spec.Spark.UiPort, options.LocalPort));
        options.OnReady?.Invoke(new UiEndpoint(found.AppId, new Uri($"http://127.0.0.1:{forwarder.LocalPort}/"), false));
        await forwarder.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ForwardHistoryAsync(UiOptions options, SparkApplications apps, string appId, CancellationToken cancellationToken)
    {
        var environment = options.Environment;
        var (pod, remote) = await apps.HistoryServerPodAsync(cancellationToken).ConfigureAwait(false);
        await using var forwarder = PortForwarder.Start(environment.Connection, new PortForwardTarget(environment.Namespace, pod, remote, options.LocalPort));
        options.OnReady?.Invoke(new UiEndpoint(appId, new Uri($"http://127.0.0.1:{forwarder.LocalPort}{SparkApplications.HistoryUiPath(appId)}"), true));
        await forwarder.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string?> TryFinishedAsync(SparkApplications apps, string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await apps.GetFinishedAsync(name, cancellationToken).ConfigureAwait(false))?.Id;
        }
        catch (KindlingException)
        {
            return null; // no History Server: the "no such application" message applies
        }
    }
}
