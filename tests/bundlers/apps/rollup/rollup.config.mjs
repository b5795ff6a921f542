// `dir`, not `file`: the package's signin and full modules are dynamic imports (their own chunks).
import { nodeResolve } from "@rollup/plugin-node-resolve";
export default { input: "src/index.js", output: { dir: "dist", entryFileNames: "app.js", format: "es" }, plugins: [nodeResolve({ browser: true })] };
