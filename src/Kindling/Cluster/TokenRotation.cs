using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using Kindling.Resources;

namespace Kindling.Cluster;

/// <summary>
/// Replaces the Jupyter token in its Secret and restarts the notebook so the new pod reads it: jupyter_server
/// reads <c>JUPYTER_TOKEN</c> once at start, and an env var from a <c>secretKeyRef</c> is resolved only when the
/// container starts, so a changed Secret alone changes nothing in a running pod.
/// </summary>
internal sealed class TokenRotation(KubeConnection connection, string @namespace)
{
    /// <summary>Pod-template annotation that changes on every rotation, which makes the Deployment roll out (as <c>kubectl rollout restart</c> does).</summary>
    public const string RotatedAtAnnotation = "kindling.dev/token-rotated-at";

    /// <summary>
    /// The field manager of the rotation's writes. Not <c>kindling</c>: <c>up</c>'s server-side apply would
    /// otherwise drop the restart annotation (it does not render it) and roll the notebook once more.
    /// </summary>
    public const string FieldManager = "kindling-rotate-token";

    /// <summary>Writes <paramref name="token"/> into the Secret (replace, guarded by resourceVersion) and restarts the Deployment.</summary>
    public async Task RotateAsync(string secretName, string deploymentName, string token, TimeProvider time, CancellationToken cancellationToken)
    {
        var secret = await connection.TryCallAsync($"read Secret/{secretName}",
            (k, ct) => k.CoreV1.ReadNamespacedSecretAsync(secretName, @namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false)
            ?? throw new KindlingException($"Secret/{secretName} does not exist in namespace {@namespace}; run 'kindling up' first");
        secret.Data ??= new Dictionary<string, byte[]>();
        secret.Data[ResourceNames.TokenKey] = Encoding.UTF8.GetBytes(token);
        secret.StringData = null;
        // A replace carries the read resourceVersion: a concurrent change answers 409 instead of being overwritten.
        await connection.CallAsync($"replace Secret/{secretName}",
            (k, ct) => k.CoreV1.ReplaceNamespacedSecretAsync(secret, secretName, @namespace, fieldManager: FieldManager, cancellationToken: ct), cancellationToken)
            .ConfigureAwait(false);

        var stamp = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["spec"] = new System.Text.Json.Nodes.JsonObject
            {
                ["template"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["metadata"] = new System.Text.Json.Nodes.JsonObject
                    {
                        ["annotations"] = new System.Text.Json.Nodes.JsonObject { [RotatedAtAnnotation] = stamp },
                    },
                },
            },
        };
        var patch = new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch);
        await connection.CallAsync($"restart Deployment/{deploymentName}",
            (k, ct) => k.AppsV1.PatchNamespacedDeploymentAsync(patch, deploymentName, @namespace, fieldManager: FieldManager, cancellationToken: ct), cancellationToken)
            .ConfigureAwait(false);
    }
}
