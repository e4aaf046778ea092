namespace Kindling.Operations.Provision;

/// <summary>The stages' records and progress for one run: each stage is reported as it starts, is skipped, ends or fails.</summary>
internal sealed class StageRun(EnvironmentContext environment, IProgress<ProgressEvent> progress)
{
    private readonly List<StageOutcome> outcomes = [];

    private static string Subject(ProvisionStage stage) => $"stage {stage.ToString().ToLowerInvariant()}";

    public void Skipped(StageDecision decision)
    {
        outcomes.Add(new StageOutcome(decision.Stage, StageStatus.Skipped, decision.Reason, TimeSpan.Zero));
        progress.Report(new ProgressEvent(Subject(decision.Stage), ProgressStatus.Unchanged, $"skipped: {decision.Reason}"));
    }

    /// <summary>Gathers a stage's facts; a failure there is the stage's failure.</summary>
    public async Task<T> GuardAsync<T>(ProvisionStage stage, Func<Task<T>> body)
    {
        var started = environment.Time.GetTimestamp();
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not StageFailedException)
        {
            throw Fail(stage, e, started);
        }
    }

    /// <summary>Runs a stage; false from the body means it stopped on purpose (a declined confirmation).</summary>
    public async Task<bool> RunAsync(StageDecision decision, Func<Task<bool>> body)
    {
        var started = environment.Time.GetTimestamp();
        progress.Report(new ProgressEvent(Subject(decision.Stage), ProgressStatus.Started, decision.Reason));
        bool finished;
        try
        {
            finished = await body().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not StageFailedException)
        {
            throw Fail(decision.Stage, e, started);
        }
        var elapsed = environment.Time.GetElapsedTime(started);
        outcomes.Add(new StageOutcome(decision.Stage, finished ? StageStatus.Done : StageStatus.NotRun,
            finished ? decision.Reason : "declined: Terraform's changes were not approved", elapsed));
        progress.Report(new ProgressEvent(Subject(decision.Stage), finished ? ProgressStatus.Done : ProgressStatus.Info,
            finished ? "done" : "declined", elapsed));
        return finished;
    }

    /// <summary>Every stage's record; stages not reached are <see cref="StageStatus.NotRun"/>.</summary>
    public IReadOnlyList<StageOutcome> Finish()
    {
        foreach (var stage in Enum.GetValues<ProvisionStage>().Where(s => outcomes.All(o => o.Stage != s)))
            outcomes.Add(new StageOutcome(stage, StageStatus.NotRun, "not reached", TimeSpan.Zero));
        return outcomes;
    }

    private StageFailedException Fail(ProvisionStage stage, Exception e, long started)
    {
        var elapsed = environment.Time.GetElapsedTime(started);
        var interrupted = e is OperationCanceledException;
        var reason = interrupted ? "interrupted: running 'kindling up --provision' again resumes here" : e.Message;
        outcomes.Add(new StageOutcome(stage, StageStatus.Failed, reason, elapsed));
        progress.Report(new ProgressEvent(Subject(stage), ProgressStatus.Failed, interrupted ? "interrupted" : "failed", elapsed));
        return new StageFailedException(stage, Finish(), e);
    }
}
