using k8s;
using k8s.Models;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// The cheap half of the DNS check, from outside the cluster: the cluster DNS Service exists and has ready
/// endpoints. CoreDNS keeps the Service name <c>kube-dns</c> in <c>kube-system</c> for compatibility (kubernetes.io,
/// "Debugging DNS Resolution"), and its EndpointSlices carry <c>kubernetes.io/service-name=kube-dns</c>. Executors
/// find a notebook or cluster-mode driver through its headless Service name (<c>spark.driver.host</c>), so without
/// DNS no executor ever registers.
/// </summary>
internal sealed class ClusterDnsCheck : IDoctorCheck
{
    private const string DnsNamespace = "kube-system";
    private const string DnsService = "kube-dns";

    public string Name => "cluster-dns";

    public bool Preflight => true;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var service = await context.Connection.TryCallAsync($"read Service {DnsNamespace}/{DnsService}",
            (k, ct) => k.CoreV1.ReadNamespacedServiceAsync(DnsService, DnsNamespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        if (service is null)
            return [CheckResult.Fail(Name, $"no Service {DnsNamespace}/{DnsService}: the cluster has no DNS, so executors cannot resolve the driver's Service name",
                "install CoreDNS (on EKS: the coredns add-on)")];

        var slices = (await context.Connection.CallAsync($"list EndpointSlices of {DnsService}",
            (k, ct) => k.DiscoveryV1.ListNamespacedEndpointSliceAsync(DnsNamespace, labelSelector: $"kubernetes.io/service-name={DnsService}", cancellationToken: ct),
            cancellationToken).ConfigureAwait(false)).Items;
        // An endpoint with no ready condition is ready (EndpointConditions: "nil should be interpreted as true").
        var endpoints = slices.SelectMany(s => s.Endpoints ?? []).ToList();
        var ready = endpoints.Count(e => e.Conditions?.Ready != false);
        if (ready > 0)
            return [CheckResult.Ok(Name, $"Service {DnsNamespace}/{DnsService} ({service.Spec.ClusterIP}) has {ready} ready endpoint(s)")];
        return [CheckResult.Fail(Name, $"Service {DnsNamespace}/{DnsService} has no ready endpoints ({endpoints.Count} not ready): Service names do not resolve",
            $"kubectl -n {DnsNamespace} get pods -l k8s-app=kube-dns; kubectl -n {DnsNamespace} describe pods -l k8s-app=kube-dns")];
    }
}
