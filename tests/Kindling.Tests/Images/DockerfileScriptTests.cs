using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Kindling.Configuration;
using Kindling.Images;
using Kindling.Testing;

namespace Kindling.Tests.Images;

/// <summary>
/// No Docker daemon here, so the shell the Dockerfiles run is executed directly: the Spark image's version
/// check against a real Python in a throw-away venv and a stand-in SPARK_HOME, and the Jupyter CMD against a
/// recording <c>jupyter</c>.
/// </summary>
public sealed class DockerfileScriptTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private static string Instruction(string dockerfilePath, string keyword) =>
        DockerfileSetTests.Instructions(DockerfileSet.Render(new EnvironmentSpec()).Single(f => f.RelativePath == dockerfilePath).Content)
            .Single(i => i.StartsWith(keyword + " ", StringComparison.Ordinal))[(keyword.Length + 1)..];

    private static (int ExitCode, string Stdout, string Stderr) Shell(IReadOnlyList<string> argv, IDictionary<string, string?> env)
    {
        var start = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in argv.Skip(1)) start.ArgumentList.Add(a);
        start.Environment.Clear();
        foreach (var (k, v) in env) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    /// <summary>A venv (so the .pth the check writes lands in it) and a SPARK_HOME with a pyspark of <paramref name="pysparkVersion"/>.</summary>
    private (string Bin, string SparkHome, string PythonVersion) Setup(string pysparkVersion)
    {
        var python = RequiredTool.Find("python3", "Install Python 3 with the venv module.");
        var venv = dir.File("venv");
        Shell([python, "-m", "venv", "--without-pip", venv], new Dictionary<string, string?> { ["PATH"] = Environment.GetEnvironmentVariable("PATH") })
            .ExitCode.Should().Be(0);
        var bin = Path.Combine(venv, "bin");
        var version = Shell([Path.Combine(bin, "python3"), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            new Dictionary<string, string?>()).Stdout.Trim();

        var sparkHome = dir.File("spark");
        dir.Write("spark/python/pyspark/__init__.py", $"__version__ = '{pysparkVersion}'\n");
        Directory.CreateDirectory(dir.File("spark/python/lib"));
        using (var zip = ZipFile.Open(dir.File("spark/python/lib/py4j-0.10.9.7-src.zip"), ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(zip.CreateEntry("py4j/__init__.py").Open());
            writer.Write("__version__ = '0.10.9.7'\n");
        }
        return (bin, sparkHome, version);
    }

    private static Dictionary<string, string?> Env(string bin, string sparkHome, string pythonVersion, string sparkVersion) => new()
    {
        ["PATH"] = $"{bin}:/usr/bin:/bin",
        ["SPARK_HOME"] = sparkHome,
        ["PYTHON_VERSION"] = pythonVersion,
        ["SPARK_VERSION"] = sparkVersion,
    };

    [Fact]
    public void Spark_check_passes_on_the_promised_python_and_makes_pyspark_importable()
    {
        var (bin, sparkHome, python) = Setup("3.5.5");

        var run = Shell(["/bin/sh", "-c", Instruction(DockerfileSet.SparkDockerfile, "RUN")], Env(bin, sparkHome, python, "3.5.5"));

        run.ExitCode.Should().Be(0, run.Stderr);
        var import = Shell([Path.Combine(bin, "python3"), "-c", "import pyspark, py4j; print(pyspark.__version__, py4j.__version__)"],
            new Dictionary<string, string?>());
        import.Stdout.Trim().Should().Be("3.5.5 0.10.9.7", import.Stderr);
    }

    [Fact]
    public void Spark_check_fails_the_build_when_python_is_not_the_promised_one()
    {
        var (bin, sparkHome, python) = Setup("3.5.5");

        var run = Shell(["/bin/sh", "-c", Instruction(DockerfileSet.SparkDockerfile, "RUN")], Env(bin, sparkHome, "2.7", "3.5.5"));

        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain($"python3 in the base image is {python} but PYTHON_VERSION is 2.7")
            .And.Contain($"set spark.pythonVersion to {python}");
    }

    [Fact]
    public void Spark_check_fails_the_build_when_pyspark_is_another_spark_version()
    {
        var (bin, sparkHome, python) = Setup("3.5.4");

        var run = Shell(["/bin/sh", "-c", Instruction(DockerfileSet.SparkDockerfile, "RUN")], Env(bin, sparkHome, python, "3.5.5"));

        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain("pyspark is 3.5.4, expected 3.5.5");
    }

    private (int ExitCode, string Stdout, string Stderr) RunJupyterCmd(string? token)
    {
        var argv = JsonSerializer.Deserialize<string[]>(Instruction(DockerfileSet.JupyterDockerfile, "CMD"))!;
        var fake = dir.Write("bin/jupyter", "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var env = new Dictionary<string, string?> { ["PATH"] = $"{dir.File("bin")}:/usr/bin:/bin", ["JUPYTER_PORT"] = "8888" };
        if (token is not null) env["JUPYTER_TOKEN"] = token;
        return Shell(argv, env);
    }

    [Fact]
    public void Jupyter_cmd_starts_the_server_with_the_token_only_in_its_environment()
    {
        var run = RunJupyterCmd("s3cr3t-token");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "server", "--ServerApp.ip=0.0.0.0", "--ServerApp.port=8888", "--ServerApp.port_retries=0",
            "--ServerApp.open_browser=False", "--ServerApp.root_dir=/home/spark/work");
    }

    [Fact]
    public void Jupyter_cmd_refuses_to_start_without_a_token()
    {
        var run = RunJupyterCmd(null);

        run.ExitCode.Should().Be(1);
        run.Stderr.Should().Contain("JUPYTER_TOKEN is not set");
        run.Stdout.Should().BeEmpty("jupyter was never started");
    }
}
