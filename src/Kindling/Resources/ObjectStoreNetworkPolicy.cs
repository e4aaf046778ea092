using k8s.Models;
using Kindling.Spark;

namespace Kindling.Resources;

/// <summary>
/// Who may reach the store's S3 port: the notebook pod, the driver and executor pods Spark creates (labelled
/// <c>spark-role</c>), and the History Server, all in this namespace (a <c>podSelector</c> peer without a
/// <c>namespaceSelector</c> matches the policy's own namespace only). Nothing else: the credentials are the store's
/// admin identity. <c>doctor</c> checks the store through port-forward, which the kubelet delivers inside the pod's
/// network namespace where NetworkPolicy does not apply, and probes come from the node, which is always allowed.
/// </summary>
internal static class ObjectStoreNetworkPolicy
{
    public static V1NetworkPolicy Build(ManifestInputs inputs)
    {
        var name = inputs.Spec.Name;
        return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = StandardLabels.Metadata(inputs, ObjectStoreNames.Of(name), ObjectStoreNames.App, "network-policy"),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = ObjectStoreNames.Selector(name) },
                PolicyTypes = ["Ingress"],
                Ingress =
                [
                    new V1NetworkPolicyIngressRule
                    {
                        FromProperty =
                        [
                            new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = StandardLabels.NotebookSelector(name) } },
                            new V1NetworkPolicyPeer
                            {
                                PodSelector = new V1LabelSelector
                                {
                                    MatchExpressions =
                                    [
                                        new V1LabelSelectorRequirement
                                        {
                                            Key = SparkConventions.RoleLabel,
                                            OperatorProperty = "In",
                                            Values = [SparkConventions.DriverRole, SparkConventions.ExecutorRole],
                                        },
                                    ],
                                },
                            },
                            new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = HistoryServerNames.Selector(name) } },
                        ],
                        Ports = [new V1NetworkPolicyPort { Protocol = "TCP", Port = ObjectStoreNames.Port }],
                    },
                ],
            },
        };
    }
}
