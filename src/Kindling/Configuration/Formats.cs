using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Kindling.Configuration;

/// <summary>Syntax checks for the value formats kindling.yaml uses. Each returns null when fine, else the problem.</summary>
internal static partial class Formats
{
    /// <summary>RFC 1123 label, as Kubernetes requires for namespaces and most names.</summary>
    public static string? Dns1123Label(string value, int maxLength = 63)
    {
        if (value.Length == 0) return "must not be empty";
        if (value.Length > maxLength) return $"must be at most {maxLength} characters (is {value.Length})";
        return Dns1123LabelRegex().IsMatch(value)
            ? null
            : "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit";
    }

    /// <summary>RFC 1123 subdomain (StorageClass names).</summary>
    public static string? Dns1123Subdomain(string value) =>
        value.Length is > 0 and <= 253 && Dns1123SubdomainRegex().IsMatch(value)
            ? null
            : "must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.'";

    /// <summary>A Kubernetes quantity (<c>500m</c>, <c>2</c>, <c>4Gi</c>, <c>10G</c>) greater than zero.</summary>
    public static string? PositiveQuantity(string value)
    {
        var m = QuantityRegex().Match(value);
        if (!m.Success) return $"'{value}' is not a Kubernetes quantity; use e.g. 500m or 2 for cpu, 512Mi or 4Gi for memory";
        // TryParse: a number beyond decimal's range is "too large", not a crash.
        if (!decimal.TryParse(m.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount > MaxQuantityAmount)
            return $"'{value}' is too large";
        return amount > 0 ? null : "must be greater than zero";
    }

    /// <summary>Whether a quantity uses a memory-style suffix the user probably meant as bytes (<c>4G</c> vs <c>4Gi</c> is fine; <c>4g</c> is not).</summary>
    public static string? MemoryQuantity(string value)
    {
        var problem = PositiveQuantity(value);
        if (problem is not null)
        {
            return JvmMemoryRegex().IsMatch(value)
                ? $"'{value}' is a JVM memory string; Kubernetes memory is written like {JvmToKubernetesHint(value)}"
                : problem;
        }
        return value.EndsWith('m') ? $"'{value}' means milli-bytes; write Mi for mebibytes" : null;
    }

    /// <summary>A JVM memory string as Spark reads it (<c>512m</c>, <c>2g</c>, <c>1024k</c>, <c>1t</c>), at least 1 MiB.</summary>
    public static string? JvmMemory(string value)
    {
        var m = JvmMemoryRegex().Match(value);
        if (!m.Success) return $"'{value}' is not a JVM memory size; use a number with k, m, g or t, e.g. 512m or 2g";
        // Parsed and scaled without overflow: a number past long's range, or past 1 PiB, is refused, never wrapped.
        if (!long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount)) return $"'{value}' is too large";
        var unit = m.Groups[2].Value.ToLowerInvariant();
        var scale = unit switch { "k" or "kb" => -10, "m" or "mb" => 0, "g" or "gb" => 10, "t" or "tb" => 20, _ => -20 };
        if (scale > 0 && amount > MaxJvmMemoryMiB >> scale) return $"'{value}' is too large (at most {MaxJvmMemoryMiB >> 20}t)";
        var mib = scale >= 0 ? amount << scale : amount >> -scale;
        if (mib > MaxJvmMemoryMiB) return $"'{value}' is too large (at most {MaxJvmMemoryMiB >> 20}t)";
        return mib >= 1 ? null : "must be at least 1m";
    }

    /// <summary>1 PiB in MiB: far above any node, and low enough that Spark's overhead arithmetic cannot overflow.</summary>
    public const long MaxJvmMemoryMiB = 1L << 30;

    /// <summary>The largest quantity number accepted (before its suffix); Kubernetes keeps quantities in 64 bits.</summary>
    private const decimal MaxQuantityAmount = long.MaxValue;

    /// <summary>A Spark duration (<c>60s</c>, <c>5min</c>, <c>100ms</c>, <c>1h</c>).</summary>
    public static string? SparkDuration(string value) =>
        SparkDurationRegex().IsMatch(value) ? null : $"'{value}' is not a Spark duration; use e.g. 60s, 5min or 1h";

    /// <summary>An OCI image reference: <c>[registry[:port]/]path[:tag][@digest]</c>.</summary>
    public static string? ImageReference(string value) =>
        ImageRegex().IsMatch(value) && value.Length <= 255
            ? null
            : $"'{value}' is not an image reference; use e.g. registry.example.com/team/spark:3.5.5";

    /// <summary>A registry host with an optional port and path prefix (no tag).</summary>
    public static string? Registry(string value) =>
        RegistryRegex().IsMatch(value)
            ? null
            : $"'{value}' is not a registry; use a host with an optional port and path, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com";

    /// <summary>An image tag.</summary>
    public static string? ImageTag(string value) =>
        TagRegex().IsMatch(value) ? null : $"'{value}' is not an image tag: letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-'";

    /// <summary>An IPv4 CIDR block with the network address as its base (<c>10.0.0.0/16</c>).</summary>
    public static string? Ipv4Cidr(string value, out Ipv4Block block)
    {
        block = default;
        var slash = value.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(value[..slash], out var address) ||
            address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork ||
            !int.TryParse(value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32 ||
            value[..slash].Count(c => c == '.') != 3)
        {
            return $"'{value}' is not an IPv4 CIDR block; use e.g. 10.0.0.0/16";
        }
        var bytes = address.GetAddressBytes();
        var start = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        block = new Ipv4Block(start & mask, prefix);
        return (start & mask) == start ? null : $"'{value}' has host bits set; the block starts at {block}";
    }

    /// <summary>An absolute http or https URL.</summary>
    public static string? HttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? null
            : $"'{value}' is not an http(s) URL; use e.g. http://localhost:4566";

    private static string JvmToKubernetesHint(string value)
    {
        var m = JvmMemoryRegex().Match(value);
        var unit = m.Groups[2].Value.ToLowerInvariant() switch { "k" or "kb" => "Ki", "m" or "mb" => "Mi", "g" or "gb" => "Gi", "t" or "tb" => "Ti", _ => "" };
        return m.Groups[1].Value + unit;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123LabelRegex();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123SubdomainRegex();

    [GeneratedRegex(@"^\+?([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$")]
    private static partial Regex QuantityRegex();

    [GeneratedRegex("^([0-9]+)([kKmMgGtT][bB]?)?$")]
    private static partial Regex JvmMemoryRegex();

    [GeneratedRegex("^[0-9]+(us|ms|s|m|min|h|d)$")]
    private static partial Regex SparkDurationRegex();

    [GeneratedRegex(@"^(?:(?:[a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$")]
    private static partial Regex ImageRegex();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RegistryRegex();

    [GeneratedRegex(@"^[\w][\w.-]{0,127}$")]
    private static partial Regex TagRegex();
}

/// <summary>An IPv4 network block.</summary>
internal readonly record struct Ipv4Block(uint Start, int Prefix)
{
    public ulong Size => 1UL << (32 - Prefix);

    public ulong End => Start + Size - 1;

    public bool Contains(Ipv4Block other) => other.Start >= Start && other.End <= End;

    public bool Overlaps(Ipv4Block other) => Start <= other.End && other.Start <= End;

    public override string ToString() =>
        $"{Start >> 24}.{(Start >> 16) & 255}.{(Start >> 8) & 255}.{Start & 255}/{Prefix}";
}
