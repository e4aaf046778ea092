using Kindling.Spark;

namespace Kindling.Operations.Spark;

/// <summary>
/// Reads the pod template files named by <c>spark.kubernetes.driver.podTemplateFile</c> and
/// <c>spark.kubernetes.executor.podTemplateFile</c> on the submitting machine, where spark-submit reads them too.
/// </summary>
internal static class SparkPodTemplateFiles
{
    /// <summary>Reads and parses both templates; every problem is added to <paramref name="errors"/>.</summary>
    /// <param name="conf">The environment's conf overlaid with the application's.</param>
    /// <param name="resolvePath">Turns a relative path into an absolute one.</param>
    /// <param name="errors">Collects located problems.</param>
    public static SparkPodTemplates Load(IReadOnlyDictionary<string, string> conf, Func<string, string> resolvePath, List<InputError> errors) =>
        new(Read(conf, SparkConfKeys.DriverPodTemplateFile, resolvePath, errors),
            Read(conf, SparkConfKeys.ExecutorPodTemplateFile, resolvePath, errors));

    private static k8s.Models.V1Pod? Read(IReadOnlyDictionary<string, string> conf, string key, Func<string, string> resolvePath, List<InputError> errors)
    {
        if (!conf.TryGetValue(key, out var value)) return null;
        var path = $"--conf {key}";
        var local = value.StartsWith("file://", StringComparison.Ordinal) ? new Uri(value).LocalPath : value;
        if (local.Contains("://", StringComparison.Ordinal) || local.StartsWith("local:", StringComparison.Ordinal))
        {
            errors.Add(new InputError(null, path, $"'{value}' is not a local file; Kindling reads pod templates from the submitting machine, so download it and give its path"));
            return null;
        }
        string text;
        try
        {
            var full = resolvePath(local);
            // Checked before opening: a FIFO would block the read forever.
            if (InputFile.Problem(full, value, "a Pod manifest") is { } problem)
            {
                errors.Add(new InputError(null, path, problem));
                return null;
            }
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add(new InputError(null, path, $"cannot read '{value}': {e.Message}"));
            return null;
        }
        try
        {
            return SparkPodTemplate.Parse(text, path, value);
        }
        catch (InvalidInputException e)
        {
            errors.AddRange(e.Errors);
            return null;
        }
    }
}
