// The value type a schema implies: a block is an object of its attributes; a nested attribute is
// an object (single), or a list, set or map of objects, by its nesting mode.
import type { AttributeJson, BlockJson } from "../../schema-export.js";
import { parseCtyType, type CtyType } from "./cty-type.js";

/** Nesting modes as the schema JSON names them; "map" is Terraform's, which our kinds do not use yet. */
type NestingMode = "single" | "list" | "set" | "map";

export function attributeType(attribute: AttributeJson): CtyType {
  if (attribute.nested_type) {
    const element: CtyType = { object: attributesType(attribute.nested_type.attributes) };
    const mode = attribute.nested_type.nesting_mode as NestingMode;
    switch (mode) {
      case "single":
        return element;
      case "list":
        return { list: element };
      case "set":
        return { set: element };
      case "map":
        return { map: element };
    }
  }
  return parseCtyType(attribute.type ?? "dynamic");
}

function attributesType(attributes: Record<string, AttributeJson>): Readonly<Record<string, CtyType>> {
  return Object.fromEntries(Object.entries(attributes).map(([name, attribute]) => [name, attributeType(attribute)]));
}

export function blockType(block: BlockJson): CtyType {
  return { object: attributesType(block.attributes) };
}
