using System.Text.Json;
using Kindling.Configuration;

namespace Kindling.Terraform;

/// <summary>Turns <c>terraform output -json</c> into <see cref="TerraformOutputs"/>, refusing anything incomplete.</summary>
internal static class TerraformOutputsReader
{
    /// <summary>Parses and validates; every problem is named in one <see cref="KindlingException"/>.</summary>
    public static TerraformOutputs Parse(string json, string workingDirectory)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new KindlingException($"terraform output -json in {workingDirectory} is not valid JSON ({e.Message})", e);
        }
        if (root.ValueKind != JsonValueKind.Object || !root.EnumerateObject().Any())
        {
            throw new KindlingException(
                $"Terraform has no outputs in {workingDirectory}: the infrastructure has not been applied (or was destroyed); run 'kindling infra apply'");
        }

        var problems = new List<string>();
        string Get(string name, Func<string, bool> valid, string expected)
        {
            if (!root.TryGetProperty(name, out var output) || output.ValueKind != JsonValueKind.Object ||
                !output.TryGetProperty("value", out var value))
            {
                problems.Add($"{name}: missing");
                return "";
            }
            if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
            {
                problems.Add($"{name}: expected {expected}, got {Describe(value)}");
                return "";
            }
            if (!valid(text)) problems.Add($"{name}: expected {expected}, got '{text}'");
            return text;
        }

        var outputs = new TerraformOutputs
        {
            SparkRepositoryUrl = Get(TerraformOutputNames.SparkRepositoryUrl, IsRepository, "a repository URL (host/name)"),
            JupyterRepositoryUrl = Get(TerraformOutputNames.JupyterRepositoryUrl, IsRepository, "a repository URL (host/name)"),
            ClusterName = Get(TerraformOutputNames.ClusterName, _ => true, "a cluster name"),
            ClusterEndpoint = Get(TerraformOutputNames.ClusterEndpoint, IsHttpUrl, "an http(s) URL"),
            ClusterCertificateAuthority = Get(TerraformOutputNames.ClusterCertificateAuthority, IsBase64Text, "base64 text"),
            // Optional, so outputs of a module applied before the role existed still load; once present it must be an ARN.
            SparkRoleArn = root.TryGetProperty(TerraformOutputNames.SparkRoleArn, out _)
                ? Get(TerraformOutputNames.SparkRoleArn, IsIamRoleArn, "an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)")
                : null,
            // Null (or absent) when history is off, so only a string value is checked.
            HistoryRoleArn = root.TryGetProperty(TerraformOutputNames.HistoryRoleArn, out var history) && history.ValueKind == JsonValueKind.Object &&
                             history.TryGetProperty("value", out var historyValue) && historyValue.ValueKind != JsonValueKind.Null
                ? Get(TerraformOutputNames.HistoryRoleArn, IsIamRoleArn, "an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)")
                : null,
        };
        if (problems.Count > 0)
        {
            throw new KindlingException(
                $"Terraform outputs in {workingDirectory} are incomplete or corrupt:\n  " + string.Join("\n  ", problems) +
                "\nRun 'kindling infra apply' to bring the infrastructure and its outputs up to date.");
        }
        return outputs;
    }

    // aws_ecr_repository.repository_url is "<registry host>/<name>", with no scheme.
    private static bool IsRepository(string text) =>
        !text.Contains("://", StringComparison.Ordinal) && text.IndexOf('/') is > 0 and var slash && slash < text.Length - 1 &&
        !text.Any(char.IsWhiteSpace);

    private static bool IsIamRoleArn(string text) =>
        text.Split(':', 6) is ["arn", { Length: > 0 }, "iam", "", { Length: > 0 }, var resource] &&
        resource.StartsWith("role/", StringComparison.Ordinal) && resource.Length > "role/".Length && !text.Any(char.IsWhiteSpace);

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static bool IsBase64Text(string text) =>
        text.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '\n' or '\r');

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "an empty string",
        JsonValueKind.Null => "null",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
