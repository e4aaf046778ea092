namespace Kindling.Resources;

/// <summary>
/// Names of the notebook container's ports. The Spark ones reuse the names Spark gives its own driver pods
/// (<c>driver-rpc-port</c>, <c>blockmanager</c>, <c>spark-ui</c>), so tools that look for them find them.
/// Port names are IANA service names: at most 15 characters.
/// </summary>
internal static class NotebookPorts
{
    public const string Jupyter = "jupyter";
    public const string DriverRpc = "driver-rpc-port";
    public const string BlockManager = "blockmanager";
    public const string SparkUi = "spark-ui";
}
