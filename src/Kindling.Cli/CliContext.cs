using Spectre.Console;

namespace Kindling.Cli;

/// <summary>
/// Everything a command touches outside its arguments: console streams, working directory, environment and
/// clock. Program.cs builds it from the real process; tests build it in memory.
/// </summary>
internal sealed record CliContext
{
    public required TextWriter Stdout { get; init; }
    public required TextWriter Stderr { get; init; }
    public TextReader Stdin { get; init; } = TextReader.Null;
    public required IAnsiConsole Console { get; init; }
    public required IAnsiConsole ErrorConsole { get; init; }
    public required string WorkingDirectory { get; init; }
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Whether a person is at the terminal (confirmation prompts, live progress).</summary>
    public bool Interactive { get; init; }

    /// <summary>Resolves a user-given path against the working directory.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);

    public static IAnsiConsole CreateConsole(TextWriter writer, bool ansi, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = ansi ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ansi ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        // Redirected output has no terminal width; Spectre would wrap at 80 columns and split image references
        // and paths that scripts and logs need whole.
        if (!ansi) console.Profile.Width = 400;
        return console;
    }
}
