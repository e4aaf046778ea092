using Kindling.Configuration;
using Kindling.Resources;
using Kindling.Spark;

namespace Kindling.Operations.Spark;

/// <summary>Where an environment keeps finished applications.</summary>
/// <param name="Service">The History Server's Service.</param>
/// <param name="Port">Its port.</param>
/// <param name="DriverLogDir"><c>spark.driver.log.dfsDir</c>, an s3a:// location.</param>
/// <param name="NotebookDriverService">The notebook's headless driver Service, whose UI port serves notebook sessions' REST API.</param>
/// <param name="UiPort">The Spark UI port of drivers.</param>
public sealed record SparkHistoryOptions(string Service, int Port, string DriverLogDir, string NotebookDriverService, int UiPort)
{
    /// <summary>The options of <paramref name="spec"/>, or null when history is off.</summary>
    public static SparkHistoryOptions? For(EnvironmentSpec spec) =>
        HistoryLocations.Of(spec) is { } history
            ? new SparkHistoryOptions(HistoryServerNames.Of(spec.Name), SparkHistoryServer.Port, history.DriverLogDir, new ResourceNames(spec.Name).DriverService, spec.Spark.UiPort)
            : null;
}

/// <summary>One row of <c>kindling apps</c>: a live application, a finished one from the History Server, or both merged by id.</summary>
/// <param name="AppId">The application id.</param>
/// <param name="Name">The application name.</param>
/// <param name="State">Pending, Running, Succeeded, Failed from the pods; Completed or Incomplete from the History Server alone.</param>
/// <param name="Duration">Wall time so far (running) or in total (finished), when known.</param>
/// <param name="Executors">Executors running now (live) or that ever ran (finished).</param>
/// <param name="Submitter">The Spark user (<c>SPARK_USER</c>) the History Server recorded.</param>
/// <param name="Reason">Why it failed: the driver container's end, or executors' removal reasons from the event log.</param>
/// <param name="Source"><c>cluster</c> (pods exist), <c>record</c> (pods gone, Kindling's record of how it ended), <c>history</c> (event log only).</param>
/// <param name="Tasks">Task counters from the driver's REST API (<c>-o wide</c>, running applications).</param>
/// <param name="Live">The pods' view, when pods exist.</param>
public sealed record SparkApplicationSummary(
    string AppId,
    string Name,
    string State,
    TimeSpan? Duration,
    int Executors,
    string? Submitter,
    string? Reason,
    string Source,
    SparkTaskCounts? Tasks,
    SparkApplication? Live);

/// <summary>Task counters of a running application, summed over its executors.</summary>
public sealed record SparkTaskCounts(int Active, int Completed, int Failed, int Executors);

/// <summary>What <see cref="SparkApplications.ListAsync(SparkListOptions, CancellationToken)"/> includes.</summary>
public sealed record SparkListOptions
{
    /// <summary>Finished applications from the History Server too (<c>--all</c>).</summary>
    public bool IncludeFinished { get; init; }

    /// <summary>Task counters of running applications from their drivers (<c>-o wide</c>).</summary>
    public bool Tasks { get; init; }
}

/// <summary>Where a driver log came from.</summary>
/// <param name="Archived">True when read from the persisted driver log, the pod being gone.</param>
/// <param name="Location">The pod, or the s3a:// object.</param>
/// <param name="ExecutorEnds">Executors' removal reasons from the event log (archive only).</param>
public sealed record SparkLogSource(bool Archived, string Location, IReadOnlyList<string> ExecutorEnds);
