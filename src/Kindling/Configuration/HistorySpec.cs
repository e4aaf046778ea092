namespace Kindling.Configuration;

/// <summary>
/// <c>history:</c> in kindling.yaml: Spark event logs and persisted driver logs on S3, read back by a Spark History
/// Server that <c>up</c> runs in the environment.
/// </summary>
public sealed record HistorySpec
{
    /// <summary>
    /// Null (the default) turns history on whenever there is a location: <see cref="EventLogDir"/> or the first of
    /// <c>aws.s3Buckets</c>. <c>true</c> demands one; <c>false</c> turns it off.
    /// </summary>
    public bool? Enabled { get; init; }

    /// <summary>
    /// <c>spark.eventLog.dir</c>; default <c>s3a://&lt;storage.bucket&gt;/spark-events/&lt;name&gt;</c> with
    /// <c>storage.local</c>, else <c>s3a://&lt;first of aws.s3Buckets&gt;/spark-events/&lt;name&gt;</c>.
    /// </summary>
    public string? EventLogDir { get; init; }

    /// <summary>
    /// <c>spark.driver.log.dfsDir</c>; default <c>s3a://&lt;bucket&gt;/spark-driver-logs/&lt;name&gt;</c> beside the default
    /// event logs, or <c>&lt;eventLogDir&gt;-driver-logs</c> when the event log location is given.
    /// </summary>
    public string? DriverLogDir { get; init; }

    /// <summary>Retention: the History Server's cleaners delete event and driver logs older than this (Spark duration).</summary>
    public string MaxAge { get; init; } = "30d";

    /// <summary>CPU request and limit of the History Server (Kubernetes quantity).</summary>
    public string Cpu { get; init; } = "500m";

    /// <summary>Memory request and limit of the History Server (Kubernetes quantity); its JVM heap is three quarters of it.</summary>
    public string Memory { get; init; } = "2Gi";
}

/// <summary>Where an environment's event logs and driver logs live, once history is on.</summary>
/// <param name="EventLogDir"><c>spark.eventLog.dir</c>, without a trailing slash.</param>
/// <param name="DriverLogDir"><c>spark.driver.log.dfsDir</c>, without a trailing slash.</param>
public sealed record HistoryLocations(string EventLogDir, string DriverLogDir)
{
    /// <summary>Both directories, event logs first.</summary>
    public IReadOnlyList<string> Directories => [EventLogDir, DriverLogDir];

    /// <summary>
    /// The locations of <paramref name="spec"/>, or null when history is off: switched off, or on by default with
    /// neither <c>history.eventLogDir</c> nor a bucket in <c>aws.s3Buckets</c> (see <see cref="WhyOff"/>).
    /// </summary>
    public static HistoryLocations? Of(EnvironmentSpec spec)
    {
        var history = spec.History;
        if (history.Enabled == false) return null;
        if (history.EventLogDir is { } explicitDir)
        {
            var events = explicitDir.TrimEnd('/');
            return new HistoryLocations(events, history.DriverLogDir?.TrimEnd('/') ?? events + "-driver-logs");
        }
        // The in-cluster store's bucket comes first: with storage.local every s3a:// URL goes to that store.
        var bucket = spec.Storage.Local ? spec.Storage.Bucket : spec.Aws.S3Buckets is [var first, ..] ? first : null;
        if (bucket is null) return null;
        return new HistoryLocations(
            $"s3a://{bucket}/spark-events/{spec.Name}",
            history.DriverLogDir?.TrimEnd('/') ?? $"s3a://{bucket}/spark-driver-logs/{spec.Name}");
    }

    /// <summary>Why history is off and how to turn it on, or null when it is on.</summary>
    public static string? WhyOff(EnvironmentSpec spec) =>
        Of(spec) is not null ? null
        : spec.History.Enabled == false ? "history is off (history.enabled: false); set it to true to keep event logs and driver logs on S3 and run a History Server"
        : "history is off: there is no S3 location for event logs; add a bucket to aws.s3Buckets, set history.eventLogDir: s3a://<bucket>/spark-events, or on a laptop cluster set storage.local: true";
}
