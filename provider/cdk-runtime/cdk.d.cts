// Types of cdk.cjs: the CDKTF API (cdktn 0.24 is a superset of it at runtime).
export * from "cdktf";
