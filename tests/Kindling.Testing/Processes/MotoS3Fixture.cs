using System.Diagnostics;

namespace Kindling.Testing.Processes;

/// <summary>
/// A real moto_server on a free 127.0.0.1 port, for S3 uploads. Started per fixture and killed on dispose.
/// (The infra engineer's MotoServer may replace this once merged.)
/// </summary>
public sealed class MotoS3Fixture : IAsyncDisposable
{
    private readonly Process process;

    private MotoS3Fixture(Process process, int port)
    {
        this.process = process;
        Endpoint = $"http://127.0.0.1:{port}";
    }

    /// <summary>The endpoint URL (<c>aws.endpoint</c>).</summary>
    public string Endpoint { get; }

    /// <summary>moto accepts any credentials; these are what tests pass.</summary>
    public const string AccessKey = "testing";

    /// <inheritdoc cref="AccessKey"/>
    public const string SecretKey = "testing";

    public static async Task<MotoS3Fixture> StartAsync()
    {
        var exe = RequiredTool.Find("moto_server", "pip install 'moto[server]'");
        var port = FreePort.Next();
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-H");
        psi.ArgumentList.Add("127.0.0.1");
        psi.ArgumentList.Add("-p");
        psi.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(psi) ?? throw new InvalidOperationException("moto_server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var fixture = new MotoS3Fixture(process, port);
        try
        {
            await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30));
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }
        return fixture;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }
}
