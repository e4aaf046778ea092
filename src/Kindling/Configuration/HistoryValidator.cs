namespace Kindling.Configuration;

/// <summary>Checks of <c>history:</c>; part of <see cref="SpecValidator"/>.</summary>
internal static class HistoryValidator
{
    public static void Validate(EnvironmentSpec spec, Action<string, string?> check)
    {
        var history = spec.History;
        // The images carry hadoop-aws, and a directory every driver, executor and the History Server share must be
        // a shared filesystem: s3a:// is the one scheme that is both (file:// would be local to each pod).
        if (history.EventLogDir is { } events) check("history.eventLogDir", Location(events, "spark-events"));
        if (history.DriverLogDir is { } driverLogs) check("history.driverLogDir", Location(driverLogs, "spark-driver-logs"));
        if (history.Enabled == true && history.EventLogDir is null && spec.Aws.S3Buckets.Count == 0 && !spec.Storage.Local)
            check("history.enabled", "is true but there is no S3 location for event logs; set history.eventLogDir: s3a://<bucket>/spark-events add a bucket to aws.s3Buckets, or set storage.local: true on a laptop cluster");
        check("history.maxAge", Formats.SparkDuration(history.MaxAge) is null ? null
            : $"'{history.MaxAge}' is not a Spark duration; use e.g. 7d, 30d or 12h");
        check("history.cpu", Formats.PositiveQuantity(history.Cpu));
        check("history.memory", Formats.MemoryQuantity(history.Memory));
    }

    private static string? Location(string value, string example)
    {
        if (S3Buckets.OfS3aUri(value) is not { } bucket)
            return $"'{value}' is not an s3a:// location; Spark writes event and driver logs through S3A, use e.g. s3a://my-bucket/{example}";
        if (S3Buckets.Problem(bucket) is { } problem) return problem;
        return value.Length > "s3a://".Length + bucket.Length + 1 ? null
            : $"'{value}' is a whole bucket; give a prefix so the History Server lists only Spark's logs, e.g. s3a://{bucket}/{example}";
    }
}
