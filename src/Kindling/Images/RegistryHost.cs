using System.Text.RegularExpressions;

namespace Kindling.Images;

/// <summary>Registry hosts of image references, and Amazon ECR's host naming.</summary>
public static partial class RegistryHost
{
    /// <summary>
    /// The registry host of a reference, or null for Docker Hub. As in Docker's own parser, the first path
    /// component is a host only when it contains '.' or ':' or is <c>localhost</c>.
    /// </summary>
    public static string? Of(string reference)
    {
        var slash = reference.IndexOf('/');
        if (slash <= 0) return null;
        var first = reference[..slash];
        return first.Contains('.') || first.Contains(':') || first == "localhost" ? first : null;
    }

    /// <summary>Whether <paramref name="host"/> is an ECR private registry (<c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.amazonaws.com</c>).</summary>
    public static bool IsEcr(string host) => Ecr().IsMatch(host);

    /// <summary>The AWS region in an ECR host name, or null when it is not one.</summary>
    public static string? EcrRegion(string host)
    {
        var match = Ecr().Match(host);
        return match.Success ? match.Groups["region"].Value : null;
    }

    [GeneratedRegex(@"^[0-9]{12}\.dkr\.ecr(-fips)?\.(?<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?$")]
    private static partial Regex Ecr();
}
