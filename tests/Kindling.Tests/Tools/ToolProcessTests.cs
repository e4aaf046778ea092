using System.Text;
using Kindling.Tools;

namespace Kindling.Tests.Tools;

/// <summary>The shared runner with small shell scripts standing in for docker, aws and terraform.</summary>
public sealed class ToolProcessTests : IDisposable
{
    private readonly TempDir bin = new();

    public void Dispose() => bin.Dispose();

    private ExternalTool Script(string name, string body, ToolVariables? variables = null)
    {
        var path = bin.Write(name, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new ExternalTool(name, $"install {name}", variables ?? new ToolVariables(ToolVariables.Basics));
    }

    private ToolEnvironment Environment(IReadOnlyDictionary<string, string?>? variables = null) => new(name =>
        name == "PATH" ? $"{bin.Path}{Path.PathSeparator}/usr/bin{Path.PathSeparator}/bin"
        : variables is not null && variables.TryGetValue(name, out var value) ? value : null);

    private ToolRunOptions Options(ExternalTool tool, ToolEnvironment? environment = null) => new()
    {
        Tool = tool,
        Arguments = [],
        Environment = environment ?? Environment(),
    };

    [Fact]
    public async Task The_tool_sees_the_callers_forwarded_variables_and_the_fixed_ones_and_not_what_the_caller_unset()
    {
        var tool = Script("env-tool", "echo \"FOO=${FOO-unset} HOME=${HOME-unset} FIXED=${FIXED-unset}\"",
            new ToolVariables([.. ToolVariables.Basics, "FOO"]) { Fixed = new Dictionary<string, string> { ["FIXED"] = "1" } });
        var environment = Environment(new Dictionary<string, string?> { ["FOO"] = "from-caller", ["HOME"] = null });

        var result = await ToolProcess.RunAsync(Options(tool, environment), CancellationToken.None);

        result.ExitCode.Should().Be(0, result.Tail);
        result.Stdout.Should().Be("FOO=from-caller HOME=unset FIXED=1\n");
    }

    [Fact]
    public async Task A_tool_missing_from_the_callers_path_says_how_to_install_it()
    {
        // A non-executable file of the same name is not the tool.
        bin.Write("ghost", "not a program");
        var tool = new ExternalTool("ghost", "install ghost", new ToolVariables(ToolVariables.Basics));

        var act = () => ToolProcess.RunAsync(Options(tool), CancellationToken.None);

        (await act.Should().ThrowAsync<ExternalToolException>())
            .Which.Message.Should().Be("ghost could not be started: 'ghost' is not on PATH. install ghost");
    }

    [Fact]
    public async Task Input_is_copied_into_standard_input_which_is_then_closed()
    {
        var tool = Script("cat-tool", "cat");
        using var input = new MemoryStream(Encoding.UTF8.GetBytes("line one\nline two\n"));

        var result = await ToolProcess.RunAsync(Options(tool) with { Input = input }, CancellationToken.None);

        result.Stdout.Should().Be("line one\nline two\n");
    }

    [Fact]
    public async Task Lines_go_to_the_callbacks_and_the_tail_keeps_the_last_ones()
    {
        var tool = Script("lines-tool", "for i in 1 2 3 4; do echo \"out $i\"; echo \"err $i\" >&2; done; exit 7");
        var outLines = new List<string>();
        var errLines = new List<string>();

        var result = await ToolProcess.RunAsync(Options(tool) with
        {
            Output = ToolOutput.Lines,
            OnOutputLine = line => { lock (outLines) outLines.Add(line); },
            OnErrorLine = line => { lock (errLines) errLines.Add(line); },
            OutputInTail = false,
            TailLines = 2,
        }, CancellationToken.None);

        result.ExitCode.Should().Be(7);
        outLines.Should().Equal("out 1", "out 2", "out 3", "out 4");
        errLines.Should().Equal("err 1", "err 2", "err 3", "err 4");
        result.Tail.Should().Be("err 3\nerr 4", "standard output was left out of the tail");
    }

    [Fact]
    public async Task Cancelling_a_kill_tree_run_kills_the_tool_and_throws()
    {
        var tool = Script("hang-tool", "echo ready; exec sleep 600");
        using var cts = new CancellationTokenSource();

        var act = () => ToolProcess.RunAsync(Options(tool) with
        {
            Output = ToolOutput.Lines,
            OnOutputLine = line => { if (line == "ready") cts.Cancel(); },
        }, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Cancelling_an_interrupt_run_sends_sigint_once_and_waits_for_the_tool_to_stop_on_its_own_terms()
    {
        var tool = Script("terraform-like", "trap 'echo saving state >&2; exit 3' INT; echo ready; while :; do sleep 0.1; done");
        using var cts = new CancellationTokenSource();
        var interrupts = 0;

        var result = await ToolProcess.RunAsync(Options(tool) with
        {
            Output = ToolOutput.Lines,
            OnOutputLine = line => { if (line == "ready") cts.Cancel(); },
            Cancellation = ToolCancellation.InterruptThenWait,
            OnInterrupt = () => Interlocked.Increment(ref interrupts),
        }, cts.Token);

        result.Interrupted.Should().BeTrue();
        result.ExitCode.Should().Be(3, "the tool's own handler decided how to stop");
        result.Tail.Should().Contain("saving state");
        interrupts.Should().Be(1);
    }
}
