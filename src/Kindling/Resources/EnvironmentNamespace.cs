using k8s.Models;
using Kindling.Spark;

namespace Kindling.Resources;

/// <summary>The Namespace every other object lives in.</summary>
internal static class EnvironmentNamespace
{
    public static V1Namespace Build(ManifestInputs inputs)
    {
        var labels = StandardLabels.For(inputs.Spec.Name, "kindling", "namespace");
        // Pod Security Admission enforces the "restricted" profile: the notebook pod, every driver pod and (through
        // the executor pod template) every executor pod Kindling starts meets it (SparkPodSecurity), and anything
        // else a user starts in the namespace must meet it too.
        labels[SparkPodSecurity.EnforceLabel] = SparkPodSecurity.RestrictedLevel;
        return new V1Namespace
        {
            ApiVersion = "v1",
            Kind = "Namespace",
            Metadata = new V1ObjectMeta { Name = inputs.Spec.Namespace, Labels = labels },
        };
    }
}
