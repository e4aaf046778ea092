using System.CommandLine;
using Kindling.Cluster;
using Kindling.Operations.Spark;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling history [--port N]</c>: the Spark History Server on localhost.</summary>
internal static class HistoryCommand
{
    public static Command Create(CliContext ctx)
    {
        var support = new SparkCliSupport();
        var port = NumberOption.Create("--port", ["-p"], "Local port on 127.0.0.1 (default 18080; 0 picks a free one)", 18080, 0, 65535);
        var command = new Command("history", "Port-forward to the Spark History Server and print its URL; Ctrl+C stops");
        command.Options.Add(port);
        support.AddTo(command);

        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            using var environment = support.Environment(parse, ctx);
            var apps = SparkEnvironment.Open(environment);
            var (pod, remote) = await apps.HistoryServerPodAsync(ct);
            await using var forwarder = PortForwarder.Start(environment.Connection, new PortForwardTarget(environment.Namespace, pod, remote, parse.GetValue(port)));
            ctx.Stdout.WriteLine($"Spark History Server: http://127.0.0.1:{forwarder.LocalPort}/");
            ctx.Stdout.WriteLine("Press Ctrl+C to stop.");
            await forwarder.RunAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
