using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Kindling.Cli.Commands;

/// <summary>
/// Whole-number flags with a range, parsed by Kindling rather than the default converter, so a bad value gets
/// a message in the user's terms (<c>--port abc: not a whole number between 0 and 65535</c>) instead of a .NET
/// type name.
/// </summary>
internal static class NumberOption
{
    /// <summary>A flag with a default value.</summary>
    public static Option<int> Create(string name, string[] aliases, string description, int defaultValue, int min, int max) =>
        new(name, aliases)
        {
            Description = description,
            HelpName = "number",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => Parse(result, name, min, max) ?? defaultValue,
        };

    /// <summary>A flag that is null when not given.</summary>
    public static Option<int?> Optional(string name, string[] aliases, string description, int min, int max) =>
        new(name, aliases)
        {
            Description = description,
            HelpName = "number",
            CustomParser = result => Parse(result, name, min, max),
        };

    private static int? Parse(ArgumentResult result, string name, int min, int max)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        var range = max == int.MaxValue ? $"of at least {min}" : $"between {min} and {max}";
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{name} {text}: not a whole number {range}");
            return null;
        }
        if (value < min || value > max)
        {
            result.AddError($"{name} {text}: must be a whole number {range}");
            return null;
        }
        return value;
    }
}
