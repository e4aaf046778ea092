using k8s;
namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// Istio sidecar injection on the namespace (label <c>istio-injection=enabled</c> or a revision label
/// <c>istio.io/rev</c>; Istio docs, "Installing the Sidecar"). Kindling's Spark pods opt out with
/// <c>sidecar.istio.io/inject: "false"</c>, but a sidecar that slips in keeps pods Running after the driver ends and
/// intercepts the driver and block-manager ports, so it is worth knowing.
/// </summary>
internal sealed class IstioInjectionCheck : IDoctorCheck
{
    public string Name => "istio";

    public bool Preflight => false;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var ns = await context.Connection.TryCallAsync($"read Namespace {context.Namespace}",
            (k, ct) => k.CoreV1.ReadNamespaceAsync(context.Namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var labels = ns?.Metadata.Labels ?? new Dictionary<string, string>();
        if (labels.TryGetValue("istio-injection", out var injection) && injection == "enabled")
            return [CheckResult.Warn(Name, $"namespace {context.Namespace} has istio-injection=enabled: sidecars are injected into pods that do not opt out",
                $"kubectl label namespace {context.Namespace} istio-injection-, or keep it and make sure every Spark pod carries sidecar.istio.io/inject: \"false\"")];
        if (labels.TryGetValue("istio.io/rev", out var rev))
            return [CheckResult.Warn(Name, $"namespace {context.Namespace} has istio.io/rev={rev}: Istio revision {rev} injects sidecars into pods that do not opt out",
                $"kubectl label namespace {context.Namespace} istio.io/rev-, or make sure every Spark pod carries sidecar.istio.io/inject: \"false\"")];
        return [CheckResult.Ok(Name, ns is null ? $"namespace {context.Namespace} does not exist yet; Kindling creates it without Istio injection" : $"no Istio injection on namespace {context.Namespace}")];
    }
}
