//! Commands for the room: *Let the room join* starts the room server on the open session,
//! *Stop* ends it and every participant's access.

use powermap_core::i18n::Said;
use powermap_core::ErrorCode;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime, State};
use ts_rs::TS;

use crate::error::{Arg, CommandResult, IpcError};
use crate::AppState;

/// The room as the projector shows it: where to go, the code, and how many have joined.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RoomInfo {
    pub session_id: String,
    /// The address participants open, `http://…/`.
    pub url: String,
    /// The room code: 6 digits.
    pub code: String,
    /// A QR code of the address: rows of modules, `true` for dark (no quiet zone).
    pub qr: Vec<Vec<bool>>,
    pub joined: u32,
    /// What happened at the door: joins, wrong codes, devices turned away, code changes.
    pub door: powermap_room::DoorCounts,
}

/// Sent to every window when something happens at the room's door (its payload: which,
/// as `joined`, `wrong-code`, `blocked`, `code-changed` or `synced`); the window reads the room anew.
pub const ROOM_DOOR_EVENT: &str = "room-door";

fn info(room: &powermap_room::Room) -> RoomInfo {
    RoomInfo {
        session_id: room.session_id().to_string(),
        url: room.join_url(),
        code: room.code(),
        qr: room.join_qr(),
        joined: u32::try_from(room.joined()).unwrap_or(u32::MAX),
        door: room.door(),
    }
}

/// Why the room could not start, in the window's language: the session's error, or the
/// network's (the system's own words put in as they are).
fn refused(error: powermap_room::RoomError) -> IpcError {
    match error {
        powermap_room::RoomError::Session(e) => IpcError::from(e),
        powermap_room::RoomError::Listen { address, source } => IpcError::new(
            ErrorCode::Conflict,
            Said::new("error.room.cannot-listen").text("address", address).text("detail", source),
        ),
        powermap_room::RoomError::Runtime(source) => {
            IpcError::new(ErrorCode::Conflict, Said::new("error.room.no-threads").text("detail", source))
        }
    }
}

/// Lets the room join the session: starts the room server on this computer's address on
/// the local network (or `address`, an IP of this computer), port 8470 — or any free port
/// if that one is taken. A room already open on another session is stopped first.
#[tauri::command(async)]
pub fn start_room<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    session_id: Arg<String>,
    address: Arg<Option<String>>,
) -> CommandResult<RoomInfo> {
    let session_id = session_id.get()?;
    let address = address.get()?;
    let ip: std::net::IpAddr = match address.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(text) => text.parse().map_err(|_| {
            IpcError::new(ErrorCode::InvalidInput, Said::new("error.room.not-an-address").text("address", text))
        })?,
        None => powermap_room::lan_address().unwrap_or(std::net::Ipv4Addr::LOCALHOST.into()),
    };
    let mut room = state.room.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(open) = room.as_ref() {
        // The same session on the same address: the room goes on (codes stay valid).
        if open.session_id() == session_id && (address.is_none() || open.address().ip() == ip) {
            return Ok(info(open));
        }
    }
    if let Some(open) = room.take() {
        open.stop();
    }
    let store = state.shared_store()?;
    let port = crate::cli::DEFAULT_PORT;
    // The participants' moves reach the windows as every change does (the store publishes
    // them); what happens at the door, as an event that has the window read the room anew.
    let options = move || {
        let door = app.clone();
        powermap_room::RoomOptions::default().on_event(move |event: &powermap_room::RoomEvent| {
            let which = match event {
                powermap_room::RoomEvent::Joined { .. } => "joined",
                powermap_room::RoomEvent::WrongCode { .. } => "wrong-code",
                powermap_room::RoomEvent::Blocked { .. } => "blocked",
                powermap_room::RoomEvent::CodeChanged { .. } => "code-changed",
                powermap_room::RoomEvent::Synced { .. } => "synced",
            };
            let _ = door.emit(ROOM_DOOR_EVENT, which);
        })
    };
    let started = powermap_room::Room::start_with(store.clone(), &session_id, (ip, port).into(), options())
        .or_else(|_| powermap_room::Room::start_with(store, &session_id, (ip, 0).into(), options()))
        .map_err(refused)?;
    let shown = info(&started);
    *room = Some(started);
    Ok(shown)
}

/// The open room, if any (with how many have joined by now).
#[tauri::command(async)]
pub fn room_info(state: State<'_, AppState>) -> CommandResult<Option<RoomInfo>> {
    Ok(state.room.lock().unwrap_or_else(|p| p.into_inner()).as_ref().map(info))
}

/// Stops the room: every participant's connection and token end.
#[tauri::command(async)]
pub fn stop_room(state: State<'_, AppState>) -> CommandResult<()> {
    if let Some(room) = state.room.lock().unwrap_or_else(|p| p.into_inner()).take() {
        room.stop();
    }
    Ok(())
}
