namespace Kindling.Resources;

/// <summary>
/// Names of the notebook container's own ports. The Spark driver ports reuse the names Spark gives its driver pods
/// (<see cref="Kindling.Spark.SparkConventions.DriverPortName"/> ...), so tools that look for them find them.
/// Port names are IANA service names: at most 15 characters.
/// </summary>
internal static class NotebookPorts
{
    public const string Jupyter = "jupyter";
}
