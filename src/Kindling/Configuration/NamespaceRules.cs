namespace Kindling.Configuration;

/// <summary>Which namespaces an environment may use, from <c>kindling.yaml</c> or <c>-n/--namespace</c>.</summary>
public static class NamespaceRules
{
    /// <summary>What is wrong with <paramref name="name"/> as the environment's namespace, or null.</summary>
    /// <remarks>
    /// Kubernetes reserves the <c>kube-</c> prefix for its own system namespaces (kubernetes.io, "Namespaces":
    /// "Avoid creating namespaces with the prefix kube-"); kube-system, kube-public and kube-node-lease hold the
    /// control plane's objects, which an environment must never share or delete.
    /// </remarks>
    public static string? Problem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Formats.Dns1123Label(name) is { } format) return format;
        return name.StartsWith("kube-", StringComparison.Ordinal)
            ? $"'{name}' is reserved for Kubernetes' own system namespaces; use a namespace of the environment's own, e.g. kindling"
            : null;
    }
}
