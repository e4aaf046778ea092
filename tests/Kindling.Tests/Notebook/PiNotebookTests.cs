using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kindling.Configuration;
using Kindling.Spark.Notebook;
using Kindling.Tests.Resources;

namespace Kindling.Tests.Notebook;

/// <summary>pi.ipynb checked by Debian's real Jupyter: nbformat's validator, then a real run through nbclient and ipykernel.</summary>
public sealed class PiNotebookTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Render_writes_the_notebooks_and_the_image_build_context_copy()
    {
        var files = NotebookFiles.Render(new EnvironmentSpec());

        files.Select(f => f.RelativePath).Should().BeEquivalentTo(
            "notebooks/pi.ipynb", "notebooks/00-kindling-spark.py", "images/jupyter/00-kindling-spark.py");
        files.Where(f => f.RelativePath.EndsWith(".py", StringComparison.Ordinal))
            .Should().OnlyContain(f => f.Content == NotebookFiles.StartupScript);
        NotebookFiles.StartupScript.Should().Contain("def kindling_spark_conf(").And.NotContain("\r");
        NotebookFiles.Render(new EnvironmentSpec()).Should().Equal(files);
    }

    [Fact]
    public async Task Pi_notebook_is_valid_nbformat_4_5_in_canonical_form()
    {
        const string script = """
            import sys, nbformat
            nb = nbformat.read(sys.argv[1], as_version=4)
            nbformat.validate(nb)
            print(nb.nbformat, nb.nbformat_minor, len(nb.cells), all(c.get("id") for c in nb.cells))
            print(nb.metadata.kernelspec.name)
            print(nbformat.writes(nb) + "\n" == open(sys.argv[1], encoding="utf-8").read())
            """;
        var path = _dir.Write(NotebookFiles.PiNotebookFileName, NotebookFiles.PiNotebook);

        var result = await PythonProcess.RunAsync(PythonProcess.JupyterPython(), script, [path]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Split('\n')[..3].Should().Equal("4 5 4 True", "python3", "True");
    }

    [Fact]
    public async Task Pi_notebook_runs_in_a_real_kernel_with_the_startup_file_and_prints_an_estimate()
    {
        // Three executors, so the partition count visibly comes from the pod env and not from a default.
        var defaults = ManifestFixtures.Default();
        var spec = defaults.Spec with
        {
            Spark = defaults.Spec.Spark with { Executors = defaults.Spec.Spark.Executors with { Instances = 3 } },
        };
        var env = StartupScriptTests.DeploymentEnv(defaults with { Spec = spec });
        var startupDir = Path.Combine(_dir.Path, "ipython", "profile_default", "startup");
        _dir.Write(Path.Combine("ipython", "profile_default", "startup", NotebookFiles.StartupFileName), NotebookFiles.StartupScript);
        FakePySpark.WriteTo(_dir.File("site"));
        var notebook = _dir.Write(NotebookFiles.PiNotebookFileName, NotebookFiles.PiNotebook);
        var executed = _dir.File("executed.ipynb");
        var record = _dir.File("record.jsonl");
        Directory.CreateDirectory(_dir.File("runtime"));
        env["IPYTHONDIR"] = _dir.File("ipython");
        env["PYTHONPATH"] = _dir.File("site");
        env["JUPYTER_RUNTIME_DIR"] = _dir.File("runtime");
        env[FakePySpark.RecordVariable] = record;
        Directory.Exists(startupDir).Should().BeTrue();

        // nbclient starts the kernel on ports it picks itself and shuts it down when done.
        const string script = """
            import sys, nbformat
            from nbclient import NotebookClient
            nb = nbformat.read(sys.argv[1], as_version=4)
            NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": sys.argv[3]}}).execute()
            nbformat.write(nb, sys.argv[2])
            """;
        var result = await PythonProcess.RunAsync(PythonProcess.JupyterPython(), script, [notebook, executed, _dir.Path], env);

        result.ExitCode.Should().Be(0, result.ToString());
        var cells = JsonDocument.Parse(await File.ReadAllTextAsync(executed)).RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code").ToList();
        var outputs = cells.SelectMany(c => c.GetProperty("outputs").EnumerateArray()).ToList();
        outputs.Should().NotContain(o => o.GetProperty("output_type").GetString() == "error");
        var printed = string.Concat(outputs.Where(o => o.GetProperty("output_type").GetString() == "stream")
            .SelectMany(o => o.GetProperty("text").EnumerateArray().Select(t => t.GetString())));
        var match = Regex.Match(printed, @"Pi is roughly (\d+\.\d+) \((\d+) darts, 3 partitions\)");
        match.Success.Should().BeTrue(printed);
        // 300 000 darts: the standard error of the estimate is about 0.003, so 0.1 is a very wide margin.
        double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture).Should().BeApproximately(Math.PI, 0.1);

        var events = (await File.ReadAllLinesAsync(record)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        events.Select(e => e.GetProperty("event").GetString()).Should().Equal("getOrCreate", "parallelize", "stop");
        var conf = events[0].GetProperty("conf").Deserialize<Dictionary<string, string>>()!;
        conf.Should().Contain("spark.kubernetes.driver.pod.name", env[NotebookEnvironment.DriverPodName]);
        conf.Should().Contain("spark.driver.host", env[NotebookEnvironment.DriverHost]);
        conf.Should().Contain("spark.driver.port", "7078");
        conf.Should().Contain("spark.driver.blockManager.port", "7079");
        conf.Should().Contain("spark.submit.deployMode", "client");
        conf.Should().Contain("spark.executor.instances", "3");
        conf["spark.kubernetes.executor.podNamePrefix"].Should().MatchRegex($"^{Regex.Escape(env[NotebookEnvironment.DriverPodName])}-[0-9a-f]{{6}}$");
        events[1].GetProperty("numSlices").GetInt32().Should().Be(3);
        events[1].GetProperty("count").GetInt32().Should().Be(int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }
}
