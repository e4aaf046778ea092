using System.Security.Cryptography;

namespace Kindling.Spark;

/// <summary>
/// The random and time-derived identifiers one submission needs. Generated once, up front, so that every
/// object built from them is a pure function of the inputs and golden files can pin them down.
/// </summary>
/// <param name="AppId"><c>spark.app.id</c>: <c>spark-</c> + a UUID without dashes (<c>KubernetesConf.getKubernetesAppId</c>).</param>
/// <param name="PrefixId">The unique id in the resource prefix <c>&lt;appName&gt;-&lt;id&gt;</c>.</param>
/// <param name="ConfigMapId">The unique id in <c>spark-drv-&lt;id&gt;-conf-map</c> (<c>KubernetesClientUtils.configMapNameDriver</c>).</param>
/// <param name="ServiceId">The unique id of the fallback Service name <c>spark-&lt;id&gt;-driver-svc</c>.</param>
/// <param name="LocalDirId">The UUID of the default local dir <c>/var/data/spark-&lt;uuid&gt;</c> (<c>LocalDirsFeatureStep</c>).</param>
/// <param name="UploadId">The UUID of the upload directory <c>spark-upload-&lt;uuid&gt;</c> (<c>KubernetesUtils.uploadFileUri</c>).</param>
public sealed record SparkIds(string AppId, string PrefixId, string ConfigMapId, string ServiceId, string LocalDirId, string UploadId)
{
    /// <summary>
    /// The UUID of the <paramref name="index"/>-th uploaded file's directory. Spark draws a fresh random UUID per
    /// file; these are derived from <see cref="UploadId"/> (itself random) so the whole submission stays a pure
    /// function of its ids, and are version-4 UUIDs like Spark's.
    /// </summary>
    public string UploadDir(int index)
    {
        if (index == 0) return UploadId;
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{UploadId}/{index}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return Convert.ToHexStringLower(bytes) is var h ? $"{h[..8]}-{h[8..12]}-{h[12..16]}-{h[16..20]}-{h[20..]}" : "";
    }
}

/// <summary>Creates <see cref="SparkIds"/> from an injected clock and random source.</summary>
public sealed class SparkIdGenerator(TimeProvider time, Action<Span<byte>> fillRandom)
{
    /// <summary>The production generator: system clock and a cryptographic RNG, as Spark uses SecureRandom.</summary>
    public static SparkIdGenerator System { get; } = new(TimeProvider.System, RandomNumberGenerator.Fill);

    /// <summary>A generator for tests and golden files: fixed clock, seeded pseudo-random bytes.</summary>
    public static SparkIdGenerator Deterministic(TimeProvider time, int seed)
    {
        var random = new Random(seed);
        return new SparkIdGenerator(time, random.NextBytes);
    }

    /// <summary>Generates the identifiers of one submission.</summary>
    public SparkIds Next() => new(
        "spark-" + NewUuid().ToString("N"),
        UniqueId(),
        UniqueId(),
        UniqueId(),
        NewUuid().ToString("D"),
        NewUuid().ToString("D"));

    /// <summary>
    /// Spark's <c>KubernetesUtils.uniqueID</c>: 3 random bytes as 6 hex characters, then the low 40 bits of
    /// the current epoch milliseconds in hex without padding (<c>java.lang.Long.toHexString</c>).
    /// </summary>
    public string UniqueId()
    {
        Span<byte> random = stackalloc byte[3];
        fillRandom(random);
        var millis = time.GetUtcNow().ToUnixTimeMilliseconds() & 0xFFFFFFFFFFL;
        return Convert.ToHexStringLower(random) + millis.ToString("x", global::System.Globalization.CultureInfo.InvariantCulture);
    }

    private Guid NewUuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        fillRandom(bytes);
        // RFC 4122 version 4 and variant bits, as java.util.UUID.randomUUID sets them.
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
