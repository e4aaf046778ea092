using System.CommandLine;
using Kindling.Operations;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling infra apply</c>.</summary>
internal static class InfraApplyCommand
{
    public static Command Create(CliContext ctx)
    {
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var autoApprove = InfraCommand.AutoApprove();
        var command = new Command("apply", "Create or update the infrastructure and save its outputs (ECR URLs, cluster) locally")
        {
            output, autoApprove,
        };
        var file = EnvironmentOptions.AddLocal(command);
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            var confirm = InfraCommand.Confirmation(ctx, parse.GetValue(autoApprove), "apply",
                changes => $"Terraform will make these changes: {changes}. Apply them?");
            using var environment = InfraCommand.Environment(ctx, parse, file);
            var result = await InfraApplyOperation.RunAsync(environment, new InfraOptions { Confirm = confirm }, ct);
            return InfraCommand.Write(ctx, result, parse.GetValue(output));
        });
        return command;
    }
}
