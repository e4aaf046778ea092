using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using k8s.Models;
using Kindling.Operations.Spark;
using Kindling.Spark;
using Kindling.Spark.Notebook;
using Kindling.Testing.FakeKube;
using Kindling.Testing.Processes;
using Kindling.Tests.Cli;

namespace Kindling.Tests.Verify;

/// <summary>How the bed's "cluster" runs one submitted driver: its log and exit code.</summary>
internal sealed record DriverRun(string Log, int ExitCode, string Reason = "Completed");

/// <summary>
/// Everything <c>kindling verify</c> talks to, real where it can be: the fake API server with the environment
/// deployed by the real <c>up</c>; Debian's Jupyter as the notebook pod's port 8888 (through the fake's
/// port-forward), its kernels running the real start-up file and a stand-in pyspark; moto's S3 (optional); and a
/// History Server REST stand-in behind the History Server pod. Submitted drivers are run the way a cluster runs
/// them: the pod starts, writes its log, exits; on exit DriverLogger's archive lands in S3 and the History Server
/// lists the application as completed.
/// </summary>
internal sealed class VerifyBed : IAsyncDisposable
{
    public const string Ns = "kindling";
    public const string Bucket = "analytics-data";

    // The SDK sends eu-west-1's legacy "EU" location constraint, which moto refuses; any other region will do.
    public const string S3Region = "us-west-2";

    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<string, bool> handled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Name, bool Completed)> history = new(StringComparer.Ordinal);
    private readonly HttpListener historyListener = new();
    private Task? drivers;
    private Task? historyServing;

    private VerifyBed(FakeKubeServer kube, TempDir dir, MotoServer? moto)
    {
        Kube = kube;
        Dir = dir;
        Moto = moto;
        Kubeconfig = dir.File("kubeconfig");
        kube.WriteKubeconfig(Kubeconfig);
    }

    public FakeKubeServer Kube { get; }
    public TempDir Dir { get; }
    public MotoServer? Moto { get; }
    public string Kubeconfig { get; }
    public JupyterServer? Jupyter { get; private set; }
    public string NotebookPod { get; private set; } = "";
    public string Token { get; private set; } = "";
    public string Record => Dir.File("standin-record.jsonl");

    /// <summary>How each submitted role runs (<c>pi-python</c>, <c>pi-jvm</c>, <c>parquet</c>); defaults succeed.</summary>
    public ConcurrentDictionary<string, Func<V1Pod, Task<DriverRun>>> Roles { get; } = new(StringComparer.Ordinal);

    /// <summary>Every driver pod the bed ran, as submitted.</summary>
    public ConcurrentBag<V1Pod> Drivers { get; } = [];

    /// <summary>Applications the History Server must not list (a broken event log).</summary>
    public ConcurrentBag<string> HiddenFromHistory { get; } = [];

    /// <summary>When false, drivers exit without DriverLogger's archive.</summary>
    public bool ArchiveDriverLogs { get; set; } = true;

    public CliRun Run
    {
        get
        {
            var env = new Dictionary<string, string?> { ["KUBECONFIG"] = Kubeconfig, ["HOME"] = Dir.Path, ["USER"] = "tester" };
            foreach (var (key, value) in MotoServer.ClientEnvironment) env[key] = value;
            return new CliRun(Dir.Path) { Environment = env };
        }
    }

    public Task<CliResult> CliAsync(params string[] args) => CliHarness.RunAsync(Run, args);

    /// <summary>Starts the bed: with <paramref name="storage"/>, moto's S3 and a bucket (so history is on too).</summary>
    public static async Task<VerifyBed> StartAsync(bool storage, IReadOnlyDictionary<string, string>? jupyterEnvironment = null, string? jupyterToken = null)
    {
        var kube = await FakeKubeServer.StartAsync();
        kube.Pods.AutoReady = true;
        var moto = storage ? await MotoServer.StartAsync() : null;
        var bed = new VerifyBed(kube, new TempDir(), moto);
        try
        {
            await bed.DeployAsync(jupyterEnvironment ?? new Dictionary<string, string>(), jupyterToken);
            return bed;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    private async Task DeployAsync(IReadOnlyDictionary<string, string> extraJupyterEnv, string? jupyterToken)
    {
        if (Moto is not null)
        {
            using var s3 = S3();
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket, BucketRegionName = S3Region });
            File.WriteAllText(Dir.File("kindling.yaml"), $"aws:\n  region: {S3Region}\n  endpoint: {Moto.Endpoint}\n  s3Buckets: [{Bucket}]\n  availabilityZones:\n" +
                "    - {name: us-west-2a, publicSubnet: 10.0.0.0/20, privateSubnet: 10.0.48.0/20}\n" +
                "    - {name: us-west-2b, publicSubnet: 10.0.16.0/20, privateSubnet: 10.0.64.0/20}\n" +
                "    - {name: us-west-2c, publicSubnet: 10.0.32.0/20, privateSubnet: 10.0.80.0/20}\n");
        }
        var up = await CliAsync("up");
        if (up.ExitCode != 0) throw new InvalidOperationException($"up failed:\n{up}");
        NotebookPod = Kube.Objects.List<V1Pod>(Ns).Single(p => p.Metadata.Name.StartsWith("kindling-jupyter-", StringComparison.Ordinal)).Metadata.Name;
        Token = Encoding.UTF8.GetString(Kube.Objects.Get<V1Secret>(Ns, "kindling-jupyter-token")!.Data["token"]);

        // The kernel's environment is the Deployment's own, with the downward API resolved for this pod.
        var deployment = Kube.Objects.Get<V1Deployment>(Ns, "kindling-jupyter")!;
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in deployment.Spec.Template.Spec.Containers[0].Env ?? [])
        {
            var value = variable.ValueFrom?.FieldRef?.FieldPath switch
            {
                "metadata.name" => NotebookPod,
                "status.podIP" => "127.0.0.1",
                null => variable.Value,
                _ => null,
            };
            if (value is not null) env[variable.Name] = value;
        }
        var startup = Dir.File(Path.Combine("ipython", "profile_default", "startup"));
        Directory.CreateDirectory(startup);
        File.WriteAllText(Path.Combine(startup, NotebookFiles.StartupFileName), NotebookFiles.StartupScript);
        StandInPySpark.WriteTo(Dir.File("site"));
        File.WriteAllText(Dir.File("ca.pem"), Kube.CertificateAuthorityPem);
        Directory.CreateDirectory(Dir.File("locks"));
        env["IPYTHONDIR"] = Dir.File("ipython");
        env["PYTHONPATH"] = Dir.File("site");
        env["SPARK_SESSION_LOCK_DIR"] = Dir.File("locks");
        env["STANDIN_KUBE_URL"] = Kube.Uri.ToString();
        env["STANDIN_KUBE_TOKEN"] = Kube.Token;
        env["STANDIN_KUBE_CA"] = Dir.File("ca.pem");
        env["STANDIN_RECORD"] = Record;
        foreach (var (key, value) in extraJupyterEnv) env[key] = value;
        Directory.CreateDirectory(Dir.File("jupyter"));
        Jupyter = await JupyterServer.StartAsync(Dir.File("jupyter"), jupyterToken ?? Token, env);
        Kube.PortForward.Map(Ns, NotebookPod, 8888, Jupyter.EndPoint);

        if (Moto is not null)
        {
            var port = Kindling.Testing.FreePort.Next();
            historyListener.Prefixes.Add($"http://127.0.0.1:{port}/");
            historyListener.Start();
            historyServing = Task.Run(ServeHistoryAsync);
            var historyPod = Kube.Objects.List<V1Pod>(Ns).Single(p => p.Metadata.Name.StartsWith("kindling-history-", StringComparison.Ordinal)).Metadata.Name;
            Kube.PortForward.Map(Ns, historyPod, SparkHistoryServer.Port, new IPEndPoint(IPAddress.Loopback, port));
        }
        drivers = Task.Run(PlayDriversAsync);
    }

    public IAmazonS3 S3() => S3Uploader.CreateClient(S3Region, Moto!.Endpoint,
        new BasicAWSCredentials(MotoServer.ClientEnvironment["AWS_ACCESS_KEY_ID"], MotoServer.ClientEnvironment["AWS_SECRET_ACCESS_KEY"]));

    public async Task<IReadOnlyList<string>> KeysAsync(string prefix)
    {
        using var s3 = S3();
        return [.. ((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix })).S3Objects ?? []).Select(o => o.Key)];
    }

    /// <summary>The notebook sessions the stand-in pyspark started, from its record.</summary>
    public IReadOnlyList<JsonElement> Sessions() =>
        File.Exists(Record) ? [.. File.ReadAllLines(Record).Select(l => JsonDocument.Parse(l).RootElement)] : [];

    private async Task PlayDriversAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            V1Pod pod;
            try
            {
                pod = await Kube.Objects.WaitForAsync<V1Pod>(Ns, p =>
                    p.Metadata.Labels is { } labels && labels.TryGetValue(SparkConventions.RoleLabel, out var role) && role == SparkConventions.DriverRole
                    && labels.ContainsKey("kindling.dev/verify-run") && !handled.ContainsKey(p.Metadata.Name), TimeSpan.FromMinutes(10), stop.Token);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (TimeoutException)
            {
                continue;
            }
            if (handled.TryAdd(pod.Metadata.Name, true))
            {
                Drivers.Add(pod);
                _ = Task.Run(() => PlayAsync(pod));
            }
        }
    }

    private async Task PlayAsync(V1Pod pod)
    {
        var name = pod.Metadata.Labels[SparkConventions.AppNameLabel];
        var appId = pod.Metadata.Labels[SparkConventions.AppIdLabel];
        var role = name["kindling-verify-".Length..name.LastIndexOf('-', name.LastIndexOf('-', name.LastIndexOf('-') - 1) - 1)];
        history[appId] = (name, false);
        var run = Roles.TryGetValue(role, out var custom) ? await custom(pod) : await DefaultAsync(role, pod);
        var log = $"26/11/27 06:00:00 INFO SparkContext: Running Spark version 3.5.8\n26/11/27 06:00:01 INFO SparkContext: Submitted application: {name}\n{run.Log}";
        Kube.Pods.SetLog(Ns, pod.Metadata.Name, log);
        if (Moto is not null && ArchiveDriverLogs)
        {
            using var s3 = S3();
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = $"spark-driver-logs/kindling/{appId}_driver.log", ContentBody = log });
        }
        history[appId] = (name, true);
        Kube.Pods.Terminated(Ns, pod.Metadata.Name, run.Reason, run.ExitCode);
    }

    private async Task<DriverRun> DefaultAsync(string role, V1Pod pod)
    {
        if (role != "parquet") return new DriverRun("Pi is roughly 3.14158\n", 0);
        // The driver's args end with the application's: <path> <rows> keep|delete.
        var args = pod.Spec.Containers[0].Args;
        var (path, rows, keep) = (args[^3], args[^2], args[^1] == "keep");
        var key = path["s3a://".Length..][(Bucket.Length + 1)..];
        using var s3 = S3();
        foreach (var file in new[] { "_SUCCESS", "part-00000-5f1e.snappy.parquet", "part-00001-5f1e.snappy.parquet" })
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = $"{key}/{file}", ContentBody = "PAR1" });
        var log = $"KINDLING-VERIFY rows={rows}\n";
        if (!keep)
        {
            foreach (var k in await KeysAsync(key + "/")) await s3.DeleteObjectAsync(Bucket, k);
            log += "KINDLING-VERIFY deleted=true\n";
        }
        return new DriverRun(log, 0);
    }

    private async Task ServeHistoryAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await historyListener.GetContextAsync();
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            var path = context.Request.Url!.AbsolutePath;
            string? body = null;
            if (path == "/api/v1/applications")
            {
                var apps = new JsonArray();
                var all = history.ToDictionary();
                // Notebook sessions from the stand-in's record: completed once stopped.
                foreach (var session in Sessions())
                {
                    if (session.TryGetProperty("appId", out var id)) all[id.GetString()!] = ("notebook", session.GetProperty("event").GetString() == "stop" || all.GetValueOrDefault(id.GetString()!).Completed);
                }
                foreach (var (id, (name, completed)) in all.Where(a => !HiddenFromHistory.Any(h => a.Value.Name.Contains(h, StringComparison.Ordinal))))
                    apps.Add(new JsonObject
                    {
                        ["id"] = id,
                        ["name"] = name,
                        ["attempts"] = new JsonArray(new JsonObject { ["startTimeEpoch"] = 1764200000000, ["endTimeEpoch"] = completed ? 1764200060000 : -1, ["duration"] = completed ? 60000 : 0, ["sparkUser"] = "tester", ["completed"] = completed }),
                    });
                body = apps.ToJsonString();
            }
            else if (path.EndsWith("/allexecutors", StringComparison.Ordinal)) body = "[]";
            var bytes = Encoding.UTF8.GetBytes(body ?? "{\"message\":\"not found\"}");
            context.Response.StatusCode = body is null ? 404 : 200;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (historyListener.IsListening) historyListener.Stop();
        historyListener.Close();
        if (Jupyter is not null) await Jupyter.DisposeAsync();
        foreach (var task in new[] { drivers, historyServing }.OfType<Task>())
        {
            try
            {
                await task.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception)
            {
                // Shutting down: what the loops were doing no longer matters.
            }
        }
        await Kube.DisposeAsync();
        if (Moto is not null) await Moto.DisposeAsync();
        Dir.Dispose();
    }
}
