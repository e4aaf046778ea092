using System.Text.RegularExpressions;

namespace Kindling.Spark;

/// <summary>
/// Which conf values are secrets, by Spark's own rule: a key matching <c>spark.redaction.regex</c>, whose default is
/// <c>(?i)secret|password|token|access[.]?key</c> (Spark core <c>internal/config/package.scala</c>,
/// SECRET_REDACTION_PATTERN; the issue's <c>access[.]key</c> misses the optional dot). Such values are kept out of
/// plain env vars, ConfigMaps and printed output: they go into a Kubernetes Secret the pod reads through
/// <c>secretKeyRef</c>.
/// </summary>
public static class SparkSecretConf
{
    /// <summary>Spark's default <c>spark.redaction.regex</c>.</summary>
    public const string DefaultRedactionRegex = "(?i)secret|password|token|access[.]?key";

    /// <summary>The conf key that overrides the pattern.</summary>
    public const string RedactionRegexKey = "spark.redaction.regex";

    /// <summary>What a secret value is shown as (Spark's REDACTION_REPLACEMENT_TEXT).</summary>
    public const string Redacted = "*********(redacted)";

    /// <summary>The pattern a conf uses: its own <c>spark.redaction.regex</c> when valid, else Spark's default.</summary>
    public static Regex Pattern(IReadOnlyDictionary<string, string> conf)
    {
        ArgumentNullException.ThrowIfNull(conf);
        if (conf.TryGetValue(RedactionRegexKey, out var custom))
        {
            try
            {
                // Java's (?i) and .NET's agree for these patterns; an unusable pattern must not let secrets through.
                return new Regex(custom, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException)
            {
            }
        }
        return new Regex(DefaultRedactionRegex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>Splits a conf into plain values and secret ones (each ordinal-sorted).</summary>
    public static (SortedDictionary<string, string> Plain, SortedDictionary<string, string> Secret) Split(IReadOnlyDictionary<string, string> conf)
    {
        var pattern = Pattern(conf);
        var plain = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var secret = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in conf)
        {
            if (pattern.IsMatch(key)) secret[key] = value;
            else plain[key] = value;
        }
        return (plain, secret);
    }

    /// <summary>A copy with every secret value replaced by <see cref="Redacted"/>, for anything shown to a person.</summary>
    public static SortedDictionary<string, string> Redact(IReadOnlyDictionary<string, string> conf)
    {
        var (plain, secret) = Split(conf);
        foreach (var key in secret.Keys) plain[key] = Redacted;
        return plain;
    }
}
