//! kanbao (看报): a terminal reader for archives of Chinese newspapers.
//!
//! Data flow: [`archive`] finds and decodes issue files → [`layout`] turns each page into
//! articles and fragments ([`model`]) → `index` makes them searchable → the TUI shows them.
//! See `docs/ARCHITECTURE.md`.

pub mod archive;
pub mod article;
pub mod bench;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod export;
pub mod follow;
pub mod index;
pub mod latency;
pub mod layout;
pub mod library;
pub mod memory;
pub mod model;
pub mod paths;
pub mod queries;
pub mod state;
pub mod text;
pub mod tui;
pub mod wrap;
