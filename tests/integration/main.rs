//! Integration tests of the app package: one binary, a module per area.

/// The headless CLI of the real binary, on real database files.
mod cli;
/// The IPC commands, called through Tauri's mock runtime as the window calls them.
mod commands;
/// The CLI killed at random moments of its writes: nothing reported done is lost.
mod crash;
