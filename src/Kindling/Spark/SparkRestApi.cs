using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Kindling.Json;

namespace Kindling.Spark;

/// <summary>
/// The parts of Spark's monitoring REST API (docs/monitoring.md, "REST API"; core <c>status/api/v1/api.scala</c>)
/// Kindling reads, served alike by a live driver's UI and by the History Server under <c>/api/v1</c>.
/// </summary>
public static class SparkRestApi
{
    /// <summary><c>/api/v1/applications</c>: every application the server knows.</summary>
    public const string ApplicationsPath = "/api/v1/applications";

    /// <summary>Live executors (and the driver) of a running application.</summary>
    public static string ExecutorsPath(string appId) => $"{ApplicationsPath}/{Uri.EscapeDataString(appId)}/executors";

    /// <summary>Every executor that ever ran, removed ones with their <c>removeReason</c>.</summary>
    public static string AllExecutorsPath(string appId) => $"{ApplicationsPath}/{Uri.EscapeDataString(appId)}/allexecutors";

    /// <summary>The executor summary's id of the driver, which the executors endpoints list too.</summary>
    public const string DriverExecutorId = "driver";

    /// <summary>Parses an applications list; a body that is not one gives an empty list.</summary>
    public static IReadOnlyList<SparkRestApplication> ParseApplications(string json) => Parse(json, KindlingJson.SparkRest.ListSparkRestApplication) ?? [];

    /// <summary>Parses an executors list; a body that is not one gives an empty list.</summary>
    public static IReadOnlyList<SparkRestExecutor> ParseExecutors(string json) => Parse(json, KindlingJson.SparkRest.ListSparkRestExecutor) ?? [];

    private static T? Parse<T>(string json, JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary><c>ApplicationInfo</c>.</summary>
public sealed record SparkRestApplication
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public IReadOnlyList<SparkRestAttempt> Attempts { get; init; } = [];

    /// <summary>The latest attempt (Spark lists the newest first).</summary>
    [JsonIgnore]
    public SparkRestAttempt? Latest => Attempts.Count > 0 ? Attempts[0] : null;
}

/// <summary><c>ApplicationAttemptInfo</c>; times are epoch milliseconds.</summary>
public sealed record SparkRestAttempt
{
    public string? AttemptId { get; init; }
    public long StartTimeEpoch { get; init; }
    public long EndTimeEpoch { get; init; }
    public long Duration { get; init; }
    public string? SparkUser { get; init; }
    public bool Completed { get; init; }
    public string? AppSparkVersion { get; init; }
}

/// <summary><c>ExecutorSummary</c>: task counters and, for removed executors, why Spark removed them.</summary>
public sealed record SparkRestExecutor
{
    public string Id { get; init; } = "";
    public bool IsActive { get; init; }
    public int ActiveTasks { get; init; }
    public int CompletedTasks { get; init; }
    public int FailedTasks { get; init; }
    public int TotalTasks { get; init; }

    /// <summary>
    /// Recorded in the event log when the executor was removed. On Kubernetes Spark writes the container's end into
    /// it (<c>ExecutorPodsLifecycleManager</c>: "The executor with id N exited with exit code 137(SIGKILL, possible
    /// container OOM)." plus the pod's reason), so it outlives the pod.
    /// </summary>
    public string? RemoveReason { get; init; }

    [JsonIgnore]
    public bool IsDriver => Id == SparkRestApi.DriverExecutorId;
}
