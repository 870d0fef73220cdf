// The shape of JSON documents constructs take as objects (parameters, job variables, base job
// templates): what Prefect stores, keys as Prefect spells them. Values may hold tokens
// (references, variables); `jsonAttribute` then writes them with jsonencode(...).

/** A JSON object. Values may be CDK tokens. */
export type JsonObject = { readonly [key: string]: unknown };
