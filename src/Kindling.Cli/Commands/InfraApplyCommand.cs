using System.CommandLine;
using Kindling.Operations;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling infra apply</c>.</summary>
internal static class InfraApplyCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = CommonOptions.ConfigFile();
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var autoApprove = InfraCommand.AutoApprove();
        var command = new Command("apply", "Create or update the infrastructure and save its outputs (ECR URLs, cluster) locally")
        {
            file, output, autoApprove,
        };
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            var confirm = InfraCommand.Confirmation(ctx, parse.GetValue(autoApprove), "apply",
                changes => $"Terraform will make these changes: {changes}. Apply them?");
            var result = await InfraApplyOperation.RunAsync(InfraCommand.Options(ctx, parse.GetValue(file), confirm), ct);
            return InfraCommand.Write(ctx, result, parse.GetValue(output));
        });
        return command;
    }
}
