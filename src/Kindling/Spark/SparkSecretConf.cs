namespace Kindling.Spark;

/// <summary>
/// Which conf values are secrets, by Spark's own rule (<see cref="SparkRedaction.Pattern"/>): a key matching <c>spark.redaction.regex</c>, whose default is
/// <c>(?i)secret|password|token|access[.]?key</c> (Spark core <c>internal/config/package.scala</c>,
/// SECRET_REDACTION_PATTERN; the issue's <c>access[.]key</c> misses the optional dot). Such values are kept out of
/// plain env vars, ConfigMaps and printed output: they go into a Kubernetes Secret the pod reads through
/// <c>secretKeyRef</c>.
/// </summary>
public static class SparkSecretConf
{
    /// <summary>Splits a conf into plain values and secret ones (each ordinal-sorted).</summary>
    public static (SortedDictionary<string, string> Plain, SortedDictionary<string, string> Secret) Split(IReadOnlyDictionary<string, string> conf)
    {
        var pattern = SparkRedaction.Pattern(conf);
        var plain = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var secret = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in conf)
        {
            if (pattern.IsMatch(key)) secret[key] = value;
            else plain[key] = value;
        }
        return (plain, secret);
    }
}
