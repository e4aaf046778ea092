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
  default     = "1.31"
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
