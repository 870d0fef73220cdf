export { createResourceProvider, type ResourceProviderOptions } from "./provider.js";
