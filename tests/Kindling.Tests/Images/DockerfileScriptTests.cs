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

    private static string Instruction(string dockerfilePath, string keyword, string containing = "") =>
        DockerfileSetTests.Instructions(DockerfileSet.Render(new EnvironmentSpec()).Single(f => f.RelativePath == dockerfilePath).Content)
            .Single(i => i.StartsWith(keyword + " ", StringComparison.Ordinal) && i.Contains(containing, StringComparison.Ordinal))[(keyword.Length + 1)..];

    // The Spark image's RUN steps, told apart by what they do.
    private static string PythonCheck => Instruction(DockerfileSet.SparkDockerfile, "RUN", "PYTHON_VERSION");
    private static string S3aStep => Instruction(DockerfileSet.SparkDockerfile, "RUN", "S3A_JARS");
    private static string PackagesStep => Instruction(DockerfileSet.SparkDockerfile, "RUN", "packages.txt");

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

        var run = Shell(["/bin/sh", "-c", PythonCheck], Env(bin, sparkHome, python, "3.5.5"));

        run.ExitCode.Should().Be(0, run.Stderr);
        var import = Shell([Path.Combine(bin, "python3"), "-c", "import pyspark, py4j; print(pyspark.__version__, py4j.__version__)"],
            new Dictionary<string, string?>());
        import.Stdout.Trim().Should().Be("3.5.5 0.10.9.7", import.Stderr);
    }

    [Fact]
    public void Spark_check_fails_the_build_when_python_is_not_the_promised_one()
    {
        var (bin, sparkHome, python) = Setup("3.5.5");

        var run = Shell(["/bin/sh", "-c", PythonCheck], Env(bin, sparkHome, "2.7", "3.5.5"));

        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain($"python3 in the base image is {python} but PYTHON_VERSION is 2.7")
            .And.Contain($"set spark.pythonVersion to {python}");
    }

    [Fact]
    public void Spark_check_fails_the_build_when_pyspark_is_another_spark_version()
    {
        var (bin, sparkHome, python) = Setup("3.5.4");

        var run = Shell(["/bin/sh", "-c", PythonCheck], Env(bin, sparkHome, python, "3.5.5"));

        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain("pyspark is 3.5.4, expected 3.5.5");
    }

    /// <summary>
    /// A stand-in Maven repository served by a fake <c>wget</c> (the URL's path is read from <c>repo/</c>), the jars the
    /// table names with their published <c>.sha1</c>, and a SPARK_HOME whose hadoop-client-api jar says
    /// <paramref name="distributionHadoop"/>.
    /// </summary>
    private Dictionary<string, string?> S3aSetup(string distributionHadoop, bool corruptBundle = false)
    {
        var args = DockerfileSet.SparkBuildArgs(new EnvironmentSpec());
        foreach (var path in args["S3A_JARS"].Split(' '))
        {
            var jar = dir.Write("repo/" + path, "jar bytes of " + path);
            var sha1 = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(File.ReadAllBytes(jar)));
            if (corruptBundle && path.Contains("bundle", StringComparison.Ordinal)) sha1 = new string('0', 40);
            dir.Write("repo/" + path + ".sha1", sha1);
        }
        dir.Write($"spark/jars/hadoop-client-api-{distributionHadoop}.jar", "api");
        var wget = dir.Write("bin/wget", """
            #!/bin/sh
            out=""
            while [ $# -gt 0 ]; do case "$1" in -q) shift ;; -O) out="$2"; shift 2 ;; *) url="$1"; shift ;; esac; done
            file="$REPO_DIR/${url#http://maven.test/}"
            [ -f "$file" ] || { echo "ERROR 404: Not Found." >&2; exit 8; }
            if [ "$out" = "-" ]; then cat "$file"; else cp "$file" "$out"; fi
            """.Replace("\r\n", "\n") + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wget, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return new Dictionary<string, string?>
        {
            ["PATH"] = $"{dir.File("bin")}:/usr/bin:/bin",
            ["REPO_DIR"] = dir.File("repo"),
            ["SPARK_HOME"] = dir.File("spark"),
            ["SPARK_VERSION"] = args["SPARK_VERSION"],
            ["HADOOP_VERSION"] = args["HADOOP_VERSION"],
            ["S3A_JARS"] = args["S3A_JARS"],
            ["MAVEN_REPOSITORY"] = "http://maven.test",
        };
    }

    [Fact]
    public void S3a_step_adds_hadoop_aws_and_the_sdk_bundle_checked_against_maven_centrals_sha1()
    {
        var env = S3aSetup("3.3.4");

        var run = Shell(["/bin/sh", "-c", S3aStep], env);

        run.ExitCode.Should().Be(0, run.Stderr);
        Directory.GetFiles(dir.File("spark/jars")).Select(Path.GetFileName).Should().BeEquivalentTo(
            "hadoop-client-api-3.3.4.jar", "hadoop-aws-3.3.4.jar", "aws-java-sdk-bundle-1.12.262.jar");
    }

    [Fact]
    public void S3a_step_fails_the_build_when_the_distributions_hadoop_is_not_the_expected_one()
    {
        var env = S3aSetup("3.3.6");

        var run = Shell(["/bin/sh", "-c", S3aStep], env);

        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain("has Hadoop 3.3.6 but Kindling expected 3.3.4 for Spark 3.5.8");
        File.Exists(dir.File("spark/jars/hadoop-aws-3.3.4.jar")).Should().BeFalse("nothing is downloaded for the wrong Hadoop");
    }

    [Fact]
    public void S3a_step_fails_the_build_on_a_checksum_mismatch_and_leaves_no_jar()
    {
        var env = S3aSetup("3.3.4", corruptBundle: true);

        var run = Shell(["/bin/sh", "-c", S3aStep], env);

        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain("checksum mismatch for http://maven.test/com/amazonaws/aws-java-sdk-bundle/1.12.262/aws-java-sdk-bundle-1.12.262.jar");
        File.Exists(dir.File("spark/jars/aws-java-sdk-bundle-1.12.262.jar")).Should().BeFalse();
    }

    [Fact]
    public void Packages_step_resolves_each_coordinate_with_ivy_and_keeps_the_jars_spark_already_has()
    {
        // A recording java: 'java -jar ivy.jar ... -dependency g a v ... -retrieve PATTERN' retrieves the package and
        // one dependency Spark ships (scala-library), as Ivy would.
        dir.Write("spark/jars/ivy-2.5.1.jar", "ivy");
        dir.Write("spark/jars/scala-library-2.12.18.jar", "spark's scala");
        dir.Write("kindling/packages.txt", "# spark.packages\nio.delta:delta-spark_2.12:3.2.0\n\norg.example:tool:1.0\n");
        var java = dir.Write("bin/java", """
            #!/usr/bin/env python3
            import os, sys
            a = sys.argv[1:]
            with open(os.environ["JAVA_LOG"], "a") as log:
                log.write(" ".join(a) + "\n")
            group, artifact, version = a[a.index("-dependency") + 1:a.index("-dependency") + 4]
            pattern = a[a.index("-retrieve") + 1]
            for art, rev in [(artifact, version), ("scala-library", "2.12.15")]:
                path = pattern.replace("[artifact]", art).replace("[revision]", rev).replace("(-[classifier])", "").replace("[ext]", "jar")
                os.makedirs(os.path.dirname(path), exist_ok=True)
                open(path, "w").write(art)
            """.Replace("\r\n", "\n") + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(java, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var env = new Dictionary<string, string?>
        {
            ["PATH"] = $"{dir.File("bin")}:/usr/bin:/bin",
            ["SPARK_HOME"] = dir.File("spark"),
            ["JAVA_LOG"] = dir.File("java.log"),
        };

        var run = Shell(["/bin/sh", "-c", PackagesStep.Replace("/opt/kindling/", dir.File("kindling") + "/", StringComparison.Ordinal)], env);

        run.ExitCode.Should().Be(0, run.Stderr);
        File.ReadAllLines(dir.File("java.log")).Should().HaveCount(2).And.AllSatisfy(l => l.Should().StartWith($"-jar {dir.File("spark/jars/ivy-2.5.1.jar")}"));
        File.ReadAllLines(dir.File("java.log"))[0].Should().Contain("-dependency io.delta delta-spark_2.12 3.2.0 -confs default");
        Directory.GetFiles(dir.File("spark/jars")).Select(Path.GetFileName).Should().BeEquivalentTo(
            "ivy-2.5.1.jar", "scala-library-2.12.18.jar", "delta-spark_2.12-3.2.0.jar", "tool-1.0.jar");
        run.Stdout.Should().Contain("scala-library is already in the Spark distribution");
    }

    [Fact]
    public void Packages_step_does_nothing_without_packages()
    {
        dir.Write("kindling/packages.txt", "# spark.packages: none\n");
        var run = Shell(["/bin/sh", "-c", PackagesStep.Replace("/opt/kindling/", dir.File("kindling") + "/", StringComparison.Ordinal)],
            new Dictionary<string, string?> { ["PATH"] = "/usr/bin:/bin", ["SPARK_HOME"] = dir.File("spark") });

        run.ExitCode.Should().Be(0, run.Stderr);
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
