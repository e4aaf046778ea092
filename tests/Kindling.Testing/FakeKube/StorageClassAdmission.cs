using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// The apiserver's DefaultStorageClass admission plugin and the rules the PV controller shares with it: a PVC
/// created without <c>spec.storageClassName</c> gets the cluster's default class, the newest one when several are
/// marked default (plugin/pkg/admission/storage/storageclass/setdefault, and
/// pkg/volume/util/storageclass.GetDefaultClass since Kubernetes 1.26). An explicit <c>""</c> means "no class"
/// and is left alone. Without a default class the field stays unset.
/// </summary>
internal static class StorageClassAdmission
{
    /// <summary>The annotation that marks a default class; the beta key is still honoured by the apiserver.</summary>
    public const string DefaultAnnotation = "storageclass.kubernetes.io/is-default-class";

    public const string BetaDefaultAnnotation = "storageclass.beta.kubernetes.io/is-default-class";

    public static void AssignDefault(JsonObject pvc, IEnumerable<JsonObject> storageClasses)
    {
        if (pvc["spec"] is not JsonObject spec || spec.ContainsKey("storageClassName"))
        {
            return;
        }

        if (DefaultClass(storageClasses) is { } name)
        {
            spec["storageClassName"] = name;
        }
    }

    public static string? DefaultClass(IEnumerable<JsonObject> storageClasses) =>
        storageClasses.Where(IsDefault)
            .OrderByDescending(c => Json.Str(c["metadata"], "creationTimestamp"), StringComparer.Ordinal)
            .ThenBy(Json.Name, StringComparer.Ordinal)
            .Select(Json.Name)
            .FirstOrDefault();

    public static bool IsDefault(JsonObject storageClass)
    {
        var annotations = Json.Meta(storageClass)["annotations"] as JsonObject;
        return Json.Str(annotations, DefaultAnnotation) == "true" || Json.Str(annotations, BetaDefaultAnnotation) == "true";
    }
}
