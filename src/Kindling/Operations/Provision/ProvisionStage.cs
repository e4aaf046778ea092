namespace Kindling.Operations.Provision;

/// <summary>The stages of <c>kindling up --provision</c>, in the order they run.</summary>
public enum ProvisionStage
{
    /// <summary>Terraform: VPC, ECR, EKS (<c>infra apply</c>); EKS only.</summary>
    Infra,

    /// <summary>The kubeconfig context of the EKS cluster (<c>kubeconfig</c>); EKS only.</summary>
    Kubeconfig,

    /// <summary>Build both images, then push them to the registry or load them into a laptop cluster.</summary>
    Images,

    /// <summary>The environment on the cluster (<c>up</c>).</summary>
    Environment,

    /// <summary>The notebook's login URL (<c>notebook</c>).</summary>
    Notebook,
}

/// <summary>Whether a stage runs.</summary>
public enum StageAction
{
    /// <summary>The stage is needed.</summary>
    Run,

    /// <summary>The stage is up to date, or does not apply to this cluster.</summary>
    Skip,
}

/// <summary>The planner's verdict on one stage.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Action">Run or skip.</param>
/// <param name="Reason">Why, said to the user.</param>
public sealed record StageDecision(ProvisionStage Stage, StageAction Action, string Reason);

/// <summary>How a stage ended.</summary>
public enum StageStatus
{
    /// <summary>Up to date or not applicable: nothing was done.</summary>
    Skipped,

    /// <summary>It ran and finished.</summary>
    Done,

    /// <summary>It ran and failed; later stages did not run.</summary>
    Failed,

    /// <summary>Not reached, because an earlier stage failed, was declined or interrupted.</summary>
    NotRun,
}

/// <summary>One stage's record in the result (one per stage with <c>-o json</c>).</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Status">Skipped, done, failed or not run.</param>
/// <param name="Reason">Why it was skipped or run; for a failure, what failed.</param>
/// <param name="Duration">How long it took (zero when skipped).</param>
public sealed record StageOutcome(ProvisionStage Stage, StageStatus Status, string Reason, TimeSpan Duration);
