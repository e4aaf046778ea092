using System.Collections.Concurrent;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// Installed CustomResourceDefinitions. A custom resource type (<see cref="ResourceType.Crd"/>) is absent from
/// discovery and answers 404 until its CRD is installed, like an API server without the operator.
/// </summary>
public sealed class CrdControl
{
    private readonly ConcurrentDictionary<string, bool> _installed = new(StringComparer.Ordinal);

    /// <summary>Installs the CRD <c>&lt;plural&gt;.&lt;group&gt;</c>, e.g. <c>podmonitors.monitoring.coreos.com</c>.</summary>
    public void Install(string name)
    {
        if (!ResourceCatalog.All.Any(t => t.Crd && $"{t.Plural}.{t.Group}" == name))
            throw new ArgumentException($"the fake has no schema for CRD {name}", nameof(name));
        _installed[name] = true;
    }

    internal bool Serves(ResourceType type) => !type.Crd || _installed.ContainsKey($"{type.Plural}.{type.Group}");
}
