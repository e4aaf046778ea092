using System.CommandLine;

namespace Kindling.Cli;

/// <summary>Output formats for <c>-o</c>, as in kubectl.</summary>
internal enum OutputFormat
{
    Text,
    Json,
    Yaml,

    /// <summary>The text table with more columns (<c>apps -o wide</c>).</summary>
    Wide,
}

/// <summary>Options shared by several commands, created fresh per command (an Option belongs to one parent).</summary>
internal static class CommonOptions
{
    public static Option<string?> ConfigFile() => new("--file", "-f")
    {
        Description = "Path to kindling.yaml (default: ./kindling.yaml if it exists, else built-in defaults)",
    };

    /// <summary>
    /// <c>-o/--output</c> accepting only <paramref name="allowed"/>: the parser refuses anything else (exit 2, before
    /// the command runs), and help and completion list only these.
    /// </summary>
    public static Option<OutputFormat> Output(params OutputFormat[] allowed)
    {
        var names = allowed.Select(Name).ToArray();
        var option = new Option<OutputFormat>("--output", "-o")
        {
            Description = "Output format: " + string.Join(", ", names),
            HelpName = string.Join("|", names),
            DefaultValueFactory = _ => OutputFormat.Text,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                var match = allowed.Where(a => string.Equals(Name(a), text, StringComparison.OrdinalIgnoreCase)).ToList();
                if (match.Count == 1) return match[0];
                result.AddError($"-o {text}: not an output format of this command; use one of: {string.Join(", ", names)}");
                return OutputFormat.Text;
            },
        };
        // Only the formats this command supports, as the parser accepts them: the enum's own completion source
        // would offer every format, capitalised too.
        option.CompletionSources.Clear();
        option.CompletionSources.Add(names);
        return option;
    }

    /// <summary>The name a format has on the command line.</summary>
    public static string Name(OutputFormat format) => format.ToString().ToLowerInvariant();

    public static Option<bool> Yes() => new("--yes", "-y") { Description = "Do not ask for confirmation" };
}
