namespace Kindling.Terraform;

/// <summary>What a plan would do, as terraform counted it.</summary>
/// <param name="Add">Resources to create.</param>
/// <param name="Change">Resources to update in place.</param>
/// <param name="Remove">Resources to destroy.</param>
public sealed record TerraformChangeSummary(int Add, int Change, int Remove)
{
    /// <summary>True when the plan changes nothing.</summary>
    public bool IsEmpty => Add == 0 && Change == 0 && Remove == 0;

    /// <inheritdoc />
    public override string ToString() => $"{Add} to add, {Change} to change, {Remove} to destroy";
}
