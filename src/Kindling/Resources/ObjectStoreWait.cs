using k8s.Models;

namespace Kindling.Resources;

/// <summary>
/// An init container that waits until the store answers through its Service. A Service routes only to Ready pods,
/// and the store pod is Ready only after its <c>postStart</c> hook has created the buckets and log directories, so
/// an answer means the directories exist. It runs the store's own image, which has <c>curl</c>, under the pod's
/// restricted security context.
/// </summary>
internal static class ObjectStoreWait
{
    public const string ContainerName = "wait-for-object-store";

    public static V1Container Container(ManifestInputs inputs)
    {
        var url = ObjectStoreNames.Endpoint(inputs.Spec.Name, inputs.Spec.Namespace) + ObjectStoreDeployment.HealthPath;
        return new V1Container
        {
            Name = ContainerName,
            Image = inputs.Spec.Storage.Image,
            ImagePullPolicy = "IfNotPresent",
            Command = ["/bin/sh", "-c", $"until curl -s -o /dev/null --max-time 3 '{url}'; do echo 'waiting for the object store at {url}'; sleep 2; done"],
            Resources = new V1ResourceRequirements
            {
                Requests = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new("10m"), ["memory"] = new("16Mi") },
                Limits = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new("100m"), ["memory"] = new("32Mi") },
            },
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                RunAsNonRoot = true,
                ReadOnlyRootFilesystem = true,
            },
        };
    }
}
