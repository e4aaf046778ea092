using Kindling.Configuration;

namespace Kindling.Images;

/// <summary>Every file of the two image build contexts, as <c>kindling images build</c> writes and hashes them.</summary>
public static class ImageBuildContext
{
    /// <summary>
    /// The Dockerfiles and build args. The Jupyter context also needs <see cref="DockerfileSet.NotebookStartupFile"/>,
    /// which the notebook rendering produces; render's pipeline adds it here so the hash covers it.
    /// </summary>
    public static IReadOnlyList<RenderedFile> Render(EnvironmentSpec spec) => DockerfileSet.Render(spec);
}
