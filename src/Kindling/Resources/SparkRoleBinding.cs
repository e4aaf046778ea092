using k8s.Models;

namespace Kindling.Resources;

/// <summary>Binds <see cref="SparkRole"/> to <see cref="SparkServiceAccount"/> in the environment's namespace.</summary>
internal static class SparkRoleBinding
{
    public static V1RoleBinding Build(ManifestInputs inputs)
    {
        var names = new ResourceNames(inputs.Spec.Name);
        return new V1RoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "RoleBinding",
            Metadata = StandardLabels.Metadata(inputs, names.RoleBinding, StandardLabels.SparkApp, "rbac"),
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = names.Role },
            Subjects =
            [
                new Rbacv1Subject { Kind = "ServiceAccount", Name = names.ServiceAccount, NamespaceProperty = inputs.Spec.Namespace },
            ],
        };
    }
}
