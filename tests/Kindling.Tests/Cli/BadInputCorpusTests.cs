using System.CommandLine;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Kindling.Cli;
using Kindling.Testing.FakeKube;

namespace Kindling.Tests.Cli;

/// <summary>
/// Runs every command with every bad input of the corpus in <c>Cli/BadInputs/*.case</c> (issue 10 §3) and asserts
/// the README's promise: exit 2, one located message, no stack trace or .NET type name, nothing written, and no
/// request sent to the cluster. Add a case file to grow the corpus; the test picks it up.
/// </summary>
public sealed class BadInputCorpusTests
{
    /// <summary>Positional arguments and flags each command needs so that only the bad input is wrong.</summary>
    private static readonly Dictionary<string, string[]> BaseArgs = new(StringComparer.Ordinal)
    {
        ["submit"] = ["app.py"],
        ["logs"] = ["spark-0123"],
        ["kill"] = ["spark-0123"],
        ["ui"] = ["spark-0123"],
        ["down"] = ["--yes"],
        ["infra apply"] = ["--auto-approve"],
        ["infra destroy"] = ["--auto-approve"],
        ["completion"] = ["bash"],
    };

    /// <summary>The corpus, read from the source tree so a new case needs no project change.</summary>
    private static string CorpusDirectory([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "BadInputs");

    public static TheoryData<string> Cases() =>
        [.. Directory.EnumerateFiles(CorpusDirectory(), "*.case").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_command_refuses_the_bad_input_with_exit_2_and_changes_nothing(string name)
    {
        var badCase = BadInputCase.Load(Path.Combine(CorpusDirectory(), name + ".case"));
        await using var kube = await FakeKubeServer.StartAsync();
        using var dir = new TempDir();
        var kubeconfig = dir.File("kubeconfig");
        kube.WriteKubeconfig(kubeconfig);
        var files = Placeholders(dir, badCase);
        var tried = 0;

        foreach (var (path, command) in Leaves(Tree(dir.Path)))
        {
            if (badCase.Except.Contains(path) || badCase.Except.Contains(command.Name)) continue;
            if (badCase.Applies != "any" && !command.Options.Any(o => o.Name == badCase.Applies || o.Aliases.Contains(badCase.Applies)))
                continue;
            var args = new List<string>(path.Split(' '));
            // As with spark-submit, everything after submit's application is the application's: its positional goes last.
            var positional = BaseArgs.GetValueOrDefault(path) ?? BaseArgs.GetValueOrDefault(command.Name) ?? [];
            var positionalLast = command.Name == "submit";
            if (!positionalLast) args.AddRange(positional);
            // Point cluster commands at the fake, so a request that should never be sent would be seen.
            if (command.Options.Any(o => o.Name == "--kubeconfig") && command.Name != "kubeconfig" && badCase.Applies != "--kubeconfig")
                args.AddRange(["--kubeconfig", kubeconfig]);
            args.AddRange(badCase.Args.Select(a => files.Aggregate(a, (text, p) => text.Replace("{" + p.Key + "}", p.Value, StringComparison.Ordinal))));
            if (positionalLast) args.AddRange(positional);

            var before = Snapshot(dir.Path);
            kube.Requests.Clear();
            var run = new CliRun(dir.Path)
            {
                Environment = new Dictionary<string, string?> { ["HOME"] = dir.Path, ["KUBECONFIG"] = null, ["PATH"] = "/nonexistent" },
                Cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token,
            };
            var result = await CliHarness.RunAsync(run, [.. args]);
            tried++;

            var because = $"'kindling {string.Join(' ', args)}' ({name})\n{result}";
            result.ExitCode.Should().Be(2, because);
            var errors = result.Stderr.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
            errors.Should().HaveCount(badCase.Messages, because);
            errors.Should().Contain(l => l.Contains(badCase.Expect, StringComparison.Ordinal), because);
            (result.Stdout + result.Stderr).Should().NotContainAny(["   at ", "System.", "Exception", "00:0"], because);
            Snapshot(dir.Path).Should().Equal(before, $"nothing may be written: {because}");
            kube.Requests.All.Should().BeEmpty($"no request may be sent: {because}");
        }
        tried.Should().BePositive($"case {name} applies to no command (applies: {badCase.Applies})");
    }

    [Fact]
    public void The_corpus_covers_every_bad_input_class_of_the_issue()
    {
        var names = Directory.EnumerateFiles(CorpusDirectory(), "*.case").Select(f => Path.GetFileNameWithoutExtension(f)).ToList();
        names.Should().Contain(["output-xml", "output-yml", "output-wide-where-unsupported", "timeout-overflow", "port-not-a-number",
            "tail-negative", "config-memory-overflow", "file-is-directory", "file-is-empty", "file-is-fifo", "kubeconfig-is-directory",
            "kubeconfig-is-empty", "kubeconfig-is-fifo", "output-dir-root", "output-dir-file", "output-dir-proc", "config-namespace-kube-system",
            "config-instances-above-max", "config-cluster-name-too-long", "config-unknown-key-and-bad-value"]);
    }

    private static Dictionary<string, string> Placeholders(TempDir dir, BadInputCase badCase)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["dir"] = Directory.CreateDirectory(dir.File("a-directory")).FullName,
            ["empty"] = dir.Write("empty.yaml", ""),
            ["garbage"] = dir.Write("garbage", "\u0001\u0002 not: [a, kubeconfig\n"),
        };
        dir.Write("app.py", "print('hi')\n");
        files["fifo"] = MakeFifo(dir.File("a-fifo"));
        foreach (var (file, content) in badCase.Files) files["config"] = dir.Write(file, content);
        return files;
    }

    private static string MakeFifo(string path)
    {
        var start = new ProcessStartInfo("mkfifo") { UseShellExecute = false };
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        process.ExitCode.Should().Be(0, "mkfifo must create the FIFO");
        return path;
    }

    /// <summary>Every file and directory with size and write time; a FIFO is listed without opening it.</summary>
    private static List<string> Snapshot(string root) =>
        [.. new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .Select(i => $"{Path.GetRelativePath(root, i.FullName)} {(i is FileInfo f ? f.Length : -1)} {i.LastWriteTimeUtc.Ticks}")
            .Order(StringComparer.Ordinal)];

    private static RootCommand Tree(string workingDirectory) => CliApp.Build(new CliContext
    {
        Stdout = TextWriter.Null,
        Stderr = TextWriter.Null,
        Console = CliContext.CreateConsole(TextWriter.Null, ansi: false, interactive: false),
        ErrorConsole = CliContext.CreateConsole(TextWriter.Null, ansi: false, interactive: false),
        WorkingDirectory = workingDirectory,
    });

    private static IEnumerable<(string Path, Command Command)> Leaves(Command command, string prefix = "")
    {
        foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
        {
            var path = prefix.Length == 0 ? sub.Name : $"{prefix} {sub.Name}";
            if (sub.Subcommands.Count == 0) yield return (path, sub);
            else foreach (var leaf in Leaves(sub, path)) yield return leaf;
        }
    }
}

/// <summary>One case file: header lines (<c>applies</c>, <c>except</c>, <c>args</c>, <c>expect</c>, <c>messages</c>), then files after <c>--- name</c>.</summary>
internal sealed record BadInputCase(string Applies, IReadOnlySet<string> Except, IReadOnlyList<string> Args, string Expect, int Messages,
    IReadOnlyDictionary<string, string> Files)
{
    public static BadInputCase Load(string path)
    {
        var lines = File.ReadAllLines(path);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        string? file = null;
        var content = new List<string>();
        foreach (var line in lines)
        {
            if (line.StartsWith("--- ", StringComparison.Ordinal))
            {
                if (file is not null) files[file] = string.Join('\n', content) + "\n";
                file = line[4..].Trim();
                content.Clear();
            }
            else if (file is not null) content.Add(line);
            else if (line.Length > 0 && !line.StartsWith('#')) headers[line[..line.IndexOf(':', StringComparison.Ordinal)]] = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        if (file is not null) files[file] = string.Join('\n', content) + "\n";
        return new BadInputCase(
            headers["applies"],
            (headers.GetValueOrDefault("except") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal),
            headers["args"].Split(' ', StringSplitOptions.RemoveEmptyEntries),
            headers["expect"],
            int.Parse(headers.GetValueOrDefault("messages") ?? "1", System.Globalization.CultureInfo.InvariantCulture),
            files);
    }
}
