// Variables, answered like a Prefect 3.8 server (src/prefect/server/api/variables.py,
// models/variables.py, schemas/actions.py, types/names.py): names of lowercase letters, digits,
// dashes and underscores (at most 255 characters), any JSON value of at most 5000 characters once
// serialized, unique names (a duplicate create is a 409 naming the variable, a rename onto a
// taken name the server's generic data-integrity 409), lookups by id or by name, and filters on
// id, name and tags.
import type { ContractIssue } from "../../contract/validator.js";
import { variables, type VariableEntity } from "../collections.js";
import { combine, likePattern, matches, page, sortBy, stamp, timestamp, found, type Criteria } from "../filters.js";
import { conflict, created, integrityConflict, noContent, ok, pythonStringRepr, unprocessable, valueErrorIssue, type Reply } from "../http.js";
import type { RequestContext, Router } from "../router.js";

const NOT_FOUND = "Variable not found.";

/** Prefect's rule for variable names; the empty name passes it, as on the server. */
const NAME_RULE = /^[a-z0-9_-]*$/;
/** Prefect measures a value as its compact JSON serialization, in bytes (orjson). */
const MAX_VALUE_LENGTH = 5000;

type VariableValue = VariableEntity["value"];

interface VariableFields {
  name?: string | null;
  value?: VariableValue;
  tags?: string[] | null;
}

interface FilterBody {
  variables?: {
    operator?: "and_" | "or_";
    id?: Criteria | null;
    name?: Criteria | null;
    tags?: (Criteria & { operator?: "and_" | "or_" }) | null;
  } | null;
  sort?: string;
}

/** The checks the server's validators add to the schema, every failure reported at once. */
function checkFields(fields: VariableFields, requestBody: unknown): void {
  const issues: ContractIssue[] = [];
  if (typeof fields.name === "string" && !NAME_RULE.test(fields.name)) {
    issues.push(valueErrorIssue(["body", "name"], "Variable name must only contain lowercase letters, numbers, and dashes or underscores.", fields.name));
  }
  if (fields.value !== undefined && fields.value !== null && Buffer.byteLength(JSON.stringify(fields.value)) > MAX_VALUE_LENGTH) {
    issues.push(valueErrorIssue(["body", "value"], `Variable value must be less than ${MAX_VALUE_LENGTH} characters`, fields.value));
  }
  if (issues.length) throw unprocessable(issues, requestBody);
}

/** The response shape, fields in the server's order. */
function view(variable: VariableEntity): Record<string, unknown> {
  return {
    id: variable.id,
    created: variable.created,
    updated: variable.updated,
    name: variable.name,
    value: variable.value,
    tags: variable.tags ?? [],
  };
}

/** The predicate a `variables` filter body describes. */
function variableFilter(body: FilterBody): (variable: VariableEntity) => boolean {
  const filter = body.variables;
  if (!filter) return () => true;
  const like = typeof filter.name?.like_ === "string" ? likePattern(filter.name.like_) : undefined;
  const ids = filter.id?.any_ != null ? new Set(filter.id.any_.map((id) => String(id).toLowerCase())) : undefined;
  return (variable) => {
    const results: boolean[] = [];
    if (filter.id) results.push(combine("and_", ids ? [ids.has(variable.id)] : []));
    if (filter.name) {
      const name: boolean[] = [];
      if (filter.name.any_ != null) name.push(filter.name.any_.includes(variable.name));
      if (like) name.push(like.test(variable.name));
      results.push(combine("and_", name));
    }
    if (filter.tags) {
      const tags = variable.tags ?? [];
      const checks: boolean[] = [];
      if (filter.tags.all_ != null) checks.push(matches(tags, { all_: filter.tags.all_ }));
      if (filter.tags.is_null_ != null) checks.push(filter.tags.is_null_ === (tags.length === 0));
      results.push(combine(filter.tags.operator, checks));
    }
    return combine(filter.operator, results);
  };
}

/** Candidates for a filter: straight from the indexes when it names ids or names, else every variable. */
function candidates(ctx: RequestContext, body: FilterBody): VariableEntity[] {
  const collection = variables(ctx.workspace);
  const filter = body.variables;
  if (filter && filter.operator !== "or_") {
    const ids = filter.id?.any_;
    if (ids != null) {
      return [...new Set(ids.map((id) => String(id).toLowerCase()))].map((id) => collection.get(id)).filter((v): v is VariableEntity => v !== undefined);
    }
    const names = filter.name?.any_;
    if (names != null) return [...new Set(names)].map((name) => collection.getByKey(String(name))).filter((v): v is VariableEntity => v !== undefined);
  }
  return collection.all();
}

function matching(ctx: RequestContext): VariableEntity[] {
  const body = (ctx.body ?? {}) as FilterBody;
  return candidates(ctx, body).filter(variableFilter(body));
}

function createVariable(ctx: RequestContext): Reply {
  const body = ctx.body as { name: string; value: VariableValue; tags?: string[] };
  checkFields(body, ctx.sent);
  const collection = variables(ctx.workspace);
  // api/variables.py create_variable names the variable (scenarios.jsonl "variable duplicate").
  if (collection.getByKey(body.name)) throw conflict(`A variable with the name ${pythonStringRepr(body.name)} already exists.`);
  const variable: VariableEntity = { ...stamp(ctx), name: body.name, value: body.value, tags: body.tags ?? [] };
  collection.put(variable);
  return created(view(variable));
}

/** PATCH: only the fields sent are written; renaming onto another variable's name is a conflict. */
function updateVariable(ctx: RequestContext, current: VariableEntity | undefined): Reply {
  const body = ctx.body as VariableFields;
  checkFields(body, ctx.sent);
  const variable = found(current, NOT_FOUND);
  // An explicit null lands in a NOT NULL column.
  if (("name" in body && body.name === null) || ("tags" in body && body.tags === null)) throw integrityConflict();
  const collection = variables(ctx.workspace);
  if (typeof body.name === "string" && body.name !== variable.name && collection.getByKey(body.name)) throw integrityConflict();
  const next: VariableEntity = { ...variable, updated: timestamp(ctx.now) };
  if (typeof body.name === "string") next.name = body.name;
  if ("value" in body) next.value = body.value ?? null;
  if (Array.isArray(body.tags)) next.tags = body.tags;
  collection.put(next);
  return noContent();
}

function deleteVariable(ctx: RequestContext, current: VariableEntity | undefined): Reply {
  const variable = found(current, NOT_FOUND);
  variables(ctx.workspace).delete(variable.id);
  return noContent();
}

const byId = (ctx: RequestContext): VariableEntity | undefined => variables(ctx.workspace).get((ctx.params.id ?? "").toLowerCase());
const byName = (ctx: RequestContext): VariableEntity | undefined => variables(ctx.workspace).getByKey(ctx.params.name ?? "");

/** Register the `/variables` routes. */
export function registerVariablesRoutes(router: Router): void {
  router.post("/variables/", createVariable);

  router.post("/variables/filter", (ctx) => {
    const sorted = sortBy(matching(ctx), (ctx.body as FilterBody | undefined)?.sort ?? "NAME_ASC", {
      NAME_ASC: (variable: VariableEntity) => variable.name,
      NAME_DESC: (variable: VariableEntity) => variable.name,
      CREATED_DESC: (variable: VariableEntity) => variable.created,
      UPDATED_DESC: (variable: VariableEntity) => variable.updated,
    });
    return ok(page(sorted, ctx).map(view));
  });

  router.post("/variables/count", (ctx) => ok(matching(ctx).length));

  router.get("/variables/{id}", (ctx) => ok(view(found(byId(ctx), NOT_FOUND))));
  router.patch("/variables/{id}", (ctx) => updateVariable(ctx, byId(ctx)));
  router.delete("/variables/{id}", (ctx) => deleteVariable(ctx, byId(ctx)));

  router.get("/variables/name/{name}", (ctx) => ok(view(found(byName(ctx), NOT_FOUND))));
  router.patch("/variables/name/{name}", (ctx) => updateVariable(ctx, byName(ctx)));
  router.delete("/variables/name/{name}", (ctx) => deleteVariable(ctx, byName(ctx)));
}
