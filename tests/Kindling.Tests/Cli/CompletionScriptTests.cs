using System.Diagnostics;

namespace Kindling.Tests.Cli;

/// <summary>
/// The completion scripts as shells run them: bash sources the script and its completion function asks the real
/// CLI (through the suggest directive) for candidates, filtered by compgen; zsh and fish parse their scripts
/// (<c>zsh -n</c>, <c>fish --no-execute</c>). PowerShell is not in Debian's archive, so the pwsh script is not run.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CompletionScriptTests
{
    private static async Task<string> ScriptAsync(TempDir dir, string shell)
    {
        var result = await CliHarness.RunAsync(dir.Path, "completion", shell);
        result.ExitCode.Should().Be(0, result.ToString());
        return dir.Write($"kindling.{shell}", result.Stdout);
    }

    /// <summary>A <c>kindling</c> on PATH that is this build's CLI.</summary>
    private static string Launcher(TempDir dir)
    {
        var dotnet = Kindling.Testing.RequiredTool.Find("dotnet", "install the .NET SDK");
        var cli = Path.Combine(AppContext.BaseDirectory, "Kindling.Cli.dll");
        var bin = Directory.CreateDirectory(dir.File("bin")).FullName;
        var launcher = dir.Write("bin/kindling", $"#!/bin/sh\nexec '{dotnet}' '{cli}' \"$@\"\n");
        File.SetUnixFileMode(launcher, (UnixFileMode)0b111_101_101);
        return bin;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string tool, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Theory]
    [InlineData("kindling sub", new[] { "submit" }, new string[0])]
    [InlineData("kindling apps -o ", new[] { "json", "wide", "text" }, new[] { "yaml", "Yaml", "Json" })]
    [InlineData("kindling submit --executor-", new[] { "--executor-memory", "--executor-cores" }, new[] { "--driver-memory" })]
    [InlineData("kindling infra ", new[] { "apply", "plan", "destroy" }, new[] { "submit" })]
    public async Task Bash_runs_the_script_and_completes_from_the_real_cli(string line, string[] expected, string[] absent)
    {
        var bash = Kindling.Testing.RequiredTool.Find("bash", "install bash");
        using var dir = new TempDir();
        var script = await ScriptAsync(dir, "bash");
        var bin = Launcher(dir);
        const string driver = """
            source "$SCRIPT"
            complete -p kindling >/dev/null || { echo "kindling has no completion registered" >&2; exit 3; }
            COMP_LINE="$LINE"
            COMP_POINT=${#COMP_LINE}
            read -ra COMP_WORDS <<< "$COMP_LINE"
            [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            _kindling_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """;

        var (code, stdout, stderr) = await RunAsync(bash, ["-c", driver], new Dictionary<string, string>
        {
            ["SCRIPT"] = script,
            ["LINE"] = line,
            ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}",
            ["HOME"] = dir.Path,
        });

        code.Should().Be(0, stderr);
        var candidates = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        candidates.Should().Contain(expected, $"completing '{line}'");
        foreach (var unwanted in absent) candidates.Should().NotContain(unwanted, $"completing '{line}'");
    }

    [Fact]
    public async Task Zsh_parses_its_script()
    {
        var zsh = Kindling.Testing.RequiredTool.Find("zsh", "install zsh (apt-get install -y zsh; .ci/run does)");
        using var dir = new TempDir();
        var script = await ScriptAsync(dir, "zsh");

        var (code, _, stderr) = await RunAsync(zsh, ["-n", script]);

        code.Should().Be(0, stderr);
        stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task Fish_parses_its_script()
    {
        var fish = Kindling.Testing.RequiredTool.Find("fish", "install fish (apt-get install -y fish; .ci/run does)");
        using var dir = new TempDir();
        var script = await ScriptAsync(dir, "fish");

        var (code, _, stderr) = await RunAsync(fish, ["--no-execute", script], new Dictionary<string, string> { ["HOME"] = dir.Path });

        code.Should().Be(0, stderr);
    }
}
