using Kindling.Cluster;
using Kindling.Configuration;

namespace Kindling.Operations.Doctor;

/// <summary>Options of <c>kindling doctor</c>.</summary>
public sealed record DoctorOptions
{
    /// <summary>Whether to start the short-lived DNS probe pod (<c>--no-dns-probe</c> turns it off).</summary>
    public bool DnsProbe { get; init; } = true;

    /// <summary>How long the DNS probe pod may take.</summary>
    public TimeSpan DnsProbeTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Sends registry requests; null uses a default handler.</summary>
    public HttpMessageHandler? RegistryHandler { get; init; }
}

/// <summary>What <c>doctor</c> found.</summary>
/// <param name="Namespace">The environment's namespace.</param>
/// <param name="Cluster">The cluster checked.</param>
/// <param name="Checks">One line per check (some checks give one line per image or add-on).</param>
public sealed record DoctorResult(string Namespace, KubeTarget Cluster, IReadOnlyList<CheckResult> Checks)
{
    /// <summary>True when any check failed: exit code 1.</summary>
    public bool Failed => Checks.Any(c => c.Status == CheckStatus.Fail);

    /// <summary>Lines per verdict.</summary>
    public IReadOnlyDictionary<CheckStatus, int> Summary =>
        Enum.GetValues<CheckStatus>().ToDictionary(s => s, s => Checks.Count(c => c.Status == s));
}

/// <summary>
/// <c>kindling doctor</c>: checks, on the live cluster, everything the environment needs (permissions, storage,
/// DNS, capacity, images, EKS add-ons, IRSA, namespace policies) and says how to fix each gap. It reads only,
/// except the DNS probe's own short-lived pod and Service, which it removes.
/// </summary>
public static class DoctorOperation
{
    /// <param name="environment">The environment and its cluster; one progress event per check line; the AWS CLI and docker credential helpers are found through its tools.</param>
    /// <param name="options">The DNS probe and registry settings.</param>
    /// <param name="cancellationToken">Stops the checks.</param>
    public static async Task<DoctorResult> RunAsync(EnvironmentContext environment, DoctorOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        var progress = environment.Progress;
        var state = environment.State;
        var connection = environment.Connection;
        // Which cluster this is decides what the checks expect (laptop sizes, the laptop's storage class, no EKS add-ons).
        await environment.DetectClusterAsync(cancellationToken).ConfigureAwait(false);
        using var defaultHandler = options.RegistryHandler is null ? new SocketsHttpHandler() : null;
        var context = new DoctorContext(new DoctorInputs
        {
            Connection = connection,
            Spec = environment.Spec,
            Manifests = environment.Manifests(state.JupyterToken ?? ""),
            Images = environment.Images,
            State = state,
            Tools = environment.Tools,
            Time = environment.Time,
            DnsProbe = options.DnsProbe,
            DnsProbeTimeout = options.DnsProbeTimeout,
            RegistryHandler = options.RegistryHandler ?? defaultHandler!,
            Progress = progress,
            Cluster = environment.Cluster,
            Nodes = environment.SurveyedNodes,
        });
        var results = await DoctorChecks.RunAsync(DoctorChecks.All, context, progress, cancellationToken).ConfigureAwait(false);
        return new DoctorResult(environment.Namespace, connection.Target, results);
    }
}

/// <summary>
/// The cheap subset of <c>doctor</c> that <c>up</c> runs before it applies anything (permissions, storage class,
/// cluster DNS, capacity for the notebook, quota and LimitRange for the notebook), so a doomed <c>up</c> fails with
/// every reason at once and nothing changed.
/// </summary>
internal static class DoctorPreflight
{
    /// <param name="environment">The environment and its cluster.</param>
    /// <param name="manifests">What up is about to apply.</param>
    /// <param name="namespaceState">The namespace read up already sent (the permission check needs it; read once).</param>
    /// <param name="cancellationToken">Stops the checks.</param>
    public static async Task RunAsync(EnvironmentContext environment, IReadOnlyList<Resources.Manifest> manifests, Task<NamespaceState> namespaceState,
        CancellationToken cancellationToken)
    {
        var connection = environment.Connection;
        var progress = environment.Progress;
        var context = new DoctorContext(new DoctorInputs
        {
            Connection = connection,
            Spec = environment.Spec,
            Manifests = manifests,
            Images = environment.Images,
            State = environment.State,
            Tools = environment.Tools,
            Time = environment.Time,
            ForUp = true,
            NamespaceState = namespaceState,
            DnsProbe = false,
            // Never used: no preflight check talks to a registry.
            RegistryHandler = NoRegistry.Instance,
            Progress = progress,
            Cluster = environment.Cluster,
            Nodes = environment.SurveyedNodes,
        });
        var results = await DoctorChecks.RunAsync(DoctorChecks.All.Where(c => c.Preflight), context, progress, cancellationToken).ConfigureAwait(false);
        var failed = results.Where(r => r.Status == CheckStatus.Fail).ToList();
        if (failed.Count == 0) return;
        var lines = failed.Select(f => $"  {f.Check}: {f.Found}{Environment.NewLine}    fix: {f.Fix}");
        throw new KindlingException(
            $"kindling up would fail on {connection.Target}, so nothing was changed:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}" +
            $"{Environment.NewLine}Run 'kindling doctor' for every check.");
    }

    private sealed class NoRegistry : HttpMessageHandler
    {
        public static readonly NoRegistry Instance = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the preflight checks never contact a registry");
    }
}
