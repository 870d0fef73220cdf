// The CLI's exit codes, in a module of their own so that cli.ts can use them without loading the engine.
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_CHANGES = 2;
