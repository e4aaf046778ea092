using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kindling.Testing;

/// <summary>
/// A small OCI distribution registry on 127.0.0.1 over plain HTTP (as a local kind registry is): manifests and
/// blobs by tag and digest, HEAD and GET, 404 with the spec's error body for what it does not have, and optionally
/// docker token auth (401 + <c>WWW-Authenticate: Bearer realm=...</c>, a token endpoint that wants Basic credentials).
/// Images are pushed as an index of per-platform manifests whose config blobs carry the given labels.
/// </summary>
public sealed class FakeRegistry : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Dictionary<string, (string MediaType, byte[] Body)> manifests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> blobs = new(StringComparer.Ordinal);
    private readonly string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private FakeRegistry(WebApplication app) => this.app = app;

    /// <summary><c>127.0.0.1:port</c>, the registry part of image references.</summary>
    public string Host { get; private set; } = "";

    /// <summary>When set, every /v2 request needs a Bearer token, issued to exactly this user and password.</summary>
    public (string User, string Password)? RequireLogin { get; set; }

    /// <summary>Every request path, for asserting what was asked (never credentials).</summary>
    public List<string> Requests { get; } = [];

    public static async Task<FakeRegistry> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var registry = new FakeRegistry(app);
        app.Run(registry.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        registry.Host = new Uri(address).Authority;
        return registry;
    }

    /// <summary>Pushes <paramref name="repository"/>:<paramref name="tag"/> for <paramref name="platforms"/> with <paramref name="labels"/>.</summary>
    public void Push(string repository, string tag, IReadOnlyDictionary<string, string> labels, params string[] platforms)
    {
        var entries = new JsonArray();
        foreach (var platform in platforms.Length == 0 ? ["linux/amd64"] : platforms)
        {
            var (os, arch) = (platform.Split('/')[0], platform.Split('/')[1]);
            var labelJson = new JsonObject();
            foreach (var (k, v) in labels) labelJson[k] = v;
            var config = Encoding.UTF8.GetBytes(new JsonObject { ["architecture"] = arch, ["os"] = os, ["config"] = new JsonObject { ["Labels"] = labelJson } }.ToJsonString());
            var configDigest = Digest(config);
            blobs[$"{repository}@{configDigest}"] = config;
            var manifest = Encoding.UTF8.GetBytes(new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = configDigest, ["size"] = config.Length },
                ["layers"] = new JsonArray(),
            }.ToJsonString());
            var manifestDigest = Digest(manifest);
            manifests[$"{repository}:{manifestDigest}"] = ("application/vnd.oci.image.manifest.v1+json", manifest);
            entries.Add(new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["digest"] = manifestDigest,
                ["size"] = manifest.Length,
                ["platform"] = new JsonObject { ["os"] = os, ["architecture"] = arch },
            });
        }
        var index = Encoding.UTF8.GetBytes(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = "application/vnd.oci.image.index.v1+json", ["manifests"] = entries }.ToJsonString());
        manifests[$"{repository}:{tag}"] = ("application/vnd.oci.image.index.v1+json", index);
    }

    /// <summary>The single-platform manifest of <paramref name="repository"/>:<paramref name="tag"/>'s first platform, and its config blob's digest.</summary>
    public (string Manifest, string ConfigDigest) PlatformManifest(string repository, string tag)
    {
        var index = JsonNode.Parse(manifests[$"{repository}:{tag}"].Body)!;
        var digest = index["manifests"]![0]!["digest"]!.GetValue<string>();
        var manifest = Encoding.UTF8.GetString(manifests[$"{repository}:{digest}"].Body);
        return (manifest, JsonNode.Parse(manifest)!["config"]!["digest"]!.GetValue<string>());
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        lock (Requests) Requests.Add($"{context.Request.Method} {path}");
        if (path == "/token")
        {
            var auth = context.Request.Headers.Authorization.ToString();
            var expected = RequireLogin is { } login ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login.User}:{login.Password}")) : null;
            if (expected is not null && auth != expected)
            {
                context.Response.StatusCode = 401;
                return;
            }
            await context.Response.WriteAsJsonAsync(new { token });
            return;
        }
        if (RequireLogin is not null && context.Request.Headers.Authorization.ToString() != $"Bearer {token}")
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"http://{Host}/token\",service=\"fake-registry\",scope=\"repository:x:pull\"";
            return;
        }
        // /v2/<name>/manifests/<reference> or /v2/<name>/blobs/<digest>
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4 || parts[0] != "v2")
        {
            context.Response.StatusCode = 404;
            return;
        }
        var kind = parts[^2];
        var reference = parts[^1];
        var name = string.Join('/', parts[1..^2]);
        if (kind == "manifests" && manifests.TryGetValue($"{name}:{reference}", out var m))
        {
            context.Response.ContentType = m.MediaType;
            context.Response.Headers["Docker-Content-Digest"] = Digest(m.Body);
            context.Response.ContentLength = m.Body.Length;
            if (context.Request.Method != "HEAD") await context.Response.Body.WriteAsync(m.Body);
            return;
        }
        if (kind == "blobs" && blobs.TryGetValue($"{name}@{reference}", out var blob))
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(blob);
            return;
        }
        context.Response.StatusCode = 404;
        if (context.Request.Method != "HEAD")
            await context.Response.WriteAsJsonAsync(new { errors = new[] { new { code = kind == "blobs" ? "BLOB_UNKNOWN" : "MANIFEST_UNKNOWN", message = "unknown", detail = reference } } });
    }

    private static string Digest(byte[] body) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
