using k8s.Models;
using Kindling.Configuration;

namespace Kindling.Resources;

/// <summary>The History Server's objects, present only when history is on (<see cref="HistoryLocations.Of"/>).</summary>
internal static class HistoryServerManifests
{
    public static IEnumerable<Manifest> Build(ManifestInputs inputs)
    {
        if (HistoryLocations.Of(inputs.Spec) is not { } history) yield break;
        yield return new(HistoryServerAccount.Build(inputs), ApplyPhase.Foundation);
        yield return new(HistoryServerConfig.Build(inputs, history), ApplyPhase.Foundation);
        yield return new(HistoryServerService.Build(inputs), ApplyPhase.Network);
        yield return new(HistoryServerDeployment.Build(inputs, history), ApplyPhase.Workload);
    }

    /// <summary>
    /// With history on, the Spark Role may read the History Server's REST API through the API server's service
    /// proxy (<c>services/proxy</c>, that one Service only), so code in a notebook can list finished applications
    /// the way <c>kindling apps --all</c> does.
    /// </summary>
    public static V1Role WithProxyRule(ManifestInputs inputs, V1Role role)
    {
        if (HistoryLocations.Of(inputs.Spec) is null) return role;
        role.Rules.Add(new V1PolicyRule
        {
            ApiGroups = [""],
            Resources = ["services/proxy"],
            ResourceNames = [HistoryServerNames.Of(inputs.Spec.Name)],
            Verbs = ["get"],
        });
        return role;
    }
}
