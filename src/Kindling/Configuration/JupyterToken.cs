using System.Security.Cryptography;

namespace Kindling.Configuration;

/// <summary>The Jupyter login token: created once, kept in local state, never printed.</summary>
public static class JupyterToken
{
    /// <summary>Returns the stored token, creating and saving one (32 random bytes, hex) when there is none.</summary>
    public static string Ensure(LocalStateStore store)
    {
        var state = store.Load();
        if (!string.IsNullOrEmpty(state.JupyterToken)) return state.JupyterToken;
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        store.Save(state with { JupyterToken = token });
        return token;
    }
}
