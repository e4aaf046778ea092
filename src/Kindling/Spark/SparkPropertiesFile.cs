using System.Globalization;
using System.Text;

namespace Kindling.Spark;

/// <summary>
/// Reads a Java <c>.properties</c> file the way spark-submit's <c>--properties-file</c> does
/// (<c>Utils.getPropertiesFromFile</c>: UTF-8, <c>java.util.Properties.load</c> syntax, values trimmed, only
/// <c>spark.*</c> keys kept).
/// </summary>
public static class SparkPropertiesFile
{
    /// <summary>The parsed Spark properties and the keys ignored because they do not start with <c>spark.</c>.</summary>
    /// <param name="Properties">The <c>spark.*</c> entries; a later duplicate wins, as in <c>Properties.load</c>.</param>
    /// <param name="Ignored">Other keys, which spark-submit ignores with a warning.</param>
    public sealed record Result(IReadOnlyDictionary<string, string> Properties, IReadOnlyList<string> Ignored);

    /// <summary>Parses <paramref name="text"/>; <paramref name="source"/> locates errors.</summary>
    /// <exception cref="InvalidInputException">A malformed <c>\uXXXX</c> escape, located by line.</exception>
    public static Result Parse(string text, string source)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (line, number) in LogicalLines(text))
        {
            var i = 0;
            var key = new StringBuilder();
            while (i < line.Length && !IsSeparator(line[i]) && !IsWhite(line[i]))
                i = Unescape(line, i, key, source, number);
            while (i < line.Length && IsWhite(line[i])) i++;
            if (i < line.Length && line[i] is '=' or ':') i++;
            while (i < line.Length && IsWhite(line[i])) i++;
            var value = new StringBuilder();
            while (i < line.Length) i = Unescape(line, i, value, source, number);
            var k = key.ToString();
            if (!all.ContainsKey(k)) order.Add(k);
            all[k] = value.ToString();
        }
        // Utils.getPropertiesFromFile trims every value.
        var spark = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var k in order.Where(k => k.StartsWith("spark.", StringComparison.Ordinal))) spark[k] = all[k].Trim();
        return new Result(spark, order.Where(k => !k.StartsWith("spark.", StringComparison.Ordinal)).ToList());
    }

    /// <summary>Reads and parses a file.</summary>
    /// <exception cref="InvalidInputException">The file is missing or malformed (path <c>--properties-file</c>).</exception>
    public static Result Load(string path)
    {
        // Checked before opening: a FIFO would block the read, an unreadable file would surface as a crash.
        if (InputFile.Problem(path, path, "a Java properties") is { } problem) throw new InvalidInputException("--properties-file", problem);
        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException("--properties-file", $"{path} cannot be read ({e.Message})");
        }
        return Parse(text, path);
    }

    private static bool IsWhite(char c) => c is ' ' or '\t' or '\f';

    private static bool IsSeparator(char c) => c is '=' or ':';

    // One character (or escape sequence) from line[i] appended to sb; returns the next index.
    private static int Unescape(string line, int i, StringBuilder sb, string source, int number)
    {
        var c = line[i];
        if (c != '\\') { sb.Append(c); return i + 1; }
        if (i + 1 >= line.Length) return i + 1;
        var next = line[i + 1];
        switch (next)
        {
            case 't': sb.Append('\t'); return i + 2;
            case 'n': sb.Append('\n'); return i + 2;
            case 'r': sb.Append('\r'); return i + 2;
            case 'f': sb.Append('\f'); return i + 2;
            case 'u':
                if (i + 6 > line.Length || !int.TryParse(line.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    throw new InvalidInputException("--properties-file", $"{source}:{number}: malformed \\uXXXX escape (Java rejects the whole file)");
                sb.Append((char)code);
                return i + 6;
            default: sb.Append(next); return i + 2;
        }
    }

    // Properties.LineReader: comment and blank lines dropped; a line ending in an odd number of backslashes
    // continues on the next one, whose leading whitespace is skipped.
    private static IEnumerable<(string Line, int Number)> LogicalLines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var start = n + 1;
            var line = lines[n].TrimStart(' ', '\t', '\f');
            if (line.Length == 0 || line[0] is '#' or '!') continue;
            var sb = new StringBuilder();
            while (true)
            {
                var trailing = 0;
                for (var j = line.Length - 1; j >= 0 && line[j] == '\\'; j--) trailing++;
                if (trailing % 2 == 0 || n + 1 >= lines.Length)
                {
                    sb.Append(trailing % 2 == 0 ? line : line[..^1]);
                    break;
                }
                sb.Append(line[..^1]);
                line = lines[++n].TrimStart(' ', '\t', '\f');
            }
            yield return (sb.ToString(), start);
        }
    }
}
