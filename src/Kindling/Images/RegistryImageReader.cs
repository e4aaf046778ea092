using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kindling.Images;

/// <summary>
/// Asks a registry about an image through the OCI distribution API (distribution-spec, "Pulling manifests" and
/// "Pulling blobs"): <c>HEAD /v2/&lt;name&gt;/manifests/&lt;tag&gt;</c> for existence, then the manifest (an index's
/// platforms) and the image config blob (its labels). A 401 is answered as the registry asks in
/// <c>WWW-Authenticate</c>: a Bearer token from its realm (docker token auth; anonymous, or with the docker login),
/// or Basic with the docker login.
/// </summary>
internal sealed partial class RegistryImageReader(HttpMessageHandler handler, RegistryCredentials credentials)
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    public async Task<RemoteImage> ReadAsync(ImageReference image, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
        var session = new Session(http, image, credentials);
        try
        {
            using var head = await session.SendAsync(HttpMethod.Head, $"manifests/{image.Reference}", cancellationToken).ConfigureAwait(false);
            if (head.StatusCode == HttpStatusCode.NotFound)
                return RemoteImage.Missing($"the registry {image.Registry} has no {image.Repository}:{image.Reference}");
            if (head.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                return RemoteImage.Unknown($"the registry {image.Registry} refused access to {image.Repository} (HTTP {(int)head.StatusCode}); " +
                                           (session.HadLogin ? "the docker login for it was rejected" : "there is no docker login for it"));
            if (!head.IsSuccessStatusCode)
                return RemoteImage.Unknown($"the registry {image.Registry} answered HTTP {(int)head.StatusCode} for {image.Repository}:{image.Reference}");

            var (platforms, manifest) = await ResolveManifestAsync(session, image.Reference, cancellationToken).ConfigureAwait(false);
            if (manifest is null) return new RemoteImage(true, "", platforms, new Dictionary<string, string>());
            var configDigest = manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
            using var blob = await session.SendAsync(HttpMethod.Get, $"blobs/{configDigest}", cancellationToken).ConfigureAwait(false);
            if (!blob.IsSuccessStatusCode) return new RemoteImage(true, $"its config blob answered HTTP {(int)blob.StatusCode}", platforms, new Dictionary<string, string>());
            using var config = JsonDocument.Parse(await blob.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return ImageConfig.ToRemote(config, platforms);
        }
        catch (HttpRequestException e)
        {
            return RemoteImage.Unknown($"cannot reach the registry {image.Registry}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return RemoteImage.Unknown($"the registry {image.Registry} did not answer in time");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return RemoteImage.Unknown($"the registry {image.Registry} sent a manifest Kindling cannot read ({e.Message})");
        }
    }

    // An index names one manifest per platform; the image config of the first linux one carries the labels
    // (the platform images of one build share them).
    private static async Task<(IReadOnlyList<string> Platforms, JsonDocument? Manifest)> ResolveManifestAsync(Session session, string reference, CancellationToken cancellationToken)
    {
        var first = await session.GetJsonAsync($"manifests/{reference}", cancellationToken).ConfigureAwait(false);
        if (!first.RootElement.TryGetProperty("manifests", out var entries)) return ([], first);
        var platforms = ImageConfig.IndexPlatforms(entries);
        var digest = entries.EnumerateArray()
            .Where(m => m.TryGetProperty("platform", out var p) && p.GetProperty("os").GetString() == "linux")
            .Select(m => m.GetProperty("digest").GetString()).FirstOrDefault();
        first.Dispose();
        if (digest is null) return (platforms, null);
        return (platforms, await session.GetJsonAsync($"manifests/{digest}", cancellationToken).ConfigureAwait(false));
    }

    [GeneratedRegex("(\\w+)=\"([^\"]*)\"")]
    private static partial Regex ChallengeParameter();

    private sealed class Session(HttpClient http, ImageReference image, RegistryCredentials credentials)
    {
        private AuthenticationHeaderValue? authorization;
        private bool triedAuth;

        public bool HadLogin { get; private set; }

        public async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken)
        {
            using var response = await SendAsync(HttpMethod.Get, path, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
        {
            var response = await SendOnceAsync(method, path, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized || triedAuth) return response;
            triedAuth = true;
            var challenge = response.Headers.WwwAuthenticate.FirstOrDefault();
            response.Dispose();
            if (challenge is null) return await SendOnceAsync(method, path, cancellationToken).ConfigureAwait(false);
            var login = await credentials.FindAsync(image.Registry, cancellationToken).ConfigureAwait(false);
            HadLogin = login is not null;
            if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && login is not null)
                authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login.User}:{login.Secret}")));
            else if (challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
                authorization = await TokenAsync(challenge.Parameter ?? "", login, cancellationToken).ConfigureAwait(false);
            return await SendOnceAsync(method, path, cancellationToken).ConfigureAwait(false);
        }

        private async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, string path, CancellationToken cancellationToken)
        {
            var scheme = image.PlainHttp ? "http" : "https";
            using var request = new HttpRequestMessage(method, $"{scheme}://{image.Registry}/v2/{image.Repository}/{path}");
            foreach (var type in ManifestTypes) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            request.Headers.Authorization = authorization;
            return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        // Docker token auth: GET <realm>?service=<service>&scope=repository:<name>:pull -> {"token"} or {"access_token"}.
        private async Task<AuthenticationHeaderValue?> TokenAsync(string parameters, RegistryLogin? login, CancellationToken cancellationToken)
        {
            var values = ChallengeParameter().Matches(parameters).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.OrdinalIgnoreCase);
            if (!values.TryGetValue("realm", out var realm)) return null;
            var query = new List<string>();
            if (values.TryGetValue("service", out var service)) query.Add("service=" + Uri.EscapeDataString(service));
            query.Add("scope=" + Uri.EscapeDataString($"repository:{image.Repository}:pull"));
            using var request = new HttpRequestMessage(HttpMethod.Get, realm + (realm.Contains('?', StringComparison.Ordinal) ? "&" : "?") + string.Join('&', query));
            if (login is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login.User}:{login.Secret}")));
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) return null;
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            var token = doc.RootElement.TryGetProperty("token", out var t) ? t.GetString()
                : doc.RootElement.TryGetProperty("access_token", out var a) ? a.GetString() : null;
            return token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        }
    }
}

/// <summary>Reads platforms and labels out of OCI/Docker manifests and image configs.</summary>
internal static class ImageConfig
{
    /// <summary>The platforms of an index, without the <c>unknown/unknown</c> entries buildx adds for attestations.</summary>
    public static IReadOnlyList<string> IndexPlatforms(JsonElement manifests) =>
        manifests.EnumerateArray()
            .Where(m => m.TryGetProperty("platform", out _))
            .Select(m => m.GetProperty("platform"))
            .Select(p => $"{p.GetProperty("os").GetString()}/{p.GetProperty("architecture").GetString()}")
            .Where(p => p != "unknown/unknown")
            .Distinct().ToList();

    /// <summary>The labels and (for a single-platform image) the platform of an image config blob.</summary>
    public static RemoteImage ToRemote(JsonDocument config, IReadOnlyList<string> indexPlatforms)
    {
        var root = config.RootElement;
        var platforms = indexPlatforms.Count > 0 ? indexPlatforms
            : root.TryGetProperty("architecture", out var arch) && root.TryGetProperty("os", out var os) ? [$"{os.GetString()}/{arch.GetString()}"] : [];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("Labels", out var l) && l.ValueKind == JsonValueKind.Object)
            foreach (var p in l.EnumerateObject()) labels[p.Name] = p.Value.GetString() ?? "";
        return new RemoteImage(true, "", platforms, labels);
    }
}
