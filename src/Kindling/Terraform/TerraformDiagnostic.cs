using System.Text;

namespace Kindling.Terraform;

/// <summary>An error or warning terraform reported, in its own words.</summary>
/// <param name="Severity"><c>error</c> or <c>warning</c>.</param>
/// <param name="Summary">One-line summary.</param>
/// <param name="Detail">Terraform's detail text (often the AWS API error).</param>
/// <param name="Address">The resource it is about, when any.</param>
/// <param name="Location"><c>main.tf line 12</c>, when any.</param>
internal sealed record TerraformDiagnostic(string Severity, string Summary, string Detail, string? Address, string? Location)
{
    /// <summary>Formatted the way terraform prints it.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Severity == "error" ? "Error: " : "Warning: ").Append(Summary);
        if (Address is not null || Location is not null)
        {
            sb.AppendLine().AppendLine();
            if (Address is not null) sb.Append("  with ").Append(Address).Append(Location is null ? "" : ",");
            if (Address is not null && Location is not null) sb.AppendLine();
            if (Location is not null) sb.Append("  on ").Append(Location);
        }
        if (Detail.Length > 0) sb.AppendLine().AppendLine().Append(Detail.TrimEnd());
        return sb.ToString();
    }
}
