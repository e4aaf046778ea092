using Kindling.Operations.Doctor.Checks;

namespace Kindling.Operations.Doctor;

/// <summary>Every check, in the order <c>doctor</c> prints them.</summary>
internal static class DoctorChecks
{
    public static IReadOnlyList<IDoctorCheck> All { get; } =
    [
        new PermissionsCheck(),
        new StorageClassCheck(),
        new ClusterDnsCheck(),
        new DnsProbeCheck(),
        new CapacityCheck(),
        new NodeArchitectureCheck(),
        new ImagesCheck(),
        new ImageVersionsCheck(),
        new EksAddonsCheck(),
        new NetworkPolicyCheck(),
        new IrsaCheck(),
        new MetricsCheck(),
        new IstioInjectionCheck(),
        new ResourceQuotaCheck(),
        new LimitRangeCheck(),
    ];

    /// <summary>
    /// Runs <paramref name="checks"/> one after another (each is a few requests; the order is the output's), reporting
    /// each. An API 403 on one of a check's own reads becomes a warning: doctor says what it could not see.
    /// </summary>
    public static async Task<IReadOnlyList<CheckResult>> RunAsync(
        IEnumerable<IDoctorCheck> checks, DoctorContext context, IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        var results = new List<CheckResult>();
        foreach (var check in checks)
        {
            progress.Report(new ProgressEvent(check.Name, ProgressStatus.Started, "checking"));
            IReadOnlyList<CheckResult> lines;
            try
            {
                lines = await check.RunAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.StatusCode == 403)
            {
                lines = [CheckResult.Warn(check.Name, $"not checked: {e.Message}", "run kindling doctor with an identity that may read this")];
            }
            foreach (var line in lines)
            {
                var status = line.Status switch { CheckStatus.Fail => ProgressStatus.Failed, CheckStatus.Warn => ProgressStatus.Info, _ => ProgressStatus.Done };
                progress.Report(new ProgressEvent(line.Check, status, line.Found));
            }
            results.AddRange(lines);
        }
        return results;
    }
}
