// The protocol's .proto files (copied from ../shared/protocols/terraform-plugin: tfplugin 6.8 and
// go-plugin's controller), loaded as @grpc/grpc-js wants them.
import { fileURLToPath } from "node:url";
import * as protoLoader from "@grpc/proto-loader";

const PROTO_FILES = ["./proto/tfplugin6.8.proto", "./proto/grpc_controller.proto"].map((file) => fileURLToPath(new URL(file, import.meta.url)));

/** keepCase: field names as in the .proto (snake_case); enums by name; int64 as numbers. */
export const loadPluginProtos = (): protoLoader.PackageDefinition =>
  protoLoader.loadSync(PROTO_FILES, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
