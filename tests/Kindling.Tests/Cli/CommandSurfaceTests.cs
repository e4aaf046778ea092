using System.CommandLine;
using Kindling.Cli;

namespace Kindling.Tests.Cli;

/// <summary>The command tree stays consistent as commands are added.</summary>
public sealed class CommandSurfaceTests
{
    private static IEnumerable<Command> Leaves(Command command) =>
        command.Subcommands.Count == 0 ? [command] : command.Subcommands.SelectMany(Leaves);

    private static RootCommand Tree()
    {
        var ctx = new CliContext
        {
            Stdout = TextWriter.Null,
            Stderr = TextWriter.Null,
            Console = CliContext.CreateConsole(TextWriter.Null, ansi: false, interactive: false),
            ErrorConsole = CliContext.CreateConsole(TextWriter.Null, ansi: false, interactive: false),
            WorkingDirectory = Path.GetTempPath(),
        };
        return CliApp.Build(ctx);
    }

    [Fact]
    public void Every_command_that_talks_to_a_cluster_starts_the_trust_store_load_early_and_only_those_are_named()
    {
        var root = Tree();
        var connecting = root.Subcommands
            .Where(top => Leaves(top).Any(leaf => leaf.Options.Any(o => o.Name == "--kubeconfig")))
            .Select(top => top.Name).ToList();

        connecting.Should().NotBeEmpty();
        CliApp.ConnectingCommands.Should().Contain(connecting);
        CliApp.ConnectingCommands.Should().BeSubsetOf(root.Subcommands.Select(c => c.Name));
    }

    [Fact]
    public void Every_command_that_reads_a_config_takes_dash_f_except_logs_where_it_means_follow()
    {
        foreach (var leaf in Leaves(Tree()))
        {
            var file = leaf.Options.FirstOrDefault(o => o.Name == "--file");
            if (file is null) continue;
            var name = leaf.Name;
            if (name == "logs")
            {
                file.Aliases.Should().NotContain("-f");
                leaf.Options.Should().Contain(o => o.Aliases.Contains("-f") && o.Name == "--follow");
            }
            else
            {
                file.Aliases.Should().Contain("-f", $"'{name}' reads kindling.yaml");
            }
        }
    }

    [Fact]
    public void The_user_path_is_all_there()
    {
        var names = Leaves(Tree()).Select(c => c.Parents.OfType<Command>().Where(p => p is not RootCommand).Select(p => p.Name + " ").FirstOrDefault() + c.Name).ToList();
        names.Should().Contain(["init", "render", "infra plan", "infra apply", "infra destroy", "infra output", "kubeconfig",
            "images build", "images push", "up", "status", "notebook", "down", "submit", "apps", "logs", "kill", "ui"]);
    }

    [Fact]
    public void Commands_a_script_reads_offer_json()
    {
        string[] scripted = ["render", "init", "up", "status", "down", "apps", "submit", "kill", "plan", "apply", "destroy", "output", "kubeconfig", "build", "push"];
        foreach (var leaf in Leaves(Tree()).Where(l => scripted.Contains(l.Name)))
        {
            var output = leaf.Options.FirstOrDefault(o => o.Name == "--output");
            output.Should().NotBeNull($"'{leaf.Name}' output is read by scripts");
            output!.Description.Should().Contain("json", $"'{leaf.Name}' should offer -o json");
        }
    }
}
