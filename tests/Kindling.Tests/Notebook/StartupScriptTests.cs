using System.Text.Json;
using k8s.Models;
using Kindling.Resources;
using Kindling.Spark.Notebook;
using Kindling.Tests.Resources;

namespace Kindling.Tests.Notebook;

/// <summary>
/// The start-up file's env -> conf mapping, run by the real python3. The env comes from the rendered Deployment
/// itself, so the C# side (variable names and values) and the Python side cannot drift apart.
/// </summary>
public sealed class StartupScriptTests : IDisposable
{
    private const string PodName = "kindling-jupyter-6d8f9c7b4-x2x7p";
    private const string PodIp = "10.1.2.3";

    /// <summary>Loads the file like IPython does (exec of the whole file), then calls the pure function.</summary>
    private const string CallConf = """
        import json, runpy, sys
        request = json.load(sys.stdin)
        ns = runpy.run_path(sys.argv[1])
        try:
            print(json.dumps({"conf": ns["kindling_spark_conf"](request["env"], request["session"])}))
        except ns["KindlingSparkConfigError"] as error:
            print(json.dumps({"error": str(error)}))
        """;

    private readonly TempDir _dir = new();
    private readonly string _script;

    public StartupScriptTests() => _script = _dir.Write(NotebookFiles.StartupFileName, NotebookFiles.StartupScript);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Rendered_deployment_env_gives_the_client_mode_conf_of_DESIGN_4()
    {
        var conf = await ConfAsync(DeploymentEnv(ManifestFixtures.Default()), "a1b2c3");

        conf.Should().Equal(new Dictionary<string, string>
        {
            ["spark.master"] = "k8s://https://kubernetes.default.svc",
            ["spark.submit.deployMode"] = "client",
            ["spark.driver.host"] = "kindling-driver.kindling.svc",
            ["spark.driver.port"] = "7078",
            ["spark.driver.blockManager.port"] = "7079",
            ["spark.driver.bindAddress"] = "0.0.0.0",
            ["spark.ui.port"] = "4040",
            ["spark.kubernetes.driver.pod.name"] = PodName,
            ["spark.kubernetes.executor.podNamePrefix"] = $"{PodName}-a1b2c3",
            ["spark.kubernetes.executor.podTemplateFile"] = "/opt/kindling/pod-template/executor-pod-template.yaml",
            ["spark.kubernetes.executor.podTemplateContainerName"] = "spark-kubernetes-executor",
            ["spark.kubernetes.container.image"] = ManifestFixtures.Images.Spark,
            ["spark.kubernetes.namespace"] = "kindling",
            ["spark.kubernetes.authenticate.driver.serviceAccountName"] = "kindling-spark",
            ["spark.kubernetes.authenticate.executor.serviceAccountName"] = "kindling-spark",
            ["spark.kubernetes.executor.annotation.sidecar.istio.io/inject"] = "false",
            ["spark.executor.instances"] = "2",
            ["spark.executor.cores"] = "1",
            ["spark.executor.memory"] = "2g",
            ["spark.dynamicAllocation.enabled"] = "true",
            ["spark.dynamicAllocation.minExecutors"] = "0",
            ["spark.dynamicAllocation.maxExecutors"] = "10",
            ["spark.dynamicAllocation.executorIdleTimeout"] = "60s",
            ["spark.dynamicAllocation.shuffleTracking.enabled"] = "true",
            // Prometheus endpoints, on for every session (SparkObservability).
            ["spark.ui.prometheus.enabled"] = "true",
            ["spark.metrics.conf.*.sink.prometheusServlet.class"] = "org.apache.spark.metrics.sink.PrometheusServlet",
            ["spark.metrics.conf.*.sink.prometheusServlet.path"] = "/metrics/prometheus",
            ["spark.kubernetes.executor.annotation.prometheus.io/scrape"] = "false",
        });
    }

    [Fact]
    public async Task Variant_env_carries_its_namespace_and_extra_conf()
    {
        var inputs = ManifestFixtures.Variant();
        var conf = await ConfAsync(DeploymentEnv(inputs), "ffffff");

        conf["spark.kubernetes.namespace"].Should().Be("data-team");
        conf["spark.driver.host"].Should().Be("kindling-driver.data-team.svc");
        foreach (var (key, value) in inputs.Spec.Spark.Conf) conf.Should().Contain(key, value);
    }

    [Fact]
    public async Task Extra_conf_tunes_settings_but_cannot_break_the_client_mode_wiring()
    {
        var env = DeploymentEnv(ManifestFixtures.Default());
        env[NotebookEnvironment.ExtraConf] = """{"spark.executor.memory": "8g", "spark.driver.host": "elsewhere", "spark.kubernetes.driver.pod.name": "other"}""";

        var conf = await ConfAsync(env, "a1b2c3");

        conf["spark.executor.memory"].Should().Be("8g");
        conf["spark.driver.host"].Should().Be("kindling-driver.kindling.svc");
        conf["spark.kubernetes.driver.pod.name"].Should().Be(PodName);
    }

    [Fact]
    public async Task Without_dynamic_allocation_there_is_no_shuffle_tracking()
    {
        var defaults = ManifestFixtures.Default();
        var spec = defaults.Spec with
        {
            Spark = defaults.Spec.Spark with { DynamicAllocation = defaults.Spec.Spark.DynamicAllocation with { Enabled = false } },
        };

        var conf = await ConfAsync(DeploymentEnv(defaults with { Spec = spec }), "a1b2c3");

        conf["spark.dynamicAllocation.enabled"].Should().Be("false");
        conf.Should().NotContainKey("spark.dynamicAllocation.shuffleTracking.enabled");
    }

    [Fact]
    public async Task With_an_irsa_role_s3a_uses_the_web_identity_provider()
    {
        var conf = await ConfAsync(DeploymentEnv(ManifestFixtures.Irsa()), "a1b2c3");
        var without = await ConfAsync(DeploymentEnv(ManifestFixtures.Default()), "a1b2c3");

        conf["spark.hadoop.fs.s3a.aws.credentials.provider"].Should().Be("com.amazonaws.auth.WebIdentityTokenCredentialsProvider");
        without.Should().NotContainKey("spark.hadoop.fs.s3a.aws.credentials.provider");
    }

    [Theory]
    [InlineData(NotebookEnvironment.Master)]
    [InlineData(NotebookEnvironment.Image)]
    [InlineData(NotebookEnvironment.Namespace)]
    [InlineData(NotebookEnvironment.DriverPodName)]
    [InlineData(NotebookEnvironment.DriverHost)]
    [InlineData(NotebookEnvironment.DriverPort)]
    [InlineData(NotebookEnvironment.BlockManagerPort)]
    [InlineData(NotebookEnvironment.ServiceAccount)]
    public async Task A_missing_required_variable_is_named_in_the_error(string variable)
    {
        var env = DeploymentEnv(ManifestFixtures.Default());
        env.Remove(variable);

        var error = await ErrorAsync(env);

        error.Should().Contain(variable).And.Contain("cannot start Spark");
    }

    [Fact]
    public async Task An_absent_optional_variable_leaves_sparks_own_default()
    {
        var env = DeploymentEnv(ManifestFixtures.Default());
        env.Remove(NotebookEnvironment.ExecutorMemory);
        env.Remove(NotebookEnvironment.UiPort);

        var conf = await ConfAsync(env, "a1b2c3");

        conf.Should().NotContainKeys("spark.executor.memory", "spark.ui.port");
        conf.Should().ContainKey("spark.executor.cores");
    }

    [Fact]
    public void Startup_file_reads_every_spark_variable_the_deployment_sets()
    {
        var sparkVariables = DeploymentEnv(ManifestFixtures.Variant()).Keys
            .Where(k => k.StartsWith("SPARK_", StringComparison.Ordinal) && k != NotebookEnvironment.DriverPodIp);

        sparkVariables.Should().OnlyContain(name => NotebookFiles.StartupScript.Contains($"\"{name}\""),
            "a variable the Deployment sets but the start-up file never reads is a setting that silently does nothing");
    }

    [Fact]
    public async Task Startup_file_uses_no_syntax_newer_than_the_images_python()
    {
        // The kernel runs the image's Python (spark.pythonVersion, 3.10 by default), which may be older than the
        // python3 running this test; ast's feature_version rejects grammar newer than the version given.
        const string script = """
            import ast, sys
            ast.parse(open(sys.argv[1], encoding="utf-8").read(), feature_version=(3, 8))
            print("ok")
            """;

        var result = await PythonProcess.RunAsync(PythonProcess.Python3(), script, [_script]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Trim().Should().Be("ok");
    }

    [Fact]
    public async Task Invalid_extra_conf_json_is_reported()
    {
        var env = DeploymentEnv(ManifestFixtures.Default());
        env[NotebookEnvironment.ExtraConf] = "{not json";

        (await ErrorAsync(env)).Should().Contain(NotebookEnvironment.ExtraConf).And.Contain("not valid JSON");
    }

    [Theory]
    [InlineData("kindling-jupyter-6d8f9c7b4-x2x7p")]
    [InlineData("A.Very_Long.Environment-Name-That-Goes-On-And-On-jupyter-7c9d5b8f6-qwert")]
    [InlineData("-x-")]
    public async Task Executor_pod_name_prefix_is_a_valid_spark_prefix_unique_per_session(string podName)
    {
        var env = DeploymentEnv(ManifestFixtures.Default());
        env[NotebookEnvironment.DriverPodName] = podName;

        var first = (await ConfAsync(env, "abc123"))["spark.kubernetes.executor.podNamePrefix"];
        var second = (await ConfAsync(env, "def456"))["spark.kubernetes.executor.podNamePrefix"];

        // Spark's own check: a DNS label that still fits 63 characters once "-exec-<int>" is appended.
        foreach (var prefix in new[] { first, second })
        {
            prefix.Length.Should().BeLessThanOrEqualTo(47);
            prefix.Should().MatchRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
        }

        first.Should().EndWith("-abc123").And.NotBe(second);
    }

    [Fact]
    public async Task Kernel_start_needs_no_environment_and_no_pyspark_and_first_use_explains_what_is_missing()
    {
        const string script = """
            import runpy, sys
            ns = runpy.run_path(sys.argv[1])
            spark = ns["spark"]
            print("loaded", "pyspark" in sys.modules)
            print(repr(spark), hasattr(spark, "_repr_html_"), hasattr(spark, "_ipython_display_"))
            try:
                spark.sparkContext
            except ns["KindlingSparkConfigError"] as error:
                print("error", error)
            """;

        var result = await PythonProcess.RunAsync(PythonProcess.Python3(), script, [_script]);

        result.ExitCode.Should().Be(0, result.ToString());
        var lines = result.Stdout.Split('\n');
        lines[0].Should().Be("loaded False");
        lines[1].Should().Contain("not started yet").And.EndWith("False False");
        lines[2].Should().StartWith("error cannot start Spark").And.Contain("SPARK_DRIVER_HOST").And.Contain("SPARK_MASTER");
    }

    [Fact]
    public async Task Stop_ends_the_session_and_the_next_use_starts_a_new_one_with_new_executor_names()
    {
        const string script = """
            import runpy, sys
            spark = runpy.run_path(sys.argv[1])["spark"]
            spark.sparkContext.parallelize([1, 2], 1)
            spark.sparkContext.parallelize([3], 1)
            spark.stop()
            spark.stop()
            spark.sparkContext.parallelize([4], 1)
            """;
        FakePySpark.WriteTo(_dir.File("site"));
        var env = DeploymentEnv(ManifestFixtures.Default());
        env["PYTHONPATH"] = _dir.File("site");
        env[FakePySpark.RecordVariable] = _dir.File("record.jsonl");

        var result = await PythonProcess.RunAsync(PythonProcess.Python3(), script, [_script], env);

        result.ExitCode.Should().Be(0, result.ToString());
        var events = (await File.ReadAllLinesAsync(_dir.File("record.jsonl"))).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        events.Select(e => e.GetProperty("event").GetString())
            .Should().Equal("getOrCreate", "parallelize", "parallelize", "stop", "getOrCreate", "parallelize");
        string Prefix(JsonElement e) => e.GetProperty("conf").GetProperty("spark.kubernetes.executor.podNamePrefix").GetString()!;
        Prefix(events[0]).Should().StartWith(PodName + "-").And.NotBe(Prefix(events[4]));
    }

    /// <summary>The Deployment's env as the kubelet would resolve it: downward-API fields filled in, the token left out.</summary>
    internal static Dictionary<string, string> DeploymentEnv(ManifestInputs inputs)
    {
        var deployment = EnvironmentManifests.Build(inputs).Select(m => m.Object).OfType<V1Deployment>().Single();
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in deployment.Spec.Template.Spec.Containers[0].Env)
        {
            var value = variable.ValueFrom?.FieldRef?.FieldPath switch
            {
                "metadata.name" => PodName,
                "status.podIP" => PodIp,
                null => variable.Value,
                var other => throw new InvalidOperationException($"unexpected fieldRef {other}"),
            };
            if (value is not null) env[variable.Name] = value;
        }

        return env;
    }

    private async Task<JsonElement> CallAsync(Dictionary<string, string> env, string session)
    {
        var request = JsonSerializer.Serialize(new { env, session });
        var result = await PythonProcess.RunAsync(PythonProcess.Python3(), CallConf, [_script], stdin: request);
        result.ExitCode.Should().Be(0, result.ToString());
        return JsonDocument.Parse(result.Stdout).RootElement;
    }

    private async Task<Dictionary<string, string>> ConfAsync(Dictionary<string, string> env, string session)
    {
        var response = await CallAsync(env, session);
        response.TryGetProperty("conf", out var conf).Should().BeTrue(response.ToString());
        return conf.Deserialize<Dictionary<string, string>>()!;
    }

    private async Task<string> ErrorAsync(Dictionary<string, string> env)
    {
        var response = await CallAsync(env, "a1b2c3");
        response.TryGetProperty("error", out var error).Should().BeTrue(response.ToString());
        return error.GetString()!;
    }
}
