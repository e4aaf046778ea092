namespace Kindling.Operations.Verify;

/// <summary>How a stage ended.</summary>
public enum VerifyStageStatus
{
    /// <summary>Everything the stage checks held.</summary>
    Passed,

    /// <summary>A check failed; <see cref="VerifyStageResult.Reason"/> says which and why.</summary>
    Failed,

    /// <summary>The environment has nothing to check here (no object storage, no history); the reason says how to turn it on.</summary>
    Skipped,
}

/// <summary>One stage of <c>kindling verify</c>.</summary>
/// <param name="Name"><c>notebook</c>, <c>submit</c>, <c>storage</c>, <c>history</c> or <c>cleanup</c>.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Duration">Wall time of the stage.</param>
/// <param name="Checks">What was proven, one sentence each, in order.</param>
/// <param name="Reason">Why it failed or was skipped; null when it passed.</param>
/// <param name="Logs">The log lines that explain a failure (a driver's or the notebook pod's tail); empty otherwise.</param>
/// <param name="Applications">The Spark application ids the stage ran.</param>
public sealed record VerifyStageResult(
    string Name,
    VerifyStageStatus Status,
    TimeSpan Duration,
    IReadOnlyList<string> Checks,
    string? Reason,
    IReadOnlyList<string> Logs,
    IReadOnlyList<string> Applications);

/// <summary>What <c>kindling verify</c> found.</summary>
/// <param name="RunId">This run's id: in every application name and the <c>kindling.dev/verify-run</c> label of its pods.</param>
/// <param name="Namespace">The environment's namespace.</param>
/// <param name="Passed">True only when no stage failed.</param>
/// <param name="Duration">Wall time of the whole run.</param>
/// <param name="Stages">Every stage, in order.</param>
public sealed record VerifyResult(string RunId, string Namespace, bool Passed, TimeSpan Duration, IReadOnlyList<VerifyStageResult> Stages);
