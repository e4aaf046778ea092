using System.Diagnostics;
using System.Text;
using Kindling.Testing;

namespace Kindling.Tests.Verify;

/// <summary>
/// Debian's real Jupyter notebook server (<c>jupyter-notebook</c>, the classic server whose REST and kernel websocket
/// API Jupyter Server kept), started on a free loopback port with a given token, and stopped on dispose.
/// </summary>
internal sealed class JupyterServer : IAsyncDisposable
{
    private static readonly string[] ClearedPrefixes = ["SPARK_", "PYSPARK_", "JUPYTER_", "IPYTHON", "PYTHON"];
    private readonly Process process;
    private readonly StringBuilder log = new();

    private JupyterServer(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public System.Net.IPEndPoint EndPoint => new(System.Net.IPAddress.Loopback, Port);

    public string Log
    {
        get
        {
            lock (log) return log.ToString();
        }
    }

    /// <param name="directory">Its home, runtime and notebook directory.</param>
    /// <param name="token">The token it accepts.</param>
    /// <param name="environment">Added to its (and its kernels') environment.</param>
    public static async Task<JupyterServer> StartAsync(string directory, string token, IReadOnlyDictionary<string, string> environment)
    {
        const string hint = "Install Debian's Jupyter: apt-get update && apt-get install -y jupyter-notebook python3-nbclient python3-ipykernel";
        var executable = RequiredTool.Find("jupyter-notebook", hint);
        var port = FreePort.Next();
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     "--no-browser", "--ip=127.0.0.1", $"--port={port}", "--port-retries=0", $"--NotebookApp.token={token}",
                     $"--notebook-dir={directory}", "--allow-root", "--NotebookApp.disable_check_xsrf=False",
                 })
            start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.ToList())
            if (ClearedPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))) start.Environment.Remove(key);
        Directory.CreateDirectory(Path.Combine(directory, "runtime"));
        start.Environment["HOME"] = directory;
        start.Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(directory, "runtime");
        start.Environment["JUPYTER_CONFIG_DIR"] = Path.Combine(directory, "config");
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var server = new JupyterServer(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (process.HasExited)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"jupyter-notebook exited with {process.ExitCode}:\n{server.Log}");
            }
            try
            {
                using var answer = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/api"));
                if (answer.IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new TimeoutException($"jupyter-notebook did not answer on port {port} within 90s:\n{server.Log}");
            }
            await Task.Delay(200);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (log) log.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
        }
        process.Dispose();
    }
}
