using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Kindling.Cli.Commands;

/// <summary>A duration flag in kubectl's style: <c>90s</c>, <c>5m</c>, <c>1h30m</c>, or plain seconds.</summary>
internal static partial class DurationOption
{
    public static Option<TimeSpan> Create(string name, TimeSpan defaultValue, string description) => new(name)
    {
        Description = $"{description} (e.g. 90s, 5m, 1h; default {Format(defaultValue)})",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (TryParse(text, out var value) && value > TimeSpan.Zero) return value;
            result.AddError($"{name} {text}: not a positive duration; use e.g. 90s, 5m or 1h");
            return defaultValue;
        },
    };

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }
        var match = Duration().Match(text);
        if (!match.Success || text.Length == 0) return false;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value[^1];
            var amount = double.Parse(part.Value[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            value += unit switch
            {
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromSeconds(amount),
            };
        }
        return true;
    }

    public static string Format(TimeSpan t) =>
        t.TotalMinutes >= 1 && t.Seconds == 0 ? $"{(int)t.TotalMinutes}m" : $"{t.TotalSeconds:0.#}s";

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?[hms])+$")]
    private static partial Regex Duration();
}
