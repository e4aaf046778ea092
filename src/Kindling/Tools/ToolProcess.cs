using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Kindling.Tools;

/// <summary>
/// One running external tool: started from <see cref="ToolRunOptions"/>, its output read as it comes (so a full pipe
/// never stalls it), the end of it kept for failure messages, and cancellation handled as the options say.
/// </summary>
internal sealed class ToolProcess : IDisposable
{
    // How long a killed tool may take to go away before the cancellation is reported anyway.
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(10);

    private readonly Process process;
    private readonly ToolRunOptions options;
    private readonly Queue<string> tail = new();
    private readonly StringBuilder captured = new();
    private readonly Task pumps;

    private ToolProcess(Process process, ToolRunOptions options)
    {
        this.process = process;
        this.options = options;
        var stderr = Pump(process.StandardError, options.OnErrorLine, keep: true);
        var stdout = options.Output switch
        {
            ToolOutput.Capture => Capture(process.StandardOutput),
            ToolOutput.Lines => Pump(process.StandardOutput, options.OnOutputLine, options.OutputInTail),
            _ => Task.CompletedTask,
        };
        pumps = Task.WhenAll(stderr, stdout);
        // Not part of the pumps: once the tool has exited, what it did not read no longer matters.
        if (options.Input is { } input) _ = Pipe(input, process.StandardInput);
        else process.StandardInput.Close();
    }

    /// <summary>The tool's raw standard output (<see cref="ToolOutput.Raw"/> only).</summary>
    public Stream StandardOutput => process.StandardOutput.BaseStream;

    /// <summary>Starts the tool without waiting for it.</summary>
    /// <exception cref="ExternalToolException">The executable is not on PATH or cannot be started.</exception>
    public static ToolProcess Start(ToolRunOptions options)
    {
        var tool = options.Tool;
        var executable = ToolLocator.Find(options.Environment, tool);
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = options.Output == ToolOutput.Raw ? null : Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (options.WorkingDirectory is not null) start.WorkingDirectory = options.WorkingDirectory;
        // In its own session the tool gets no SIGINT from the terminal: a Ctrl+C reaches it exactly once, from
        // Interrupt below. A second SIGINT makes terraform exit at once and may lose state.
        if (options.Cancellation == ToolCancellation.InterruptThenWait && SessionLauncher() is { } setsid)
        {
            start.FileName = setsid;
            start.ArgumentList.Add(executable);
        }
        else
        {
            start.FileName = executable;
        }
        foreach (var argument in options.Arguments) start.ArgumentList.Add(argument);
        options.Environment.ApplyTo(start.Environment, tool.Variables);

        var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new ExternalToolException(tool.Name, -1, e.Message, tool.InstallHint);
        }
        return new ToolProcess(process, options);
    }

    /// <summary>Runs the tool to completion.</summary>
    /// <exception cref="ExternalToolException">The executable is not on PATH or cannot be started.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (<see cref="ToolCancellation.KillTree"/>).</exception>
    public static async Task<ToolResult> RunAsync(ToolRunOptions options, CancellationToken cancellationToken)
    {
        using var tool = Start(options);
        return await tool.WaitAsync(cancellationToken);
    }

    /// <summary>Waits for the tool to exit; cancellation acts as <see cref="ToolRunOptions.Cancellation"/> says.</summary>
    /// <exception cref="OperationCanceledException">Cancelled (<see cref="ToolCancellation.KillTree"/>).</exception>
    public Task<ToolResult> WaitAsync(CancellationToken cancellationToken) =>
        options.Cancellation == ToolCancellation.InterruptThenWait
            ? WaitThroughInterruptAsync(cancellationToken)
            : WaitOrKillAsync(cancellationToken);

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

    /// <summary>Kills the tool if it is still running and releases the process.</summary>
    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    private async Task<ToolResult> WaitOrKillAsync(CancellationToken cancellationToken)
    {
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Kill();
            // Return only once it is gone, so nothing keeps writing to a build context or registry after Ctrl+C.
            process.WaitForExit(KillGrace);
            throw;
        }
        await pumps;
        return Result(interrupted: false);
    }

    // Cancellation does not abandon the tool: it is interrupted, and waited for until it has stopped (terraform:
    // written its state), however long its in-flight calls take.
    private async Task<ToolResult> WaitThroughInterruptAsync(CancellationToken cancellationToken)
    {
        var interrupted = 0;
        await using (cancellationToken.Register(() =>
                     {
                         if (Interrupt()) Interlocked.Exchange(ref interrupted, 1);
                     }))
        {
            await process.WaitForExitAsync(CancellationToken.None);
            await pumps;
        }
        return Result(Volatile.Read(ref interrupted) == 1);
    }

    private bool Interrupt()
    {
        try
        {
            if (process.HasExited) return false;
            options.OnInterrupt?.Invoke();
            if (OperatingSystem.IsWindows()) process.Kill(entireProcessTree: true);
            else Signals.Interrupt(process.Id);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private ToolResult Result(bool interrupted)
    {
        string tailText;
        lock (tail) tailText = string.Join('\n', tail);
        return new ToolResult(process.ExitCode, captured.ToString(), tailText, interrupted);
    }

    private async Task Pump(StreamReader reader, Action<string>? onLine, bool keep)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (keep)
            {
                lock (tail)
                {
                    tail.Enqueue(line);
                    if (tail.Count > options.TailLines) tail.Dequeue();
                }
            }
            onLine?.Invoke(line);
        }
    }

    private async Task Capture(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line) captured.Append(line).Append('\n');
    }

    private static async Task Pipe(Stream source, StreamWriter input)
    {
        try
        {
            await source.CopyToAsync(input.BaseStream);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The tool exited (or was stopped) before reading everything; its exit code and stderr say why.
        }
        finally
        {
            CloseQuietly(input);
        }
    }

    // End of file tells the tool the input is complete; a tool that has gone already cannot be told.
    private static void CloseQuietly(StreamWriter input)
    {
        try
        {
            input.Close();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
    }

    private static string? SessionLauncher()
    {
        if (!OperatingSystem.IsLinux()) return null;
        foreach (var candidate in new[] { "/usr/bin/setsid", "/bin/setsid" })
            if (File.Exists(candidate)) return candidate;
        return null;
    }
}
