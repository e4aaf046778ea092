using System.Globalization;

namespace Kindling.Spark;

/// <summary>The memory and CPU one pod asks Kubernetes for.</summary>
/// <param name="MemoryMiB">The JVM heap (<c>spark.*.memory</c>).</param>
/// <param name="OverheadMiB">The overhead Spark adds for off-heap, Python workers and the OS.</param>
/// <param name="Cpu">The CPU request, a Kubernetes quantity.</param>
/// <param name="CpuLimit">The CPU limit, when one is set.</param>
public sealed record SparkPodSize(long MemoryMiB, long OverheadMiB, string Cpu, string? CpuLimit)
{
    /// <summary>What the pod requests and is limited to: heap + overhead.</summary>
    public long PodMemoryMiB => MemoryMiB + OverheadMiB;

    /// <summary><c>512m heap + 384Mi overhead = 896Mi, cpu 1</c>.</summary>
    public override string ToString() =>
        $"{MemoryMiB}Mi heap + {OverheadMiB}Mi overhead = {SparkMemory.Quantity(PodMemoryMiB)}, cpu {Cpu}" +
        (CpuLimit is null ? "" : $" (limit {CpuLimit})");
}

/// <summary>The effective sizes of a submission, shown before anything is created.</summary>
/// <param name="Driver">The driver pod.</param>
/// <param name="Executor">Each executor pod.</param>
/// <param name="Executors">How many executors are requested.</param>
/// <param name="OverheadFactor">The default memory overhead factor in force (0.1 JVM, 0.4 Python unless set).</param>
public sealed record SparkPodSizes(SparkPodSize Driver, SparkPodSize Executor, int Executors, double OverheadFactor)
{
    /// <summary>Resolves sizes from the merged conf, as BasicDriverFeatureStep and BasicExecutorFeatureStep do.</summary>
    /// <param name="conf">The resolved conf.</param>
    /// <param name="isPython">Whether the application is a Python one.</param>
    /// <param name="sparkMajorVersion">
    /// Spark's major version: from Spark 4 (SPARK-47208) the 384 MiB floor is <c>spark.{driver,executor}.minMemoryOverhead</c>.
    /// </param>
    internal static SparkPodSizes Resolve(IReadOnlyDictionary<string, string> conf, bool isPython, int sparkMajorVersion = 3)
    {
        string? Get(string key) => conf.TryGetValue(key, out var v) ? v : null;
        double? Factor(string key) => Get(key) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : null;

        // spark.kubernetes.memoryOverheadFactor, else 0.4 for non-JVM resources and 0.1 otherwise; the
        // per-role factors (Spark 3.3+) win over it.
        var defaultFactor = Factor(SparkConfKeys.MemoryOverheadFactor)
                            ?? (isPython ? SparkMemory.NonJvmOverheadFactor : SparkMemory.JvmOverheadFactor);

        long MinOverhead(string key) => sparkMajorVersion >= 4 && Get(key) is { } min
            ? SparkMemory.ParseMiB(min, $"--conf {key}")
            : SparkMemory.MinimumOverheadMiB;

        var driverMemory = SparkMemory.ParseMiB(Get(SparkConfKeys.DriverMemory)!, $"--conf {SparkConfKeys.DriverMemory}");
        var driverOverhead = SparkMemory.OverheadMiB(driverMemory,
            Factor(SparkConfKeys.DriverMemoryOverheadFactor) ?? defaultFactor,
            Get(SparkConfKeys.DriverMemoryOverhead) is { } d ? SparkMemory.ParseMiB(d, $"--conf {SparkConfKeys.DriverMemoryOverhead}") : null,
            MinOverhead(SparkConfKeys.DriverMinMemoryOverhead));
        var executorMemory = SparkMemory.ParseMiB(Get(SparkConfKeys.ExecutorMemory)!, $"--conf {SparkConfKeys.ExecutorMemory}");
        var executorOverhead = SparkMemory.OverheadMiB(executorMemory,
            Factor(SparkConfKeys.ExecutorMemoryOverheadFactor) ?? defaultFactor,
            Get(SparkConfKeys.ExecutorMemoryOverhead) is { } e ? SparkMemory.ParseMiB(e, $"--conf {SparkConfKeys.ExecutorMemoryOverhead}") : null,
            MinOverhead(SparkConfKeys.ExecutorMinMemoryOverhead));

        return new SparkPodSizes(
            new SparkPodSize(driverMemory, driverOverhead,
                Get(SparkConfKeys.DriverRequestCores) ?? Get(SparkConfKeys.DriverCores)!, Get(SparkConfKeys.DriverLimitCores)),
            new SparkPodSize(executorMemory, executorOverhead,
                Get(SparkConfKeys.ExecutorRequestCores) ?? Get(SparkConfKeys.ExecutorCores)!, null),
            int.Parse(Get(SparkConfKeys.ExecutorInstances)!, CultureInfo.InvariantCulture),
            defaultFactor);
    }
}
