using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Kindling.Configuration;

namespace Kindling.Images;

/// <summary>
/// The tag both images get. By default it is the Spark version plus a short hash of the build contexts, so a
/// tag names exactly one set of Dockerfiles: an unchanged context gives an unchanged tag and nothing is rebuilt.
/// </summary>
public static partial class ImageTag
{
    /// <summary>Hex digits of the content hash kept in the default tag.</summary>
    public const int ShortHashLength = 12;

    /// <summary>The image label that records the full content hash an image was built from.</summary>
    public const string ContentHashLabel = "dev.kindling.context-hash";

    /// <summary>
    /// <c>images.tag</c> when set, else <c>&lt;spark version&gt;-&lt;first 12 hex of the content hash&gt;</c>.
    /// </summary>
    /// <param name="spec">The environment.</param>
    /// <param name="buildContextFiles">Every file of both build contexts (the <c>images/</c> part of render).</param>
    /// <exception cref="InvalidInputException"><c>images.tag</c> is not a valid Docker tag.</exception>
    public static string Compute(EnvironmentSpec spec, IEnumerable<RenderedFile> buildContextFiles)
    {
        if (spec.Images.Tag is { } explicitTag) return Validate(explicitTag, "images.tag");
        return Validate($"{spec.Spark.Version}-{ContentHash(buildContextFiles)[..ShortHashLength]}", "spark.version");
    }

    /// <summary>
    /// SHA-256 (lowercase hex) over the files' paths and contents, in ordinal path order so the order the files
    /// are given in does not matter. Each path and content is length-prefixed, so moving text between a path and
    /// a content, or between two files, always changes the hash.
    /// </summary>
    public static string ContentHash(IEnumerable<RenderedFile> buildContextFiles)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[8];
        foreach (var file in buildContextFiles.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            foreach (var part in new[] { file.RelativePath, file.Content.Replace("\r\n", "\n") })
            {
                var bytes = Encoding.UTF8.GetBytes(part);
                BinaryPrimitives.WriteInt64BigEndian(length, bytes.LongLength);
                hash.AppendData(length);
                hash.AppendData(bytes);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Checks Docker's tag grammar: up to 128 of <c>[A-Za-z0-9_.-]</c>, not starting with '.' or '-'.</summary>
    /// <exception cref="InvalidInputException">It is not a valid tag; <paramref name="path"/> names where it came from.</exception>
    public static string Validate(string tag, string path) =>
        TagGrammar().IsMatch(tag)
            ? tag
            : throw new InvalidInputException(path,
                $"'{tag}' is not a valid image tag (up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-')");

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagGrammar();
}
