using Amazon.S3;
using Kindling.Spark;

namespace Kindling.Operations.Spark;

/// <summary>Settings of a <see cref="SparkApplications"/> client.</summary>
public sealed record SparkApplicationsOptions
{
    /// <summary>The namespace applications run in.</summary>
    public required string Namespace { get; init; }

    /// <summary>
    /// The Kindling environment whose namespace this is. With it, how submitted applications ended is recorded
    /// before their driver pods go (<see cref="SparkExitRecords"/>) and listed after; null keeps no record.
    /// </summary>
    public string? EnvironmentName { get; init; }

    /// <summary>Image, ServiceAccount and defaults for submissions; required only by <see cref="SparkApplications.SubmitAsync(SparkApplicationSpec, CancellationToken)"/>.</summary>
    public SparkSubmitTarget? Target { get; init; }

    /// <summary>Name prefix of notebook pods, so orphans of notebook sessions are told apart (<c>&lt;env&gt;-jupyter-</c>).</summary>
    public string? NotebookPodPrefix { get; init; }

    /// <summary>Creates the S3 client for uploads of large local files; by default from <c>aws.region</c> and <c>aws.endpoint</c>.</summary>
    public Func<IAmazonS3>? S3Client { get; init; }

    /// <summary>
    /// Where finished applications are read back (the History Server and the driver-log archive); null when the
    /// environment has no history (<c>history:</c> in kindling.yaml).
    /// </summary>
    public SparkHistoryOptions? History { get; init; }

    /// <summary>Resolves relative local paths (the CLI's working directory).</summary>
    public Func<string, string> ResolvePath { get; init; } = Path.GetFullPath;

    /// <summary>Random and time source of application ids and names.</summary>
    public SparkIdGenerator Ids { get; init; } = SparkIdGenerator.System;

    /// <summary>The clock that decides when a driver pod waiting for its ConfigMap counts as abandoned.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long a driver pod may wait for its conf ConfigMap before <c>apps</c> reports it Failed.</summary>
    public TimeSpan IncompleteSubmissionGrace { get; init; } = SparkIncompleteSubmissions.DefaultGrace;

    /// <summary>Receives progress; never secrets.</summary>
    public IProgress<ProgressEvent> Progress { get; init; } = NoProgress.Instance;
}

/// <summary>What <see cref="SparkApplications.SubmitAsync(SparkApplicationSpec, CancellationToken)"/> created.</summary>
/// <param name="Submission">The objects, as built.</param>
/// <param name="DriverPodUid">The uid the API server gave the driver pod.</param>
public sealed record SparkSubmitResult(SparkSubmission Submission, string DriverPodUid)
{
    /// <summary>The application id.</summary>
    public string AppId => Submission.Names.AppId;

    /// <summary>The driver pod's name.</summary>
    public string DriverPod => Submission.Names.DriverPod;
}

/// <summary>A submission ready to create: objects built, local files read, uploads decided but not done.</summary>
/// <param name="Submission">The objects.</param>
/// <param name="Uploads">Files uploaded to the object store when the plan is submitted.</param>
public sealed record SparkSubmitPlan(SparkSubmission Submission, IReadOnlyList<PendingUpload> Uploads)
{
    /// <summary>Things worth telling the user that do not stop the submission (a spark-submit option among the application's arguments).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The resolved conf with secrets redacted as Spark's <c>--verbose</c> prints it.</summary>
    public IReadOnlyDictionary<string, string> RedactedConf => SparkRedaction.Redact(Submission.Conf);
}

/// <summary>Which log to read.</summary>
public sealed record SparkLogOptions
{
    /// <summary>An executor id (<c>spark-exec-id</c>); null reads the driver.</summary>
    public int? Executor { get; init; }

    /// <summary>Keep streaming until the container exits.</summary>
    public bool Follow { get; init; }

    /// <summary>Only the last lines.</summary>
    public int? TailLines { get; init; }

    /// <summary>The log of the container's previous instance (<c>--previous</c>, the pod log API's <c>previous</c>).</summary>
    public bool Previous { get; init; }

    /// <summary>Only lines newer than this (<c>--since</c>, the pod log API's <c>sinceSeconds</c>).</summary>
    public TimeSpan? Since { get; init; }
}

/// <summary>How a container ended.</summary>
/// <param name="Pod">The pod.</param>
/// <param name="Reason">The termination reason (<c>Completed</c>, <c>Error</c>, <c>OOMKilled</c>).</param>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Message">Kubernetes' message, if any.</param>
public sealed record SparkContainerTermination(string Pod, string Reason, int ExitCode, string? Message);
