namespace Kindling;

/// <summary>One file of the rendered environment.</summary>
/// <param name="RelativePath">Path under the output directory, with forward slashes (<c>k8s/00-namespace.yaml</c>).</param>
/// <param name="Content">Exact file content; rendering is deterministic, so equal input gives equal bytes.</param>
public sealed record RenderedFile(string RelativePath, string Content)
{
    /// <summary>Holds a secret: written readable by the owner only (0600).</summary>
    public bool Private { get; init; }
}
