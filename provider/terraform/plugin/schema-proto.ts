// The schema export (`terraform providers schema -json` form) -> the protocol's Schema messages,
// so GetProviderSchema serves exactly what schema-export.ts produces.
import type { AttributeJson, BlockJson, SchemaJson } from "../schema-export.js";

/** Message shapes as @grpc/proto-loader takes them (keepCase, enums by name). */
export interface AttributeMessage {
  name: string;
  type: Buffer;
  nested_type?: { attributes: AttributeMessage[]; nesting: "SINGLE" | "LIST" | "SET" | "MAP" };
  description: string;
  description_kind: "PLAIN";
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  write_only: boolean;
}

export interface SchemaMessage {
  version: number;
  block: { version: number; attributes: AttributeMessage[]; block_types: never[]; description: string; description_kind: "PLAIN" };
}

const NESTING = { single: "SINGLE", list: "LIST", set: "SET", map: "MAP" } as const;

function attributeMessage(name: string, attribute: AttributeJson): AttributeMessage {
  const message: AttributeMessage = {
    name,
    // A nested attribute has no `type`: Terraform derives it from nested_type.
    type: attribute.nested_type ? Buffer.alloc(0) : Buffer.from(JSON.stringify(attribute.type)),
    description: attribute.description ?? "",
    description_kind: "PLAIN",
    required: attribute.required ?? false,
    optional: attribute.optional ?? false,
    computed: attribute.computed ?? false,
    sensitive: attribute.sensitive ?? false,
    write_only: attribute.write_only ?? false,
  };
  if (attribute.nested_type) {
    message.nested_type = { attributes: attributeMessages(attribute.nested_type.attributes), nesting: NESTING[attribute.nested_type.nesting_mode] };
  }
  return message;
}

function attributeMessages(attributes: Record<string, AttributeJson>): AttributeMessage[] {
  return Object.keys(attributes)
    .sort()
    .map((name) => attributeMessage(name, attributes[name]!));
}

function blockMessage(block: BlockJson, version: number): SchemaMessage["block"] {
  return { version, attributes: attributeMessages(block.attributes), block_types: [], description: block.description ?? "", description_kind: "PLAIN" };
}

export function schemaMessage(schema: SchemaJson): SchemaMessage {
  return { version: schema.version, block: blockMessage(schema.block, schema.version) };
}
