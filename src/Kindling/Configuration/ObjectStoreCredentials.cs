using System.Security.Cryptography;

namespace Kindling.Configuration;

/// <summary>
/// The in-cluster object store's S3 credentials. Like the Jupyter token they live only in the cluster, in the store's
/// Secret: <c>up</c> creates them when the Secret does not exist and never rewrites them, and nothing prints them.
/// </summary>
/// <param name="AccessKeyId">20 characters, the shape of an AWS access key id.</param>
/// <param name="SecretAccessKey">40 characters (160 random bits), the shape of an AWS secret access key.</param>
public sealed record ObjectStoreCredentials(string AccessKeyId, string SecretAccessKey)
{
    /// <summary>Fresh random credentials.</summary>
    public static ObjectStoreCredentials New() => new(
        "KL" + Convert.ToHexString(RandomNumberGenerator.GetBytes(9)),
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)));

    /// <inheritdoc />
    public override string ToString() => $"ObjectStoreCredentials {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = <redacted> }}";
}
