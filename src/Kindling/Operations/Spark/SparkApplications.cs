using Kindling.Cluster;
using Kindling.Spark;

namespace Kindling.Operations.Spark;

/// <summary>
/// Submits, follows and stops Spark applications in one namespace: the .NET surface under
/// <c>kindling submit/apps/logs/kill</c>, for services that run Spark work without a JVM or spark-submit.
/// Applications are recognised by the <c>spark-app-selector</c> label, whoever submitted them.
/// </summary>
public sealed partial class SparkApplications
{
    private readonly KubeConnection connection;
    private readonly SparkApplicationsOptions options;
    private readonly SparkApplicationQueries queries;
    private readonly SparkLogReader logs;
    private readonly SparkStopper stopper;

    private string Ns => options.Namespace;

    /// <summary>Creates a client over an open connection.</summary>
    public SparkApplications(KubeConnection connection, SparkApplicationsOptions options)
    {
        this.connection = connection;
        this.options = options;
        queries = new SparkApplicationQueries(connection, options);
        logs = new SparkLogReader(connection, options);
        stopper = new SparkStopper(connection, options);
    }

    /// <summary>
    /// Validates the application, reads its local files and builds every object, without contacting the
    /// cluster or the object store. Used for <c>--dry-run</c> and to show pod sizes before submitting.
    /// </summary>
    /// <exception cref="InvalidInputException">The spec is invalid or a local file is missing; nothing was sent anywhere.</exception>
    public SparkSubmitPlan Plan(SparkApplicationSpec spec) => Plan(spec, options);

    /// <inheritdoc cref="Plan(SparkApplicationSpec)"/>
    public static SparkSubmitPlan Plan(SparkApplicationSpec spec, SparkApplicationsOptions options) => SparkSubmitter.Plan(spec, options);

    /// <summary>Submits an application in cluster mode: <see cref="Plan(SparkApplicationSpec)"/>, then <see cref="SubmitAsync(SparkSubmitPlan, CancellationToken)"/>.</summary>
    /// <param name="spec">The application.</param>
    /// <param name="cancellationToken">Cancels the submission.</param>
    /// <returns>What was created.</returns>
    public Task<SparkSubmitResult> SubmitAsync(SparkApplicationSpec spec, CancellationToken cancellationToken) =>
        SubmitAsync(Plan(spec), cancellationToken);

    /// <summary>
    /// Uploads large local files, creates the driver pod, then its ConfigMaps and Service with an owner
    /// reference to it. Safe against lost responses: see <see cref="SparkSubmitter"/>.
    /// </summary>
    public Task<SparkSubmitResult> SubmitAsync(SparkSubmitPlan plan, CancellationToken cancellationToken) =>
        new SparkSubmitter(connection, options).SubmitAsync(plan, cancellationToken);

    /// <summary>Every Spark application of the namespace (driver pods and notebook sessions), oldest first. A driver pod
    /// whose ConfigMap never appeared is reported Failed once <see cref="SparkApplicationsOptions.IncompleteSubmissionGrace"/> has passed.
    /// With <see cref="SparkApplicationsOptions.EnvironmentName"/>, submitted applications whose driver pod is gone
    /// are listed from the record kept of how they ended (<see cref="SparkApplication.Recorded"/>).</summary>
    public async Task<IReadOnlyList<SparkApplication>> ListAsync(CancellationToken cancellationToken)
    {
        var live = await queries.ListAsync(cancellationToken).ConfigureAwait(false);
        if (options.EnvironmentName is not { } environment) return live;
        // Finished drivers seen now are recorded before anyone deletes them; records of apps with no pod left follow.
        var ledger = new SparkExitLedger(connection, Ns, environment);
        var kept = await ledger.ReadAsync(cancellationToken).ConfigureAwait(false);
        var now = options.Time.GetUtcNow();
        await ledger.RecordAsync(live.Select(a => SparkExitRecords.Finished(a, now)).OfType<SparkExitRecord>(), kept, cancellationToken).ConfigureAwait(false);
        var liveIds = live.Select(a => a.AppId).ToHashSet(StringComparer.Ordinal);
        var gone = kept.Values.Where(r => !liveIds.Contains(r.AppId)).Select(r => SparkExitRecords.ToApplication(r, Ns)).ToList();
        return gone.Count == 0 ? live : [.. live.Concat(gone).OrderBy(a => a.CreatedAt ?? DateTimeOffset.MaxValue)];
    }

    /// <summary>One application by app id, driver pod name or application name; null when there is none.</summary>
    /// <exception cref="InvalidInputException">The name matches several applications.</exception>
    public Task<SparkApplication?> GetAsync(string app, CancellationToken cancellationToken) => queries.GetAsync(app, cancellationToken);

    /// <summary>
    /// Follows every application of the namespace through ONE watch on <c>spark-app-selector</c>: first the
    /// current state of each, then every change. Survives dropped connections and expired versions. Never polls per application.
    /// </summary>
    public IAsyncEnumerable<SparkApplication> WatchAsync(CancellationToken cancellationToken) => queries.WatchAsync(cancellationToken);

    /// <summary>Waits until the application has finished and returns its final state; <paramref name="onChange"/> sees every change.</summary>
    public Task<SparkApplication> WaitForCompletionAsync(string appId, Action<SparkApplication>? onChange, CancellationToken cancellationToken) =>
        queries.WaitForCompletionAsync(appId, onChange, cancellationToken);

    /// <summary>Streams the log of the driver (or one executor) line by line.</summary>
    /// <exception cref="InvalidInputException">No such application or executor.</exception>
    public IAsyncEnumerable<string> GetLogsAsync(string app, SparkLogOptions logOptions, CancellationToken cancellationToken) =>
        logs.GetLogsAsync(app, logOptions, cancellationToken);

    /// <summary>How the driver (or executor) container ended; null while it has not terminated.</summary>
    public Task<SparkContainerTermination?> GetTerminationAsync(string app, int? executor, CancellationToken cancellationToken) =>
        logs.GetTerminationAsync(app, executor, cancellationToken);

    /// <summary>
    /// Stops an application: deletes its driver pod (owner references make the garbage collector remove the
    /// ConfigMaps, Service and executors), or a notebook session's executors, then waits until no pod of the
    /// application is left.
    /// </summary>
    /// <exception cref="InvalidInputException">No such application.</exception>
    public Task<SparkApplication> KillAsync(string app, CancellationToken cancellationToken) => stopper.KillAsync(app, cancellationToken);

    /// <summary>Executor pods whose driver or notebook pod is gone, and driver pods whose ConfigMap never appeared.</summary>
    public Task<IReadOnlyList<OrphanExecutor>> ListOrphansAsync(CancellationToken cancellationToken) => stopper.ListOrphansAsync(cancellationToken);

    /// <summary>Deletes the orphans of <see cref="ListOrphansAsync"/> and returns them.</summary>
    public Task<IReadOnlyList<OrphanExecutor>> DeleteOrphansAsync(CancellationToken cancellationToken) => stopper.DeleteOrphansAsync(cancellationToken);
}
