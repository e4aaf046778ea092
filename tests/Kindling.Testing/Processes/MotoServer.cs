using System.Diagnostics;
using System.Net.Http;
using System.Text.Json;

namespace Kindling.Testing.Processes;

/// <summary>
/// A moto_server (AWS API emulator) process of its own on a free 127.0.0.1 port, with the AWS CLI (v1) pointed at
/// it for assertions. Dispose stops it; nothing it knows survives.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    public const string Region = "eu-west-1";

    private const string InstallHint = "Install it with: pip install 'moto[server]'";
    private const int TailLines = 30;

    private readonly Process process;
    private readonly Queue<string> log = new();

    private MotoServer(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>
    /// Dummy credentials for anything talking to moto (terraform, the aws CLI, the CLI harness). Profiles and
    /// instance metadata are switched off, so nothing reaches for real credentials or the network.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> ClientEnvironment { get; } = new Dictionary<string, string?>
    {
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_PROFILE"] = null,
        ["AWS_DEFAULT_REGION"] = Region,
        ["AWS_REGION"] = Region,
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    public static async Task<MotoServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var executable = RequiredTool.Find("moto_server", InstallHint);
        var port = FreePort.Next();
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(arg);
        // Attaching AmazonEKSClusterPolicy and friends needs AWS's managed policies, which moto only loads on request.
        info.Environment["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true";
        var process = Process.Start(info) ?? throw new InvalidOperationException("moto_server did not start");
        var server = new MotoServer(process, port);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var listening = FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), cancellationToken);
            if (await Task.WhenAny(listening, process.WaitForExitAsync(cancellationToken)) != listening)
                throw new InvalidOperationException($"moto_server exited with code {process.ExitCode}:\n{server.Log}");
            await listening;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>The last lines moto printed, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (log) return string.Join('\n', log);
        }
    }

    /// <summary>Forgets every resource (moto's own reset API), so a class can share one server test after test.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync($"{Endpoint}/moto-api/reset", content: null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Runs <c>aws --endpoint-url ... --output json &lt;args&gt;</c> and returns its JSON output; fails on a non-zero exit.</summary>
    public async Task<JsonElement> AwsAsync(params string[] args)
    {
        var executable = RequiredTool.Find("aws", "Install the AWS CLI: pip install awscli");
        var result = await ToolRun.RunAsync(executable,
            ["--endpoint-url", Endpoint, "--region", Region, "--output", "json", .. args],
            Path.GetTempPath(), ClientEnvironment);
        if (result.ExitCode != 0) throw new InvalidOperationException($"aws {string.Join(' ', args)} failed: {result}");
        if (string.IsNullOrWhiteSpace(result.Stdout)) return default;
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (log)
        {
            log.Enqueue(line);
            if (log.Count > TailLines) log.Dequeue();
        }
    }
}
