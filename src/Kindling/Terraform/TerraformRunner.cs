using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Kindling.Operations;

namespace Kindling.Terraform;

/// <summary>How <see cref="TerraformRunner"/> runs terraform.</summary>
internal sealed record TerraformRunnerOptions
{
    /// <summary>The module's working directory; terraform keeps its state and <c>.terraform/</c> here.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Where terraform is found and what it runs with.</summary>
    public TerraformEnvironment Environment { get; init; } = TerraformEnvironment.Process;

    /// <summary>A local provider mirror for <c>init -plugin-dir</c> (offline machines); null uses the registry.</summary>
    public string? PluginDirectory { get; init; }

    /// <summary>Receives one event per resource as terraform works.</summary>
    public IProgress<ProgressEvent>? Progress { get; init; }
}

/// <summary>
/// Runs the real terraform executable: arguments through <see cref="ProcessStartInfo.ArgumentList"/>, never a
/// prompt (<c>-input=false</c>), machine-readable output (<c>-json</c>) turned into progress events, and
/// terraform's own diagnostics as the failure message.
/// </summary>
internal sealed class TerraformRunner(TerraformRunnerOptions options)
{
    public const string InstallHint =
        "terraform is not installed or not on PATH. Install Terraform 1.5 or later " +
        "(https://developer.hashicorp.com/terraform/install, or 'brew install hashicorp/tap/terraform', " +
        "or HashiCorp's apt/yum repository), then run this again";

    private const int TailLines = 40;

    /// <summary><c>terraform init</c>; with a plugin directory it needs no network.</summary>
    public async Task InitAsync(CancellationToken cancellationToken)
    {
        List<string> args = ["init", "-input=false", "-no-color"];
        if (options.PluginDirectory is not null) args.Add($"-plugin-dir={options.PluginDirectory}");
        var run = await RunAsync(args, ui: null, captureStdout: false, cancellationToken);
        if (run.ExitCode != 0) throw Failure("init", run, ui: null, "check the provider source or the plugin directory");
    }

    /// <summary>
    /// <c>terraform plan</c> (<c>-destroy</c> when asked), saving the plan to <paramref name="planFile"/> when given
    /// so that exactly what was shown is applied.
    /// </summary>
    public async Task<TerraformChangeSummary> PlanAsync(string? planFile, bool destroy, CancellationToken cancellationToken)
    {
        List<string> args = ["plan", "-input=false", "-no-color", "-json", "-detailed-exitcode"];
        if (destroy) args.Add("-destroy");
        if (planFile is not null) args.Add($"-out={planFile}");
        var ui = new TerraformJsonUi();
        var run = await RunAsync(args, ui, captureStdout: false, cancellationToken);
        // -detailed-exitcode: 0 no changes, 2 changes, 1 error.
        if (run.ExitCode is not (0 or 2)) throw Failure("plan", run, ui, "nothing was changed");
        return ui.PlanSummary ?? new TerraformChangeSummary(0, 0, 0);
    }

    /// <summary>Applies a saved plan; the state is written as each resource completes, also on failure.</summary>
    public async Task<TerraformChangeSummary?> ApplyAsync(string planFile, CancellationToken cancellationToken)
    {
        var ui = new TerraformJsonUi(showPlannedChanges: false);
        var run = await RunAsync(["apply", "-input=false", "-no-color", "-json", planFile], ui, captureStdout: false, cancellationToken);
        if (run.ExitCode != 0)
        {
            throw Failure("apply", run, ui,
                $"what was created is recorded in {options.WorkingDirectory}; fix the cause and run the same command again to continue");
        }
        return ui.ApplySummary;
    }

    /// <summary><c>terraform output -json</c>: every output with its value.</summary>
    public async Task<string> OutputJsonAsync(CancellationToken cancellationToken)
    {
        var run = await RunAsync(["output", "-json", "-no-color"], ui: null, captureStdout: true, cancellationToken);
        if (run.ExitCode != 0) throw Failure("output", run, ui: null, null);
        return run.Stdout;
    }

    private static ExternalToolException Failure(string verb, TerraformRun run, TerraformJsonUi? ui, string? advice)
    {
        var errors = ui?.Diagnostics.Where(d => d.Severity == "error").Select(d => d.ToString()).ToList() ?? [];
        var text = errors.Count > 0 ? string.Join("\n\n", errors) : run.Tail;
        var hint = $"terraform {verb} failed" + (advice is null ? "" : $"; {advice}");
        return new ExternalToolException("terraform", run.ExitCode, text, hint);
    }

    private async Task<TerraformRun> RunAsync(
        IReadOnlyList<string> args, TerraformJsonUi? ui, bool captureStdout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var terraform = options.Environment.Find("terraform")
                        ?? throw new ExternalToolException("terraform", -1, "", InstallHint);
        var info = new ProcessStartInfo
        {
            WorkingDirectory = options.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // In its own session terraform gets no SIGINT from the terminal: a Ctrl+C reaches it exactly once, from
        // Interrupt below. A second SIGINT makes terraform exit at once and may lose state.
        if (SessionLauncher() is { } setsid)
        {
            info.FileName = setsid;
            info.ArgumentList.Add(terraform);
        }
        else
        {
            info.FileName = terraform;
        }
        foreach (var arg in args) info.ArgumentList.Add(arg);
        options.Environment.ApplyTo(info.Environment);

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ExternalToolException("terraform", -1, e.Message, InstallHint);
        }
        process.StandardInput.Close();

        var tail = new Queue<string>();
        var gate = new Lock();
        var stdout = new StringBuilder();
        void Keep(string line)
        {
            lock (gate)
            {
                tail.Enqueue(line);
                if (tail.Count > TailLines) tail.Dequeue();
            }
        }
        var readStdout = Pump(process.StandardOutput, line =>
        {
            if (captureStdout)
            {
                stdout.AppendLine(line);
                return;
            }
            if (ui?.Read(line) is { } progress) options.Progress?.Report(progress);
            else if (ui is null) Keep(line);
        });
        var readStderr = Pump(process.StandardError, Keep);

        // Cancellation does not abandon terraform: it is interrupted, and waited for until it has stopped and
        // written its state, however long its in-flight calls take.
        var interrupted = 0;
        await using (cancellationToken.Register(() =>
                     {
                         if (Interrupt(process)) Interlocked.Exchange(ref interrupted, 1);
                     }))
        {
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(readStdout, readStderr);
        }
        if (Volatile.Read(ref interrupted) == 1)
        {
            throw new OperationCanceledException(
                $"terraform was interrupted and stopped cleanly; its state in {options.WorkingDirectory} is consistent", cancellationToken);
        }
        string tailText;
        lock (gate) tailText = string.Join('\n', tail);
        return new TerraformRun(process.ExitCode, stdout.ToString(), tailText);
    }

    private bool Interrupt(Process process)
    {
        try
        {
            if (process.HasExited) return false;
            options.Progress?.Report(new ProgressEvent("terraform", ProgressStatus.Waiting,
                "interrupted: waiting for terraform to finish in-flight operations and save its state"));
            if (OperatingSystem.IsWindows()) process.Kill(entireProcessTree: true);
            else Signals.Interrupt(process.Id);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static async Task Pump(StreamReader reader, Action<string> onLine)
    {
        while (await reader.ReadLineAsync() is { } line) onLine(line);
    }

    private static string? SessionLauncher()
    {
        if (!OperatingSystem.IsLinux()) return null;
        foreach (var candidate in new[] { "/usr/bin/setsid", "/bin/setsid" })
            if (File.Exists(candidate)) return candidate;
        return null;
    }

    private sealed record TerraformRun(int ExitCode, string Stdout, string Tail);
}
