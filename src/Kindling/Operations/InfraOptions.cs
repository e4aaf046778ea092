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

    /// <summary>
    /// Finds this machine's public address when <c>aws.apiAccessCidrs</c> is not set (plan and apply on real AWS).
    /// </summary>
    public IPublicAddressLookup PublicAddress { get; init; } = new CheckIpLookup();

    /// <summary>
    /// Destroy only (<c>--purge-images</c>): also delete ECR repositories that still hold images. Without it, a
    /// repository with images stops the destroy and keeps the images.
    /// </summary>
    public bool PurgeImages { get; init; }
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
    TimeSpan Elapsed)
{
    /// <summary>What the EKS API endpoint admits after this run (plan and apply), e.g. this machine's address.</summary>
    public string? ApiAccess { get; init; }
}
