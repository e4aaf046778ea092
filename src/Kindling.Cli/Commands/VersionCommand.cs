using System.CommandLine;
using System.Reflection;
using Kindling.Operations;
using Kindling.Cli.Json;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling version [--client] [-o json]</c>: this binary, the images kindling.yaml pins, and what the cluster runs.</summary>
internal static class VersionCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("version", "Print the client version, the Spark and Python the images are built from, and the cluster's versions");
        var clientOnly = new Option<bool>("--client") { Description = "Only the client; do not contact the cluster" };
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        command.Options.Add(clientOnly);
        command.Options.Add(output);
        var environmentOptions = EnvironmentOptions.AddCluster(command);
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            using var environment = environmentOptions.Create(parse, ctx);
            var client = new ClientVersionOutput(
                ClientVersion(),
                System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                environment.Spec.Spark.Version,
                environment.Spec.Spark.PythonVersion);
            var json = parse.GetValue(output) == OutputFormat.Json;
            if (!json)
            {
                ctx.Stdout.WriteLine($"Client:  kindling {client.Version} ({client.Runtime})");
                ctx.Stdout.WriteLine($"Images:  Spark {client.SparkVersion}, Python {client.PythonVersion} (from {environment.Config.SourcePath ?? "the built-in defaults"})");
            }
            if (parse.GetValue(clientOnly))
            {
                if (json) JsonOutput.Write(ctx.Stdout, new VersionOutput(client), JsonOutput.Types.VersionOutput);
                return ExitCodes.Ok;
            }
            var cluster = await VersionOperation.RunAsync(environment, ct);
            if (json)
            {
                JsonOutput.Write(ctx.Stdout, new VersionOutput(client, cluster), JsonOutput.Types.VersionOutput);
                return ExitCodes.Ok;
            }
            ctx.Stdout.WriteLine($"Server:  Kubernetes {cluster.ServerVersion}{(cluster.Platform is null ? "" : $" ({cluster.Platform})")} at {cluster.Cluster}");
            if (cluster.NotebookPod is null)
            {
                ctx.Stdout.WriteLine($"Notebook: not running in namespace {environment.Namespace}; 'kindling up' starts it");
            }
            else
            {
                ctx.Stdout.WriteLine($"Notebook: Pod/{cluster.NotebookPod} runs {cluster.NotebookImage}{(cluster.NotebookImageId is null ? "" : $" ({cluster.NotebookImageId})")}");
                if (cluster.ExecutorImage is not null) ctx.Stdout.WriteLine($"Executors: {cluster.ExecutorImage}");
            }
            if (cluster.SparkVersions.Count > 0)
                ctx.Stdout.WriteLine($"Spark:   {string.Join(", ", cluster.SparkVersions)} (the spark-version label of the Spark pods running now)");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The informational version this binary was built with (the package version, plus the commit when known).</summary>
    public static string ClientVersion() =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionCommand).Assembly.GetName().Version?.ToString() ?? "unknown";
}
