using System.CommandLine;
using System.Text.RegularExpressions;
using Kindling.Configuration;

namespace Kindling.Cli;

/// <summary>
/// Prints the parser's errors in Kindling's style: located at the flag, in the user's terms (never a .NET type
/// name), with a did-you-mean for an unknown command or option, and as a JSON error object too under <c>-o json</c>.
/// </summary>
internal static partial class ParseErrorReporter
{
    public static int Report(ParseResult parse, CliContext ctx)
    {
        // An unknown option's value is a second unmatched token; the first unknown token is the one to report.
        var unknownSeen = false;
        var messages = new List<string>();
        foreach (var error in parse.Errors)
        {
            var unknown = Unrecognized().IsMatch(error.Message);
            if (unknown && unknownSeen) continue;
            unknownSeen |= unknown;
            var message = Humanize(error.Message, parse);
            if (!messages.Contains(message, StringComparer.Ordinal)) messages.Add(message);
        }
        foreach (var message in messages) ctx.Stderr.WriteLine($"error: {message}");
        var command = parse.CommandResult.Command;
        ctx.Stderr.WriteLine($"Run '{CommandPath(command)} --help' for usage.");
        if (ErrorReporter.WantsJson(parse))
        {
            var problems = messages.Select(m => new InputError(null, FlagOf(m), m)).ToList();
            ErrorReporter.WriteJson(ctx, "invalid_input", problems);
        }
        return ExitCodes.BadInput;
    }

    /// <summary>The full command path, e.g. <c>kindling infra apply</c>.</summary>
    public static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c; s = c.Parents.FirstOrDefault())
            names.Insert(0, c is RootCommand ? "kindling" : c.Name);
        return string.Join(' ', names);
    }

    internal static string Humanize(string message, ParseResult parse)
    {
        var conversion = ConversionError().Match(message);
        if (conversion.Success)
        {
            var value = conversion.Groups["value"].Value;
            var what = TypeWords(conversion.Groups["type"].Value);
            return $"{conversion.Groups["symbol"].Value} {value}: not {what}";
        }
        var unknown = Unrecognized().Match(message);
        if (unknown.Success)
        {
            var token = unknown.Groups["token"].Value;
            var command = parse.CommandResult.Command;
            var candidates = token.StartsWith('-')
                ? command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Append(o.Name))
                : command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
            var closest = Suggest.Closest(token, candidates);
            var where = command is RootCommand ? "kindling" : $"'{CommandPath(command)}'";
            return closest is null
                ? $"{token}: not a command or option of {where}"
                : $"{token}: not a command or option of {where}; did you mean '{closest}'?";
        }
        // A last guard for messages this class does not know: no type names, whatever the parser says.
        return TypeName().Replace(message, m => TypeWords(m.Value));
    }

    private static string FlagOf(string message)
    {
        var space = message.IndexOf(' ', StringComparison.Ordinal);
        var first = space < 0 ? message : message[..space];
        return first.StartsWith('-') ? first.TrimEnd(':') : "";
    }

    private static string TypeWords(string type) => type switch
    {
        _ when type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) => "a whole number",
        _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when type.Contains("TimeSpan", StringComparison.Ordinal) => "a duration such as 90s or 5m",
        _ when type.Contains("Double", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) => "a number",
        _ => "a valid value",
    };

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (?:option|command|argument) '(?<symbol>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial Regex ConversionError();

    [GeneratedRegex(@"^Unrecognized command or argument '(?<token>.*)'")]
    private static partial Regex Unrecognized();

    [GeneratedRegex(@"(?:System|Kindling)\.[A-Za-z0-9_.`\[\], ]+")]
    private static partial Regex TypeName();
}
