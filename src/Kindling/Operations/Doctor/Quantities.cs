using System.Globalization;
using k8s.Models;

namespace Kindling.Operations.Doctor;

/// <summary>Kubernetes quantities as numbers (cores, bytes) and back into short readable text.</summary>
internal static class Quantities
{
    private const decimal MiB = 1024m * 1024m;

    /// <summary>A quantity's value; null when it does not parse.</summary>
    public static decimal? TryParse(string? quantity)
    {
        if (string.IsNullOrWhiteSpace(quantity)) return null;
        try
        {
            return new ResourceQuantity(quantity).ToDecimal();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return null;
        }
    }

    public static decimal ParseCpu(string quantity) => TryParse(quantity) ?? 0;

    /// <summary>The value of <paramref name="key"/> in a resource map (allocatable, hard, used ...).</summary>
    public static decimal? Get(IDictionary<string, ResourceQuantity>? map, string key) =>
        map is not null && map.TryGetValue(key, out var q) ? q.ToDecimal() : null;

    /// <summary><c>1.5</c> or <c>250m</c>.</summary>
    public static string Cpu(decimal cores) =>
        decimal.Round(cores, 3) == decimal.Round(cores, 0) || cores >= 10
            ? decimal.Round(cores, 2).ToString("0.##", CultureInfo.InvariantCulture)
            : (cores * 1000).ToString("0", CultureInfo.InvariantCulture) + "m";

    /// <summary><c>2867Mi</c>, or <c>16Gi</c> for whole GiB: the exact figure, as Spark writes pod memory.</summary>
    public static string Memory(decimal bytes) =>
        bytes >= 1024 * MiB && bytes % (1024 * MiB) == 0
            ? (bytes / (1024 * MiB)).ToString("0", CultureInfo.InvariantCulture) + "Gi"
            : decimal.Ceiling(bytes / MiB).ToString("0", CultureInfo.InvariantCulture) + "Mi";

    /// <summary>A resource value in its natural unit: memory-like names as bytes, the rest as CPU or a count.</summary>
    public static string Show(string resource, decimal value) =>
        resource.EndsWith("memory", StringComparison.Ordinal) || resource.EndsWith("storage", StringComparison.Ordinal) ? Memory(value)
        : resource.EndsWith("cpu", StringComparison.Ordinal) ? Cpu(value)
        : value.ToString("0", CultureInfo.InvariantCulture);
}
