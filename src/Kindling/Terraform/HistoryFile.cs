using System.Text;
using Kindling.Configuration;
using Kindling.Resources;

namespace Kindling.Terraform;

/// <summary>
/// <c>history.tf</c>: the History Server's own IRSA role. It may list, read and delete (the cleaners expire old
/// logs) under the event-log and driver-log prefixes only; it cannot write, so a compromised History Server can
/// neither plant nor alter the logs Spark wrote. Without history (no location) the role is not created.
/// </summary>
internal static class HistoryFile
{
    public static string Render(EnvironmentSpec spec)
    {
        var locations = (HistoryLocations.Of(spec)?.Directories ?? [])
            .Select(d => (Bucket: S3Buckets.OfS3aUri(d)!, Prefix: d["s3a://".Length..].Split('/', 2) is [_, var p] ? p.Trim('/') : ""))
            .Distinct()
            .ToList();
        var sb = new StringBuilder();
        sb.Append(
            $$"""
            variable "history_service_account" {
              description = "ServiceAccount of the Spark History Server, which may assume the history role."
              type        = string
              default     = {{Hcl.Quote(HistoryServerNames.Of(spec.Name))}}
            }

            variable "history_locations" {
              description = "Event-log and driver-log locations (history.eventLogDir, history.driverLogDir) the History Server reads and expires."
              type        = list(object({ bucket = string, prefix = string }))
              default = [

            """);
        foreach (var (bucket, prefix) in locations)
            sb.Append($"    {{ bucket = {Hcl.Quote(bucket)}, prefix = {Hcl.Quote(prefix)} }},\n");
        sb.Append(
            $$"""
              ]
            }

            # Trusted by exactly the History Server's ServiceAccount, like the Spark role is by the Spark one.
            resource "aws_iam_role" "history" {
              count = length(var.history_locations) > 0 ? 1 : 0

              name = "${var.cluster_name}-spark-history"
              {{IrsaTrustPolicy.Attribute("system:serviceaccount:${var.namespace}:${var.history_service_account}")}}
            }

            # Read and expire, never write: list the prefixes (S3A also probes the prefix itself as a directory
            # marker), get and delete the objects under them.
            resource "aws_iam_role_policy" "history_s3" {
              count = length(var.history_locations) > 0 ? 1 : 0

              name = "history-logs"
              role = aws_iam_role.history[0].id
              policy = jsonencode({
                Version = "2012-10-17"
                Statement = concat(
                  [for l in var.history_locations : {
                    Effect    = "Allow"
                    Action    = ["s3:ListBucket"]
                    Resource  = ["arn:${data.aws_partition.current.partition}:s3:::${l.bucket}"]
                    Condition = { StringLike = { "s3:prefix" = [l.prefix, "${l.prefix}/*"] } }
                  }],
                  [{
                    Effect   = "Allow"
                    Action   = ["s3:GetObject", "s3:DeleteObject"]
                    Resource = [for l in var.history_locations : "arn:${data.aws_partition.current.partition}:s3:::${l.bucket}/${l.prefix}/*"]
                  }],
                )
              })
            }

            output "history_role_arn" {
              description = "Read-only IAM role of the History Server's ServiceAccount (IRSA); null without history."
              value       = one(aws_iam_role.history[*].arn)
            }

            """);
        return sb.ToString();
    }
}
