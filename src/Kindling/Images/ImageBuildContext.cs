using Kindling.Configuration;
using Kindling.Spark.Notebook;

namespace Kindling.Images;

/// <summary>
/// Every file of the two image build contexts, exactly as render writes them under <c>images/</c>: the
/// Dockerfiles and build args, and the notebook start-up file the Jupyter Dockerfile copies. <c>images build</c>
/// writes and hashes this list, so render's <c>images/</c> and the built images always agree on the tag.
/// </summary>
public static class ImageBuildContext
{
    /// <summary>The build-context files for <paramref name="spec"/>, sorted by path.</summary>
    public static IReadOnlyList<RenderedFile> Render(EnvironmentSpec spec) =>
        Select([.. DockerfileSet.Render(spec), .. NotebookFiles.Render(spec)]);

    /// <summary>The build-context files among a whole render's files (those under <c>images/</c>), sorted by path.</summary>
    public static IReadOnlyList<RenderedFile> Select(IEnumerable<RenderedFile> rendered) =>
        rendered.Where(f => f.RelativePath.StartsWith(DockerfileSet.Root + "/", StringComparison.Ordinal))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
            .ToList();
}
