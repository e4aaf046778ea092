using k8s;
using k8s.Models;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// Whether a StorageClass's provisioner can provision: for a CSI driver its CSIDriver object (every CSI driver
/// registers one named after the driver, which is also the provisioner name) and, where the driver's controller
/// is known, its running pods. Kubernetes has no generic link from a provisioner name to its pods, so unknown
/// drivers get a warning rather than a guess.
/// </summary>
internal static class ProvisionerPods
{
    /// <summary>
    /// Where known provisioners run their controller (from each project's deployment manifests), in the order they
    /// are looked for: the same provisioner may be installed in different places by different distributions.
    /// </summary>
    private static readonly Dictionary<string, (IReadOnlyList<ControllerPods> Where, string Install)> Known = new(StringComparer.Ordinal)
    {
        // kubernetes-sigs/aws-ebs-csi-driver charts/.../controller.yaml: Deployment ebs-csi-controller, app=ebs-csi-controller.
        ["ebs.csi.aws.com"] = ([new("kube-system", "app=ebs-csi-controller")], "install the aws-ebs-csi-driver EKS add-on (kindling infra apply does on Kindling's EKS)"),
        ["efs.csi.aws.com"] = ([new("kube-system", "app=efs-csi-controller")], "install the aws-efs-csi-driver EKS add-on"),
        // rancher/local-path-provisioner: kind installs it in local-path-storage (its default class 'standard');
        // k3s, hence k3d, Rancher Desktop and OrbStack, in kube-system (k3s manifests/local-storage.yaml, class 'local-path').
        ["rancher.io/local-path"] = ([new("local-path-storage", "app=local-path-provisioner"), new("kube-system", "app=local-path-provisioner")],
            "install rancher/local-path-provisioner (kind and k3s clusters ship it; check that it was not removed)"),
        // minikube's storage-provisioner addon pod.
        ["k8s.io/minikube-hostpath"] = ([new("kube-system", "integration-test=storage-provisioner")], "minikube addons enable storage-provisioner"),
        // Docker Desktop's class 'hostpath': its provisioner is the pod kube-system/storage-provisioner (the Docker
        // container k8s_storage-provisioner_storage-provisioner_kube-system, docker/for-win#7649); it carries no label
        // Kindling could rely on, so it is found by name.
        ["docker.io/hostpath"] = ([new("kube-system", null, "metadata.name=storage-provisioner")],
            "reset Docker Desktop's Kubernetes cluster (Settings > Kubernetes), which reinstalls its storage provisioner"),
    };

    /// <summary>A provisioner's controller pods: a namespace and a label or field selector.</summary>
    private sealed record ControllerPods(string Namespace, string? Labels, string? Fields = null)
    {
        public override string ToString() => $"{Labels ?? Fields} in {Namespace}";
    }

    /// <summary>
    /// In-tree provisioners whose volumes CSI migration hands to a CSI driver (kubernetes.io docs, "CSI migration"):
    /// the in-tree code is gone, so the CSI driver must be installed.
    /// </summary>
    private static readonly Dictionary<string, string> Migrated = new(StringComparer.Ordinal)
    {
        ["kubernetes.io/aws-ebs"] = "ebs.csi.aws.com",
        ["kubernetes.io/gce-pd"] = "pd.csi.storage.gke.io",
        ["kubernetes.io/azure-disk"] = "disk.csi.azure.com",
        ["kubernetes.io/azure-file"] = "file.csi.azure.com",
        ["kubernetes.io/cinder"] = "cinder.csi.openstack.org",
        ["kubernetes.io/vsphere-volume"] = "csi.vsphere.vmware.com",
    };

    /// <summary>Out-of-tree provisioners that are plain controllers, not CSI drivers (no CSIDriver object).</summary>
    private static readonly HashSet<string> NotCsi = new(StringComparer.Ordinal)
    {
        "rancher.io/local-path", "k8s.io/minikube-hostpath", "docker.io/hostpath", "microk8s.io/hostpath", "openebs.io/local",
    };

    public static async Task<CheckResult> CheckAsync(DoctorContext context, string provisioner, CancellationToken cancellationToken)
    {
        const string name = "storage-class";
        if (provisioner == "kubernetes.io/no-provisioner")
            return CheckResult.Warn(name, "static provisioning only: nothing creates volumes", "create a PersistentVolume for the notebooks' PVC yourself, or use a class with a dynamic provisioner");

        var driver = Migrated.GetValueOrDefault(provisioner, provisioner);
        var migrated = driver != provisioner ? $" (in-tree, migrated to the CSI driver {driver})" : "";
        var isCsi = driver != provisioner || (!provisioner.StartsWith("kubernetes.io/", StringComparison.Ordinal) && !NotCsi.Contains(provisioner));
        if (isCsi)
        {
            V1CSIDriver? registered;
            try
            {
                registered = await context.Connection.TryCallAsync($"read CSIDriver {driver}",
                    (k, ct) => k.StorageV1.ReadCSIDriverAsync(driver, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.StatusCode == 403)
            {
                return CheckResult.Warn(name, $"cannot read CSIDriver {driver}{migrated} (forbidden), so its installation was not verified", "run kindling doctor with an identity that may read storage.k8s.io objects");
            }
            if (registered is null)
                return CheckResult.Fail(name, $"no CSIDriver {driver} is registered{migrated}: the driver is not installed, and volumes of this class are never provisioned",
                    Known.TryGetValue(driver, out var k) ? k.Install : $"install the CSI driver {driver}, or use another StorageClass");
        }

        if (!Known.TryGetValue(driver, out var where))
            return isCsi
                ? CheckResult.Warn(name, $"CSIDriver {driver} is registered{migrated}; its controller pods are not known to Kindling, so they were not checked",
                    $"check that its controller runs: kubectl get pods -A | grep {driver.Split('.')[0]}")
                : CheckResult.Warn(name, "its pods are not known to Kindling, so they were not checked", "check that the provisioner runs");

        var (locations, install) = where;
        IList<V1Pod> pods = [];
        ControllerPods searched = locations[0];
        foreach (var location in locations)
        {
            searched = location;
            try
            {
                pods = (await context.Connection.CallAsync($"list pods in {location.Namespace}",
                    (k, ct) => k.CoreV1.ListNamespacedPodAsync(location.Namespace, labelSelector: location.Labels, fieldSelector: location.Fields, cancellationToken: ct),
                    cancellationToken).ConfigureAwait(false)).Items;
            }
            catch (KubernetesApiException e) when (e.StatusCode == 403)
            {
                return CheckResult.Warn(name, $"cannot list pods in {location.Namespace} (forbidden), so the provisioner's pods were not checked", "run kindling doctor with an identity that may read them");
            }
            catch (KubernetesApiException e) when (e.StatusCode == 404)
            {
                // The namespace does not exist: this distribution installs it elsewhere.
                pods = [];
            }
            if (pods.Count > 0) break;
        }

        var running = pods.Count(p => p.Status?.Phase == "Running" && p.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
        var looked = pods.Count > 0 ? searched.ToString() : string.Join("; ", locations);
        return running > 0
            ? CheckResult.Ok(name, $"{running} of {pods.Count} controller pod(s) ({searched}) running{migrated}")
            : CheckResult.Fail(name, $"no running controller pod ({looked}; {pods.Count} found){migrated}: volumes would stay Pending",
                $"kubectl -n {searched.Namespace} describe pods {(searched.Labels is { } l ? $"-l {l}" : $"--field-selector {searched.Fields}")}; {install}");
    }
}
