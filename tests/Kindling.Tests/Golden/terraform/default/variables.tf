variable "name" {
  description = "Environment name (kindling.yaml: name); tags every resource."
  type        = string
  default     = "kindling"
}

variable "region" {
  description = "AWS region (aws.region)."
  type        = string
  default     = "eu-west-1"
}

variable "cluster_name" {
  description = "EKS cluster name (aws.clusterName)."
  type        = string
  default     = "kindling"
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version (aws.kubernetesVersion)."
  type        = string
  default     = "1.35"
}

variable "vpc_cidr" {
  description = "VPC CIDR block (aws.vpcCidr)."
  type        = string
  default     = "10.0.0.0/16"
}

variable "availability_zones" {
  description = "Availability zones with their public and private subnet CIDRs (aws.availabilityZones)."
  type = map(object({
    public_subnet  = string
    private_subnet = string
  }))
  default = {
    "eu-west-1a" = {
      public_subnet  = "10.0.0.0/20"
      private_subnet = "10.0.48.0/20"
    }
    "eu-west-1b" = {
      public_subnet  = "10.0.16.0/20"
      private_subnet = "10.0.64.0/20"
    }
    "eu-west-1c" = {
      public_subnet  = "10.0.32.0/20"
      private_subnet = "10.0.80.0/20"
    }
  }
}

variable "node_instance_type" {
  description = "Instance type of the managed node group (aws.nodeInstanceType)."
  type        = string
  default     = "m5.large"
}

variable "node_min_size" {
  description = "Minimum node count (aws.nodeGroup.min)."
  type        = number
  default     = 1
}

variable "node_desired_size" {
  description = "Desired node count (aws.nodeGroup.desired)."
  type        = number
  default     = 2
}

variable "node_max_size" {
  description = "Maximum node count (aws.nodeGroup.max)."
  type        = number
  default     = 4
}

variable "namespace" {
  description = "Kubernetes namespace of the environment (namespace); the Spark role trusts its ServiceAccount only."
  type        = string
  default     = "kindling"
}

variable "spark_service_account" {
  description = "ServiceAccount of Spark pods, which may assume the Spark role."
  type        = string
  default     = "kindling-spark"
}

variable "s3_buckets" {
  description = "Buckets the Spark role may read and write (aws.s3Buckets and the bucket of spark.fileUploadPath)."
  type        = list(string)
  default     = []
}
variable "api_access_cidrs" {
  description = "CIDRs that may reach the public EKS API (aws.apiAccessCidrs). Without a value in kindling.yaml, 'kindling infra apply' sets it to this machine's public address (/32); never 0.0.0.0/0 by default."
  type        = list(string)
}

variable "private_api" {
  description = "Turn the public API endpoint off (aws.privateApi)."
  type        = bool
  default     = false
}

variable "ecr_prefix" {
  description = "Prefix of the ECR repository names, with its trailing slash (aws.ecrPrefix)."
  type        = string
  default     = ""
}

variable "ecr_force_delete" {
  description = "Let destroy delete ECR repositories that still hold images ('kindling infra destroy --purge-images')."
  type        = bool
  default     = false
}

variable "eks_addons" {
  description = "Create the EKS add-ons (vpc-cni with network policy, aws-ebs-csi-driver) and the executor group's Auto Scaling group tags. False when aws.endpoint points at an emulator, which has no add-on API."
  type        = bool
  default     = true
}

variable "node_disk_size" {
  description = "GiB of each node's encrypted gp3 root volume."
  type        = number
  default     = 50
}

variable "executor_nodes" {
  description = "Create the executor node group (aws.executorNodes)."
  type        = bool
  default     = false
}

variable "executor_instance_types" {
  description = "Instance types of the executor node group (aws.executorNodes.instanceTypes)."
  type        = list(string)
  default     = ["m5.xlarge", "m5a.xlarge", "m6i.xlarge"]
}

variable "executor_capacity_type" {
  description = "SPOT or ON_DEMAND (aws.executorNodes.capacityType)."
  type        = string
  default     = "SPOT"
}

variable "executor_min_size" {
  description = "Minimum executor node count (aws.executorNodes.min)."
  type        = number
  default     = 0
}

variable "executor_max_size" {
  description = "Maximum executor node count (aws.executorNodes.max)."
  type        = number
  default     = 10
}

