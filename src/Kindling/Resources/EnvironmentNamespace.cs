using k8s.Models;

namespace Kindling.Resources;

/// <summary>The Namespace every other object lives in.</summary>
internal static class EnvironmentNamespace
{
    public static V1Namespace Build(ManifestInputs inputs)
    {
        var labels = StandardLabels.For(inputs.Spec.Name, "kindling", "namespace");
        // Pod Security Admission: both the notebook pod and the executor pods Spark creates meet the "baseline"
        // profile (no privileged, host namespaces or hostPath). "restricted" would reject Spark's executor pods,
        // which carry no securityContext, so baseline is the strictest level that keeps Spark working.
        labels["pod-security.kubernetes.io/enforce"] = "baseline";
        return new V1Namespace
        {
            ApiVersion = "v1",
            Kind = "Namespace",
            Metadata = new V1ObjectMeta { Name = inputs.Spec.Namespace, Labels = labels },
        };
    }
}
