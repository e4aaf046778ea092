using k8s.Models;

namespace Kindling.Resources;

/// <summary>The ClusterIP Service in front of Jupyter; <c>kindling notebook</c> port-forwards through it.</summary>
internal static class JupyterService
{
    public static V1Service Build(ManifestInputs inputs) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = StandardLabels.Metadata(inputs, new ResourceNames(inputs.Spec.Name).JupyterService, StandardLabels.JupyterApp, StandardLabels.NotebookComponent),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = StandardLabels.NotebookSelector(inputs.Spec.Name),
            Ports =
            [
                new V1ServicePort
                {
                    Name = NotebookPorts.Jupyter,
                    Protocol = "TCP",
                    Port = inputs.Spec.Notebook.Port,
                    TargetPort = NotebookPorts.Jupyter,
                },
            ],
        },
    };
}
