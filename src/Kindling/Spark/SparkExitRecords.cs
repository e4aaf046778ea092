using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kindling.Spark;

/// <summary>
/// How a cluster-mode application ended, kept after its driver pod is gone. Kubernetes keeps the driver container's
/// exit (<c>status.containerStatuses[].state.terminated</c>: reason, exitCode, message) only as long as the pod
/// exists, and nothing Spark writes holds it reliably: the event log's <c>SparkListenerApplicationEnd</c> is posted
/// only when the SparkContext stops cleanly, so a driver that is OOMKilled or SIGKILLed leaves no end at all. So
/// Kindling copies the pod's verdict while the pod is still there.
/// </summary>
/// <param name="AppId">The application id.</param>
/// <param name="Name">The application name.</param>
/// <param name="State">Succeeded, Failed, or Killed (stopped by <c>kindling kill</c> while it ran).</param>
/// <param name="Reason">The container's termination reason (<c>Completed</c>, <c>Error</c>, <c>OOMKilled</c>) or the pod's (<c>Evicted</c>).</param>
/// <param name="ExitCode">The driver container's exit code, when it had terminated.</param>
/// <param name="Message">Kubernetes' message, shortened.</param>
/// <param name="DriverPod">The driver pod that is gone.</param>
/// <param name="CreatedAt">When the driver pod was created.</param>
/// <param name="RecordedAt">When Kindling recorded it.</param>
public sealed record SparkExitRecord(
    string AppId,
    string Name,
    string State,
    string? Reason,
    int? ExitCode,
    string? Message,
    string? DriverPod,
    DateTimeOffset? CreatedAt,
    DateTimeOffset RecordedAt);

/// <summary>Pure functions over <see cref="SparkExitRecord"/>s and the ConfigMap data that holds them (one key per app id).</summary>
public static class SparkExitRecords
{
    /// <summary>The state of an application stopped by <c>kindling kill</c> before it finished.</summary>
    public const string Killed = "Killed";

    /// <summary>
    /// Records kept; the oldest go first. A ConfigMap holds at most 1 MiB (etcd's object size limit), and a record is
    /// at most about 2.5 KiB (<see cref="MessageLimit"/> plus names and times).
    /// </summary>
    public const int Limit = 300;

    /// <summary>
    /// Characters of Kubernetes' message kept: all of it, since the kubelet caps a FallbackToLogsOnError message (the
    /// log's tail, the only part of a hard-killed driver's log that survives) at 2048 bytes.
    /// </summary>
    public const int MessageLimit = 2048;

    /// <summary>The record of a finished cluster-mode application, or null for a live one or a notebook session (it has no driver pod to lose).</summary>
    public static SparkExitRecord? Finished(SparkApplication app, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.IsFinished || app.ClientMode || app.DriverPod is null) return null;
        return new SparkExitRecord(app.AppId, app.Name, app.State.ToString(), app.Reason, app.ExitCode, Shorten(app.Message), app.DriverPod, app.CreatedAt, now);
    }

    /// <summary>
    /// The record of an application about to be stopped by <c>kindling kill</c>: its own verdict when it had already
    /// finished, else <see cref="Killed"/> (the exit code a SIGTERMed JVM reports says nothing the user did not do).
    /// </summary>
    public static SparkExitRecord? Stopping(SparkApplication app, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ClientMode || app.DriverPod is null) return null;
        return Finished(app, now) ?? new SparkExitRecord(app.AppId, app.Name, Killed, "KilledByKindling", null,
            $"stopped by 'kindling kill' while {app.State.ToString().ToLowerInvariant()}", app.DriverPod, app.CreatedAt, now);
    }

    /// <summary>The ConfigMap data value of a record.</summary>
    public static string Serialize(SparkExitRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("name", record.Name);
            json.WriteString("state", record.State);
            if (record.Reason is { } reason) json.WriteString("reason", reason);
            if (record.ExitCode is { } code) json.WriteNumber("exitCode", code);
            if (record.Message is { } message) json.WriteString("message", message);
            if (record.DriverPod is { } pod) json.WriteString("driverPod", pod);
            if (record.CreatedAt is { } created) json.WriteString("createdAt", created.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("recordedAt", record.RecordedAt.ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Every readable record of the data; a value someone edited into something else is skipped, not fatal.</summary>
    public static IReadOnlyDictionary<string, SparkExitRecord> Parse(IDictionary<string, string>? data)
    {
        var records = new Dictionary<string, SparkExitRecord>(StringComparer.Ordinal);
        foreach (var (key, value) in data ?? new Dictionary<string, string>())
            if (TryParse(key, value) is { } record) records[key] = record;
        return records;
    }

    /// <summary>The keys to drop so that <paramref name="adding"/> more records keep the total within <see cref="Limit"/>: the oldest recorded.</summary>
    public static IReadOnlyList<string> Evictions(IReadOnlyDictionary<string, SparkExitRecord> existing, int adding)
    {
        ArgumentNullException.ThrowIfNull(existing);
        var excess = existing.Count + adding - Limit;
        return excess <= 0 ? [] : [.. existing.Values.OrderBy(r => r.RecordedAt).ThenBy(r => r.AppId, StringComparer.Ordinal).Take(excess).Select(r => r.AppId)];
    }

    /// <summary>The record as an application row: finished, no pods, its driver named as it was.</summary>
    public static SparkApplication ToApplication(SparkExitRecord record, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(record);
        var state = record.State == SparkApplicationState.Succeeded.ToString() ? SparkApplicationState.Succeeded : SparkApplicationState.Failed;
        return new SparkApplication(record.AppId, record.Name, @namespace, record.DriverPod, state, record.Reason, record.Message, record.ExitCode, 0, 0, record.CreatedAt, false)
        {
            Recorded = record,
        };
    }

    /// <summary>How a driver ended, for one line of output: <c>Failed, OOMKilled (exit 137)</c>.</summary>
    public static string Describe(string state, string? reason, int? exitCode) =>
        state + (reason is null ? "" : $", {reason}") + (exitCode is { } code ? $" (exit {code})" : "");

    private static string? Shorten(string? message) =>
        message is null ? null : message.Length <= MessageLimit ? message : message[..MessageLimit] + "…";

    private static SparkExitRecord? TryParse(string appId, string value)
    {
        try
        {
            using var doc = JsonDocument.Parse(value);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            string? Text(string name) => root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            DateTimeOffset? Time(string name) => Text(name) is { } t && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var v) ? v : null;
            int? code = root.TryGetProperty("exitCode", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : null;
            if (Text("name") is not { } name || Text("state") is not { } state || Time("recordedAt") is not { } recorded) return null;
            return new SparkExitRecord(appId, name, state, Text("reason"), code, Text("message"), Text("driverPod"), Time("createdAt"), recorded);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
