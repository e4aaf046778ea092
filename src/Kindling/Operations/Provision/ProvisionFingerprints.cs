using Kindling.Configuration;
using Kindling.Images;
using Kindling.Resources;
using Kindling.Terraform;

namespace Kindling.Operations.Provision;

/// <summary>
/// Fingerprints of what each stage produces, as pure functions of what it is made from: a stage whose
/// fingerprint is unchanged would produce exactly what it produced last time. Each is a SHA-256 over rendered
/// files (<see cref="ImageTag.ContentHash"/>), so the order they are given in does not matter.
/// </summary>
public static class ProvisionFingerprints
{
    /// <summary>The Terraform module as <c>infra apply</c> writes it for <paramref name="spec"/>.</summary>
    public static string Infra(EnvironmentSpec spec) => ImageTag.ContentHash(TerraformModule.Render(spec));

    /// <summary>
    /// The images as built and delivered: the build context's hash, both references (which carry the tag and the
    /// registry), the platform, and where they are delivered to (a registry, or a laptop cluster by name).
    /// </summary>
    public static string Images(string contentHash, ResolvedImages images, string platform, string destination)
    {
        ArgumentNullException.ThrowIfNull(images);
        return Hash(("context-hash", contentHash), ("spark", images.Spark), ("jupyter", images.Jupyter), ("platform", platform), ("destination", destination));
    }

    /// <summary>
    /// The environment's objects as <c>up</c> applies them (rendered without the token, which is created once and
    /// never rewritten), and the cluster and namespace they go to.
    /// </summary>
    public static string Environment(IReadOnlyList<Manifest> manifests, string server, string ns) =>
        ImageTag.ContentHash(ManifestWriter.Render(manifests).Append(new RenderedFile("@target", $"{server}\n{ns}")));

    /// <summary>Every stage's fingerprint for <paramref name="environment"/> as it is configured now.</summary>
    /// <param name="environment">The environment (rendered, never contacted: no cluster is asked).</param>
    /// <param name="destination">Where images go: <c>registry</c>, or the laptop cluster's kind and name.</param>
    /// <param name="server">The API server the environment is applied to.</param>
    public static StageFingerprints Of(EnvironmentContext environment, string destination, string server)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var images = environment.Images;
        return new StageFingerprints(
            Infra(environment.Spec),
            environment.ImageTag,
            Images(ImageTag.ContentHash(environment.BuildContext), images, ImagePlatform.For(environment.Spec), destination),
            Environment(environment.Manifests(), server, environment.Namespace));
    }

    private static string Hash(params (string Name, string Value)[] parts) =>
        ImageTag.ContentHash(parts.Select(p => new RenderedFile(p.Name, p.Value)));
}

/// <summary>The fingerprints of one configuration.</summary>
/// <param name="Infra">The Terraform module.</param>
/// <param name="ImageTag">The tag both images get.</param>
/// <param name="Images">The images as built and delivered.</param>
/// <param name="Environment">The environment's objects on their cluster.</param>
public sealed record StageFingerprints(string Infra, string ImageTag, string Images, string Environment);
