using Kindling.Configuration;
using Kindling.Images;
using Kindling.Resources;
using Kindling.Spark.Notebook;
using Kindling.Terraform;

namespace Kindling.Operations;

/// <summary>The whole environment for a spec: every file, the Kubernetes objects and the images they use.</summary>
/// <param name="Files">Every rendered file: k8s/, terraform/, images/, notebooks/.</param>
/// <param name="Manifests">The Kubernetes objects in apply order (the same ones k8s/ holds).</param>
/// <param name="Images">The image references the objects use, and where they came from.</param>
/// <param name="ImageTag">The tag images are built and pushed with.</param>
public sealed record RenderedEnvironment(
    IReadOnlyList<RenderedFile> Files,
    IReadOnlyList<Manifest> Manifests,
    ResolvedImages Images,
    string ImageTag)
{
    /// <summary>The image build contexts (everything under <c>images/</c>).</summary>
    public IEnumerable<RenderedFile> BuildContext => ImageBuildContext.Select(Files);
}

/// <summary>
/// Composes every renderer into one environment: build context → tag → image references → manifests → files.
/// Pure: the token and local state are inputs. <see cref="EnvironmentContext"/> is its one caller in the
/// product, so render, up, images and submit all see the same images and objects.
/// </summary>
public static class EnvironmentRenderer
{
    /// <summary>Renders the environment for <paramref name="spec"/>, deciding the tag and images from it and <paramref name="state"/>.</summary>
    public static RenderedEnvironment Render(EnvironmentSpec spec, LocalState state, string jupyterToken)
    {
        var tag = ImageTag.Compute(spec, ImageBuildContext.Render(spec));
        var images = ImageResolver.Resolve(spec, state, tag);
        return Render(spec, images, tag, Manifests(spec, images, jupyterToken, state, KindlingEks.RunsOn(spec, state)));
    }

    /// <summary>The Kubernetes objects of the environment, in apply order.</summary>
    /// <param name="spec">The environment.</param>
    /// <param name="images">The image references.</param>
    /// <param name="jupyterToken">The Secret's content.</param>
    /// <param name="state">Local state (the IRSA role of the Spark ServiceAccount).</param>
    /// <param name="onKindlingEks">Whether it runs on Kindling's EKS (<see cref="KindlingEks.RunsOn"/>).</param>
    /// <param name="storeCredentials">The object store's credentials for its create-only Secret; null renders it without data.</param>
    public static IReadOnlyList<Manifest> Manifests(EnvironmentSpec spec, ResolvedImages images, string jupyterToken, LocalState state, bool onKindlingEks, ObjectStoreCredentials? storeCredentials = null) =>
        EnvironmentManifests.Build(new ManifestInputs(spec, images, jupyterToken) { SparkRoleArn = state.Terraform?.SparkRoleArn, HistoryRoleArn = state.Terraform?.HistoryRoleArn, ClusterAutoscalerRoleArn = state.Terraform?.ClusterAutoscalerRoleArn, OnKindlingEks = onKindlingEks, StoreCredentials = storeCredentials });

    /// <summary>Every file of the environment around already-built <paramref name="manifests"/>.</summary>
    public static RenderedEnvironment Render(EnvironmentSpec spec, ResolvedImages images, string tag, IReadOnlyList<Manifest> manifests)
    {
        var files = ManifestWriter.Render(manifests)
            .Concat(TerraformModule.Render(spec))
            .Concat(DockerfileSet.Render(spec))
            .Concat(NotebookFiles.Render(spec))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
            .ToList();
        return new RenderedEnvironment(files, manifests, images, tag);
    }
}
