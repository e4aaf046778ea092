using System.Text.Json;
using k8s.Models;
using Kindling.Tests.Cli;

namespace Kindling.Tests.Verify;

/// <summary>
/// <c>kindling verify</c> end to end: the real CLI, Debian's real Jupyter behind the fake API server's port-forward,
/// moto's S3, and drivers run as a cluster runs them (<see cref="VerifyBed"/>); then each failure the issue names.
/// </summary>
public sealed class VerifyCommandTests
{
    private static JsonElement Stage(JsonElement result, string name) =>
        result.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    private static string Status(JsonElement result, string name) => Stage(result, name).GetProperty("status").GetString()!;

    private static void NothingOfTheRunRemains(VerifyBed bed, string runId)
    {
        bed.Kube.Objects.List<V1Pod>(VerifyBed.Ns, $"kindling.dev/verify-run={runId}").Should().BeEmpty();
        bed.Kube.Objects.List<V1Pod>(VerifyBed.Ns, "spark-role").Should().BeEmpty();
        bed.Kube.Objects.List<V1ConfigMap>(VerifyBed.Ns).Should().NotContain(c => c.Metadata.Name.StartsWith("spark-drv-", StringComparison.Ordinal));
        bed.Kube.Objects.List<V1Service>(VerifyBed.Ns).Should().NotContain(s => s.Metadata.Name.Contains("kindling-verify", StringComparison.Ordinal));
    }

    private static void NoToken(VerifyBed bed, CliResult result)
    {
        result.Stdout.Should().NotContain(bed.Token);
        result.Stderr.Should().NotContain(bed.Token);
    }

    [Fact]
    public async Task Every_stage_passes_on_a_working_environment_and_leaves_nothing_behind()
    {
        await using var bed = await VerifyBed.StartAsync(storage: true);

        var result = await bed.CliAsync("verify", "-o", "json");

        result.ExitCode.Should().Be(0, result.ToString() + "\njupyter:\n" + bed.Jupyter!.Log);
        NoToken(bed, result);
        using var doc = JsonDocument.Parse(result.Stdout);
        var root = doc.RootElement;
        root.GetProperty("passed").GetBoolean().Should().BeTrue();
        root.GetProperty("stages").EnumerateArray().Select(s => (s.GetProperty("name").GetString(), s.GetProperty("status").GetString()))
            .Should().Equal(("notebook", "passed"), ("submit", "passed"), ("storage", "passed"), ("history", "passed"), ("cleanup", "passed"));
        root.GetProperty("stages").EnumerateArray().Should().OnlyContain(s => s.GetProperty("duration").GetString()!.Length > 0);

        // The kernel's session: the ready `spark` of the start-up file, pinned to 2 executors, labelled with the run.
        var runId = root.GetProperty("runId").GetString()!;
        var sessions = bed.Sessions();
        sessions.Select(s => s.GetProperty("event").GetString()).Should().Equal("start", "stop");
        var conf = sessions[0].GetProperty("conf");
        conf.GetProperty("spark.executor.instances").GetString().Should().Be("2");
        conf.GetProperty("spark.dynamicAllocation.enabled").GetString().Should().Be("false");
        conf.GetProperty("spark.kubernetes.driver.pod.name").GetString().Should().Be(bed.NotebookPod);
        conf.GetProperty("spark.kubernetes.executor.label.kindling.dev/verify-run").GetString().Should().Be(runId);
        var notebook = Stage(root, "notebook");
        var checks = string.Join("\n", notebook.GetProperty("checks").EnumerateArray().Select(c => c.GetString()));
        checks.Should().Contain($"2 executor pods owned by Pod/{bed.NotebookPod}").And.Contain("gone").And.Contain("kernel").And.Contain("deleted");
        notebook.GetProperty("applications").EnumerateArray().Single().GetString().Should().Be(sessions[0].GetProperty("appId").GetString());

        // Both submission paths ran in cluster mode: a shipped .py through PythonRunner and SparkPi's jar.
        var submit = Stage(root, "submit");
        submit.GetProperty("applications").GetArrayLength().Should().Be(2);
        var submitChecks = string.Join("\n", submit.GetProperty("checks").EnumerateArray().Select(c => c.GetString()));
        submitChecks.Should().Contain("PySpark Pi shipped from this machine").And.Contain("local:///opt/spark/examples/jars/spark-examples_2.12-3.5.8.jar");
        var drivers = bed.Drivers.ToDictionary(d => d.Metadata.Labels["spark-app-name"][..(d.Metadata.Labels["spark-app-name"].Length - runId.Length - 1)]);
        drivers.Keys.Should().BeEquivalentTo("kindling-verify-pi-python", "kindling-verify-pi-jvm", "kindling-verify-parquet");
        drivers["kindling-verify-pi-python"].Spec.Containers[0].Args.Should().ContainInOrder("--class", "org.apache.spark.deploy.PythonRunner")
            .And.Contain(a => a.EndsWith("/kindling_verify_pi.py", StringComparison.Ordinal)).And.EndWith("2");
        drivers["kindling-verify-pi-jvm"].Spec.Containers[0].Args.Should().ContainInOrder("--class", "org.apache.spark.examples.SparkPi")
            .And.Contain("local:///opt/spark/examples/jars/spark-examples_2.12-3.5.8.jar").And.EndWith("2");
        drivers["kindling-verify-parquet"].Spec.Containers[0].Args.Should().EndWith([$"s3a://analytics-data/kindling-verify/{runId}/parquet", "1000", "delete"]);
        drivers.Values.Should().OnlyContain(d => d.Metadata.Labels["kindling.dev/verify-run"] == runId);

        // The Parquet files were written under the run's prefix and deleted; the archive was read after the pod went.
        (await bed.KeysAsync($"kindling-verify/{runId}/")).Should().BeEmpty();
        string.Join("\n", Stage(root, "history").GetProperty("checks").EnumerateArray().Select(c => c.GetString()))
            .Should().Contain("readable from s3a://analytics-data/spark-driver-logs/kindling/");
        NothingOfTheRunRemains(bed, runId);
        using var jupyter = new Kindling.Jupyter.JupyterClient(new Uri($"http://127.0.0.1:{bed.Jupyter.Port}/"), bed.Token, TimeSpan.FromSeconds(10), TimeProvider.System);
        (await jupyter.ListKernelsAsync(CancellationToken.None)).Should().BeEmpty();
        Directory.GetDirectories(Path.GetTempPath(), $"kindling-verify-{runId}").Should().BeEmpty();
    }

    [Fact]
    public async Task Keep_leaves_the_parquet_files_and_text_output_times_every_stage()
    {
        await using var bed = await VerifyBed.StartAsync(storage: true);

        var result = await bed.CliAsync("verify", "--keep");

        result.ExitCode.Should().Be(0, result.ToString());
        NoToken(bed, result);
        var runId = System.Text.RegularExpressions.Regex.Match(result.Stdout, @"Verification (\S+) of namespace kindling: passed").Groups[1].Value;
        runId.Should().NotBeEmpty(result.Stdout);
        (await bed.KeysAsync($"kindling-verify/{runId}/")).Should().Contain(k => k.EndsWith(".parquet", StringComparison.Ordinal));
        foreach (var stage in new[] { "notebook", "submit", "storage", "history", "cleanup" })
            result.Stdout.Should().MatchRegex($@"ok\s+{stage}\s+\d");
        result.Stdout.Should().Contain("kept: 2 Parquet files");
    }

    [Fact]
    public async Task Without_object_storage_the_storage_and_history_stages_are_skipped_with_how_to_turn_them_on()
    {
        await using var bed = await VerifyBed.StartAsync(storage: false);

        var result = await bed.CliAsync("verify", "-o", "json");

        result.ExitCode.Should().Be(0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        Status(doc.RootElement, "storage").Should().Be("skipped");
        Stage(doc.RootElement, "storage").GetProperty("reason").GetString().Should().Contain("aws.s3Buckets");
        Status(doc.RootElement, "history").Should().Be("skipped");
        Status(doc.RootElement, "notebook").Should().Be("passed");
        Status(doc.RootElement, "submit").Should().Be("passed");
    }

    [Fact]
    public async Task Executors_that_never_register_time_out_with_the_notebook_pods_log_tail()
    {
        await using var bed = await VerifyBed.StartAsync(storage: false, new Dictionary<string, string> { ["STANDIN_NO_EXECUTORS"] = "1" });
        bed.Kube.Pods.SetLog(VerifyBed.Ns, bed.NotebookPod, "[I 06:00:00 NotebookApp] Kernel started\nWARN TaskSchedulerImpl: Initial job has not accepted any resources\n");

        var result = await bed.CliAsync("verify", "-o", "json", "--timeout", "5s");

        result.ExitCode.Should().Be(1, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var notebook = Stage(doc.RootElement, "notebook");
        notebook.GetProperty("status").GetString().Should().Be("failed");
        notebook.GetProperty("reason").GetString().Should().Contain("did not finish within 5s").And.Contain("no executor pod").And.Contain("executors never registered");
        notebook.GetProperty("logs").EnumerateArray().Select(l => l.GetString()).Should().Contain($"{bed.NotebookPod}: WARN TaskSchedulerImpl: Initial job has not accepted any resources");
        doc.RootElement.GetProperty("passed").GetBoolean().Should().BeFalse();
        Status(doc.RootElement, "submit").Should().Be("passed", "a failed stage does not stop the independent ones after it");
        Status(doc.RootElement, "cleanup").Should().Be("passed");
        using var jupyter = new Kindling.Jupyter.JupyterClient(new Uri($"http://127.0.0.1:{bed.Jupyter!.Port}/"), bed.Token, TimeSpan.FromSeconds(10), TimeProvider.System);
        (await jupyter.ListKernelsAsync(CancellationToken.None)).Should().BeEmpty("the hung kernel is deleted");
    }

    [Fact]
    public async Task A_job_that_fails_fails_its_stage_with_how_it_ended_and_its_driver_log()
    {
        await using var bed = await VerifyBed.StartAsync(storage: false);
        bed.Roles["pi-jvm"] = _ => Task.FromResult(new DriverRun("Exception in thread \"main\" java.lang.ClassNotFoundException: org.apache.spark.examples.SparkPi\n", 1, "Error"));

        var result = await bed.CliAsync("verify", "-o", "json");

        result.ExitCode.Should().Be(1, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var submit = Stage(doc.RootElement, "submit");
        submit.GetProperty("status").GetString().Should().Be("failed");
        submit.GetProperty("reason").GetString().Should().Contain("ended Failed").And.Contain("exit 1");
        submit.GetProperty("logs").EnumerateArray().Select(l => l.GetString()).Should().Contain(l => l!.Contains("ClassNotFoundException", StringComparison.Ordinal));
        submit.GetProperty("checks").EnumerateArray().Select(c => c.GetString()).Should().ContainSingle(c => c!.StartsWith("PySpark Pi", StringComparison.Ordinal),
            "the PySpark job's result is still reported beside the JVM job's failure");
        Status(doc.RootElement, "cleanup").Should().Be("passed");
        NothingOfTheRunRemains(bed, doc.RootElement.GetProperty("runId").GetString()!);
    }

    [Fact]
    public async Task S3_access_denied_fails_the_storage_stage_with_the_fix()
    {
        await using var bed = await VerifyBed.StartAsync(storage: true);
        bed.Roles["parquet"] = _ => Task.FromResult(new DriverRun(
            "java.nio.file.AccessDeniedException: s3a://analytics-data/kindling-verify/x/parquet: getFileStatus on s3a://analytics-data/kindling-verify/x/parquet: " +
            "com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied)\n", 1, "Error"));

        var result = await bed.CliAsync("verify", "-o", "json");

        result.ExitCode.Should().Be(1, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var storage = Stage(doc.RootElement, "storage");
        storage.GetProperty("status").GetString().Should().Be("failed");
        storage.GetProperty("reason").GetString().Should().Contain("S3 denied the Spark pods access").And.Contain("aws.s3Buckets").And.Contain("kindling infra apply");
        storage.GetProperty("logs").EnumerateArray().Should().Contain(l => l.GetString()!.Contains("AccessDenied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task History_missing_an_application_fails_the_history_stage_naming_it()
    {
        await using var bed = await VerifyBed.StartAsync(storage: true);
        bed.HiddenFromHistory.Add("pi-jvm");

        var result = await bed.CliAsync("verify", "-o", "json", "--timeout", "20s");

        result.ExitCode.Should().Be(1, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var jvm = Stage(doc.RootElement, "submit").GetProperty("applications").EnumerateArray().Select(a => a.GetString()!).ToList();
        var history = Stage(doc.RootElement, "history");
        history.GetProperty("status").GetString().Should().Be("failed");
        history.GetProperty("reason").GetString().Should().Contain("does not list").And.Contain("spark-events/kindling");
        jvm.Should().Contain(id => history.GetProperty("reason").GetString()!.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_jupyter_or_a_refused_token_is_said_plainly_without_the_token()
    {
        await using var bed = await VerifyBed.StartAsync(storage: false, jupyterToken: "not-the-secret-token");

        var refused = await bed.CliAsync("verify", "-o", "json");
        bed.Kube.PortForward.Map(VerifyBed.Ns, bed.NotebookPod, 8888, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, Kindling.Testing.FreePort.Next()));
        var unreachable = await bed.CliAsync("verify");

        refused.ExitCode.Should().Be(1, refused.ToString());
        NoToken(bed, refused);
        using var doc = JsonDocument.Parse(refused.Stdout);
        Stage(doc.RootElement, "notebook").GetProperty("reason").GetString().Should().Contain("refused the token of Secret/kindling-jupyter-token").And.Contain("--rotate-token");
        unreachable.ExitCode.Should().Be(1, unreachable.ToString());
        NoToken(bed, unreachable);
        unreachable.Stdout.Should().Contain("FAIL  notebook").And.Contain("did not answer through the port-forward to port 8888");
    }

    [Fact]
    public async Task Ctrl_c_mid_run_exits_130_after_cleaning_up_what_the_run_created()
    {
        await using var bed = await VerifyBed.StartAsync(storage: false);
        var never = new TaskCompletionSource<DriverRun>();
        bed.Roles["pi-python"] = _ => never.Task;
        using var interrupt = new CancellationTokenSource();

        var running = CliHarness.RunAsync(bed.Run with { Cancellation = interrupt.Token }, "verify");
        var driver = await bed.Kube.Objects.WaitForAsync<V1Pod>(VerifyBed.Ns,
            p => p.Metadata.Name.StartsWith("kindling-verify-pi-python-", StringComparison.Ordinal) && p.Status?.Phase == "Running", TimeSpan.FromMinutes(3));
        await interrupt.CancelAsync();
        var result = await running;

        result.ExitCode.Should().Be(130, result.ToString());
        var runId = driver.Metadata.Labels["kindling.dev/verify-run"];
        NothingOfTheRunRemains(bed, runId);
        Directory.GetDirectories(Path.GetTempPath(), $"kindling-verify-{runId}").Should().BeEmpty();
    }

    [Fact]
    public async Task Keep_with_nothing_to_keep_is_bad_input_and_contacts_nothing()
    {
        using var dir = new TempDir();

        var text = await CliHarness.RunAsync(dir.Path, "verify", "--keep", "--kubeconfig", dir.File("missing-kubeconfig"));
        var json = await CliHarness.RunAsync(dir.Path, "verify", "--keep", "-o", "json", "--kubeconfig", dir.File("missing-kubeconfig"));

        text.ExitCode.Should().Be(2, text.ToString());
        text.Stderr.Should().Contain("--keep").And.Contain("nothing to keep").And.Contain("aws.s3Buckets");
        text.Stderr.Should().NotContain("Exception").And.NotContain("   at ");
        json.ExitCode.Should().Be(2, json.ToString());
        using var doc = JsonDocument.Parse(json.Stdout.Length > 0 ? json.Stdout : json.Stderr);
        doc.RootElement.GetProperty("error").GetProperty("message").GetString().Should().Contain("nothing to keep");
    }
}
