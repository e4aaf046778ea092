using System.CommandLine;
using Kindling.Configuration;
using Kindling.Tools;
using Kindling.Operations;

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
        Func<ImagesOptions, CancellationToken, Task<ImagesResult>> run)
    {
        var file = CommonOptions.ConfigFile();
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var tag = new Option<string?>("--tag")
        {
            Description = "Image tag (default: images.tag, else <spark version>-<hash of the Dockerfiles>)",
        };
        var command = new Command(name, description) { file, output, tag };
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            var config = ConfigLoader.LoadOrDefaults(parse.GetValue(file), ctx.WorkingDirectory);
            var options = new ImagesOptions
            {
                Config = config,
                WorkingDirectory = ctx.WorkingDirectory,
                Tag = parse.GetValue(tag),
                Environment = new ToolEnvironment(ctx.GetEnvironmentVariable),
                Progress = new ProgressRenderer(ctx.ErrorConsole, labelSubjects: true),
                Time = ctx.Time,
            };
            var result = await run(options, ct);
            if (parse.GetValue(output) == OutputFormat.Json) JsonOutput.Write(ctx.Stdout, result);
            else ImagesOutput.WriteText(ctx.Stdout, result);
            return ExitCodes.Ok;
        });
        return command;
    }
}
