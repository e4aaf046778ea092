using System.Text;
using System.Text.Json;
using Kindling.Tools;

namespace Kindling.Images;

/// <summary>A registry login, as docker stores it. Its ToString never shows the secret.</summary>
internal sealed record RegistryLogin(string User, string Secret)
{
    public override string ToString() => $"RegistryLogin {{ User = {User}, Secret = <redacted> }}";
}

/// <summary>
/// Finds the docker login for a registry the way the docker CLI does: <c>credHelpers[host]</c>, else
/// <c>credsStore</c>, run as <c>docker-credential-&lt;name&gt; get</c> with the host on standard input; else the
/// base64 <c>auth</c> of <c>auths[host]</c> in <c>$DOCKER_CONFIG/config.json</c> (default <c>~/.docker</c>). The
/// secret stays in memory: it is never printed, logged or put on a command line.
/// </summary>
internal sealed class RegistryCredentials(ToolEnvironment environment)
{
    // Docker Hub logins are stored under the v1 index URL (docker/cli registry.IndexServer).
    private const string DockerHubKey = "https://index.docker.io/v1/";

    public async Task<RegistryLogin?> FindAsync(string registry, CancellationToken cancellationToken)
    {
        var config = ReadConfig();
        if (config is null) return null;
        var root = config.RootElement;
        var key = registry == ImageReference.DockerHub ? DockerHubKey : registry;
        if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object &&
            helpers.TryGetProperty(key, out var helper) && helper.GetString() is { Length: > 0 } helperName)
            return await FromHelperAsync(helperName, key, cancellationToken).ConfigureAwait(false);
        if (root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in auths.EnumerateObject())
            {
                var host = entry.Name.Replace("https://", "", StringComparison.Ordinal).Replace("http://", "", StringComparison.Ordinal).TrimEnd('/');
                if (entry.Name != key && host != key) continue;
                if (entry.Value.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } encoded)
                {
                    var pair = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                    var colon = pair.IndexOf(':');
                    if (colon > 0) return new RegistryLogin(pair[..colon], pair[(colon + 1)..]);
                }
            }
        }
        if (root.TryGetProperty("credsStore", out var store) && store.GetString() is { Length: > 0 } storeName)
            return await FromHelperAsync(storeName, key, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private JsonDocument? ReadConfig()
    {
        var dir = environment.GetVariable("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(dir))
        {
            var home = environment.GetVariable("HOME");
            if (string.IsNullOrEmpty(home)) return null;
            dir = Path.Combine(home, ".docker");
        }
        var path = Path.Combine(dir, "config.json");
        if (!File.Exists(path)) return null;
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // docker-credential-helpers protocol: "get" reads the server URL on stdin and prints {"Username","Secret"}.
    private async Task<RegistryLogin?> FromHelperAsync(string helper, string serverUrl, CancellationToken cancellationToken)
    {
        var tool = new ExternalTool("docker-credential-" + helper, "Install the docker credential helper named in ~/.docker/config.json.",
            new ToolVariables([.. ToolVariables.Basics, .. ToolVariables.AwsCredentials]));
        if (ToolLocator.TryFind(environment, tool.Name) is null) return null;
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(serverUrl));
        var result = await ToolProcess.RunAsync(new ToolRunOptions { Tool = tool, Arguments = ["get"], Environment = environment, Input = input }, cancellationToken)
            .ConfigureAwait(false);
        if (result.ExitCode != 0) return null;
        try
        {
            using var doc = JsonDocument.Parse(result.Stdout);
            var user = doc.RootElement.GetProperty("Username").GetString();
            var secret = doc.RootElement.GetProperty("Secret").GetString();
            return user is null || secret is null ? null : new RegistryLogin(user, secret);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
