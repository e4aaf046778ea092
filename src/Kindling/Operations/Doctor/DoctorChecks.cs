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
        new ObjectStoreCheck(),
    ];

    /// <summary>
    /// Runs <paramref name="checks"/> concurrently (each is a few requests, independent of the others, so all of them
    /// cost the round trips of the longest) and reports them in the given order, which is the output's. An API 403
    /// on one of a check's own reads becomes a warning: doctor says what it could not see.
    /// </summary>
    public static async Task<IReadOnlyList<CheckResult>> RunAsync(
        IEnumerable<IDoctorCheck> checks, DoctorContext context, IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        var running = checks.Select(check => (Check: check, Lines: RunOneAsync(check, context, cancellationToken))).ToList();
        var results = new List<CheckResult>();
        foreach (var (check, run) in running)
        {
            progress.Report(new ProgressEvent(check.Name, ProgressStatus.Started, "checking"));
            var lines = await run.ConfigureAwait(false);
            foreach (var line in lines)
            {
                var status = line.Status switch { CheckStatus.Fail => ProgressStatus.Failed, CheckStatus.Warn => ProgressStatus.Info, _ => ProgressStatus.Done };
                progress.Report(new ProgressEvent(line.Check, status, line.Found));
            }
            results.AddRange(lines);
        }
        return results;
    }

    private static async Task<IReadOnlyList<CheckResult>> RunOneAsync(IDoctorCheck check, DoctorContext context, CancellationToken cancellationToken)
    {
        // Yield first so that every check has sent its first request before any awaits its answer.
        await Task.Yield();
        try
        {
            return await check.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode == 403)
        {
            return [CheckResult.Warn(check.Name, $"not checked: {e.Message}", "run kindling doctor with an identity that may read this")];
        }
    }
}
