using System.CommandLine;

namespace Kindling.Cli.Commands;

/// <summary>
/// spark-submit's rule for the command line: everything after the application is the application's. System.CommandLine
/// would otherwise take <c>kindling submit app.py --jars x.jar</c>'s <c>--jars</c> as Kindling's option; inserting
/// <c>--</c> right after the application makes it an application argument, as spark-submit does.
/// </summary>
internal static class SubmitArguments
{
    /// <summary>The arguments with <c>--</c> after the application of a <c>submit</c> command; others unchanged.</summary>
    public static string[] SeparateApplication(string[] args, RootCommand root)
    {
        var submit = root.Subcommands.FirstOrDefault(c => c.Name == "submit");
        var at = Array.IndexOf(args, "submit");
        // Only when submit is the command: the first token that is not an option.
        if (submit is null || at < 0 || args.Take(at).Any(a => !a.StartsWith('-'))) return args;
        var options = submit.Options.Concat(root.Options)
            .SelectMany(o => o.Aliases.Append(o.Name).Select(alias => (alias, o)))
            .GroupBy(p => p.alias, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().o, StringComparer.Ordinal);
        for (var i = at + 1; i < args.Length; i++)
        {
            var token = args[i];
            if (token == "--") return args;
            if (token.StartsWith('-') && token.Length > 1)
            {
                if (token.Contains('=', StringComparison.Ordinal)) continue;
                if (options.TryGetValue(token, out var option) && TakesValue(option, i + 1 < args.Length ? args[i + 1] : null)) i++;
                continue;
            }
            // The application: the rest belongs to it.
            if (i + 1 >= args.Length || args[i + 1] == "--") return args;
            return [.. args[..(i + 1)], "--", .. args[(i + 1)..]];
        }
        return args;
    }

    // A flag (bool) only consumes an explicit true/false; every other option consumes the next token.
    private static bool TakesValue(Option option, string? next) =>
        option.ValueType == typeof(bool)
            ? next is not null && (bool.TryParse(next, out _))
            : option.Arity.MaximumNumberOfValues > 0;
}
