using System.CommandLine;
using Kindling.Images;
using Kindling.Operations;
using Spectre.Console;
using Kindling.Cli.Json;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling render [-f kindling.yaml] [--output-dir DIR] [-o json]</c>.</summary>
internal static class RenderCommand
{
    public const string DefaultOutputDirectory = "kindling-out"; // init ignores it in git: GitIgnore.DefaultRenderOutput

    public static Command Create(CliContext ctx)
    {
        var outputDir = new Option<string>("--output-dir")
        {
            Description = $"Where to write the files (default: ./{DefaultOutputDirectory})",
            DefaultValueFactory = _ => DefaultOutputDirectory,
        };
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var command = new Command("render", "Write the complete environment (k8s/, terraform/, images/, notebooks/) without touching anything")
        {
            outputDir, output,
        };
        var file = EnvironmentOptions.AddLocal(command);
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            using var environment = file.Create(parse, ctx);
            var result = await RenderOperation.RunAsync(environment, new RenderOptions(parse.GetValue(outputDir)!), ct);
            if (parse.GetValue(output) == OutputFormat.Json) JsonOutput.Write(ctx.Stdout, result, JsonOutput.Types.RenderResult);
            else PrintSummary(ctx, result);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void PrintSummary(CliContext ctx, RenderResult result)
    {
        var console = ctx.Console;
        var counts = result.Files.GroupBy(f => f.Change).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        var relative = Path.GetRelativePath(ctx.WorkingDirectory, result.OutputDirectory);
        var source = result.ConfigSource is null ? "built-in defaults" : Path.GetRelativePath(ctx.WorkingDirectory, result.ConfigSource);
        console.MarkupLine($"Rendered [bold]{Markup.Escape(relative)}/[/] from {Markup.Escape(source)} ({string.Join(", ", counts)})");
        foreach (var group in result.Files.Where(f => f.Change != FileChange.Removed).GroupBy(f => f.RelativePath.Split('/')[0]))
            console.MarkupLine($"  {Markup.Escape(group.Key + "/"),-12}{group.Count(),3} files");
        console.MarkupLine($"Namespace:  {Markup.Escape(result.Namespace)}");
        console.MarkupLine($"Images:     spark   {Markup.Escape(result.Images.Spark)} [grey]({Describe(result.Images.SparkSource)})[/]");
        console.MarkupLine($"            jupyter {Markup.Escape(result.Images.Jupyter)} [grey]({Describe(result.Images.JupyterSource)})[/]");
        var e = result.Executors;
        var scaling = e.DynamicAllocation ? $"dynamic allocation {e.MinExecutors}..{e.MaxExecutors}" : "fixed";
        console.MarkupLine($"Executors:  {e.Instances} x {e.Cores} core(s), {Markup.Escape(e.Memory)} memory ({scaling})");
        console.MarkupLine($"History:    {Markup.Escape(result.History)}");
    }

    private static string Describe(ImageSource source) => source switch
    {
        ImageSource.Config => "set in kindling.yaml",
        ImageSource.Registry => "images.registry",
        ImageSource.TerraformOutputs => "ECR from terraform outputs",
        _ => "local name; run 'kindling infra apply' or set images.registry",
    };
}
