using Kindling.Operations.Spark;
using Kindling.Spark;

namespace Kindling.Operations;

/// <summary>Options of <c>kindling submit</c>.</summary>
public sealed record SubmitOptions
{
    /// <summary>The environment submitted to.</summary>
    public required EnvironmentContext Environment { get; init; }

    /// <summary>The application.</summary>
    public required SparkApplicationSpec Application { get; init; }

    /// <summary>
    /// A Java properties file of Spark conf (<c>--properties-file</c>): read like spark-submit reads it, only
    /// <c>spark.*</c> keys, and overridden by <see cref="SparkApplicationSpec.Conf"/>.
    /// </summary>
    public string? PropertiesFile { get; init; }

    /// <summary>Build everything and create nothing (<c>--dry-run</c>).</summary>
    public bool DryRun { get; init; }

    /// <summary>Wait until the application finishes (<c>--wait</c>).</summary>
    public bool Wait { get; init; }

    /// <summary>Wait, and stream the driver's log to <see cref="LogSink"/> while it runs (<c>--follow</c>).</summary>
    public bool Follow { get; init; }

    /// <summary>Receives the driver's log lines when following.</summary>
    public Action<string>? LogSink { get; init; }

    /// <summary>Sees every state change while waiting.</summary>
    public Action<SparkApplication>? OnChange { get; init; }

    /// <summary>Called once the driver pod and its objects exist, before waiting.</summary>
    public Action<SparkSubmitResult>? OnSubmitted { get; init; }

    /// <summary>
    /// Sees the plan before anything is uploaded or created: sizes, warnings and the resolved conf, so a caller
    /// can show them (and a "512m became 896Mi" surprise) first.
    /// </summary>
    public Action<SparkSubmitPlan>? OnPlanned { get; init; }
}

/// <summary>What <c>submit</c> did.</summary>
/// <param name="Plan">The objects as built, warnings included.</param>
/// <param name="Namespace">The namespace.</param>
/// <param name="Submitted">What was created; null for a dry run.</param>
/// <param name="Final">The final state when waiting; null otherwise.</param>
public sealed record SubmitResult(SparkSubmitPlan Plan, string Namespace, SparkSubmitResult? Submitted, SparkApplication? Final)
{
    /// <summary>True unless the application was waited for and did not succeed.</summary>
    public bool Succeeded => Final is null || Final.State == SparkApplicationState.Succeeded;
}

/// <summary>
/// <c>kindling submit</c>: plan (validate, read local files, build the objects), then upload, create, and
/// optionally wait or follow the driver's log. Bad input is reported before anything is sent anywhere.
/// </summary>
public static class SubmitOperation
{
    /// <summary>The plan alone: what <see cref="RunAsync"/> would create. Reads local files; contacts nothing.</summary>
    /// <exception cref="InvalidInputException">Every problem of the input at once; nothing was sent anywhere.</exception>
    public static SparkSubmitPlan Plan(SubmitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = SparkEnvironment.ClientOptions(options.Environment);
        var (spec, fileWarnings) = WithPropertiesFile(options, clientOptions.ResolvePath);
        var plan = SparkApplications.Plan(spec, clientOptions);
        return plan with { Warnings = [.. fileWarnings, .. plan.Warnings] };
    }

    /// <summary>Plans, then (unless a dry run) submits, then waits or follows as asked.</summary>
    public static async Task<SubmitResult> RunAsync(SubmitOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var plan = Plan(options);
        options.OnPlanned?.Invoke(plan);
        var ns = plan.Submission.DriverPod.Metadata.NamespaceProperty;
        if (options.DryRun) return new SubmitResult(plan, ns, null, null);

        var apps = SparkEnvironment.Open(options.Environment);
        var submitted = await apps.SubmitAsync(plan, cancellationToken).ConfigureAwait(false);
        options.OnSubmitted?.Invoke(submitted);
        if (!options.Wait && !options.Follow) return new SubmitResult(plan, ns, submitted, null);
        var final = options.Follow
            ? await FollowAsync(apps, submitted.AppId, options, cancellationToken).ConfigureAwait(false)
            : await apps.WaitForCompletionAsync(submitted.AppId, options.OnChange, cancellationToken).ConfigureAwait(false);
        return new SubmitResult(plan, ns, submitted, final);
    }

    /// <summary>spark-submit's order: the properties file first, then <c>--conf</c> (SparkSubmitArguments.mergeDefaultSparkProperties).</summary>
    private static (SparkApplicationSpec Spec, IReadOnlyList<string> Warnings) WithPropertiesFile(SubmitOptions options, Func<string, string> resolvePath)
    {
        if (options.PropertiesFile is not { } file) return (options.Application, []);
        var loaded = SparkPropertiesFile.Load(resolvePath(file));
        var conf = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in loaded.Properties) conf[k] = v;
        foreach (var (k, v) in options.Application.Conf) conf[k] = v;
        // spark-submit's own words for keys it drops (SparkSubmitArguments.ignoreNonSparkProperties).
        var warnings = loaded.Ignored.Select(k => $"Ignoring non-Spark config property: {k} (in {file})").ToList();
        return (options.Application with { Conf = conf }, warnings);
    }

    /// <summary>Waits until the driver runs, streams its log to the end, then returns the final state.</summary>
    private static async Task<SparkApplication> FollowAsync(SparkApplications apps, string appId, SubmitOptions options, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var final = apps.WaitForCompletionAsync(appId, app =>
        {
            options.OnChange?.Invoke(app);
            if (app.State is SparkApplicationState.Running || app.IsFinished) started.TrySetResult();
        }, stop.Token);
        await Task.WhenAny(started.Task, final).ConfigureAwait(false);
        if (started.Task.IsCompleted)
        {
            await foreach (var line in apps.GetLogsAsync(appId, new SparkLogOptions { Follow = true }, cancellationToken).ConfigureAwait(false))
                options.LogSink?.Invoke(line);
        }
        return await final.ConfigureAwait(false);
    }
}
