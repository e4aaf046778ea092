using System.CommandLine;
using Kindling.Configuration;
using Kindling.Operations;
using Kindling.Cli.Json;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling init [-f kindling.yaml] [--force]</c>.</summary>
internal static class InitCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = CommonOptions.ConfigFile();
        file.Description = "Where to write the config (default: ./kindling.yaml)";
        var force = new Option<bool>("--force") { Description = "Overwrite an existing file" };
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var command = new Command("init", "Write a commented kindling.yaml with every key at its default") { file, force, output };
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            var display = parse.GetValue(file) ?? ConfigLoader.DefaultFileName;
            var result = await InitOperation.RunAsync(new InitOptions(ctx.ResolvePath(display), display, parse.GetValue(force)), ct);
            if (parse.GetValue(output) == OutputFormat.Json)
                JsonOutput.Write(ctx.Stdout, new InitOutput(result.ConfigPath, result.Overwritten, result.GitIgnoreAdded), JsonOutput.Types.InitOutput);
            else
            {
                if (result.GitIgnoreAdded.Count > 0) ctx.Stdout.WriteLine($"Added {string.Join(", ", result.GitIgnoreAdded)} to .gitignore.");
                ctx.Stdout.WriteLine($"{(result.Overwritten ? "Overwrote" : "Wrote")} {display}. Next: kindling render -f {display}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
