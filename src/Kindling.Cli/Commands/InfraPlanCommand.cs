using System.CommandLine;
using Kindling.Operations;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling infra plan</c>.</summary>
internal static class InfraPlanCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = CommonOptions.ConfigFile();
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var command = new Command("plan", "Show what 'infra apply' would change, changing nothing") { file, output };
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            var result = await InfraPlanOperation.RunAsync(InfraCommand.Options(ctx, parse.GetValue(file)), ct);
            return InfraCommand.Write(ctx, result, parse.GetValue(output));
        });
        return command;
    }
}
