namespace Kindling.Spark.Images;

/// <summary>
/// pandas, pyarrow and numpy for one Spark line, installed in the Spark image (and so in the Jupyter image built
/// FROM it), so <c>toPandas()</c>, Arrow and pandas UDFs work and executors run the notebook's exact versions.
/// </summary>
/// <param name="MinimumPandas">PySpark's declared minimum (<c>_minimum_pandas_version</c> in python/setup.py).</param>
/// <param name="MinimumPyarrow">PySpark's declared minimum (<c>_minimum_pyarrow_version</c>).</param>
/// <param name="Pandas">The pinned pandas.</param>
/// <param name="Pyarrow">The pinned pyarrow.</param>
/// <param name="Numpy">The pinned numpy.</param>
public sealed record PythonLibraries(string MinimumPandas, string MinimumPyarrow, string Pandas, string Pyarrow, string Numpy)
{
    // Spark 3.5 declares pandas >= 1.0.5 and pyarrow >= 4.0.0 and was tested up to pandas 2.0.x and pyarrow 12
    // (the Arrow Java it ships is 12.0.1); numpy 2 is supported only from Spark 4.0, so numpy stays 1.x.
    // Every pin has manylinux wheels for CPython 3.8 and 3.10 on x86_64 and aarch64.
    internal static readonly PythonLibraries Spark35 = new("1.0.5", "4.0.0", "2.0.3", "12.0.1", "1.24.4");

    // Spark 4.0 and 4.1 declare pandas >= 2.0.0, numpy >= 1.21 and pyarrow >= 10.0.0 / 11.0.0.
    internal static readonly PythonLibraries Spark4 = new("2.0.0", "11.0.0", "2.2.3", "18.1.0", "1.26.4");

    /// <summary>The pip requirement lines, e.g. <c>pandas==2.0.3</c>.</summary>
    public IReadOnlyList<string> Requirements => [$"numpy=={Numpy}", $"pandas=={Pandas}", $"pyarrow=={Pyarrow}"];

    /// <summary>Package names Kindling pins; kindling.yaml's <c>spark.pythonPackages</c> must not list them again.</summary>
    public static IReadOnlyList<string> PinnedNames { get; } = ["numpy", "pandas", "pyarrow", "pyspark"];
}
