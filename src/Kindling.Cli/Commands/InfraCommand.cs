using System.CommandLine;
using Kindling.Operations;
using Kindling.Terraform;
using Kindling.Cli.Json;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling infra plan|apply|destroy|output</c>.</summary>
internal static class InfraCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("infra", "Provision the AWS infrastructure (VPC, ECR, EKS, IAM, OIDC) with Terraform");
        command.Subcommands.Add(InfraPlanCommand.Create(ctx));
        command.Subcommands.Add(InfraApplyCommand.Create(ctx));
        command.Subcommands.Add(InfraDestroyCommand.Create(ctx));
        command.Subcommands.Add(InfraOutputCommand.Create(ctx));
        return command;
    }

    public static Option<bool> AutoApprove() => new("--auto-approve", "--yes", "-y")
    {
        Description = "Do not ask for confirmation (required when stdin is not a terminal)",
    };

    /// <summary>The environment of an infra verb; terraform's progress goes to stderr.</summary>
    public static EnvironmentContext Environment(CliContext ctx, ParseResult parse, EnvironmentOptions file) =>
        file.Create(parse, ctx, new ProgressRenderer(ctx.ErrorConsole));

    /// <summary>
    /// The confirmation for apply and destroy: none with <c>--auto-approve</c>; a question when a person is at the
    /// terminal; otherwise a refusal before anything runs, because a script must say explicitly that it means it.
    /// </summary>
    public static Func<TerraformChangeSummary, CancellationToken, Task<bool>>? Confirmation(
        CliContext ctx, bool autoApprove, string verb, Func<TerraformChangeSummary, string> question)
    {
        if (autoApprove) return null;
        if (!ctx.Interactive)
        {
            throw new InvalidInputException("--auto-approve",
                $"'kindling infra {verb}' needs confirmation, and stdin is not a terminal; run it again with --auto-approve");
        }
        return (changes, _) =>
        {
            ctx.Stderr.Write($"{question(changes)} Only 'yes' is accepted: ");
            ctx.Stderr.Flush();
            var answer = ctx.Stdin.ReadLine();
            return Task.FromResult(string.Equals(answer?.Trim(), "yes", StringComparison.Ordinal));
        };
    }

    public static int Write(CliContext ctx, InfraResult result, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(ctx.Stdout, result, JsonOutput.Types.InfraResult);
            return ExitCodes.Ok;
        }
        var took = ProgressRenderer.FormatElapsed(result.Elapsed);
        var changes = result.Changes;
        var line = result switch
        {
            { Operation: InfraOperation.Plan } when changes.IsEmpty => "No changes: the infrastructure matches the configuration.",
            { Operation: InfraOperation.Plan } => $"Plan: {changes}. Run 'kindling infra apply' to make these changes.",
            { Operation: InfraOperation.Apply, Applied: true } => $"Apply complete: {changes.Add} added, {changes.Change} changed, {changes.Remove} destroyed in {took}.",
            { Operation: InfraOperation.Apply } when changes.IsEmpty => "No changes: the infrastructure matches the configuration.",
            { Operation: InfraOperation.Destroy, Applied: true } => $"Destroy complete: {changes.Remove} destroyed in {took}.",
            { Operation: InfraOperation.Destroy } when changes.IsEmpty => "Nothing to destroy.",
            _ => "Cancelled: nothing was changed.",
        };
        ctx.Stdout.WriteLine(line);
        if (result.ApiAccess is { } access) ctx.Stdout.WriteLine(access);
        if (result.Outputs is { } outputs) InfraOutputCommand.WriteText(ctx, outputs);
        ctx.Stdout.WriteLine($"Terraform working directory: {result.WorkingDirectory}");
        return !result.Applied && !changes.IsEmpty && result.Operation != InfraOperation.Plan ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
