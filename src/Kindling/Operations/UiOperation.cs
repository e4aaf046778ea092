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

    /// <summary>Called once the forward listens, with the application id and the local URL.</summary>
    public Action<string, Uri>? OnReady { get; init; }
}

/// <summary>
/// <c>kindling ui</c>: port-forwards to a running driver's Spark UI until cancelled. Finished applications and
/// notebook sessions are refused with the reason (their UI is gone, or served by the notebook pod).
/// </summary>
public static class UiOperation
{
    /// <summary>Forwards until <paramref name="cancellationToken"/> is cancelled or the connection ends.</summary>
    /// <exception cref="InvalidInputException">No such application, or it is a notebook session.</exception>
    public static async Task RunAsync(UiOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var environment = options.Environment;
        var apps = SparkEnvironment.Open(environment);
        var found = await apps.GetAsync(options.Application, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidInputException("app", $"no Spark application '{options.Application}'; see 'kindling apps'");
        if (found.ClientMode || found.DriverPod is null)
            throw new InvalidInputException("app", $"{found.AppId} is a notebook session: its UI is served by the notebook pod {found.DriverPod}");
        if (found.IsFinished)
            throw new KindlingException($"{found.AppId} has finished ({found.State}); its UI is gone with the driver. Use the History Server for finished applications.");
        await using var forwarder = PortForwarder.Start(environment.Connection,
            new PortForwardTarget(environment.Namespace, found.DriverPod, environment.Spec.Spark.UiPort, options.LocalPort));
        options.OnReady?.Invoke(found.AppId, new Uri($"http://127.0.0.1:{forwarder.LocalPort}/"));
        await forwarder.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
