using Kindling.Configuration;
using Kindling.Terraform;

namespace Kindling.Operations;

/// <summary>Options of the <c>kindling infra</c> operations.</summary>
public sealed record InfraOptions
{
    /// <summary>
    /// Apply and destroy only: asked with the plan's summary before anything changes; false stops there.
    /// Null means approved (<c>--auto-approve</c>).
    /// </summary>
    public Func<TerraformChangeSummary, CancellationToken, Task<bool>>? Confirm { get; init; }
}

/// <summary>The infra verbs that plan.</summary>
public enum InfraOperation
{
    /// <summary><c>kindling infra plan</c>.</summary>
    Plan,

    /// <summary><c>kindling infra apply</c>.</summary>
    Apply,

    /// <summary><c>kindling infra destroy</c>.</summary>
    Destroy,
}

/// <summary>What an infra operation did.</summary>
/// <param name="Operation">Which verb ran.</param>
/// <param name="WorkingDirectory">The Terraform working directory (state, module).</param>
/// <param name="Changes">The plan's change counts.</param>
/// <param name="Applied">Whether the changes were made (false for plan, a declined confirmation, or nothing to do).</param>
/// <param name="Outputs">The outputs saved into local state (apply only).</param>
/// <param name="Elapsed">Wall time of the operation.</param>
public sealed record InfraResult(
    InfraOperation Operation, string WorkingDirectory, TerraformChangeSummary Changes, bool Applied, TerraformOutputs? Outputs,
    TimeSpan Elapsed);
