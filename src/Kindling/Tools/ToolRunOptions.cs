using System.Diagnostics;

namespace Kindling.Tools;

/// <summary>How a tool's standard output is consumed.</summary>
internal enum ToolOutput
{
    /// <summary>Collected and returned in <see cref="ToolResult.Stdout"/> (small outputs such as <c>--format</c> or <c>-json</c>).</summary>
    Capture,

    /// <summary>Read line by line into <see cref="ToolRunOptions.OnOutputLine"/> (long progress output such as a build).</summary>
    Lines,

    /// <summary>Left to the caller, who reads <see cref="ToolProcess.StandardOutput"/> (piping into another tool).</summary>
    Raw,
}

/// <summary>What cancelling the wait for a tool does to the tool.</summary>
internal enum ToolCancellation
{
    /// <summary>
    /// The tool and its children are killed and the wait throws <see cref="OperationCanceledException"/>. For tools
    /// whose half-done work is harmless to cut short (a build, a push, a login).
    /// </summary>
    KillTree,

    /// <summary>
    /// The tool runs in its own session and gets one SIGINT, then is waited for however long it takes, and the
    /// result says it was interrupted. For tools that must stop on their own terms: terraform saves its state.
    /// </summary>
    InterruptThenWait,
}

/// <summary>The outcome of a finished tool.</summary>
/// <param name="ExitCode">Exit code.</param>
/// <param name="Stdout">Captured standard output (<see cref="ToolOutput.Capture"/> only; empty otherwise).</param>
/// <param name="Tail">The last lines of standard error, and of standard output in <see cref="ToolOutput.Lines"/> mode when
/// <see cref="ToolRunOptions.OutputInTail"/>.</param>
/// <param name="Interrupted">Whether it was interrupted (<see cref="ToolCancellation.InterruptThenWait"/> only).</param>
internal sealed record ToolResult(int ExitCode, string Stdout, string Tail, bool Interrupted = false);

/// <summary>One run of an external tool.</summary>
internal sealed record ToolRunOptions
{
    /// <summary>The executable, found on <see cref="Environment"/>'s PATH.</summary>
    public required ExternalTool Tool { get; init; }

    /// <summary>Arguments, passed one by one through <see cref="ProcessStartInfo.ArgumentList"/>.</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>The caller's environment: where the tool is found and what it runs with.</summary>
    public required ToolEnvironment Environment { get; init; }

    /// <summary>The working directory; null keeps this process's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>How standard output is consumed.</summary>
    public ToolOutput Output { get; init; } = ToolOutput.Capture;

    /// <summary>Receives each standard output line (<see cref="ToolOutput.Lines"/> only).</summary>
    public Action<string>? OnOutputLine { get; init; }

    /// <summary>Receives each standard error line.</summary>
    public Action<string>? OnErrorLine { get; init; }

    /// <summary>
    /// Whether standard output lines are kept in <see cref="ToolResult.Tail"/> too (<see cref="ToolOutput.Lines"/> only).
    /// False when they are machine-readable and the failure message is built from them some other way.
    /// </summary>
    public bool OutputInTail { get; init; } = true;

    /// <summary>How many lines <see cref="ToolResult.Tail"/> keeps.</summary>
    public int TailLines { get; init; } = 25;

    /// <summary>
    /// Copied into standard input, which is then closed; null closes it at once. Either way a tool never blocks on
    /// (or reads secrets from) the terminal Kindling runs in.
    /// </summary>
    public Stream? Input { get; init; }

    /// <summary>What cancellation does to the tool.</summary>
    public ToolCancellation Cancellation { get; init; } = ToolCancellation.KillTree;

    /// <summary>Called just before the interrupt is sent (<see cref="ToolCancellation.InterruptThenWait"/>), to say why it may take a while.</summary>
    public Action? OnInterrupt { get; init; }
}
