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
/// Composes every renderer into one environment. It is the single place that decides how the parts feed each
/// other (build context → tag → image references → manifests), so render, up, images and submit all agree.
/// Pure: the token and local state are inputs.
/// </summary>
public static class EnvironmentRenderer
{
    /// <summary>Renders the environment for <paramref name="spec"/>.</summary>
    public static RenderedEnvironment Render(EnvironmentSpec spec, LocalState state, string jupyterToken)
    {
        var notebookFiles = NotebookFiles.Render(spec);
        var dockerfiles = DockerfileSet.Render(spec);
        var tag = ImageTag.Compute(spec, ImageBuildContext.Select(dockerfiles.Concat(notebookFiles)));
        var images = ImageResolver.Resolve(spec, state, tag);
        var manifests = EnvironmentManifests.Build(new ManifestInputs(spec, images, jupyterToken) { SparkRoleArn = state.Terraform?.SparkRoleArn, HistoryRoleArn = state.Terraform?.HistoryRoleArn, OnKindlingEks = KindlingEks.RunsOn(spec, state) });
        var files = ManifestWriter.Render(manifests)
            .Concat(TerraformModule.Render(spec))
            .Concat(dockerfiles)
            .Concat(notebookFiles)
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
            .ToList();
        return new RenderedEnvironment(files, manifests, images, tag);
    }
}
