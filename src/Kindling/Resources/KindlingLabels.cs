namespace Kindling.Resources;

/// <summary>Labels Kindling puts on every object it owns.</summary>
public static class KindlingLabels
{
    /// <summary>
    /// The inventory label: every object <c>up</c> applies carries it with the environment name as value, so
    /// <c>up</c> can prune what is no longer rendered and <c>down</c> can find everything it created.
    /// </summary>
    public const string Inventory = "kindling.dev/inventory";

    /// <summary>
    /// The namespace of the environment that owns a cluster-scoped object (a StorageClass): the inventory label
    /// alone names an environment, and two environments of the same name may live in different namespaces.
    /// </summary>
    public const string Namespace = "kindling.dev/namespace";

    /// <summary>The field manager for server-side apply.</summary>
    public const string FieldManager = "kindling";

    /// <summary><c>app.kubernetes.io/managed-by</c> value.</summary>
    public const string ManagedBy = "kindling";
}
