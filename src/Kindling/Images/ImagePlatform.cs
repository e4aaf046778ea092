using System.Text.RegularExpressions;
using Kindling.Configuration;

namespace Kindling.Images;

/// <summary>
/// The platform the images are built for: the CPU architecture of the nodes that run them. An image built on an
/// Apple Silicon laptop is arm64 by default and fails on x86 nodes with "exec format error" (and the reverse), so
/// <c>images build</c> always passes <c>--platform</c>; the apache/spark base images are multi-arch (amd64, arm64).
/// </summary>
public static partial class ImagePlatform
{
    /// <summary>x86-64 nodes (Intel and AMD instance types).</summary>
    public const string Amd64 = "linux/amd64";

    /// <summary>AWS Graviton nodes.</summary>
    public const string Arm64 = "linux/arm64";

    /// <summary>Every platform Kindling builds for.</summary>
    public static IReadOnlyList<string> All { get; } = [Amd64, Arm64];

    /// <summary>The platform a value of <c>images.platform</c> names, or null when it names none Kindling builds for.</summary>
    public static string? Parse(string value) => All.FirstOrDefault(p => p == value);

    /// <summary><c>images.platform</c>, or the platform of <c>aws.nodeInstanceType</c>.</summary>
    public static string For(EnvironmentSpec spec) => spec.Images.Platform ?? ForInstanceType(spec.Aws.NodeInstanceType);

    /// <summary>
    /// The architecture of an EC2 instance type, from its name. The AWS naming convention ("Amazon EC2 instance type
    /// naming conventions", EC2 Instance Types guide) is <c>&lt;series&gt;&lt;generation&gt;&lt;options&gt;.&lt;size&gt;</c>, where the
    /// processor option <c>g</c> means AWS Graviton (m7g, c7gn, r8g, t4g, x2gd, im4gn, is4gen, g5g, hpc7g), <c>a</c> AMD
    /// and <c>i</c> Intel; the first Graviton family, A1, predates the option letter. Everything else is x86-64.
    /// </summary>
    public static string ForInstanceType(string instanceType)
    {
        var match = InstanceTypeName().Match(instanceType);
        if (!match.Success) return Amd64;
        var series = match.Groups["series"].Value;
        var options = match.Groups["options"].Value;
        return series == "a" || options.Contains('g', StringComparison.Ordinal) ? Arm64 : Amd64;
    }

    /// <summary>The Docker architecture name (<c>amd64</c>, <c>arm64</c>) of a platform, as nodes report it.</summary>
    public static string Architecture(string platform) => platform[(platform.IndexOf('/', StringComparison.Ordinal) + 1)..];

    // "c7gn.2xlarge" -> series c, generation 7, options gn; "c7i-flex.large" -> options i-flex.
    [GeneratedRegex(@"^(?<series>[a-z]+)(?<generation>[0-9]+)(?<options>[a-z-]*)\.[a-z0-9-]+$")]
    private static partial Regex InstanceTypeName();
}
