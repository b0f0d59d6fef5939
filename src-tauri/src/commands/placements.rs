//! Commands that move cards: onto a grid, around it, back to the tray.

use powermap_core::model::{Placement, Point};
use tauri::State;

use super::now;
use crate::error::CommandResult;
use crate::AppState;

/// Puts a card on a grid at normalized `(x, y)` (origin bottom-left), or moves it there.
#[tauri::command(async)]
pub fn place_card(
    state: State<'_, AppState>,
    grid_id: String,
    organization_id: String,
    x: f64,
    y: f64,
    moved_by: String,
) -> CommandResult<Placement> {
    let point = Point::new(x, y)?;
    Ok(state.store()?.place_card(&grid_id, &organization_id, point, &moved_by, now())?)
}

#[tauri::command(async)]
pub fn return_card_to_tray(
    state: State<'_, AppState>,
    grid_id: String,
    organization_id: String,
) -> CommandResult<()> {
    Ok(state.store()?.return_card_to_tray(&grid_id, &organization_id, now())?)
}
