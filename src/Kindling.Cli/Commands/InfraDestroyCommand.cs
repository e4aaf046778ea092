using System.CommandLine;
using Kindling.Operations;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling infra destroy</c>.</summary>
internal static class InfraDestroyCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = CommonOptions.ConfigFile();
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var autoApprove = InfraCommand.AutoApprove();
        var command = new Command("destroy", "Remove every cloud resource 'infra apply' created, including the ECR repositories and their images")
        {
            file, output, autoApprove,
        };
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            var options = InfraCommand.Options(ctx, parse.GetValue(file));
            var aws = options.Config.Spec.Aws;
            var confirm = InfraCommand.Confirmation(ctx, parse.GetValue(autoApprove), "destroy",
                changes => $"This destroys {changes.Remove} resources, including EKS cluster '{aws.ClusterName}' in {aws.Region} and the images in ECR. Continue?");
            var result = await InfraDestroyOperation.RunAsync(options with { Confirm = confirm }, ct);
            return InfraCommand.Write(ctx, result, parse.GetValue(output));
        });
        return command;
    }
}
