namespace Kindling.Configuration;

/// <summary>One EKS Kubernetes minor version and what depends on it.</summary>
/// <param name="Version">The minor version, e.g. <c>1.35</c>.</param>
/// <param name="EndOfStandardSupport">The day EKS standard support ends (UTC).</param>
/// <param name="EndOfExtendedSupport">The day EKS extended support ends; after it EKS no longer creates clusters with the version.</param>
/// <param name="ClusterAutoscalerVersion">
/// The Cluster Autoscaler release for this minor: the autoscaler's minor must equal the cluster's, since it
/// simulates the scheduler of exactly that Kubernetes release.
/// </param>
public sealed record EksVersion(string Version, DateOnly EndOfStandardSupport, DateOnly EndOfExtendedSupport, string ClusterAutoscalerVersion);

/// <summary>
/// The EKS Kubernetes versions Kindling knows, in one place: the default, validation of
/// <c>aws.kubernetesVersion</c>, and the Cluster Autoscaler image all read this table.
/// </summary>
/// <remarks>
/// Dates: the EKS release calendar (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html; 1.35 from
/// endoflife.date/amazon-eks, released on EKS 2026-01-28): 14 months of standard support after the EKS release,
/// then 12 months of extended support. Autoscaler releases: the newest <c>cluster-autoscaler-1.N.x</c> tag of
/// kubernetes/autoscaler (images at <c>registry.k8s.io/autoscaling/cluster-autoscaler</c>). Versions whose
/// extended support ended before this table was last updated (2026-11-27: 1.29, 1.30, 1.31) are left out, because
/// EKS no longer creates clusters with them. Add a row when EKS releases a version.
/// </remarks>
public static class EksVersions
{
    /// <summary>
    /// The default: the newest version in the table, in standard support until 2027-03-27. (1.34 is also in
    /// standard support, but only until 2026-12-02.)
    /// </summary>
    public const string Default = "1.35";

    /// <summary>Every known version, oldest first.</summary>
    public static IReadOnlyList<EksVersion> All { get; } =
    [
        new("1.32", new DateOnly(2026, 3, 23), new DateOnly(2027, 3, 23), "1.32.7"),
        new("1.33", new DateOnly(2026, 7, 29), new DateOnly(2027, 7, 29), "1.33.6"),
        new("1.34", new DateOnly(2026, 12, 2), new DateOnly(2027, 12, 2), "1.34.5"),
        new("1.35", new DateOnly(2027, 3, 27), new DateOnly(2028, 3, 27), "1.35.2"),
    ];

    /// <summary>Versions EKS has retired (end of extended support), with the date, for a precise error.</summary>
    private static readonly IReadOnlyDictionary<string, DateOnly> Retired = new Dictionary<string, DateOnly>(StringComparer.Ordinal)
    {
        ["1.29"] = new DateOnly(2026, 3, 23),
        ["1.30"] = new DateOnly(2026, 7, 23),
        ["1.31"] = new DateOnly(2026, 11, 26),
    };

    /// <summary>The row of a version, or null when Kindling does not know it.</summary>
    public static EksVersion? Find(string version) => All.FirstOrDefault(v => v.Version == version);

    /// <summary>The row of a version that passed validation.</summary>
    public static EksVersion Get(string version) =>
        Find(version) ?? throw new KindlingException($"EKS version {version} is not in Kindling's version table");

    /// <summary>The problem with a version, or null when it is in the table.</summary>
    public static string? Problem(string version)
    {
        if (Find(version) is not null) return null;
        var choices = string.Join(", ", All.Select(v => v.Version));
        return Retired.TryGetValue(version, out var ended)
            ? $"EKS {version} reached the end of extended support on {ended:yyyy-MM-dd} and can no longer be created; use one of {choices} (default {Default})"
            : $"'{version}' is not an EKS Kubernetes version Kindling knows; use one of {choices} (default {Default})";
    }
}
