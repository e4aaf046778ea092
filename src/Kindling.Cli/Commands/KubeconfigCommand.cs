using System.CommandLine;
using Kindling.Operations;
using Kindling.Cli.Json;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling kubeconfig</c>.</summary>
internal static class KubeconfigCommand
{
    public static Command Create(CliContext ctx)
    {
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var kubeconfig = new Option<string?>("--kubeconfig")
        {
            Description = "The kubeconfig file to write (default: the first file in KUBECONFIG, else ~/.kube/config)",
        };
        var command = new Command("kubeconfig", "Add or update a kubeconfig context for the EKS cluster (aws eks get-token authentication); other contexts are left alone")
        {
            output, kubeconfig,
        };
        var file = EnvironmentOptions.AddLocal(command);
        CommandAction.Set(command, ctx, (parse, _) =>
        {
            using var environment = file.Create(parse, ctx);
            var result = KubeconfigOperation.Run(environment, new KubeconfigOptions { KubeconfigPath = Resolve(ctx, parse.GetValue(kubeconfig)) });
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                JsonOutput.Write(ctx.Stdout, result, JsonOutput.Types.KubeconfigResult);
            }
            else
            {
                ctx.Stdout.WriteLine($"{(result.Created ? "Created" : "Updated")} {result.Path}: context '{result.Context}' for EKS cluster '{result.Cluster}' ({result.Server}) is now current.");
                if (result.PreviousContext is { } previous && previous != result.Context)
                    ctx.Stdout.WriteLine($"The previous context was '{previous}': 'kubectl config use-context {previous}' switches back.");
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    internal static string Resolve(CliContext ctx, string? explicitPath)
    {
        if (explicitPath is { Length: > 0 }) return ctx.ResolvePath(explicitPath);
        if (ctx.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } list &&
            list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries) is [var first, ..])
        {
            return ctx.ResolvePath(first);
        }
        var home = ctx.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".kube", "config");
    }
}
