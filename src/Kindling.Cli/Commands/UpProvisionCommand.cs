using System.CommandLine;
using System.Text.Json.Nodes;
using Kindling.Operations;
using Kindling.Operations.Provision;

namespace Kindling.Cli.Commands;

/// <summary>The flags of <c>kindling up --provision</c>, and its run.</summary>
internal sealed class UpProvisionCommand
{
    private readonly Option<bool> provision = new("--provision")
    {
        Description = "From nothing to a notebook URL: Terraform (EKS), kubeconfig, images (push, or load into a laptop cluster), up, notebook; each stage only when it is not up to date",
    };

    private readonly Option<bool> autoApprove = new("--auto-approve", "--yes", "-y") { Description = "With --provision: apply Terraform's plan without asking" };
    private readonly Option<bool> refresh = new("--refresh") { Description = "With --provision: plan and apply again instead of trusting earlier runs' records" };
    private readonly Option<bool> open = new("--open") { Description = "With --provision: port-forward to the notebook and open it in the browser, as 'kindling notebook --open'; runs until Ctrl+C" };
    private readonly Option<int> port = NumberOption.Create("--port", ["-p"], "With --provision: local port of the notebook URL (default 8888)", 8888, 0, 65535);

    public static UpProvisionCommand AddOptions(Command command)
    {
        var flags = new UpProvisionCommand();
        command.Options.Add(flags.provision);
        command.Options.Add(flags.autoApprove);
        command.Options.Add(flags.refresh);
        command.Options.Add(flags.open);
        command.Options.Add(flags.port);
        command.Validators.Add(result =>
        {
            if (result.GetValue(flags.provision)) return;
            foreach (var option in new Option[] { flags.autoApprove, flags.refresh, flags.open, flags.port })
                if (result.GetResult(option) is { Implicit: false }) result.AddError($"{option.Name} is only used with --provision");
        });
        return flags;
    }

    public bool Requested(ParseResult parse) => parse.GetValue(provision);

    public static async Task<int> RunAsync(CliContext ctx, ParseResult parse, EnvironmentOptions cluster, UpProvisionCommand flags, UpOptions up,
        OutputFormat output, CancellationToken cancellationToken)
    {
        var json = output == OutputFormat.Json;
        var opening = parse.GetValue(flags.open);
        if (opening && json) throw new InvalidInputException("--open", "--open serves the notebook until Ctrl+C and -o json prints one result; use one of them");
        using var environment = cluster.Create(parse, ctx, new ProgressRenderer(ctx.ErrorConsole));
        var options = new ProvisionOptions
        {
            KubeconfigPath = KubeconfigCommand.Resolve(ctx, cluster.KubeconfigPath(parse)),
            ConfirmInfra = Confirmation(ctx, parse.GetValue(flags.autoApprove)),
            Unattended = !ctx.Interactive,
            Refresh = parse.GetValue(flags.refresh),
            Up = up,
            NotebookPort = parse.GetValue(flags.port),
            OnNotebookForwarded = opening ? session =>
            {
                // The one place the token is shown: the user asked for the URL.
                ctx.Stdout.WriteLine(session.Url);
                ctx.Stdout.Flush();
                ctx.Stderr.WriteLine($"Forwarding 127.0.0.1:{session.LocalPort} to Pod/{session.Pod}; press Ctrl+C to stop.");
                NotebookCommand.OpenBrowser(session.Url, ctx);
            } : null,
        };
        ProvisionResult result;
        try
        {
            result = await ProvisionOperation.RunAsync(environment, options, cancellationToken);
        }
        catch (StageFailedException failed) when (failed.InnerException is { } cause)
        {
            return Failed(ctx, failed, cause, json);
        }
        if (json) JsonOutput.Write(ctx.Stdout, result, JsonOutput.Types.ProvisionResult);
        else if (!opening) WriteText(ctx.Stdout, result);
        return result.Declined ? ExitCodes.Failed : ExitCodes.Ok;
    }

    // The stage records and the error object in one JSON document: the cause decides the exit code and the error,
    // exactly as it would for the stage's own command.
    private static int Failed(CliContext ctx, StageFailedException failed, Exception cause, bool json)
    {
        if (!json)
        {
            ctx.Stderr.WriteLine($"Stage {Name(failed.Stage)} failed; the stages before it are done, and 'kindling up --provision' resumes here.");
            return ErrorReporter.Report(cause, ctx);
        }
        var captured = new StringWriter();
        var code = ErrorReporter.Report(cause, ctx with { Stdout = captured }, json: true);
        var document = JsonNode.Parse(captured.ToString())?.AsObject() ?? [];
        var stages = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(failed.Stages, JsonOutput.Types.IReadOnlyListStageOutcome));
        document.Insert(0, "stages", stages);
        ctx.Stdout.WriteLine(document.ToJsonString(JsonOutput.WithNulls.Options));
        return code;
    }

    private static Func<Kindling.Terraform.TerraformChangeSummary, CancellationToken, Task<bool>>? Confirmation(CliContext ctx, bool autoApprove)
    {
        if (autoApprove) return null;
        return (changes, _) =>
        {
            // Asked only when Terraform has changes to make: a laptop cluster or an up-to-date EKS never asks.
            if (!ctx.Interactive)
                throw new InvalidInputException("--auto-approve",
                    $"Terraform would make these changes: {changes}; stdin is not a terminal, so run 'kindling up --provision --auto-approve' to approve them");
            ctx.Stderr.Write($"Terraform will make these changes: {changes}. Apply them? Only 'yes' is accepted: ");
            ctx.Stderr.Flush();
            var answer = ctx.Stdin.ReadLine();
            return Task.FromResult(string.Equals(answer?.Trim(), "yes", StringComparison.Ordinal));
        };
    }

    private static string Name(ProvisionStage stage) => stage.ToString().ToLowerInvariant();

    private static void WriteText(TextWriter writer, ProvisionResult result)
    {
        writer.WriteLine($"Cluster: {result.Cluster.Kind} ({result.Cluster.Evidence}).");
        if (result.LocalDefaults.Count > 0)
            writer.WriteLine($"Laptop sizes for what kindling.yaml leaves unset: {string.Join(", ", result.LocalDefaults)}.");
        var width = result.Stages.Max(s => Name(s.Stage).Length);
        foreach (var stage in result.Stages)
        {
            var took = stage.Status == StageStatus.Done ? $" in {ProgressRenderer.FormatElapsed(stage.Duration)}" : "";
            writer.WriteLine($"  {Name(stage.Stage).PadRight(width)}  {stage.Status.ToString().ToLowerInvariant()}{took}: {stage.Reason}");
        }
        if (result.Declined)
        {
            writer.WriteLine("Terraform's changes were declined; nothing else ran.");
            return;
        }
        var ran = result.Stages.Count(s => s.Status == StageStatus.Done && s.Stage != ProvisionStage.Notebook);
        writer.WriteLine(ran == 0 ? $"Everything was up to date ({ProgressRenderer.FormatElapsed(result.Elapsed)})." : $"Done in {ProgressRenderer.FormatElapsed(result.Elapsed)}.");
        if (result.Notebook is { } notebook)
        {
            // The one place the token is shown: the user asked for the notebook URL.
            writer.WriteLine($"Notebook: {notebook.Url}");
            writer.WriteLine("It answers while 'kindling notebook' forwards the port (or run 'kindling up --provision --open').");
        }
    }
}
