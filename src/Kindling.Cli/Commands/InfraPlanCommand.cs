using System.CommandLine;
using Kindling.Operations;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling infra plan</c>.</summary>
internal static class InfraPlanCommand
{
    public static Command Create(CliContext ctx)
    {
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var command = new Command("plan", "Show what 'infra apply' would change, changing nothing") { output };
        var file = EnvironmentOptions.AddLocal(command);
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            using var environment = InfraCommand.Environment(ctx, parse, file);
            var result = await InfraPlanOperation.RunAsync(environment, new InfraOptions(), ct);
            return InfraCommand.Write(ctx, result, parse.GetValue(output));
        });
        return command;
    }
}
