//! Rendering results: [`human`] for terminals, [`json`] for scripts.

pub mod human;
pub mod json;
