using System.Security.Cryptography;

namespace Kindling.Configuration;

/// <summary>
/// The Jupyter login token. It lives only in the cluster, in the environment's token Secret: <c>up</c> creates it
/// when the Secret does not exist and never rewrites it, <c>notebook</c> reads it from there, and
/// <c>notebook --rotate-token</c> replaces it. No checkout keeps a copy, so a second checkout (a teammate, CI, a
/// new laptop) can never overwrite the token the running pod uses.
/// </summary>
public static class JupyterToken
{
    /// <summary>Random bytes in a token: 256 bits, as Jupyter's own generated tokens.</summary>
    public const int Bytes = 32;

    /// <summary>A fresh token: 32 random bytes, lowercase hex.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Bytes));
}
