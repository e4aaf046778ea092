using System.Text;

namespace Kindling.Terraform;

/// <summary>Literal values for the HCL Kindling writes.</summary>
internal static class Hcl
{
    /// <summary>
    /// A quoted HCL string. Besides the JSON-like escapes, <c>${</c> and <c>%{</c> start template sequences in
    /// HCL, so they are doubled to stay literal.
    /// </summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                case '$' or '%' when i + 1 < value.Length && value[i + 1] == '{': sb.Append(c).Append(c); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }
}
