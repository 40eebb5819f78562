// The pages that load a module of their own (web/<page>.ts): what the build
// bundles and the server links. Apart from build.ts, so the server never
// imports esbuild (a build tool, not in the image's dependencies).
export const PAGES = ['catalogue', 'product', 'order'] as const;
export type Page = (typeof PAGES)[number];
