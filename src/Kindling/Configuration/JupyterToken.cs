using System.Security.Cryptography;

namespace Kindling.Configuration;

/// <summary>The Jupyter login token, created once and kept in <see cref="LocalState"/>.</summary>
public static class JupyterToken
{
    /// <summary>Random bytes in a token: 256 bits, as Jupyter's own generated tokens.</summary>
    public const int Bytes = 32;

    /// <summary>
    /// Returns the token from local state, generating and saving one (32 random bytes, lowercase hex) when there
    /// is none. <c>render</c> and <c>up</c> both call it, so whichever runs first creates the token and the
    /// other reuses it: the Secret in the cluster and the rendered files always agree.
    /// </summary>
    public static string Ensure(LocalStateStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var existing = store.Load().JupyterToken;
        if (!string.IsNullOrEmpty(existing)) return existing;
        var created = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Bytes));
        // Update re-reads the file, so a token saved in between by another command wins over ours.
        return store.Update(state => string.IsNullOrEmpty(state.JupyterToken) ? state with { JupyterToken = created } : state).JupyterToken!;
    }
}
