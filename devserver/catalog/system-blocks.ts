// The block types a Prefect 3.8 server registers at startup, with their block schemas, as
// data. A real server installs five protected types (`_install_protected_system_blocks`:
// webhook, json, date-time, secret, local-file-system), then every block class of its client
// registry (slack-webhook, custom-webhook, string, ...; not protected), then the collection
// blocks bundled in `collection_blocks_data.json` (aws-credentials, github-credentials, ...;
// not protected). This catalog keeps the ones the product uses.
//
// Sources: type metadata and schema fields from Prefect's collection registry
// (views/aggregate-block-metadata.json, core blocks as of 3.4.20; collection blocks as bundled
// with the server: prefect-aws 0.4.14, prefect-github 0.2.2), custom-webhook from
// prefect/blocks/notifications.py. Checksums are computed from `fields` (see checksum.ts) and
// match the registry's for every block taken from it.
import { DEVSERVER_VERSION_INFO } from "../version.js";

export interface SystemBlockType {
  name: string;
  slug: string;
  logo_url: string | null;
  documentation_url: string | null;
  description: string | null;
  code_example: string | null;
}

export interface SystemBlock {
  type: SystemBlockType;
  /** Installed by `POST /block_types/install_system_block_types`; cannot be deleted. */
  isProtected: boolean;
  schema: {
    fields: Record<string, unknown>;
    capabilities: string[];
    /** The package version the block class came from (Prefect's own for core blocks). */
    version: string;
  };
}

/** Core blocks are registered with the server's own version (`packaging` base version). */
const PREFECT_VERSION = DEVSERVER_VERSION_INFO.prefect_version;
const NOTIFICATIONS_DOCS = "https://docs.prefect.io/latest/automate/events/automations-triggers#sending-notifications-with-automations";
const BLOCKS_DOCS = "https://docs.prefect.io/latest/develop/blocks";
const NOTIFY_TYPE = {
  default: "info",
  description: "The type of notification being performed.",
  enum: ["info", "success", "warning", "failure"],
  title: "Notify Type",
  type: "string",
};
const ALLOW_PRIVATE_URLS = {
  default: true,
  description: "Whether to allow notifications to private URLs. Defaults to True.",
  title: "Allow Private Urls",
  type: "boolean",
};
const OPTIONAL_STRING_MAP = [{ additionalProperties: { type: "string" }, type: "object" }, { type: "null" }];
const CUSTOM_WEBHOOK_TEMPLATE_EXAMPLE = '{"text": "{{subject}}\\n{{body}}", "title": "{{name}}", "token": "{{tokenFromSecrets}}"}';
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

const webhook: SystemBlock = {
  isProtected: true,
  type: {
    name: "Webhook",
    slug: "webhook",
    logo_url: "https://cdn.sanity.io/images/3ugk85nk/production/c7247cb359eb6cf276734d4b1fbf00fb8930e89e-250x250.png",
    documentation_url: "https://docs.prefect.io/latest/automate/events/webhook-triggers",
    description: "Block that enables calling webhooks.",
    code_example: '```python\nfrom prefect.blocks.webhook import Webhook\n\nwebhook_block = Webhook.load("BLOCK_NAME")\n```',
  },
  schema: {
    fields: {
      block_schema_references: {},
      block_type_slug: "webhook",
      description: "Block that enables calling webhooks.",
      properties: {
        method: { default: "POST", description: "The webhook request method. Defaults to `POST`.", enum: HTTP_METHODS, title: "Method", type: "string" },
        url: {
          description: "The webhook URL.",
          examples: ["https://hooks.slack.com/XXX"],
          format: "password",
          title: "Webhook URL",
          type: "string",
          writeOnly: true,
        },
        headers: { description: "A dictionary of headers to send with the webhook request.", title: "Webhook Headers", type: "object" },
        allow_private_urls: ALLOW_PRIVATE_URLS,
        verify: { default: true, description: "Whether or not to enforce a secure connection to the webhook.", title: "Verify", type: "boolean" },
      },
      required: ["url"],
      secret_fields: ["url", "headers.*"],
      title: "Webhook",
      type: "object",
    },
    capabilities: [],
    version: PREFECT_VERSION,
  },
};

const json: SystemBlock = {
  isProtected: true,
  type: {
    name: "JSON",
    slug: "json",
    logo_url: "https://cdn.sanity.io/images/3ugk85nk/production/4fcef2294b6eeb423b1332d1ece5156bf296ff96-48x48.png",
    documentation_url: BLOCKS_DOCS,
    description: "A block that represents JSON. Deprecated, please use Variables to store JSON data instead.",
    code_example: 'Load a stored JSON value:\n```python\nfrom prefect.blocks.system import JSON\n\njson_block = JSON.load("BLOCK_NAME")\n```',
  },
  schema: {
    fields: {
      block_schema_references: {},
      block_type_slug: "json",
      description: "A block that represents JSON. Deprecated, please use Variables to store JSON data instead.",
      properties: { value: { description: "A JSON-compatible value.", title: "Value" } },
      required: ["value"],
      secret_fields: [],
      title: "JSON",
      type: "object",
    },
    capabilities: [],
    version: PREFECT_VERSION,
  },
};

const dateTime: SystemBlock = {
  isProtected: true,
  type: {
    name: "Date Time",
    slug: "date-time",
    logo_url: "https://cdn.sanity.io/images/3ugk85nk/production/8b3da9a6621e92108b8e6a75b82e15374e170ff7-48x48.png",
    documentation_url: BLOCKS_DOCS,
    description: "A block that represents a datetime. Deprecated, please use Variables to store datetime data instead.",
    code_example:
      'Load a stored JSON value:\n```python\nfrom prefect.blocks.system import DateTime\n\ndata_time_block = DateTime.load("BLOCK_NAME")\n```',
  },
  schema: {
    fields: {
      block_schema_references: {},
      block_type_slug: "date-time",
      description: "A block that represents a datetime. Deprecated, please use Variables to store datetime data instead.",
      properties: { value: { description: "An ISO 8601-compatible datetime value.", format: "date-time", title: "Value", type: "string" } },
      required: ["value"],
      secret_fields: [],
      title: "DateTime",
      type: "object",
    },
    capabilities: [],
    version: PREFECT_VERSION,
  },
};

const secret: SystemBlock = {
  isProtected: true,
  type: {
    name: "Secret",
    slug: "secret",
    logo_url: "https://cdn.sanity.io/images/3ugk85nk/production/c6f20e556dd16effda9df16551feecfb5822092b-48x48.png",
    documentation_url: BLOCKS_DOCS,
    description:
      "A block that represents a secret value. The value stored in this block will be obfuscated when this block is viewed or edited in the UI.",
    code_example:
      '```python\nfrom prefect.blocks.system import Secret\n\nSecret(value="sk-1234567890").save("BLOCK_NAME", overwrite=True)\n\nsecret_block = Secret.load("BLOCK_NAME")\n\n# Access the stored secret\nsecret_block.get()\n```',
  },
  schema: {
    fields: {
      block_schema_references: {},
      block_type_slug: "secret",
      description:
        "A block that represents a secret value. The value stored in this block will be obfuscated when this block is viewed or edited in the UI.",
      properties: {
        value: {
          anyOf: [
            { format: "password", type: "string", writeOnly: true },
            { title: "string", type: "string" },
            { $ref: "#/definitions/JsonValue", title: "JSON" },
          ],
          description: "A value that should be kept secret.",
          examples: ["sk-1234567890", { password: "s3cr3t", username: "johndoe" }],
          format: "password",
          title: "Value",
          writeOnly: true,
        },
      },
      required: ["value"],
      // Listed twice on a real server: the field is a union of SecretStr and Secret[...].
      secret_fields: ["value", "value"],
      title: "Secret",
      type: "object",
      definitions: { JsonValue: {} },
    },
    capabilities: [],
    version: PREFECT_VERSION,
  },
};

const localFileSystem: SystemBlock = {
  isProtected: true,
  type: {
    name: "Local File System",
    slug: "local-file-system",
    logo_url: "https://cdn.sanity.io/images/3ugk85nk/production/ad39089fa66d273b943394a68f003f7a19aa850e-48x48.png",
    documentation_url: "https://docs.prefect.io/latest/develop/results#specifying-a-default-filesystem",
    description: "Store data as a file on a local file system.",
    code_example:
      'Load stored local file system config:\n```python\nfrom prefect.filesystems import LocalFileSystem\n\nlocal_file_system_block = LocalFileSystem.load("BLOCK_NAME")\n```',
  },
  schema: {
    fields: {
      block_schema_references: {},
      block_type_slug: "local-file-system",
      description: "Store data as a file on a local file system.",
      properties: {
        basepath: {
          anyOf: [{ type: "string" }, { type: "null" }],
          default: null,
          description: "Default local path for this block to write to.",
          title: "Basepath",
        },
      },
      secret_fields: [],
      title: "LocalFileSystem",
      type: "object",
    },
    capabilities: ["get-directory", "put-directory", "read-path", "write-path"],
    version: PREFECT_VERSION,
  },
};

const string: SystemBlock = {
  isProtected: false,
  type: {
    name: "String",
    slug: "string",
    logo_url: "https://cdn.sanity.io/images/3ugk85nk/production/c262ea2c80a2c043564e8763f3370c3db5a6b3e6-48x48.png",
    documentation_url: BLOCKS_DOCS,
    description: "A block that represents a string. Deprecated, please use Variables to store string data instead.",
    code_example: 'Load a stored string value:\n```python\nfrom prefect.blocks.system import String\n\nstring_block = String.load("BLOCK_NAME")\n```',
  },
  schema: {
    fields: {
      block_schema_references: {},
      block_type_slug: "string",
      description: "A block that represents a string. Deprecated, please use Variables to store string data instead.",
      properties: { value: { description: "A string value.", title: "Value", type: "string" } },
      required: ["value"],
      secret_fields: [],
      title: "String",
      type: "object",
    },
    capabilities: [],
    version: PREFECT_VERSION,
  },
};

const slackWebhook: SystemBlock = {
  isProtected: false,
  type: {
    name: "Slack Webhook",
    slug: "slack-webhook",
    logo_url: "https://cdn.sanity.io/images/3ugk85nk/production/c1965ecbf8704ee1ea20d77786de9a41ce1087d1-500x500.png",
    documentation_url: NOTIFICATIONS_DOCS,
    description: "Enables sending notifications via a provided Slack webhook.",
    code_example:
      'Load a saved Slack webhook and send a message:\n```python\nfrom prefect.blocks.notifications import SlackWebhook\n\nslack_webhook_block = SlackWebhook.load("BLOCK_NAME")\nslack_webhook_block.notify("Hello from Prefect!")\n```',
  },
  schema: {
    fields: {
      block_schema_references: {},
      block_type_slug: "slack-webhook",
      description: "Enables sending notifications via a provided Slack webhook.",
      properties: {
        notify_type: NOTIFY_TYPE,
        url: {
          description: "Slack incoming webhook URL used to send notifications.",
          examples: ["https://hooks.slack.com/XXX"],
          format: "password",
          title: "Webhook URL",
          type: "string",
          writeOnly: true,
        },
        allow_private_urls: ALLOW_PRIVATE_URLS,
      },
      required: ["url"],
      secret_fields: ["url"],
      title: "SlackWebhook",
      type: "object",
    },
    capabilities: ["notify"],
    version: PREFECT_VERSION,
  },
};

const CUSTOM_WEBHOOK_DESCRIPTION =
  "Enables sending notifications via any custom webhook.\n\nAll nested string param contains `{{key}}` will be substituted with value from context/secrets.\n\nContext values include: `subject`, `body` and `name`.";

const customWebhook: SystemBlock = {
  isProtected: false,
  type: {
    name: "Custom Webhook",
    slug: "custom-webhook",
    logo_url: "https://cdn.sanity.io/images/3ugk85nk/production/c7247cb359eb6cf276734d4b1fbf00fb8930e89e-250x250.png",
    documentation_url: NOTIFICATIONS_DOCS,
    description: CUSTOM_WEBHOOK_DESCRIPTION,
    code_example:
      'Load a saved custom webhook and send a message:\n```python\nfrom prefect.blocks.notifications import CustomWebhookNotificationBlock\n\ncustom_webhook_block = CustomWebhookNotificationBlock.load("BLOCK_NAME")\n\ncustom_webhook_block.notify("Hello from Prefect!")\n```',
  },
  schema: {
    fields: {
      block_schema_references: {},
      block_type_slug: "custom-webhook",
      description: CUSTOM_WEBHOOK_DESCRIPTION,
      properties: {
        name: { description: "Name of the webhook.", title: "Name", type: "string" },
        url: { description: "The webhook URL.", examples: ["https://hooks.slack.com/XXX"], title: "Webhook URL", type: "string" },
        method: { default: "POST", description: "The webhook request method. Defaults to `POST`.", enum: HTTP_METHODS, title: "Method", type: "string" },
        params: { anyOf: OPTIONAL_STRING_MAP, default: null, description: "Custom query params.", title: "Query Params" },
        json_data: {
          anyOf: [{ type: "object" }, { type: "null" }],
          default: null,
          description: "Send json data as payload.",
          examples: [CUSTOM_WEBHOOK_TEMPLATE_EXAMPLE],
          title: "JSON Data",
        },
        form_data: {
          anyOf: OPTIONAL_STRING_MAP,
          default: null,
          description: "Send form data as payload. Should not be used together with _JSON Data_.",
          examples: [CUSTOM_WEBHOOK_TEMPLATE_EXAMPLE],
          title: "Form Data",
        },
        headers: { anyOf: OPTIONAL_STRING_MAP, default: null, description: "Custom headers.", title: "Headers" },
        cookies: { anyOf: OPTIONAL_STRING_MAP, default: null, description: "Custom cookies.", title: "Cookies" },
        timeout: { default: 10, description: "Request timeout in seconds. Defaults to 10.", title: "Timeout", type: "number" },
        secrets: {
          description: "A dictionary of secret values to be substituted in other configs.",
          examples: ['{"tokenFromSecrets":"SomeSecretToken"}'],
          title: "Custom Secret Values",
          type: "object",
        },
      },
      required: ["name", "url"],
      secret_fields: ["secrets.*"],
      title: "CustomWebhookNotificationBlock",
      type: "object",
    },
    capabilities: ["notify"],
    version: PREFECT_VERSION,
  },
};

const AWS_CREDENTIALS_DESCRIPTION =
  "Block used to manage authentication with AWS. AWS authentication is\nhandled via the `boto3` module. Refer to the\n[boto3 docs](https://boto3.amazonaws.com/v1/documentation/api/latest/guide/credentials.html)\nfor more info about the possible credential configurations.";

const AWS_CLIENT_PARAMETERS_DESCRIPTION =
  "Model used to manage extra parameters that you can pass when you initialize\nthe Client. If you want to find more information, see\n[boto3 docs](https://boto3.amazonaws.com/v1/documentation/api/latest/reference/core/session.html)\nfor more info about the possible client configurations.\n\nAttributes:\n    api_version: The API version to use. By default, botocore will\n        use the latest API version when creating a client. You only need\n        to specify this parameter if you want to use a previous API version\n        of the client.\n    use_ssl: Whether or not to use SSL. By default, SSL is used.\n        Note that not all services support non-ssl connections.\n    verify: Whether or not to verify SSL certificates. By default\n        SSL certificates are verified. If False, SSL will still be used\n        (unless use_ssl is False), but SSL certificates\n        will not be verified. Passing a file path to this is deprecated.\n    verify_cert_path: A filename of the CA cert bundle to\n        use. You can specify this argument if you want to use a\n        different CA cert bundle than the one used by botocore.\n    endpoint_url: The complete URL to use for the constructed\n        client. Normally, botocore will automatically construct the\n        appropriate URL to use when communicating with a service. You\n        can specify a complete URL (including the \"http/https\" scheme)\n        to override this behavior. If this value is provided,\n        then ``use_ssl`` is ignored.\n    config: Advanced configuration for Botocore clients. See\n        [botocore docs](https://botocore.amazonaws.com/v1/documentation/api/latest/reference/config.html)\n        for more details.";

const awsCredentials: SystemBlock = {
  isProtected: false,
  type: {
    name: "AWS Credentials",
    slug: "aws-credentials",
    logo_url: "https://cdn.sanity.io/images/3ugk85nk/production/d74b16fe84ce626345adf235a47008fea2869a60-225x225.png",
    documentation_url: "https://prefecthq.github.io/prefect-aws/credentials/#prefect_aws.credentials.AwsCredentials",
    description: `${AWS_CREDENTIALS_DESCRIPTION.replace(/\.$/, "")}. This block is part of the prefect-aws collection. Install prefect-aws with \`pip install prefect-aws\` to use this block.`,
    code_example: 'Load stored AWS credentials:\n```python\nfrom prefect_aws import AwsCredentials\n\naws_credentials_block = AwsCredentials.load("BLOCK_NAME")\n```',
  },
  schema: {
    fields: {
      title: "AwsCredentials",
      description: AWS_CREDENTIALS_DESCRIPTION,
      type: "object",
      properties: {
        aws_access_key_id: { title: "AWS Access Key ID", description: "A specific AWS access key ID.", type: "string" },
        aws_secret_access_key: {
          title: "AWS Access Key Secret",
          description: "A specific AWS secret access key.",
          type: "string",
          writeOnly: true,
          format: "password",
        },
        aws_session_token: {
          title: "AWS Session Token",
          description: "The session key for your AWS account. This is only needed when you are using temporary credentials.",
          type: "string",
        },
        profile_name: { title: "Profile Name", description: "The profile to use when creating your session.", type: "string" },
        region_name: { title: "Region Name", description: "The AWS Region where you want to create new connections.", type: "string" },
        aws_client_parameters: {
          title: "AWS Client Parameters",
          description: "Extra parameters to initialize the Client.",
          allOf: [{ $ref: "#/definitions/AwsClientParameters" }],
        },
      },
      block_type_slug: "aws-credentials",
      secret_fields: ["aws_secret_access_key"],
      block_schema_references: {},
      definitions: {
        AwsClientParameters: {
          title: "AwsClientParameters",
          description: AWS_CLIENT_PARAMETERS_DESCRIPTION,
          type: "object",
          properties: {
            api_version: { title: "API Version", description: "The API version to use.", type: "string" },
            use_ssl: { title: "Use SSL", description: "Whether or not to use SSL.", default: true, type: "boolean" },
            verify: {
              title: "Verify",
              description: "Whether or not to verify SSL certificates.",
              default: true,
              anyOf: [{ type: "boolean" }, { type: "string", format: "file-path" }],
            },
            verify_cert_path: {
              title: "Certificate Authority Bundle File Path",
              description: "Path to the CA cert bundle to use.",
              format: "file-path",
              type: "string",
            },
            endpoint_url: { title: "Endpoint URL", description: "The complete URL to use for the constructed client.", type: "string" },
            config: { title: "Botocore Config", description: "Advanced configuration for Botocore clients.", type: "object" },
          },
        },
      },
    },
    capabilities: [],
    version: "0.4.14",
  },
};

const githubCredentials: SystemBlock = {
  isProtected: false,
  type: {
    name: "GitHub Credentials",
    slug: "github-credentials",
    logo_url: "https://cdn.sanity.io/images/3ugk85nk/production/41971cfecfea5f79ff334164f06ecb34d1038dd4-250x250.png",
    documentation_url: "https://prefecthq.github.io/prefect-github/credentials/#prefect_github.credentials.GitHubCredentials",
    description:
      "Block used to manage GitHub authentication. This block is part of the prefect-github collection. Install prefect-github with `pip install prefect-github` to use this block.",
    code_example:
      'Load stored GitHub credentials:\n```python\nfrom prefect_github import GitHubCredentials\ngithub_credentials_block = GitHubCredentials.load("BLOCK_NAME")\n```',
  },
  schema: {
    fields: {
      title: "GitHubCredentials",
      description: "Block used to manage GitHub authentication.",
      type: "object",
      properties: {
        token: { title: "Token", description: "A GitHub personal access token (PAT).", type: "string", writeOnly: true, format: "password" },
      },
      block_type_slug: "github-credentials",
      secret_fields: ["token"],
      block_schema_references: {},
    },
    capabilities: [],
    version: "0.2.2",
  },
};

/** In the order a real server installs them: protected system blocks, client registry blocks, collection blocks. */
export const SYSTEM_BLOCKS: readonly SystemBlock[] = [
  webhook,
  json,
  dateTime,
  secret,
  localFileSystem,
  string,
  slackWebhook,
  customWebhook,
  awsCredentials,
  githubCredentials,
];
