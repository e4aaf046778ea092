using k8s.Models;
using Kindling.Spark;

namespace Kindling.Resources;

/// <summary>
/// Inbound traffic to the notebook pod, and nothing more. The pod is both a web server that runs user code and a
/// Spark driver, so it should accept exactly two kinds of connection:
/// <list type="number">
/// <item>Executors calling back to the driver on the fixed RPC and block-manager ports (DESIGN §4). Only pods
/// labelled <c>spark-role=executor</c> (the label Spark puts on every executor pod) in this namespace qualify: a
/// <c>podSelector</c> peer without a <c>namespaceSelector</c> matches the policy's own namespace only, which is
/// where <c>spark.kubernetes.namespace</c> puts the executors.</item>
/// <item>Clients of the Jupyter port: the ClusterIP Service forwards them to it. The peer is left open because
/// Jupyter authenticates every request with the token, and whatever legitimately fronts the Service (an ingress
/// controller, usually in another namespace) cannot be known here.</item>
/// </list>
/// Deliberately not listed:
/// <list type="bullet">
/// <item>the Spark UI port: <c>kindling ui</c> and <c>kindling notebook</c> use port-forward, which the kubelet
/// delivers inside the pod's network namespace, where NetworkPolicy does not apply;</item>
/// <item>kubelet probes: traffic from the pod's own node is always allowed by NetworkPolicy;</item>
/// <item>egress: the driver must reach the API server (to create executors), the executors (RPC replies and task
/// launches) and storage such as S3, whose addresses a policy cannot name, so only Ingress is restricted. Replies
/// on connections the notebook opened are allowed because NetworkPolicy is connection-stateful.</item>
/// </list>
/// </summary>
internal static class NotebookNetworkPolicy
{
    public static V1NetworkPolicy Build(ManifestInputs inputs)
    {
        var spark = inputs.Spec.Spark;
        return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = StandardLabels.Metadata(inputs, new ResourceNames(inputs.Spec.Name).NetworkPolicy, StandardLabels.JupyterApp, "network-policy"),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = StandardLabels.NotebookSelector(inputs.Spec.Name) },
                // Listing Ingress alone makes the pod isolated for ingress (everything not allowed below is
                // dropped) while leaving egress untouched.
                PolicyTypes = ["Ingress"],
                Ingress =
                [
                    new V1NetworkPolicyIngressRule
                    {
                        FromProperty =
                        [
                            new V1NetworkPolicyPeer
                            {
                                PodSelector = new V1LabelSelector
                                {
                                    MatchLabels = new SortedDictionary<string, string>(StringComparer.Ordinal) { [SparkConventions.RoleLabel] = SparkConventions.ExecutorRole },
                                },
                            },
                        ],
                        Ports = [Tcp(spark.DriverPort), Tcp(spark.BlockManagerPort)],
                    },
                    new V1NetworkPolicyIngressRule
                    {
                        // No "from": any peer, but only on the Jupyter port (see the class comment).
                        Ports = [Tcp(inputs.Spec.Notebook.Port)],
                    },
                ],
            },
        };
    }

    private static V1NetworkPolicyPort Tcp(int port) => new() { Protocol = "TCP", Port = port };
}
