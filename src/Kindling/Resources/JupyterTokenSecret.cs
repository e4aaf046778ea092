using System.Text;
using k8s.Models;

namespace Kindling.Resources;

/// <summary>
/// The Secret holding the Jupyter token. The Deployment reads it through a <c>secretKeyRef</c>, so the token
/// never appears in the pod spec, in args or in logs; <c>kindling notebook</c> reads it back to print the URL.
/// </summary>
internal static class JupyterTokenSecret
{
    /// <summary>
    /// The Secret as a create-only manifest. Without a token (<c>render</c>: the token exists only in the cluster,
    /// so no file on disk or in git ever holds it) the Secret carries no data, and its file says why and how to
    /// create it by hand. An applied copy without the key keeps the notebook from starting rather than letting it
    /// start with a token everyone can read.
    /// </summary>
    public static Manifest Manifest(ManifestInputs inputs) => new(Build(inputs), ApplyPhase.Foundation)
    {
        CreateOnly = true,
        Comment = inputs.JupyterToken.Length == 0
            ? "This Secret is rendered without the Jupyter token, which is never written to disk: 'kindling up' creates it in this Secret when the Secret does not exist, and\n" +
              "never rewrites it; 'kindling notebook' reads it back, 'kindling notebook --rotate-token' replaces it.\n" +
              "To apply these files without Kindling, create the Secret yourself instead of applying this file:\n" +
              $"  kubectl -n {inputs.Spec.Namespace} create secret generic {new ResourceNames(inputs.Spec.Name).TokenSecret} --from-literal={ResourceNames.TokenKey}=$(openssl rand -hex 32)"
            : null,
    };

    public static V1Secret Build(ManifestInputs inputs) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = StandardLabels.Metadata(inputs, new ResourceNames(inputs.Spec.Name).TokenSecret, StandardLabels.JupyterApp, "auth"),
        Type = "Opaque",
        // data rather than stringData: stringData is write-only and is folded into data by the API server, which
        // makes server-side apply report a diff on every apply.
        Data = inputs.JupyterToken.Length == 0 ? null : new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [ResourceNames.TokenKey] = Encoding.UTF8.GetBytes(inputs.JupyterToken),
        },
    };
}
