using Kindling.Operations.Spark;
using Kindling.Spark;

namespace Kindling.Cli.Json;

/// <summary>An application in <c>apps</c>/<c>submit --wait</c> <c>-o json</c>.</summary>
internal sealed record AppOutput(
    string Name,
    string AppId,
    string Namespace,
    string? DriverPod,
    string State,
    string? Reason,
    string? Message,
    int? ExitCode,
    ExecutorCounts Executors,
    DateTimeOffset? CreatedAt,
    string Mode)
{
    public static AppOutput From(SparkApplication app) => new(
        app.Name, app.AppId, app.Namespace, app.DriverPod, app.State.ToString(), app.Reason, app.Message, app.ExitCode,
        new ExecutorCounts(app.ExecutorsRunning, app.ExecutorsRequested), app.CreatedAt, app.ClientMode ? "client" : "cluster");
}

/// <summary>Executors running and asked for.</summary>
internal sealed record ExecutorCounts(int Running, int Requested);

/// <summary>A row of <c>apps --all</c> / <c>apps -o wide</c> in <c>-o json</c>: the same fields as the table.</summary>
internal sealed record AppRowOutput(
    string Name,
    string AppId,
    string State,
    long? DurationSeconds,
    int Executors,
    string? Submitter,
    string? Reason,
    string Source,
    SparkTaskCounts? Tasks)
{
    public static AppRowOutput From(SparkApplicationSummary row) => new(
        row.Name, row.AppId, row.State, row.Duration is { } d ? (long)d.TotalSeconds : null, row.Executors, row.Submitter,
        row.Reason, row.Source, row.Tasks);
}
