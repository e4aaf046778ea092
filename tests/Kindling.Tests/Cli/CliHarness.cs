using Kindling.Cli;

namespace Kindling.Tests.Cli;

/// <summary>What one in-process CLI run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the real command tree in-process, capturing stdout, stderr and the exit code.</summary>
public static class CliHarness
{
    public static Task<CliResult> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(new CliRun(workingDirectory), args);

    public static async Task<CliResult> RunAsync(CliRun run, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var ctx = new CliContext
        {
            Stdout = stdout,
            Stderr = stderr,
            Stdin = new StringReader(run.Stdin ?? ""),
            Console = CliContext.CreateConsole(stdout, ansi: false, interactive: false),
            ErrorConsole = CliContext.CreateConsole(stderr, ansi: false, interactive: false),
            WorkingDirectory = run.WorkingDirectory,
            GetEnvironmentVariable = name =>
                run.Environment.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name),
            Time = run.Time ?? TimeProvider.System,
            Interactive = false,
        };
        var code = await CliApp.RunAsync(args, ctx, run.Cancellation);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>The surroundings of one harness run.</summary>
public sealed record CliRun(string WorkingDirectory)
{
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
    public string? Stdin { get; init; }
    public TimeProvider? Time { get; init; }
    public CancellationToken Cancellation { get; init; }
}
