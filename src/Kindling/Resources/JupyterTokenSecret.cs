using System.Text;
using k8s.Models;

namespace Kindling.Resources;

/// <summary>
/// The Secret holding the Jupyter token. The Deployment reads it through a <c>secretKeyRef</c>, so the token
/// never appears in the pod spec, in args or in logs; <c>kindling notebook</c> reads it back to print the URL.
/// </summary>
internal static class JupyterTokenSecret
{
    public static V1Secret Build(ManifestInputs inputs) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = StandardLabels.Metadata(inputs, new ResourceNames(inputs.Spec.Name).TokenSecret, StandardLabels.JupyterApp, "auth"),
        Type = "Opaque",
        // data rather than stringData: stringData is write-only and is folded into data by the API server, which
        // makes server-side apply report a diff on every apply.
        Data = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [ResourceNames.TokenKey] = Encoding.UTF8.GetBytes(inputs.JupyterToken),
        },
    };
}
