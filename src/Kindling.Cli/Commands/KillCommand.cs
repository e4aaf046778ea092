using System.CommandLine;
using Kindling.Operations.Spark;
using Kindling.Cli.Json;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling kill &lt;app&gt;</c>.</summary>
internal static class KillCommand
{
    public static Command Create(CliContext ctx)
    {
        var support = new SparkCliSupport();
        var app = new Argument<string>("app") { Description = "App id, driver pod or application name" };
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var command = new Command("kill", "Stop an application: delete its driver pod and wait until its executors are gone");
        command.Arguments.Add(app);
        command.Options.Add(output);
        support.AddTo(command);

        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            using var environment = support.Environment(parse, ctx);
            var apps = SparkEnvironment.Open(environment);
            var killed = await apps.KillAsync(parse.GetValue(app)!, ct);
            if (parse.GetValue(output) == OutputFormat.Json) JsonOutput.Write(ctx.Stdout, new KillOutput(killed.AppId, killed.Name, killed.DriverPod), JsonOutput.Types.KillOutput);
            else ctx.Stdout.WriteLine($"Killed {killed.AppId} ({killed.Name}); its driver and executors are gone.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
