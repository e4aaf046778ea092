namespace Kindling.Terraform;

/// <summary>
/// The one IRSA trust policy every Kindling role carries: only the named ServiceAccount, with a token minted for STS,
/// may assume the role through the cluster's OIDC provider (EKS user guide, "Assign IAM roles to Kubernetes service
/// accounts": the <c>:sub</c> and <c>:aud</c> conditions).
/// </summary>
internal static class IrsaTrustPolicy
{
    /// <summary>
    /// The <c>assume_role_policy</c> attribute of an <c>aws_iam_role</c> at the top level of a file, for
    /// <paramref name="subject"/> (<c>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c>, HCL interpolation allowed).
    /// The first line takes the caller's indentation; the rest carry their own.
    /// </summary>
    public static string Attribute(string subject) =>
        $$"""
        assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
              Action    = "sts:AssumeRoleWithWebIdentity"
              Condition = {
                StringEquals = {
                  "${local.oidc_issuer_host}:sub" = "{{subject}}"
                  "${local.oidc_issuer_host}:aud" = "sts.amazonaws.com"
                }
              }
            }]
          })
        """;
}
