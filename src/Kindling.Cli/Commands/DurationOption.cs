using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Kindling.Cli.Commands;

/// <summary>A duration flag in kubectl's style: <c>90s</c>, <c>5m</c>, <c>1h30m</c>, or plain seconds.</summary>
internal static partial class DurationOption
{
    /// <summary>The longest wait any command accepts: longer is a typo, and timers cannot go past ~49 days.</summary>
    public static readonly TimeSpan DefaultMaximum = TimeSpan.FromHours(24);

    public static Option<CliDuration> Create(string name, TimeSpan defaultValue, string description, TimeSpan? maximum = null)
    {
        var max = maximum ?? DefaultMaximum;
        return new Option<CliDuration>(name)
        {
            Description = $"{description} (e.g. 90s, 5m, 1h; default {Format(defaultValue)}, at most {Format(max)})",
            HelpName = "duration",
            DefaultValueFactory = _ => new CliDuration(defaultValue),
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (!TryParse(text, out var value) || value <= TimeSpan.Zero)
                    result.AddError($"{name} {text}: not a positive duration; use e.g. 90s, 5m or 1h");
                else if (value > max)
                    result.AddError($"{name} {text}: longer than the {Format(max)} this command waits at most");
                else
                    return new CliDuration(value);
                return new CliDuration(defaultValue);
            },
        };
    }

    /// <summary>A duration flag that is null when not given (<c>logs --since</c>).</summary>
    public static Option<TimeSpan?> Optional(string name, string description, TimeSpan maximum) => new(name)
    {
        Description = $"{description} (e.g. 90s, 5m, 1h; at most {Format(maximum)})",
        HelpName = "duration",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (!TryParse(text, out var value) || value <= TimeSpan.Zero)
                result.AddError($"{name} {text}: not a positive duration; use e.g. 90s, 5m or 1h");
            else if (value > maximum)
                result.AddError($"{name} {text}: longer than {Format(maximum)}");
            else
                return value;
            return null;
        },
    };

    /// <summary>Parses <c>90</c>, <c>90s</c>, <c>1.5m</c>, <c>1h30m</c>; false for anything else, including values too large for a TimeSpan.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        double seconds;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var whole))
        {
            seconds = whole;
        }
        else
        {
            var match = Duration().Match(text);
            if (!match.Success || text.Length == 0) return false;
            seconds = 0;
            foreach (Capture part in match.Groups["part"].Captures)
            {
                var amount = double.Parse(part.Value[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                seconds += part.Value[^1] switch { 'h' => amount * 3600, 'm' => amount * 60, _ => amount };
            }
        }
        // Checked before converting: TimeSpan.FromSeconds throws beyond ~29 000 years, and doubles do not wrap.
        if (double.IsNaN(seconds) || seconds >= TimeSpan.MaxValue.TotalSeconds) return false;
        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>kubectl's style: <c>5m</c>, <c>1h30m</c>, <c>90s</c>, <c>1.5s</c>; never <c>00:05:00</c>.</summary>
    public static string Format(TimeSpan t)
    {
        if (t < TimeSpan.FromMinutes(1) || t.Milliseconds != 0)
            return string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.###}s");
        var text = "";
        if ((int)t.TotalHours > 0) text += string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h");
        if (t.Minutes > 0) text += string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}m");
        if (t.Seconds > 0) text += string.Create(CultureInfo.InvariantCulture, $"{t.Seconds}s");
        return text;
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?[hms])+$")]
    private static partial Regex Duration();
}

/// <summary>
/// A parsed duration flag. It converts to <see cref="TimeSpan"/> and prints as typed (<c>5m</c>), so help's
/// <c>[default: 5m]</c> never shows .NET's <c>00:05:00</c>.
/// </summary>
internal readonly record struct CliDuration(TimeSpan Value)
{
    public static implicit operator TimeSpan(CliDuration duration) => duration.Value;

    public override string ToString() => DurationOption.Format(Value);
}
