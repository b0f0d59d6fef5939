//! Commands that move cards: onto a grid, around it, back to the tray.

use powermap_core::clock::now;
use powermap_core::model::{Actor, Changed, Placement, Point, Stamp};
use serde::Deserialize;
use tauri::State;
use ts_rs::TS;

use crate::error::{Arg, CommandResult};
use crate::AppState;

/// Puts a card on a grid at normalized `(x, y)` (origin bottom-left), or moves it there;
/// `moved_by` is who moves it (a participant's name, empty for the facilitator).
#[tauri::command(async)]
pub fn place_card(
    state: State<'_, AppState>,
    grid_id: Arg<String>,
    organization_id: Arg<String>,
    x: Arg<f64>,
    y: Arg<f64>,
    moved_by: Arg<String>,
) -> CommandResult<Changed<Placement>> {
    let grid_id = grid_id.get()?;
    let organization_id = organization_id.get()?;
    let x = x.get()?;
    let y = y.get()?;
    let moved_by = moved_by.get()?;
    let point = Point::new(x, y)?;
    Ok(state.store()?.place_card(&grid_id, &organization_id, point, Stamp::new(now(), Actor::moving_as(&moved_by)))?)
}

#[tauri::command(async)]
pub fn return_card_to_tray(
    state: State<'_, AppState>,
    grid_id: Arg<String>,
    organization_id: Arg<String>,
) -> CommandResult<Changed<()>> {
    let grid_id = grid_id.get()?;
    let organization_id = organization_id.get()?;
    Ok(state.store()?.return_card_to_tray(&grid_id, &organization_id, now())?)
}

/// One card of a group move.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CardMove {
    pub organization_id: String,
    pub x: f64,
    pub y: f64,
}

/// Moves several cards of one grid together (one step to undo).
#[tauri::command(async)]
pub fn place_cards(
    state: State<'_, AppState>,
    grid_id: Arg<String>,
    moves: Arg<Vec<CardMove>>,
    moved_by: Arg<String>,
) -> CommandResult<Changed<Vec<Placement>>> {
    let grid_id = grid_id.get()?;
    let moves = moves.get()?;
    let moved_by = moved_by.get()?;
    let moves = moves
        .into_iter()
        .map(|m| Ok((m.organization_id, Point::new(m.x, m.y)?)))
        .collect::<powermap_core::Result<Vec<_>>>()?;
    Ok(state.store()?.place_cards(&grid_id, &moves, Stamp::new(now(), Actor::moving_as(&moved_by)))?)
}
