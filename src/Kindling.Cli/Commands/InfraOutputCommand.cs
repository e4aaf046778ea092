using System.CommandLine;
using Kindling.Configuration;
using Kindling.Operations;
using Kindling.Cli.Json;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling infra output</c>.</summary>
internal static class InfraOutputCommand
{
    public static Command Create(CliContext ctx)
    {
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var command = new Command("output", "Read Terraform's outputs (ECR URLs, cluster name, endpoint, CA) and save them locally") { output };
        var file = EnvironmentOptions.AddLocal(command);
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            using var environment = InfraCommand.Environment(ctx, parse, file);
            var outputs = await InfraOutputOperation.RunAsync(environment, new InfraOptions(), ct);
            if (parse.GetValue(output) == OutputFormat.Json) JsonOutput.Write(ctx.Stdout, outputs, JsonOutput.Types.TerraformOutputs);
            else WriteText(ctx, outputs);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static void WriteText(CliContext ctx, TerraformOutputs outputs)
    {
        var w = ctx.Stdout;
        w.WriteLine("Outputs (saved for images, render and kubeconfig):");
        w.WriteLine($"  spark repository    {outputs.SparkRepositoryUrl}");
        w.WriteLine($"  jupyter repository  {outputs.JupyterRepositoryUrl}");
        w.WriteLine($"  cluster             {outputs.ClusterName}");
        w.WriteLine($"  endpoint            {outputs.ClusterEndpoint}");
        w.WriteLine($"  certificate         {outputs.ClusterCertificateAuthority.Length} base64 characters");
    }
}
