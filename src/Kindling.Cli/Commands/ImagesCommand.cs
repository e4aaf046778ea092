using System.CommandLine;
using Kindling.Operations;
using Kindling.Cli.Json;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling images build|push</c>.</summary>
internal static class ImagesCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("images", "Build and push the Spark and Jupyter images (one pinned Spark and Python for driver and executors)");
        command.Subcommands.Add(ImagesBuildCommand.Create(ctx));
        command.Subcommands.Add(ImagesPushCommand.Create(ctx));
        return command;
    }

    /// <summary>A verb with the options build and push share; <paramref name="run"/> is the operation.</summary>
    internal static Command Verb(
        CliContext ctx, string name, string description,
        Func<EnvironmentContext, ImagesOptions, CancellationToken, Task<ImagesResult>> run)
    {
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var tag = new Option<string?>("--tag")
        {
            Description = "Image tag (default: images.tag, else <spark version>-<hash of the Dockerfiles>)",
        };
        var command = new Command(name, description) { output, tag };
        var file = EnvironmentOptions.AddLocal(command);
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            using var environment = file.Create(parse, ctx, new ProgressRenderer(ctx.ErrorConsole, labelSubjects: true));
            var result = await run(environment, new ImagesOptions { Tag = parse.GetValue(tag) }, ct);
            if (parse.GetValue(output) == OutputFormat.Json) JsonOutput.Write(ctx.Stdout, result, JsonOutput.Types.ImagesResult);
            else ImagesOutput.WriteText(ctx.Stdout, result);
            return ExitCodes.Ok;
        });
        return command;
    }
}
