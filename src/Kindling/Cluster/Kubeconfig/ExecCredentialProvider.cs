using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using k8s.Authentication;

namespace Kindling.Cluster.Kubeconfig;

/// <summary>
/// Bearer tokens from a kubeconfig <c>exec</c> credential plugin (<c>aws eks get-token</c>, kubelogin, ...), run as
/// client-go runs it (<c>plugin/pkg/client/auth/exec/exec.go</c>; protocol in the Kubernetes docs, "client-go
/// credential plugins"): the kubeconfig's args and env on top of ours, <c>KUBERNETES_EXEC_INFO</c> holding an
/// <c>ExecCredential</c> with <c>spec.interactive</c> (and <c>spec.cluster</c> when <c>provideClusterInfo</c>), stdout
/// read as an <c>ExecCredential</c> of the same apiVersion. The token is cached until its
/// <c>expirationTimestamp</c>, so a long watch re-runs the plugin only when needed. The first run happens at the
/// first request, not when the connection is built, so nothing is spawned for work that never reaches the server.
/// </summary>
internal sealed class ExecCredentialProvider(KubeconfigExec exec, KubeconfigCluster cluster, string userName, TimeProvider time) : ITokenProvider
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private string? token;
    private DateTimeOffset? expires;

    /// <summary>How many times the plugin ran (for tests and diagnostics).</summary>
    public int Runs { get; private set; }

    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (token is null || (expires is { } at && time.GetUtcNow() >= at))
                (token, expires) = await RunAsync(cancellationToken).ConfigureAwait(false);
            return new AuthenticationHeaderValue("Bearer", token);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(string Token, DateTimeOffset? Expires)> RunAsync(CancellationToken cancellationToken)
    {
        var interactive = exec.InteractiveMode switch
        {
            "Never" => false,
            "Always" when Console.IsInputRedirected => throw new KindlingException(
                $"the exec credential plugin of user '{userName}' needs a terminal (interactiveMode: Always) but standard input is not one; run in a terminal or change interactiveMode"),
            _ => !Console.IsInputRedirected,
        };
        var start = new ProcessStartInfo(exec.Command)
        {
            RedirectStandardOutput = true,
            // An interactive plugin talks to the user on stderr and reads stdin, as under kubectl.
            RedirectStandardError = !interactive,
            RedirectStandardInput = !interactive,
            UseShellExecute = false,
        };
        foreach (var arg in exec.Args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in exec.Env) start.Environment[key] = value;
        start.Environment["KUBERNETES_EXEC_INFO"] = ExecInfo(interactive);

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            var hint = exec.InstallHint is { Length: > 0 } h ? h.Trim() : $"install '{exec.Command}' or fix the exec section of user '{userName}' in {cluster.Origin}";
            throw new ExternalToolException(exec.Command, -1, e.Message, hint);
        }
        Runs++;
        if (!interactive) process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = interactive ? Task.FromResult("") : process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new ExternalToolException(exec.Command, process.ExitCode, Tail(errors),
                $"the exec credential plugin of user '{userName}' failed; run it by hand to see why");
        return Parse(output);
    }

    /// <summary>The <c>ExecCredential</c> the plugin prints; only its token is used (no secret is echoed in errors).</summary>
    private (string Token, DateTimeOffset? Expires) Parse(string output)
    {
        string Problem(string what) =>
            $"the exec credential plugin '{exec.Command}' of user '{userName}' printed {what}; it must print an ExecCredential of apiVersion {exec.ApiVersion}";
        try
        {
            using var doc = JsonDocument.Parse(output);
            var root = doc.RootElement;
            var apiVersion = root.TryGetProperty("apiVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (apiVersion != exec.ApiVersion) throw new KindlingException(Problem($"apiVersion '{apiVersion}'"));
            if (!root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
                throw new KindlingException(Problem("no status"));
            if (!status.TryGetProperty("token", out var t) || t.ValueKind != JsonValueKind.String || t.GetString() is not { Length: > 0 } value)
            {
                // Client certificates from a plugin would have to be in place before the TLS connection is made.
                throw new KindlingException(status.TryGetProperty("clientCertificateData", out _)
                    ? $"the exec credential plugin '{exec.Command}' of user '{userName}' returns a client certificate; Kindling supports plugins that return a token (aws eks get-token, kubelogin, gke-gcloud-auth-plugin)"
                    : Problem("no status.token"));
            }
            DateTimeOffset? expiry = status.TryGetProperty("expirationTimestamp", out var e) && e.ValueKind == JsonValueKind.String &&
                DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
            return (value, expiry);
        }
        catch (JsonException)
        {
            throw new KindlingException(Problem("something that is not JSON"));
        }
    }

    private string ExecInfo(bool interactive)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("apiVersion", exec.ApiVersion);
            json.WriteString("kind", "ExecCredential");
            json.WriteStartObject("spec");
            json.WriteBoolean("interactive", interactive);
            if (exec.ProvideClusterInfo)
            {
                json.WriteStartObject("cluster");
                json.WriteString("server", cluster.Server);
                if (cluster.TlsServerName is { } name) json.WriteString("tls-server-name", name);
                if (cluster.InsecureSkipTlsVerify) json.WriteBoolean("insecure-skip-tls-verify", true);
                var ca = cluster.CertificateAuthorityData
                    ?? (cluster.CertificateAuthority is { } file && File.Exists(file) ? Convert.ToBase64String(File.ReadAllBytes(file)) : null);
                if (ca is not null) json.WriteString("certificate-authority-data", ca);
                if (cluster.ProxyUrl is { } proxy) json.WriteString("proxy-url", proxy);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join("\n", lines.Skip(Math.Max(0, lines.Length - 5)));
    }
}
