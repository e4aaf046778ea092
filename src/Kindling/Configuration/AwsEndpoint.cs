namespace Kindling.Configuration;

/// <summary>Checks <c>aws.endpoint</c> (an emulator such as LocalStack or moto).</summary>
internal static class AwsEndpoint
{
    /// <summary>
    /// Null when the endpoint is a plain http(s) URL; otherwise the problem. Credentials in the URL
    /// (<c>http://key:secret@host</c>) are refused: kindling.yaml is committed and printed, and Terraform's AWS
    /// provider and the AWS SDK take credentials from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
    /// AWS_PROFILE), never from an endpoint's userinfo. The value is never echoed, since it holds a secret.
    /// </summary>
    public static string? Check(string value)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
            return "must not carry credentials (user:password@ in the URL); remove them and set AWS_ACCESS_KEY_ID and " +
                   "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) in the environment instead";
        if (value.Contains('@', StringComparison.Ordinal))
            return "is not an http(s) URL without credentials; use e.g. http://localhost:4566 and put credentials in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY";
        return Formats.HttpUrl(value);
    }
}
