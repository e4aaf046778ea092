using System.Diagnostics;
using System.Text;

namespace Kindling.Images;

/// <summary>What to run: the executable's name (looked up on PATH), its arguments, and how to install it.</summary>
/// <param name="Tool">Executable name, e.g. <c>docker</c>.</param>
/// <param name="Arguments">Arguments, passed one by one through <see cref="ProcessStartInfo.ArgumentList"/>.</param>
/// <param name="InstallHint">Shown when the executable is not on PATH.</param>
internal sealed record ToolCommand(string Tool, IReadOnlyList<string> Arguments, string InstallHint);

/// <summary>How a tool's standard output is consumed.</summary>
internal enum ToolOutput
{
    /// <summary>Collected and returned in <see cref="ToolResult.Stdout"/> (small outputs such as <c>--format</c>).</summary>
    Capture,

    /// <summary>Read line by line into the callback and the tail (long progress output such as a build).</summary>
    Lines,

    /// <summary>Left to the caller, who reads <see cref="ToolProcess.StandardOutput"/> (piping into another tool).</summary>
    Raw,
}

/// <summary>The outcome of a finished tool.</summary>
/// <param name="ExitCode">Exit code.</param>
/// <param name="Stdout">Captured standard output (<see cref="ToolOutput.Capture"/> only; empty otherwise).</param>
/// <param name="Tail">The last lines of standard error (and of standard output in <see cref="ToolOutput.Lines"/> mode).</param>
internal sealed record ToolResult(int ExitCode, string Stdout, string Tail);

/// <summary>
/// One running external tool. Standard input is always redirected, and closed unless the caller writes to it,
/// so a tool never blocks on (or reads secrets from) the terminal Kindling runs in.
/// </summary>
internal sealed class ToolProcess : IDisposable
{
    private const int TailLines = 25;

    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(10);

    private readonly Process process;
    private readonly Queue<string> tail = new();
    private readonly StringBuilder captured = new();
    private readonly Task pumps;

    private ToolProcess(Process process, ToolOutput output, Action<string>? onLine)
    {
        this.process = process;
        var stderr = Pump(process.StandardError, onLine, capture: false);
        var stdout = output switch
        {
            ToolOutput.Capture => Pump(process.StandardOutput, null, capture: true),
            ToolOutput.Lines => Pump(process.StandardOutput, onLine, capture: false),
            _ => Task.CompletedTask,
        };
        pumps = Task.WhenAll(stderr, stdout);
    }

    /// <summary>The tool's standard input; closed already unless started with <c>keepStdinOpen</c>.</summary>
    public Stream StandardInput => process.StandardInput.BaseStream;

    /// <summary>Closes standard input, which the tool sees as end of file.</summary>
    public void CloseInput() => process.StandardInput.Close();

    /// <summary>The tool's raw standard output (<see cref="ToolOutput.Raw"/> only).</summary>
    public Stream StandardOutput => process.StandardOutput.BaseStream;

    /// <summary>Starts <paramref name="command"/> found on <paramref name="environment"/>'s PATH.</summary>
    /// <exception cref="ExternalToolException">The executable is not on PATH or cannot be started.</exception>
    public static ToolProcess Start(
        ToolEnvironment environment, ToolCommand command, ToolOutput output, Action<string>? onLine = null, bool keepStdinOpen = false)
    {
        var executable = environment.Find(command.Tool)
                         ?? throw new ExternalToolException(command.Tool, -1, "", $"'{command.Tool}' is not on PATH. {command.InstallHint}");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = output == ToolOutput.Raw ? null : Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in command.Arguments) start.ArgumentList.Add(argument);
        environment.ApplyTo(start.Environment);
        var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new ExternalToolException(command.Tool, -1, e.Message, command.InstallHint);
        }
        if (!keepStdinOpen) process.StandardInput.Close();
        return new ToolProcess(process, output, onLine);
    }

    /// <summary>Runs <paramref name="command"/> to completion.</summary>
    public static async Task<ToolResult> RunAsync(
        ToolEnvironment environment, ToolCommand command, ToolOutput output, Action<string>? onLine, CancellationToken cancellationToken)
    {
        using var tool = Start(environment, command, output, onLine);
        return await tool.WaitAsync(cancellationToken);
    }

    /// <summary>Waits for the exit; on cancellation the whole process tree is killed before rethrowing.</summary>
    public async Task<ToolResult> WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Kill();
            // Return only once it is gone, so nothing keeps writing to the build context or registry after Ctrl+C.
            process.WaitForExit(KillGrace);
            throw;
        }
        await pumps;
        string tailText;
        lock (tail) tailText = string.Join('\n', tail);
        return new ToolResult(process.ExitCode, captured.ToString(), tailText);
    }

    /// <summary>Kills the tool and its children, if still running.</summary>
    public void Kill()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    private async Task Pump(StreamReader reader, Action<string>? onLine, bool capture)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (capture)
            {
                captured.Append(line).Append('\n');
                continue;
            }
            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > TailLines) tail.Dequeue();
            }
            onLine?.Invoke(line);
        }
    }
}
