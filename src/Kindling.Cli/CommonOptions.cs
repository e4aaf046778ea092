using System.CommandLine;

namespace Kindling.Cli;

/// <summary>Output formats for <c>-o</c>, as in kubectl.</summary>
internal enum OutputFormat
{
    Text,
    Json,
    Yaml,
    Wide,
}

/// <summary>Options shared by several commands, created fresh per command (an Option belongs to one parent).</summary>
internal static class CommonOptions
{
    public static Option<string?> ConfigFile() => new("--file", "-f")
    {
        Description = "Path to kindling.yaml (default: ./kindling.yaml if it exists, else built-in defaults)",
    };

    public static Option<OutputFormat> Output(params OutputFormat[] allowed)
    {
        var option = new Option<OutputFormat>("--output", "-o")
        {
            Description = "Output format: " + string.Join(", ", allowed.Select(a => a.ToString().ToLowerInvariant())),
            DefaultValueFactory = _ => OutputFormat.Text,
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<OutputFormat>();
            if (!allowed.Contains(value))
                result.AddError($"-o {value.ToString().ToLowerInvariant()} is not supported here; use one of: " +
                                string.Join(", ", allowed.Select(a => a.ToString().ToLowerInvariant())));
        });
        return option;
    }

    public static Option<bool> Yes() => new("--yes", "-y") { Description = "Do not ask for confirmation" };
}
