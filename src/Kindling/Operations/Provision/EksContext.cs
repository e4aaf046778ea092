using Kindling.Cluster;
using Kindling.Configuration;

namespace Kindling.Operations.Provision;

/// <summary>
/// Points an environment at Kindling's own EKS cluster when this config provisioned one: <c>up --provision</c>
/// reaches EKS, and <c>down --destroy</c> takes the environment down there, whatever context happens to be current
/// (a laptop cluster holding an environment of the same name must not be the one emptied before EKS is destroyed).
/// </summary>
internal static class EksContext
{
    /// <summary>
    /// Whether the kubeconfig holds the EKS cluster's context (read, not contacted: opening a connection would run
    /// its credential plugin). When it does and no <c>--context</c> was given, the environment's connection switches
    /// to it.
    /// </summary>
    /// <param name="environment">The environment whose connection may switch.</param>
    /// <param name="kubeconfigPath"><c>--kubeconfig</c>, or null for KUBECONFIG / ~/.kube/config.</param>
    public static bool Use(EnvironmentContext environment, string? kubeconfigPath)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.State.Terraform is not { } outputs) return false;
        var entry = EksKubeconfigEntry.From(outputs, environment.Spec);
        var settings = new KubeConnectionOptions { KubeconfigPath = kubeconfigPath, Context = entry.Name, Time = environment.Time };
        if (KubeconfigPeek.Read(settings) is not var (_, server) || !KindlingEks.RunsOn(environment.Spec, environment.State, server)) return false;
        var requested = environment.ConnectionSettings;
        if (requested?.Context is null && environment.Connection.Target.Context != entry.Name)
            environment.Reconnect((requested ?? new KubeConnectionOptions()) with { KubeconfigPath = kubeconfigPath, Context = entry.Name });
        return true;
    }
}
