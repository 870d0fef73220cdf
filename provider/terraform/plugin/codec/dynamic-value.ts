// The protocol's DynamicValue: a value in MessagePack (always what we send) or JSON (read when
// Terraform sends no MessagePack), encoded by a cty type.
import { decode, encode } from "@msgpack/msgpack";
import type { TfValue } from "../contract.js";
import { CodecError, type CtyType } from "./cty-type.js";
import { decodeWire } from "./decode.js";
import { encodeWire } from "./encode.js";

export interface DynamicValueMessage {
  msgpack?: Uint8Array | null;
  json?: Uint8Array | null;
}

/** A DynamicValue -> TfValue. An absent or empty message is null (the protocol's "no value"). */
export function decodeDynamicValue(message: DynamicValueMessage | null | undefined, type: CtyType): TfValue {
  if (message?.msgpack && message.msgpack.length > 0) return decodeWire(decode(message.msgpack), type, "msgpack");
  if (message?.json && message.json.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(message.json));
    } catch {
      throw new CodecError("the JSON of a DynamicValue does not parse");
    }
    return decodeWire(parsed, type, "json");
  }
  return null;
}

/** TfValue -> DynamicValue, always MessagePack. */
export function encodeDynamicValue(value: TfValue, type: CtyType): { msgpack: Uint8Array } {
  return { msgpack: encode(encodeWire(value, type)) };
}
