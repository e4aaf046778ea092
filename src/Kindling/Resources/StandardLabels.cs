using k8s.Models;

namespace Kindling.Resources;

/// <summary>
/// The labels and metadata every Kindling object carries: the <c>app.kubernetes.io/*</c> recommended labels plus
/// the inventory label that <c>up</c> prunes by and <c>down</c> deletes by.
/// </summary>
internal static class StandardLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    /// <summary><c>app.kubernetes.io/name</c> of the objects that make up the notebook server.</summary>
    public const string JupyterApp = "jupyter";

    /// <summary><c>app.kubernetes.io/name</c> of the Spark identity objects (ServiceAccount, Role, RoleBinding).</summary>
    public const string SparkApp = "spark";

    /// <summary><c>app.kubernetes.io/component</c> of the notebook pod (the Jupyter server and client-mode driver).</summary>
    public const string NotebookComponent = "notebook";

    /// <summary>Labels of a top-level object, sorted so serialization is deterministic.</summary>
    public static SortedDictionary<string, string> For(string environmentName, string app, string component) =>
        new(StringComparer.Ordinal)
        {
            [Name] = app,
            [Instance] = environmentName,
            [Component] = component,
            [PartOf] = "kindling",
            [ManagedBy] = KindlingLabels.ManagedBy,
            [KindlingLabels.Inventory] = environmentName,
        };

    /// <summary>
    /// The notebook pod's selector. It is the Deployment's immutable <c>spec.selector</c>, so it holds only labels
    /// that never change for the life of an environment. Executor pods Spark creates carry none of these
    /// (they are labelled <c>spark-role=executor</c>, <c>spark-app-selector</c> ...), so the headless driver
    /// Service and the NetworkPolicy select the notebook pod alone.
    /// </summary>
    public static SortedDictionary<string, string> NotebookSelector(string environmentName) =>
        Selector(environmentName, JupyterApp, NotebookComponent);

    /// <summary>A workload's pod selector: only labels that never change for the life of an environment.</summary>
    public static SortedDictionary<string, string> Selector(string environmentName, string app, string component) =>
        new(StringComparer.Ordinal)
        {
            [Name] = app,
            [Instance] = environmentName,
            [Component] = component,
        };

    /// <summary>
    /// Labels of the notebook pod template: the selector plus part-of/managed-by. The inventory label is left off
    /// on purpose: pods and ReplicaSets are owned by the Deployment, and carrying the inventory label would make
    /// them look like applied objects to pruning, which must only ever delete what it applied.
    /// </summary>
    public static SortedDictionary<string, string> NotebookPod(string environmentName) =>
        PodTemplate(environmentName, JupyterApp, NotebookComponent);

    /// <summary>A workload's pod template labels: its selector plus part-of/managed-by, never the inventory label.</summary>
    public static SortedDictionary<string, string> PodTemplate(string environmentName, string app, string component)
    {
        var labels = Selector(environmentName, app, component);
        labels[PartOf] = "kindling";
        labels[ManagedBy] = KindlingLabels.ManagedBy;
        return labels;
    }

    /// <summary>Metadata of a namespaced object.</summary>
    public static V1ObjectMeta Metadata(ManifestInputs inputs, string name, string app, string component) => new()
    {
        Name = name,
        NamespaceProperty = inputs.Spec.Namespace,
        Labels = For(inputs.Spec.Name, app, component),
    };
}
