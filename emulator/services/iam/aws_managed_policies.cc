#include "services/iam/aws_managed_policies.h"

namespace gee::iam {
namespace {

constexpr std::string_view kAdministratorAccess = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
})";

constexpr std::string_view kPowerUserAccess = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "NotAction": [
        "iam:*",
        "organizations:*",
        "account:*"
      ],
      "Resource": "*"
    },
    {
      "Effect": "Allow",
      "Action": [
        "iam:CreateServiceLinkedRole",
        "iam:DeleteServiceLinkedRole",
        "iam:ListRoles",
        "organizations:DescribeOrganization",
        "account:ListRegions",
        "account:GetAccountInformation"
      ],
      "Resource": "*"
    }
  ]
})";

constexpr std::string_view kIamFullAccess = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "iam:*",
        "organizations:DescribeAccount",
        "organizations:DescribeOrganization",
        "organizations:DescribeOrganizationalUnit",
        "organizations:DescribePolicy",
        "organizations:ListChildren",
        "organizations:ListParents",
        "organizations:ListPoliciesForTarget",
        "organizations:ListRoots",
        "organizations:ListPolicies",
        "organizations:ListTargetsForPolicy"
      ],
      "Resource": "*"
    }
  ]
})";

constexpr std::string_view kIamReadOnlyAccess = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "iam:GenerateCredentialReport",
        "iam:GenerateServiceLastAccessedDetails",
        "iam:Get*",
        "iam:List*",
        "iam:SimulateCustomPolicy",
        "iam:SimulatePrincipalPolicy"
      ],
      "Resource": "*"
    }
  ]
})";

constexpr std::string_view kS3FullAccess = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:*",
        "s3-object-lambda:*"
      ],
      "Resource": "*"
    }
  ]
})";

constexpr std::string_view kS3ReadOnlyAccess = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:Get*",
        "s3:List*",
        "s3:Describe*",
        "s3-object-lambda:Get*",
        "s3-object-lambda:List*"
      ],
      "Resource": "*"
    }
  ]
})";

constexpr std::string_view kKmsPowerUser = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "kms:CreateAlias",
        "kms:CreateKey",
        "kms:DeleteAlias",
        "kms:Describe*",
        "kms:GenerateRandom",
        "kms:Get*",
        "kms:List*",
        "kms:TagResource",
        "kms:UntagResource",
        "iam:ListGroups",
        "iam:ListRoles",
        "iam:ListUsers"
      ],
      "Resource": "*"
    }
  ]
})";

constexpr std::string_view kCloudWatchLogsFullAccess = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "logs:*"
      ],
      "Resource": "*"
    }
  ]
})";

// The Glue service role policy: Glue, the S3 locations named aws-glue-*,
// CloudWatch Logs under /aws-glue/, and read-only networking calls. It grants
// no KMS permission: encryption setups add their own.
constexpr std::string_view kAwsGlueServiceRole = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "glue:*",
        "s3:GetBucketLocation",
        "s3:ListBucket",
        "s3:ListAllMyBuckets",
        "s3:GetBucketAcl",
        "ec2:DescribeVpcEndpoints",
        "ec2:DescribeRouteTables",
        "ec2:CreateNetworkInterface",
        "ec2:DeleteNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeVpcAttribute",
        "iam:ListRolePolicies",
        "iam:GetRole",
        "iam:GetRolePolicy",
        "cloudwatch:PutMetricData"
      ],
      "Resource": [
        "*"
      ]
    },
    {
      "Effect": "Allow",
      "Action": [
        "s3:CreateBucket"
      ],
      "Resource": [
        "arn:aws:s3:::aws-glue-*"
      ]
    },
    {
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject"
      ],
      "Resource": [
        "arn:aws:s3:::aws-glue-*/*",
        "arn:aws:s3:::*/*aws-glue-*/*"
      ]
    },
    {
      "Effect": "Allow",
      "Action": [
        "s3:GetObject"
      ],
      "Resource": [
        "arn:aws:s3:::crawler-public*",
        "arn:aws:s3:::aws-glue-*"
      ]
    },
    {
      "Effect": "Allow",
      "Action": [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents"
      ],
      "Resource": [
        "arn:aws:logs:*:*:*:/aws-glue/*"
      ]
    },
    {
      "Effect": "Allow",
      "Action": [
        "ec2:CreateTags",
        "ec2:DeleteTags"
      ],
      "Condition": {
        "ForAllValues:StringEquals": {
          "aws:TagKeys": [
            "aws-glue-service-resource"
          ]
        }
      },
      "Resource": [
        "arn:aws:ec2:*:*:network-interface/*",
        "arn:aws:ec2:*:*:security-group/*",
        "arn:aws:ec2:*:*:instance/*"
      ]
    }
  ]
})";

}  // namespace

const std::vector<AwsManagedPolicy>& AwsManagedPolicies() {
  static const std::vector<AwsManagedPolicy> policies = {
      {"AdministratorAccess", "/", "arn:aws:iam::aws:policy/AdministratorAccess",
       "ANPAIWMBCKSKIEE64ZLYK", "Provides full access to AWS services and resources.", "v1",
       kAdministratorAccess},
      {"PowerUserAccess", "/", "arn:aws:iam::aws:policy/PowerUserAccess", "ANPAJYRXTHIB4FOVS3ZXS",
       "Provides full access to AWS services and resources, but does not allow management of "
       "Users and groups.",
       "v5", kPowerUserAccess},
      {"IAMFullAccess", "/", "arn:aws:iam::aws:policy/IAMFullAccess", "ANPAI7XKCFMBPM3QQRRVQ",
       "Provides full access to IAM via the AWS Management Console.", "v2", kIamFullAccess},
      {"IAMReadOnlyAccess", "/", "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
       "ANPAJKSO7NDY4T57MWDSQ", "Provides read only access to IAM via the AWS Management Console.",
       "v4", kIamReadOnlyAccess},
      {"AmazonS3FullAccess", "/", "arn:aws:iam::aws:policy/AmazonS3FullAccess",
       "ANPAIFIR6V6BVTRAHWINE", "Provides full access to all buckets via the AWS Management Console.",
       "v2", kS3FullAccess},
      {"AmazonS3ReadOnlyAccess", "/", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
       "ANPAIZTJ4DXE7G6AGAE6M",
       "Provides read only access to all buckets via the AWS Management Console.", "v3",
       kS3ReadOnlyAccess},
      {"AWSKeyManagementServicePowerUser", "/",
       "arn:aws:iam::aws:policy/AWSKeyManagementServicePowerUser", "ANPAJNPP7PPPPMJRV2SA4",
       "Provides access to AWS Key Management Service (KMS).", "v2", kKmsPowerUser},
      {"CloudWatchLogsFullAccess", "/", "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess",
       "ANPAJ3ZGNWK2R5HW5BQFO", "Provides full access to CloudWatch Logs", "v1",
       kCloudWatchLogsFullAccess},
      {"AWSGlueServiceRole", "/service-role/",
       "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole", "ANPAJCQYAVTTYZXP4XCLM",
       "Policy for AWS Glue service role which allows access to related services including EC2, "
       "S3, and Cloudwatch Logs",
       "v6", kAwsGlueServiceRole},
  };
  return policies;
}

const AwsManagedPolicy* FindAwsManagedPolicy(std::string_view arn) {
  for (const AwsManagedPolicy& p : AwsManagedPolicies()) {
    if (p.arn == arn) return &p;
  }
  return nullptr;
}

}  // namespace gee::iam
