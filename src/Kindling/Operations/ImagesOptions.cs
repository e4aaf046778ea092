namespace Kindling.Operations;

/// <summary>Options of <c>kindling images build</c> and <c>kindling images push</c>.</summary>
public sealed record ImagesOptions
{
    /// <summary>A tag that overrides <c>images.tag</c> and the content-hash tag (<c>--tag</c>).</summary>
    public string? Tag { get; init; }
}
