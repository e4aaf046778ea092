using System.Diagnostics;
using Kindling.Testing.FakeKube;

namespace Kindling.Tests.Cli;

/// <summary>
/// A file the user names but may not read (mode 000) is bad input: exit 2, one located message, nothing sent.
/// Permission checks do not apply to root (CAP_DAC_OVERRIDE), and CI runs as root, so when a mode-000 file turns
/// out to be readable the CLI is run as the unprivileged user 65534 through <c>setpriv</c> (util-linux) instead of
/// in-process: the case is tested either way, never skipped.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnreadableFileTests
{
    public static TheoryData<string, string[]> Cases() => new()
    {
        { "--file", ["render", "-f", "{unreadable}", "--output-dir", "out"] },
        { "--kubeconfig", ["apps", "--kubeconfig", "{unreadable}"] },
        { "--properties-file", ["submit", "--kubeconfig", "{kubeconfig}", "--properties-file", "{unreadable}", "app.py"] },
        { "resource", ["submit", "--kubeconfig", "{kubeconfig}", "{unreadable}"] },
        { "--py-files", ["submit", "--kubeconfig", "{kubeconfig}", "--py-files", "{unreadable}", "app.py"] },
        { "--conf spark.kubernetes.driver.podTemplateFile", ["submit", "--kubeconfig", "{kubeconfig}", "--conf", "spark.kubernetes.driver.podTemplateFile={unreadable}", "app.py"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_unreadable_input_file_is_refused_with_exit_2_and_nothing_sent(string flag, string[] template)
    {
        await using var kube = await FakeKubeServer.StartAsync();
        using var dir = new TempDir();
        var kubeconfig = dir.File("kubeconfig");
        kube.WriteKubeconfig(kubeconfig);
        dir.Write("app.py", "print('hi')\n");
        var unreadable = dir.Write("unreadable.py", "name: x\nspark.app.name=x\n");
        File.SetUnixFileMode(unreadable, UnixFileMode.None);
        var args = template.Select(a => a.Replace("{unreadable}", unreadable, StringComparison.Ordinal).Replace("{kubeconfig}", kubeconfig, StringComparison.Ordinal)).ToArray();
        kube.Requests.Clear();

        var result = CanRead(unreadable) ? await RunAsUnprivilegedAsync(dir, args) : await CliHarness.RunAsync(
            new CliRun(dir.Path) { Environment = new Dictionary<string, string?> { ["HOME"] = dir.Path, ["KUBECONFIG"] = null } }, args);

        var because = $"kindling {string.Join(' ', args)}\n{result}";
        result.ExitCode.Should().Be(2, because);
        var errors = result.Stderr.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        errors.Should().ContainSingle(because).Which.Should().Contain($"{flag}:").And.Contain("cannot be read").And.Contain("permission denied");
        (result.Stdout + result.Stderr).Should().NotContainAny(["   at ", "System.", "Exception"], because);
        kube.Requests.All.Should().BeEmpty(because);
        Directory.Exists(dir.File("out")).Should().BeFalse(because);
    }

    private static bool CanRead(string path)
    {
        try
        {
            using var _ = File.OpenRead(path);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The real CLI as uid/gid 65534, in the test's directory (opened up so that user can work in it).</summary>
    private static async Task<CliResult> RunAsUnprivilegedAsync(TempDir dir, string[] args)
    {
        var setpriv = Kindling.Testing.RequiredTool.Find("setpriv", "install util-linux (apt-get install -y util-linux)");
        var dotnet = Kindling.Testing.RequiredTool.Find("dotnet", "install the .NET SDK");
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_111_111);
        foreach (var file in Directory.EnumerateFiles(dir.Path).Where(f => File.GetUnixFileMode(f) != UnixFileMode.None))
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var cli = Path.Combine(AppContext.BaseDirectory, "Kindling.Cli.dll");
        var start = new ProcessStartInfo(setpriv) { WorkingDirectory = dir.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", "--", dotnet, cli, .. args]) start.ArgumentList.Add(a);
        start.Environment["HOME"] = dir.Path;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
