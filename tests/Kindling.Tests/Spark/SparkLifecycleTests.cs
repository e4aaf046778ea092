using k8s.Models;
using Kindling.Spark;
using Kindling.Testing.FakeKube;
using Kindling.Tests.Cli;

namespace Kindling.Tests.Spark;

/// <summary>Submit, follow, log and kill against the fake API server over real HTTP.</summary>
public sealed class SparkLifecycleTests
{
    private const string Ns = FakeSparkCluster.Ns;

    [Fact]
    public async Task Submit_creates_the_pod_then_owned_config_maps_and_service_in_two_round_trips()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        cluster.Dir.Write("job.py", "print('hello')\n");
        cluster.Kube.Requests.Clear();

        var result = await cluster.CliAsync("submit", "--name", "nightly", "--executors", "2", "job.py", "7");

        result.ExitCode.Should().Be(0, result.ToString());
        var appId = cluster.OnlyAppId();
        result.Stdout.Should().Contain($"Submitted {appId}");
        var driver = cluster.DriverPod(appId);
        driver.Spec.Containers.Single().Args.Should().ContainInOrder("local:///opt/kindling/app/job.py", "7");
        var maps = cluster.Kube.Objects.List<V1ConfigMap>(Ns, $"{SparkConventions.AppIdLabel}={appId}");
        var services = cluster.Kube.Objects.List<V1Service>(Ns, $"{SparkConventions.AppIdLabel}={appId}");
        // spark.properties, the shipped job.py and the executor pod template.
        maps.Should().HaveCount(3);
        services.Should().ContainSingle().Which.Spec.ClusterIP.Should().Be("None");
        maps.Cast<IMetadata<V1ObjectMeta>>().Concat(services).Should().OnlyContain(o =>
            o.Metadata.OwnerReferences.Single().Uid == driver.Metadata.Uid && o.Metadata.OwnerReferences.Single().Controller == true);

        var writes = cluster.Kube.Requests.All.Where(r => r.Method is "POST" or "PUT" or "PATCH").ToList();
        writes.Select(r => r.Resource).Should().BeEquivalentTo(["pods", "configmaps", "configmaps", "configmaps", "services"]);
        writes[0].Resource.Should().Be("pods", "the pod is created first so the others can point at its uid");
    }

    [Fact]
    public async Task Lifecycle_pending_running_with_two_executors_then_succeeded()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        var (connection, apps) = cluster.Client();
        using var _ = connection;
        var submitted = await apps.SubmitAsync(new SparkApplicationSpec { Resource = "local:///opt/app.py", Name = "etl" }, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<SparkApplication>();
        var watching = Task.Run(async () =>
        {
            await foreach (var app in apps.WatchAsync(timeout.Token))
            {
                if (app.AppId != submitted.AppId) continue;
                lock (seen) seen.Add(app);
                if (app.IsFinished) return app;
            }
            return null;
        });

        SparkApplication Last() { lock (seen) return seen[^1]; }
        await WaitUntil(() => { lock (seen) return seen.Count > 0; }, timeout.Token);
        cluster.Kube.Pods.Schedule(Ns, submitted.DriverPod);
        await WaitUntil(() => Last().State == SparkApplicationState.Pending, timeout.Token);
        cluster.Kube.Pods.Running(Ns, submitted.DriverPod);
        var driver = cluster.DriverPod(submitted.AppId);
        foreach (var id in new[] { 1, 2 })
        {
            var executor = cluster.AddExecutor(driver, submitted.AppId, id);
            cluster.Kube.Pods.Running(Ns, executor.Metadata.Name);
        }
        await WaitUntil(() => Last() is { State: SparkApplicationState.Running, ExecutorsRunning: 2 }, timeout.Token);
        (await apps.GetAsync("etl", timeout.Token))!.ExecutorsRequested.Should().Be(2);
        cluster.Kube.Pods.Succeeded(Ns, submitted.DriverPod);

        var final = await watching;
        final!.State.Should().Be(SparkApplicationState.Succeeded);
        seen.Select(s => s.State).Distinct().Should().ContainInOrder(
            SparkApplicationState.Pending, SparkApplicationState.Running, SparkApplicationState.Succeeded);

        var listing = await cluster.CliAsync("apps");
        listing.ExitCode.Should().Be(0, listing.ToString());
        listing.Stdout.Should().MatchRegex($@"etl\s+{submitted.AppId}\s+Succeeded\s+");
    }

    [Fact]
    public async Task Wait_returns_failure_for_an_oom_killed_driver()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        var submit = cluster.CliAsync("submit", "--class", "a.Main", "--wait", "local:///opt/app.jar");
        var driver = await cluster.Kube.Objects.WaitForAsync<V1Pod>(Ns, p => p.Metadata.Labels?.ContainsKey(SparkConventions.AppIdLabel) == true, TimeSpan.FromSeconds(20));
        cluster.Kube.Pods.Running(Ns, driver.Metadata.Name);
        cluster.Kube.Pods.OomKilled(Ns, driver.Metadata.Name);

        var result = await submit;

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stdout.Should().Contain("Failed (OOMKilled");

        var listing = await cluster.CliAsync("apps", "-o", "json");
        var app = System.Text.Json.Nodes.JsonNode.Parse(listing.Stdout)!.AsArray().Single()!;
        app["state"]!.GetValue<string>().Should().Be("Failed");
        app["reason"]!.GetValue<string>().Should().Be("OOMKilled");
        app["exitCode"]!.GetValue<int>().Should().Be(137);
    }

    [Fact]
    public async Task Kill_deletes_the_driver_and_waits_until_the_executors_are_gone()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        var (connection, apps) = cluster.Client();
        using var _ = connection;
        var submitted = await apps.SubmitAsync(new SparkApplicationSpec { Resource = "local:///opt/app.py", Name = "doomed" }, CancellationToken.None);
        var driver = cluster.DriverPod(submitted.AppId);
        cluster.Kube.Pods.Running(Ns, driver.Metadata.Name);
        foreach (var id in new[] { 1, 2 }) cluster.AddExecutor(driver, submitted.AppId, id);

        var result = await cluster.CliAsync("kill", "doomed");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain($"Killed {submitted.AppId}");
        cluster.Kube.Objects.List<V1Pod>(Ns, $"{SparkConventions.AppIdLabel}={submitted.AppId}").Should().BeEmpty();
        cluster.Kube.Objects.List<V1ConfigMap>(Ns, $"{SparkConventions.AppIdLabel}={submitted.AppId}").Should().BeEmpty();
        cluster.Kube.Objects.List<V1Service>(Ns, $"{SparkConventions.AppIdLabel}={submitted.AppId}").Should().BeEmpty();
    }

    [Fact]
    public async Task Orphans_are_listed_and_deleted()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        // Orphans are what the garbage collector has not removed (lagging, blocked by a finalizer, or no owner
        // at all); with the fake's collector on, the dangling owners below would be collected at once.
        cluster.Kube.Controllers.GarbageCollection = false;
        var (connection, apps) = cluster.Client();
        using var _ = connection;
        var live = await apps.SubmitAsync(new SparkApplicationSpec { Resource = "local:///opt/app.py", Name = "live" }, CancellationToken.None);
        var liveDriver = cluster.DriverPod(live.AppId);
        cluster.AddExecutor(liveDriver, live.AppId, 1);

        // A working garbage collector deletes pods whose owners are gone (dangling ownerReferences), as the fake's
        // does; orphans exist while it lags or is broken, which is what this models.
        cluster.Kube.Controllers.GarbageCollection = false;
        var ghostDriver = new V1Pod { Metadata = new V1ObjectMeta { Name = "ghost-driver" } };
        cluster.AddExecutor(ghostDriver, "spark-ghost", 1, ownerUid: "0d4e2c1a-dead-4bad-8bad-000000000001");
        var goneNotebook = new V1Pod { Metadata = new V1ObjectMeta { Name = "kindling-jupyter-7c9f-abcde" } };
        cluster.AddExecutor(goneNotebook, "spark-session", 1, ownerUid: "0d4e2c1a-dead-4bad-8bad-000000000002");

        var loose = cluster.AddExecutor(new V1Pod { Metadata = new V1ObjectMeta { Name = "loose-driver" } }, "spark-loose", 1, ownerUid: "x");
        cluster.Kube.Objects.Update<V1Pod>(Ns, loose.Metadata.Name, p => p.Metadata.OwnerReferences = null);

        var listed = await cluster.CliAsync("apps", "--orphans");
        listed.ExitCode.Should().Be(0, listed.ToString());
        listed.Stdout.Should().Contain("ghost-exec-1").And.Contain("driver pod ghost-driver is gone");
        listed.Stdout.Should().Contain("notebook pod kindling-jupyter-7c9f-abcde is gone");
        listed.Stdout.Should().Contain("loose-exec-1").And.Contain("no owner and no driver pod");
        listed.Stdout.Should().NotContain("live-");

        var deleted = await cluster.CliAsync("apps", "--orphans", "--delete", "-o", "json");
        deleted.ExitCode.Should().Be(0, deleted.ToString());
        System.Text.Json.Nodes.JsonNode.Parse(deleted.Stdout)!.AsArray().Should().HaveCount(3);
        cluster.Kube.Objects.List<V1Pod>(Ns, $"{SparkConventions.RoleLabel}=executor").Select(p => p.Metadata.Name)
            .Should().ContainSingle().Which.Should().StartWith("live-");
    }

    [Fact]
    public async Task Logs_print_the_driver_log_and_how_it_ended()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        var (connection, apps) = cluster.Client();
        using var _ = connection;
        var submitted = await apps.SubmitAsync(new SparkApplicationSpec { Resource = "local:///opt/app.py", Name = "logged" }, CancellationToken.None);
        cluster.Kube.Pods.Running(Ns, submitted.DriverPod);
        cluster.Kube.Pods.SetLog(Ns, submitted.DriverPod, "line one\nline two\nline three\n");
        cluster.Kube.Pods.Terminated(Ns, submitted.DriverPod, "Error", 3, "boom");

        var all = await cluster.CliAsync("logs", submitted.AppId);
        var tail = await cluster.CliAsync("logs", "logged", "--tail", "1");

        all.ExitCode.Should().Be(0, all.ToString());
        all.Stdout.Should().Be("line one\nline two\nline three\n");
        all.Stderr.Should().Contain("terminated, reason Error, exit code 3: boom");
        tail.Stdout.Should().Be("line three\n");
    }

    [Fact]
    public async Task Logs_follow_waits_for_a_pending_driver_to_start()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        var (connection, apps) = cluster.Client();
        using var _ = connection;
        var submitted = await apps.SubmitAsync(new SparkApplicationSpec { Resource = "local:///opt/app.py", Name = "late" }, CancellationToken.None);

        var logs = cluster.CliAsync("logs", "late", "-f");
        await Task.Delay(500);
        logs.IsCompleted.Should().BeFalse("the driver has not started yet");
        cluster.Kube.Pods.SetLog(Ns, submitted.DriverPod, "started late\n");
        cluster.Kube.Pods.Running(Ns, submitted.DriverPod);
        await Task.Delay(300);
        cluster.Kube.Pods.Succeeded(Ns, submitted.DriverPod);
        var result = await logs.WaitAsync(TimeSpan.FromSeconds(30));

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("started late");
        result.Stderr.Should().Contain("reason Completed, exit code 0");
    }

    [Fact]
    public async Task Follow_streams_the_driver_log_until_it_exits_and_returns_its_state()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        var submit = cluster.CliAsync("submit", "--name", "followed", "--follow", "local:///opt/app.py");
        var driver = await cluster.Kube.Objects.WaitForAsync<V1Pod>(Ns, p => p.Metadata.Labels?.ContainsKey(SparkConventions.AppIdLabel) == true, TimeSpan.FromSeconds(20));
        var name = driver.Metadata.Name;
        cluster.Kube.Pods.SetLog(Ns, name, "starting\n");
        cluster.Kube.Pods.Running(Ns, name);
        await Task.Delay(300);
        cluster.Kube.Pods.AppendLog(Ns, name, "pi is roughly 3.14\n");
        cluster.Kube.Pods.Succeeded(Ns, name);

        var result = await submit;

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("starting").And.Contain("pi is roughly 3.14").And.Contain("Succeeded");
    }

    [Fact]
    public async Task Watch_survives_a_dropped_connection_and_an_expired_resource_version()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        var (connection, apps) = cluster.Client();
        using var _ = connection;
        var submitted = await apps.SubmitAsync(new SparkApplicationSpec { Resource = "local:///opt/app.py", Name = "resilient" }, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<SparkApplication>();
        var watching = Task.Run(async () =>
        {
            await foreach (var app in apps.WatchAsync(timeout.Token))
            {
                lock (seen) seen.Add(app);
                if (app.IsFinished) return app;
            }
            return null;
        });
        await WaitUntil(() => { lock (seen) return seen.Count > 0; }, timeout.Token);
        int Lists() => cluster.Kube.Requests.Count(r => r.Verb == "list" && r.Resource == "pods");
        var listsBefore = Lists();

        cluster.Kube.Faults.DropWatches();
        cluster.Kube.Pods.Running(Ns, submitted.DriverPod);
        await WaitUntil(() => { lock (seen) return seen[^1].State == SparkApplicationState.Running; }, timeout.Token);
        Lists().Should().Be(listsBefore, "after a drop the watch resumes from its resourceVersion without listing");

        // The change happens while the watch is down and the history is then compacted past the watch's
        // resourceVersion, so resuming gets 410 Gone and only a fresh list can show it.
        cluster.Kube.Faults.DropWatches();
        cluster.Kube.Pods.Succeeded(Ns, submitted.DriverPod);
        cluster.Kube.Faults.ExpireWatchHistory();

        (await watching)!.State.Should().Be(SparkApplicationState.Succeeded);
        Lists().Should().BeGreaterThan(listsBefore, "410 Gone forces a fresh list");
    }

    [Fact]
    public async Task Ui_port_forwards_to_the_driver_ui_port()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        var (connection, apps) = cluster.Client();
        using var owned = connection;
        var submitted = await apps.SubmitAsync(new SparkApplicationSpec { Resource = "local:///opt/app.py", Name = "with-ui" }, CancellationToken.None);
        cluster.Kube.Pods.Running(Ns, submitted.DriverPod);
        using var backend = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        backend.Start();
        cluster.Kube.PortForward.Map(Ns, submitted.DriverPod, 4040, backend.LocalEndpoint);
        // Every forwarded connection gets its own tunnel; the readiness probe below is one of them.
        using var serverStop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!serverStop.IsCancellationRequested)
            {
                var client = await backend.AcceptTcpClientAsync(serverStop.Token);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        var buffer = new byte[4096];
                        // The readiness probe sends nothing; close it so its tunnel ends too.
                        using var idle = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                        try
                        {
                            if (await stream.ReadAtLeastAsync(buffer, 1, throwOnEndOfStream: false, idle.Token) == 0) return;
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }
                        var body = "spark ui"u8.ToArray();
                        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
                        await stream.WriteAsync(body);
                    }
                });
            }
        });
        var port = Kindling.Testing.FreePort.Next();
        using var stop = new CancellationTokenSource();
        var ui = CliHarness.RunAsync(cluster.Run with { Cancellation = stop.Token }, "ui", "with-ui", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Kindling.Testing.FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(20));

        string page;
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) })
            page = await http.GetStringAsync($"http://127.0.0.1:{port}/");
        await stop.CancelAsync();
        var result = await ui.WaitAsync(TimeSpan.FromSeconds(20));

        page.Should().Be("spark ui");
        await serverStop.CancelAsync();
        result.Stdout.Should().Contain($"http://127.0.0.1:{port}/");
    }

    [Theory]
    [InlineData("submit", "missing.py")]
    [InlineData("submit", "app.jar")]
    [InlineData("submit", "--conf", "oops", "local:///opt/a.py")]
    [InlineData("submit", "--executor-memory", "2 gigs", "local:///opt/a.py")]
    [InlineData("submit", "--name", "%%%", "local:///opt/a.py")]
    public async Task Bad_input_sends_zero_requests(params string[] args)
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        cluster.Dir.Write("app.jar", "not really a jar");
        cluster.Kube.Requests.Clear();

        var result = await cluster.CliAsync(args);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().StartWith("error: ");
        cluster.Kube.Requests.All.Should().BeEmpty();
    }

    [Theory]
    [InlineData("--archives", "--archives", "env.tar.gz", "job.py")]
    [InlineData("--py-files", "--py-files", "deps.jar", "job.py")]
    [InlineData("--packages", "--packages", "org.postgresql:postgresql", "job.py")]
    [InlineData("--supervise", "--supervise", "job.py")]
    [InlineData("--properties-file", "--properties-file", "missing.conf", "job.py")]
    public async Task Bad_submit_options_are_located_errors_and_create_nothing(string flag, params string[] args)
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        cluster.Dir.Write("job.py", "print(1)\n");
        cluster.Dir.Write("env.tar.gz", "packed env");
        cluster.Dir.Write("deps.jar", "PK");
        cluster.Kube.Requests.Clear();

        var result = await cluster.CliAsync(["submit", .. args]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain($"error: {flag}");
        cluster.Kube.Requests.All.Should().BeEmpty("bad input is refused before the cluster is contacted");
        cluster.Kube.Objects.List<V1Pod>(Ns).Should().BeEmpty();
        cluster.Kube.Objects.List<V1ConfigMap>(Ns).Where(m => m.Metadata.Labels?.ContainsKey(SparkConventions.AppIdLabel) == true).Should().BeEmpty();
    }

    [Fact]
    public async Task Supervise_says_why_it_is_not_supported_on_kubernetes()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();

        var result = await cluster.CliAsync("submit", "--supervise", "local:///opt/a.py");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("--supervise").And.Contain("not supported on Kubernetes");
    }

    private static async Task WaitUntil(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition()) await Task.Delay(20, cancellationToken);
    }
}
