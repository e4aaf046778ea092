using System.CommandLine;
using Kindling.Operations;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling infra destroy</c>.</summary>
internal static class InfraDestroyCommand
{
    public static Command Create(CliContext ctx)
    {
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var autoApprove = InfraCommand.AutoApprove();
        var command = new Command("destroy", "Remove every cloud resource 'infra apply' created, including the ECR repositories and their images")
        {
            output, autoApprove,
        };
        var file = EnvironmentOptions.AddLocal(command);
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            using var environment = InfraCommand.Environment(ctx, parse, file);
            var aws = environment.Spec.Aws;
            var confirm = InfraCommand.Confirmation(ctx, parse.GetValue(autoApprove), "destroy",
                changes => $"This destroys {changes.Remove} resources, including EKS cluster '{aws.ClusterName}' in {aws.Region} and the images in ECR. Continue?");
            var result = await InfraDestroyOperation.RunAsync(environment, new InfraOptions { Confirm = confirm }, ct);
            return InfraCommand.Write(ctx, result, parse.GetValue(output));
        });
        return command;
    }
}
