using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Kindling.Configuration;
using Kindling.Spark;
using Kindling.Spark.Notebook;
using Kindling.Tests.Resources;

namespace Kindling.Tests.Notebook;

/// <summary>
/// Issue 9 §5: several kernels of one notebook pod each claim their own driver/block manager port pair, computed by
/// the real start-up file under python3, with processes started at the same moment; the ports are exactly the ones
/// the driver Service and NetworkPolicy expose; one session too many gets an error naming the limit and the fix.
/// </summary>
public sealed class NotebookSessionTests : IDisposable
{
    // Prints the session's conf as one JSON line, then holds its slot (the kernel stays alive) until stdin closes.
    private const string Kernel = """
        import json, runpy, sys
        ns = runpy.run_path(sys.argv[1])
        env = json.loads(sys.argv[2])
        try:
            ports = ns["kindling_claim_session_ports"](env)
            print(json.dumps({"slot": ports.slot, "conf": ns["kindling_spark_conf"](env, "s%d" % ports.slot, ports)}), flush=True)
        except ns["KindlingSparkConfigError"] as error:
            print(json.dumps({"error": str(error)}), flush=True)
        sys.stdin.read()
        """;

    private readonly TempDir _dir = new();
    private readonly string _script;
    private readonly List<Process> _kernels = [];

    public NotebookSessionTests() => _script = _dir.Write(NotebookFiles.StartupFileName, NotebookFiles.StartupScript);

    public void Dispose()
    {
        foreach (var kernel in _kernels)
        {
            try
            {
                kernel.StandardInput.Close();
                if (!kernel.WaitForExit(10_000)) kernel.Kill();
            }
            finally
            {
                kernel.Dispose();
            }
        }
        _dir.Dispose();
    }

    /// <summary>The rendered Deployment's env with ports moved to a free base, so parallel test runs do not meet.</summary>
    private Dictionary<string, string> Env(int sessions, out NotebookSessionPorts ports)
    {
        var basePort = FreeBase(sessions);
        var spec = new EnvironmentSpec { Spark = new SparkSpec { DriverPort = basePort, BlockManagerPort = basePort + 1, UiPort = basePort + 2 * sessions, NotebookSessions = sessions } };
        var env = StartupScriptTests.DeploymentEnv(ManifestFixtures.Default() with { Spec = spec });
        env["SPARK_SESSION_LOCK_DIR"] = _dir.File("locks");
        ports = NotebookSessionPorts.For(spec.Spark);
        return env;
    }

    private static int FreeBase(int sessions)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var basePort = Random.Shared.Next(20000, 60000) & ~1;
            var listeners = new List<TcpListener>();
            try
            {
                for (var p = basePort; p < basePort + 3 * sessions; p++)
                {
                    var l = new TcpListener(IPAddress.Any, p);
                    l.Start();
                    listeners.Add(l);
                }
                return basePort;
            }
            catch (SocketException)
            {
            }
            finally
            {
                listeners.ForEach(l => l.Stop());
            }
        }
        throw new InvalidOperationException("no free port range");
    }

    private Process Start(Dictionary<string, string> env)
    {
        var start = new ProcessStartInfo(PythonProcess.Python3()) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Kernel);
        start.ArgumentList.Add(_script);
        start.ArgumentList.Add(JsonSerializer.Serialize(env));
        var process = Process.Start(start)!;
        _kernels.Add(process);
        return process;
    }

    private static async Task<JsonElement> ReadAsync(Process kernel)
    {
        var line = await kernel.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        line.Should().NotBeNull("the kernel script must print its session");
        return JsonDocument.Parse(line!).RootElement;
    }

    [Fact]
    public async Task Two_sessions_side_by_side_get_distinct_exposed_port_pairs()
    {
        var env = Env(8, out var ports);

        var first = await ReadAsync(Start(env));
        var second = await ReadAsync(Start(env));

        var confs = new[] { first, second }.Select(s => s.GetProperty("conf")).ToList();
        var slots = new[] { first, second }.Select(s => s.GetProperty("slot").GetInt32()).ToList();
        slots.Should().Equal(0, 1);
        for (var i = 0; i < 2; i++)
        {
            var (driver, blockManager, ui) = ports.Slot(slots[i]);
            confs[i].GetProperty("spark.driver.port").GetString().Should().Be(driver.ToString(System.Globalization.CultureInfo.InvariantCulture));
            confs[i].GetProperty("spark.driver.blockManager.port").GetString().Should().Be(blockManager.ToString(System.Globalization.CultureInfo.InvariantCulture));
            confs[i].GetProperty("spark.ui.port").GetString().Should().Be(ui.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // Each session's driver is reachable: the Service lists its ports and the NetworkPolicy ranges cover them.
            ports.ServicePorts().Select(p => p.Number).Should().Contain([driver, blockManager]);
            ports.ExecutorFacingRanges().Should().Contain(r => r.From <= driver && driver <= r.To).And.Contain(r => r.From <= blockManager && blockManager <= r.To);
        }
        confs[0].GetProperty("spark.driver.host").GetString().Should().Be(confs[1].GetProperty("spark.driver.host").GetString());
    }

    [Fact]
    public async Task Kernels_started_at_the_same_moment_never_share_a_slot()
    {
        var env = Env(8, out _);

        var kernels = Enumerable.Range(0, 6).Select(_ => Start(env)).ToList();
        var sessions = await Task.WhenAll(kernels.Select(ReadAsync));

        sessions.Select(s => s.GetProperty("slot").GetInt32()).Should().OnlyHaveUniqueItems().And.HaveCount(6);
    }

    [Fact]
    public async Task One_session_too_many_is_told_the_limit_and_how_to_raise_it_and_a_freed_slot_is_reused()
    {
        var env = Env(2, out var ports);
        var first = Start(env);
        await ReadAsync(first);
        await ReadAsync(Start(env));

        var third = await ReadAsync(Start(env));

        var error = third.GetProperty("error").GetString();
        error.Should().Contain("all 2 Spark sessions").And.Contain($"{ports.DriverPort}-{ports.DriverPort + 2}")
            .And.Contain("spark.notebookSessions").And.Contain("kindling up").And.Contain("spark.stop()");

        // The first kernel exits: its lock goes with it, and a new kernel gets slot 0 back.
        first.StandardInput.Close();
        await first.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        (await ReadAsync(Start(env))).GetProperty("slot").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task A_port_already_in_use_is_skipped()
    {
        var env = Env(4, out var ports);
        using var squatter = new TcpListener(IPAddress.Any, ports.Slot(0).BlockManager);
        squatter.Start();

        (await ReadAsync(Start(env))).GetProperty("slot").GetInt32().Should().Be(1);
    }
}
