using System.Text.RegularExpressions;

namespace Kindling.Spark;

/// <summary>Hides secrets in a conf before it is printed, exactly as Spark's <c>Utils.redact</c> does for <c>--verbose</c>.</summary>
public static class SparkRedaction
{
    /// <summary>The default of <c>spark.redaction.regex</c> (Spark's <c>config/package.scala</c>, SECRET_REDACTION_PATTERN; docs/configuration.md).</summary>
    public const string DefaultRegex = "(?i)secret|password|token|access[.]?key";

    /// <summary>Spark's <c>REDACTION_REPLACEMENT_TEXT</c>.</summary>
    public const string Replacement = "*********(redacted)";

    /// <summary>
    /// A copy of <paramref name="conf"/> in which every value whose key OR value matches the conf's own
    /// <c>spark.redaction.regex</c> (default <see cref="DefaultRegex"/>) is replaced by <see cref="Replacement"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Redact(IReadOnlyDictionary<string, string> conf)
    {
        var regex = Pattern(conf);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in conf)
            result[key] = regex.IsMatch(key) || regex.IsMatch(value) ? Replacement : value;
        return result;
    }

    /// <summary>The pattern a conf uses: its own <c>spark.redaction.regex</c> when valid, else Spark's default.</summary>
    public static Regex Pattern(IReadOnlyDictionary<string, string> conf)
    {
        ArgumentNullException.ThrowIfNull(conf);
        if (conf.TryGetValue(SparkConfKeys.RedactionRegex, out var custom))
        {
            try
            {
                // Java's (?i) and .NET's agree for these patterns.
                return new Regex(custom, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException)
            {
                // An unusable custom pattern must not let secrets through: fall back to the default.
            }
        }
        return new Regex(DefaultRegex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
