namespace Kindling.Spark;

/// <summary>Parses repeated <c>--conf key=value</c> arguments as spark-submit does.</summary>
public static class SparkConfArguments
{
    /// <summary>
    /// Splits each argument at its first <c>=</c> (values may contain more). A later value for the same key
    /// wins, as in spark-submit. Keys must be non-blank; every bad argument is reported at once.
    /// </summary>
    /// <exception cref="InvalidInputException">One or more arguments are not <c>key=value</c> (path <c>--conf</c>).</exception>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> arguments)
    {
        var conf = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<InputError>();
        foreach (var argument in arguments)
        {
            var eq = argument.IndexOf('=');
            if (eq <= 0 || argument[..eq].Trim().Length == 0)
            {
                errors.Add(new InputError(null, "--conf", $"'{argument}' is not key=value (e.g. --conf spark.sql.shuffle.partitions=64)"));
                continue;
            }
            conf[argument[..eq].Trim()] = argument[(eq + 1)..];
        }
        if (errors.Count > 0) throw new InvalidInputException(errors);
        return conf;
    }
}
