using System.Globalization;

namespace Kindling.Spark;

/// <summary>
/// JVM memory strings as Spark reads them (<c>JavaUtils.byteStringAs</c>) and the pod memory Spark derives
/// from them.
/// </summary>
public static class SparkMemory
{
    /// <summary>The floor of the memory overhead (<c>ResourceProfile.MEMORY_OVERHEAD_MIN_MIB</c>).</summary>
    public const long MinimumOverheadMiB = 384;

    /// <summary>Default overhead factor for JVM applications (<c>spark.kubernetes.memoryOverheadFactor</c> default).</summary>
    public const double JvmOverheadFactor = 0.1;

    /// <summary>Default overhead factor for Python applications (<c>NON_JVM_MEMORY_OVERHEAD_FACTOR</c>): the Python workers live outside the heap.</summary>
    public const double NonJvmOverheadFactor = 0.4;

    /// <summary>
    /// Parses a memory string into MiB, as <c>spark.driver.memory</c> and <c>spark.executor.memory</c> are
    /// read (<c>bytesConf(ByteUnit.MiB)</c>): an integer with an optional case-insensitive unit
    /// <c>b, k, kb, m, mb, g, gb, t, tb, p, pb</c> (binary multiples). A number without a unit is already in
    /// MiB, as in Spark. Conversion to MiB rounds down, as <c>ByteUnit.convertTo</c> does.
    /// </summary>
    /// <param name="value">The memory string, e.g. <c>512m</c>, <c>2g</c>, <c>1024k</c>, <c>1t</c>.</param>
    /// <param name="path">Where the value came from, for the error (<c>--executor-memory</c>).</param>
    /// <exception cref="InvalidInputException">The value does not parse, is fractional, or is below 1 MiB.</exception>
    public static long ParseMiB(string value, string path)
    {
        var text = value.Trim().ToLowerInvariant();
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits])) digits++;
        var unit = text[digits..];
        if (digits == 0 || !TryUnitShift(unit, out var shift))
        {
            var hint = unit.StartsWith('.') ? "fractional values are not supported (Spark rejects them); use e.g. 1536m instead of 1.5g"
                : "expected a whole number with an optional unit: 512m, 2g, 1024k, 1t";
            throw new InvalidInputException(path, $"'{value}' is not a memory size: {hint}");
        }
        if (!long.TryParse(text[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            throw new InvalidInputException(path, $"'{value}' is too large");
        // shift is the unit's power of 1024 relative to MiB; negative for bytes and KiB.
        long mib;
        if (shift >= 0)
        {
            var factor = 1L << (10 * shift);
            if (number > long.MaxValue / factor) throw new InvalidInputException(path, $"'{value}' is too large");
            mib = number * factor;
        }
        else
        {
            mib = number >> (-10 * shift);
        }
        if (mib < 1) throw new InvalidInputException(path, $"'{value}' is less than 1 MiB; a JVM cannot start with it");
        // The overhead is added to it in 64 bits; 1 PiB is far above any node and keeps that from overflowing.
        if (mib > Configuration.Formats.MaxJvmMemoryMiB) throw new InvalidInputException(path, $"'{value}' is too large (at most 1024t)");
        return mib;
    }

    /// <summary>
    /// The memory overhead Spark adds to the pod: <paramref name="explicitOverheadMiB"/> when set
    /// (<c>spark.driver.memoryOverhead</c> / <c>spark.executor.memoryOverhead</c>), otherwise
    /// <c>max((int)(factor × memory), 384)</c> (<c>BasicDriverFeatureStep</c>).
    /// </summary>
    public static long OverheadMiB(long memoryMiB, double factor, long? explicitOverheadMiB = null, long minimumOverheadMiB = MinimumOverheadMiB) =>
        explicitOverheadMiB ?? Math.Max((long)(factor * memoryMiB), minimumOverheadMiB);

    /// <summary>A Kubernetes quantity for a MiB count, as Spark writes it (<c>896Mi</c>).</summary>
    public static string Quantity(long mib) => mib.ToString(CultureInfo.InvariantCulture) + "Mi";

    private static bool TryUnitShift(string unit, out int shift)
    {
        shift = unit switch
        {
            "b" => -2,
            "k" or "kb" => -1,
            "" or "m" or "mb" => 0,
            "g" or "gb" => 1,
            "t" or "tb" => 2,
            "p" or "pb" => 3,
            _ => int.MinValue,
        };
        return shift != int.MinValue;
    }
}
