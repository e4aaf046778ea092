using System.Text.Json;
using Kindling.Tools;

namespace Kindling.Images;

/// <summary>
/// Asks Amazon ECR about an image with the AWS CLI, under the caller's AWS credentials: <c>ecr describe-images</c>
/// for existence, <c>ecr batch-get-image</c> for the manifest (an index's platforms) and
/// <c>ecr get-download-url-for-layer</c> for the config blob holding the labels (ECR API reference). The
/// pre-signed download URL is a credential: it is fetched, never shown.
/// </summary>
internal sealed class EcrImageReader(ToolEnvironment environment, HttpMessageHandler handler, string? endpoint)
{
    private const string AcceptedTypes =
        "application/vnd.oci.image.index.v1+json application/vnd.docker.distribution.manifest.list.v2+json " +
        "application/vnd.oci.image.manifest.v1+json application/vnd.docker.distribution.manifest.v2+json";

    public async Task<RemoteImage> ReadAsync(ImageReference image, CancellationToken cancellationToken)
    {
        var region = RegistryHost.EcrRegion(image.Registry)!;
        var id = image.Reference.StartsWith("sha256:", StringComparison.Ordinal) ? $"imageDigest={image.Reference}" : $"imageTag={image.Reference}";
        var described = await AwsAsync(region, ["ecr", "describe-images", "--repository-name", image.Repository, "--image-ids", id], cancellationToken).ConfigureAwait(false);
        if (described.ExitCode != 0)
        {
            var tail = described.Tail.Trim();
            if (tail.Contains("ImageNotFoundException", StringComparison.Ordinal))
                return RemoteImage.Missing($"ECR repository {image.Repository} in {region} has no image {image.Reference}");
            if (tail.Contains("RepositoryNotFoundException", StringComparison.Ordinal))
                return RemoteImage.Missing($"ECR has no repository {image.Repository} in {region}");
            return RemoteImage.Unknown($"aws ecr describe-images failed (exit {described.ExitCode}): {LastLine(tail)}");
        }

        var got = await AwsAsync(region, ["ecr", "batch-get-image", "--repository-name", image.Repository, "--image-ids", id,
            "--accepted-media-types", .. AcceptedTypes.Split(' ')], cancellationToken).ConfigureAwait(false);
        if (got.ExitCode != 0) return new RemoteImage(true, $"aws ecr batch-get-image failed: {LastLine(got.Tail)}", [], new Dictionary<string, string>());
        using var batch = JsonDocument.Parse(got.Stdout);
        var images = batch.RootElement.GetProperty("images");
        if (images.GetArrayLength() == 0) return new RemoteImage(true, "", [], new Dictionary<string, string>());
        using var manifest = JsonDocument.Parse(images[0].GetProperty("imageManifest").GetString()!);
        IReadOnlyList<string> platforms = [];
        var single = manifest.RootElement;
        JsonDocument? platformManifest = null;
        try
        {
            if (single.TryGetProperty("manifests", out var entries))
            {
                platforms = ImageConfig.IndexPlatforms(entries);
                var digest = entries.EnumerateArray()
                    .Where(m => m.TryGetProperty("platform", out var p) && p.GetProperty("os").GetString() == "linux")
                    .Select(m => m.GetProperty("digest").GetString()).FirstOrDefault();
                if (digest is null) return new RemoteImage(true, "", platforms, new Dictionary<string, string>());
                var one = await AwsAsync(region, ["ecr", "batch-get-image", "--repository-name", image.Repository, "--image-ids", $"imageDigest={digest}",
                    "--accepted-media-types", .. AcceptedTypes.Split(' ')], cancellationToken).ConfigureAwait(false);
                if (one.ExitCode != 0) return new RemoteImage(true, "", platforms, new Dictionary<string, string>());
                using var oneDoc = JsonDocument.Parse(one.Stdout);
                platformManifest = JsonDocument.Parse(oneDoc.RootElement.GetProperty("images")[0].GetProperty("imageManifest").GetString()!);
                single = platformManifest.RootElement;
            }

            var configDigest = single.GetProperty("config").GetProperty("digest").GetString()!;
            var url = await AwsAsync(region, ["ecr", "get-download-url-for-layer", "--repository-name", image.Repository, "--layer-digest", configDigest], cancellationToken)
                .ConfigureAwait(false);
            if (url.ExitCode != 0) return new RemoteImage(true, "", platforms, new Dictionary<string, string>());
            using var urlDoc = JsonDocument.Parse(url.Stdout);
            using var http = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
            using var response = await http.GetAsync(urlDoc.RootElement.GetProperty("downloadUrl").GetString(), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) return new RemoteImage(true, $"its config blob answered HTTP {(int)response.StatusCode}", platforms, new Dictionary<string, string>());
            using var config = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return ImageConfig.ToRemote(config, platforms);
        }
        finally
        {
            platformManifest?.Dispose();
        }
    }

    private async Task<ToolResult> AwsAsync(string region, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var all = new List<string>(arguments) { "--region", region, "--output", "json" };
        if (endpoint is not null)
        {
            all.Add("--endpoint-url");
            all.Add(endpoint);
        }
        return await ToolProcess.RunAsync(new ToolRunOptions { Tool = ImageTools.Aws, Arguments = all, Environment = environment }, cancellationToken).ConfigureAwait(false);
    }

    private static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "no output";
}
