namespace Kindling.Resources;

/// <summary>Names and labels of the History Server's objects.</summary>
public static class HistoryServerNames
{
    /// <summary><c>app.kubernetes.io/name</c> of the History Server's objects.</summary>
    public const string App = "spark-history-server";

    /// <summary><c>app.kubernetes.io/component</c> of the History Server's objects.</summary>
    public const string Component = "history";

    /// <summary>The container's name.</summary>
    public const string ContainerName = "history-server";

    /// <summary>The port's name on the container and the Service.</summary>
    public const string PortName = "http";

    /// <summary>Deployment, Service, ConfigMap and ServiceAccount share this name.</summary>
    public static string Of(string environmentName) => $"{environmentName}-history";

    /// <summary>The pod selector: only labels that never change for the life of an environment.</summary>
    public static SortedDictionary<string, string> Selector(string environmentName) =>
        StandardLabels.Selector(environmentName, App, Component);

    /// <summary>Pod labels; like the notebook's, without the inventory label, since pods are not applied objects.</summary>
    public static SortedDictionary<string, string> PodLabels(string environmentName) =>
        StandardLabels.PodTemplate(environmentName, App, Component);
}
