// What a stack promises Terraform users: its output is applied by the official prefecthq/prefect
// provider too, except for the declarations that provider refuses (terraform/official-refusals.ts).
// Each such declaration is a synth warning on the construct that makes it (the L2 construct when
// the resource is its default child), whichever way it was made: props, an L1 resource or an
// escape-hatch override, since the check reads the attributes the resource synthesizes.
import { Annotations, Aspects, TerraformResource, type TerraformStack, type IConstruct } from "../cdk.js";
import { describeRefusal, officialRefusalsOf } from "../terraform/official-refusals.js";

/** Stacks that already have the check (a stack with two providers fails validation anyway). */
const checked = new WeakSet<TerraformStack>();

/** Warn at synth about every declaration of `stack` the official provider cannot apply. */
export function checkForOfficialProvider(stack: TerraformStack): void {
  if (checked.has(stack)) return;
  checked.add(stack);
  Aspects.of(stack).add({
    visit(node: IConstruct): void {
      if (node instanceof TerraformResource) warnAboutRefusals(node);
    },
  });
}

function warnAboutRefusals(resource: TerraformResource): void {
  const type = resource.terraformResourceType;
  if (!type.startsWith("prefect_")) return;
  const findings = officialRefusalsOf(type, synthesizedAttributes(resource));
  if (!findings.length) return;
  // L2 constructs name their resource "Default": the warning belongs to the construct people wrote.
  const owner = resource.node.id === "Default" && resource.node.scope ? resource.node.scope : resource;
  for (const finding of findings) {
    // The annotation carries the construct's path; `cdktf synth` prints it: WARN [path]: message.
    const message = describeRefusal(finding);
    // Every synth runs the aspects again; a declaration is warned about once.
    if (!owner.node.metadata.some((entry) => entry.data === message)) Annotations.of(owner).addWarning(message);
  }
}

/**
 * The resource's attributes as cdk.tf.json will hold them, overrides applied. Values known only
 * later stay tokens, which match no refusal: only what is written out is checked.
 */
function synthesizedAttributes(resource: TerraformResource): Record<string, unknown> {
  const json = resource.toTerraform() as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  return json.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId] ?? {};
}
