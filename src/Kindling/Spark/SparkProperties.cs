using System.Globalization;
using System.Text;

namespace Kindling.Spark;

/// <summary>
/// Writes Java <c>.properties</c> text that <c>java.util.Properties.load</c> (spark-submit's
/// <c>--properties-file</c>) reads back to exactly the same keys and values.
/// </summary>
public static class SparkProperties
{
    /// <summary>
    /// Writes the entries sorted by key (ordinal), one <c>key=value</c> line each, after an optional comment
    /// line. Unlike <c>Properties.store</c> there is no timestamp, so equal input gives equal bytes.
    /// </summary>
    public static string Write(IEnumerable<KeyValuePair<string, string>> entries, string? comment = null)
    {
        var sb = new StringBuilder();
        if (comment is not null)
            foreach (var line in comment.Split('\n'))
                sb.Append('#').Append(line.TrimEnd('\r')).Append('\n');
        foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            Escape(sb, key, isKey: true);
            sb.Append('=');
            Escape(sb, value, isKey: false);
            sb.Append('\n');
        }
        return sb.ToString();
    }

    // Mirrors Properties.saveConvert: spaces are escaped everywhere in keys but only at the start of values
    // (load() strips leading whitespace of values); separators and comment characters are always escaped.
    // Everything outside printable ASCII becomes \uXXXX, which load() decodes whatever the file's encoding.
    private static void Escape(StringBuilder sb, string text, bool isKey)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case ' ' when isKey || i == 0: sb.Append(@"\ "); break;
                case '\t': sb.Append(@"\t"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\f': sb.Append(@"\f"); break;
                case '=' or ':' or '#' or '!': sb.Append('\\').Append(c); break;
                case < ' ' or > '~':
                    sb.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    break;
                default: sb.Append(c); break;
            }
        }
    }
}
