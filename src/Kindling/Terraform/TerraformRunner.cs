using Kindling.Tools;

namespace Kindling.Terraform;

/// <summary>How <see cref="TerraformRunner"/> runs terraform.</summary>
internal sealed record TerraformRunnerOptions
{
    /// <summary>The module's working directory; terraform keeps its state and <c>.terraform/</c> here.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Where terraform is found and what it runs with.</summary>
    public ToolEnvironment Environment { get; init; } = ToolEnvironment.Process;

    /// <summary>A local provider mirror for <c>init -plugin-dir</c> (offline machines); null uses the registry.</summary>
    public string? PluginDirectory { get; init; }

    /// <summary>Receives one event per resource as terraform works.</summary>
    public IProgress<ProgressEvent>? Progress { get; init; }
}

/// <summary>
/// Runs the real terraform executable: arguments through <see cref="System.Diagnostics.ProcessStartInfo.ArgumentList"/>, never a
/// prompt (<c>-input=false</c>), machine-readable output (<c>-json</c>) turned into progress events, and
/// terraform's own diagnostics as the failure message.
/// </summary>
internal sealed class TerraformRunner(TerraformRunnerOptions options)
{
    /// <summary>How to install terraform; it also says that it is missing.</summary>
    public const string InstallHint =
        "terraform is not installed or not on PATH. Install Terraform 1.5 or later " +
        "(https://developer.hashicorp.com/terraform/install, or 'brew install hashicorp/tap/terraform', " +
        "or HashiCorp's apt/yum repository), then run this again";

    /// <summary>terraform, with what it and the AWS provider read from the caller's environment.</summary>
    public static ExternalTool Tool { get; } = new("terraform", InstallHint, new ToolVariables(
    [
        .. ToolVariables.Basics, "TMPDIR",
        .. ToolVariables.AwsCredentials, "AWS_EC2_METADATA_DISABLED",
        "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "SSL_CERT_FILE",
        "TF_CLI_CONFIG_FILE", "TF_PLUGIN_CACHE_DIR", "TF_LOG", "TF_LOG_PATH",
    ])
    {
        // Plain output for a program to read: no "next steps" advice, never a prompt.
        Fixed = new Dictionary<string, string> { ["TF_IN_AUTOMATION"] = "1", ["TF_INPUT"] = "0" },
    })
    {
        // The hint already says it is missing.
        NotFoundHint = InstallHint,
    };

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

    private static ExternalToolException Failure(string verb, ToolResult run, TerraformJsonUi? ui, string? advice)
    {
        var errors = ui?.Diagnostics.Where(d => d.Severity == "error").Select(d => d.ToString()).ToList() ?? [];
        var text = errors.Count > 0 ? string.Join("\n\n", errors) : run.Tail;
        var hint = $"terraform {verb} failed" + (advice is null ? "" : $"; {advice}");
        return new ExternalToolException("terraform", run.ExitCode, text, hint);
    }

    private async Task<ToolResult> RunAsync(
        IReadOnlyList<string> args, TerraformJsonUi? ui, bool captureStdout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var run = await ToolProcess.RunAsync(new ToolRunOptions
        {
            Tool = Tool,
            Arguments = args,
            Environment = options.Environment,
            WorkingDirectory = options.WorkingDirectory,
            Output = captureStdout ? ToolOutput.Capture : ToolOutput.Lines,
            // With -json the diagnostics come from the UI, and the raw JSON lines would only clutter the tail.
            OnOutputLine = ui is null ? null : line =>
            {
                if (ui.Read(line) is { } progress) options.Progress?.Report(progress);
            },
            OutputInTail = ui is null,
            TailLines = TailLines,
            Cancellation = ToolCancellation.InterruptThenWait,
            OnInterrupt = () => options.Progress?.Report(new ProgressEvent("terraform", ProgressStatus.Waiting,
                "interrupted: waiting for terraform to finish in-flight operations and save its state")),
        }, cancellationToken);
        if (run.Interrupted)
        {
            throw new OperationCanceledException(
                $"terraform was interrupted and stopped cleanly; its state in {options.WorkingDirectory} is consistent", cancellationToken);
        }
        return run;
    }
}
