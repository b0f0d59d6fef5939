//! What every request passes before any route sees it, and what every answer carries:
//! - the device's language, for the words of a refusal;
//! - only the room's own address as Host (an IP literal and the port: a DNS-rebinding page
//!   names its own host, so it is refused), and no other site's page as Origin;
//! - a JSON body only as `Content-Type: application/json` (415 otherwise), read whole within
//!   the limits' time and size (408, 413) before the route runs, so a body that never
//!   finishes holds nothing;
//! - security headers on every answer (the page's own origin only, no framing, no sniffing,
//!   no referrer), and every refusal as JSON `{code, message}`, whatever refused it.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State as Shared};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use powermap_core::i18n::{Lang, Said};

use crate::door::{Block, RoomEvent};
use crate::state::{Failure, State, DEVICE_LANGUAGE};

/// Answers each request in its device's language: the first of its `Accept-Language` that
/// Powermap speaks (a browser sends the phone's languages), else English.
pub(crate) async fn in_the_device_language(request: Request, next: Next) -> Response {
    let lang = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .and_then(device_language)
        .unwrap_or(Lang::En);
    DEVICE_LANGUAGE.scope(lang, next.run(request)).await
}

/// The first language of an `Accept-Language` value ("es-MX,es;q=0.9,en;q=0.8") that
/// Powermap speaks, in the device's order of preference.
fn device_language(accepted: &str) -> Option<Lang> {
    let mut ranked: Vec<(f32, usize, Lang)> = accepted
        .split(',')
        .enumerate()
        .filter_map(|(order, item)| {
            let mut parts = item.split(';');
            let lang = Lang::parse(parts.next()?.trim())?;
            let weight =
                parts.find_map(|p| p.trim().strip_prefix("q=")).map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (weight > 0.0).then_some((weight, order, lang))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.first().map(|(_, _, lang)| *lang)
}

/// Whether `host` (a Host header) names the room: its address's IP literal and port (any
/// IP literal with the port, when the room listens on every address).
pub(crate) fn is_own_host(host: &str, address: SocketAddr) -> bool {
    let Ok(named) = host.trim().parse::<SocketAddr>() else { return false };
    named.port() == address.port() && (address.ip().is_unspecified() || named.ip() == address.ip())
}

/// Whether the request comes from the room's own page, or from no page at all (a device's
/// program, a same-origin GET): its Host must be the room's, and any Origin it names must
/// be `http://` and that Host.
pub(crate) fn from_own_page(headers: &HeaderMap, address: SocketAddr) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else { return false };
    if !is_own_host(host, address) {
        return false;
    }
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()).is_some_and(|site| site == "cross-site") {
        return false;
    }
    match headers.get(header::ORIGIN) {
        None => true,
        Some(origin) => origin.to_str().is_ok_and(|origin| origin.eq_ignore_ascii_case(&format!("http://{host}"))),
    }
}

/// Whether the body is declared JSON.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

/// A refusal that also closes the connection (its request was not read to its end).
fn closing(failure: Failure) -> Response {
    let mut response = failure.into_response();
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Checks the request's Host, Origin and Content-Type, and reads its body whole within the
/// limits, before the route sees it.
pub(crate) async fn checked(
    Shared(state): Shared<Arc<State>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    if !from_own_page(request.headers(), state.address) {
        state.tell(RoomEvent::Blocked { address: peer.ip(), why: Block::ForeignPage });
        return Failure::new(StatusCode::FORBIDDEN, "wrong-origin", Said::new("error.room.wrong-origin"))
            .into_response();
    }
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let bodied = matches!(*request.method(), Method::POST | Method::PUT | Method::PATCH)
        || announced.is_some_and(|n| n > 0)
        || request.headers().contains_key(header::TRANSFER_ENCODING);
    if bodied && !is_json(request.headers()) {
        return closing(Failure::of_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
    let limits = &state.limits;
    // A laptop nearby sends a campaign's changes: a larger body, with its ticket only.
    let max_body = if request.uri().path() == crate::nearby::REST_PATH {
        match crate::nearby::ticket_of(request.headers()) {
            Some(ticket) if state.nearby.holds(ticket, peer.ip()) => limits.max_sync_body,
            _ => return closing(Failure::of_status(StatusCode::UNAUTHORIZED)),
        }
    } else {
        limits.max_body
    };
    if announced.is_some_and(|n| n > max_body as u64) {
        return closing(Failure::of_status(StatusCode::PAYLOAD_TOO_LARGE));
    }
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(limits.request_time, Limited::new(body, max_body).collect()).await;
    let bytes = match read {
        Err(_) => {
            state.tell(RoomEvent::Blocked { address: peer.ip(), why: Block::TooSlow });
            return closing(Failure::of_status(StatusCode::REQUEST_TIMEOUT));
        }
        Ok(Err(error)) if error.downcast_ref::<LengthLimitError>().is_some() => {
            return closing(Failure::of_status(StatusCode::PAYLOAD_TOO_LARGE));
        }
        Ok(Err(_)) => return closing(Failure::of_status(StatusCode::BAD_REQUEST)),
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Every refusal as JSON `{code, message}` (a route not there, a method not taken, an
/// upgrade refused…), and the security headers on every answer.
pub(crate) async fn answered(Shared(state): Shared<Arc<State>>, request: Request, next: Next) -> Response {
    let address = state.address;
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| is_own_host(h, address))
        .map(str::to_string);
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let status = response.status();
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if status.as_u16() >= 400 && !json {
        let close = response.headers().get(header::CONNECTION).cloned();
        response = Failure::of_status(status).into_response();
        if let Some(close) = close {
            response.headers_mut().insert(header::CONNECTION, close);
        }
    }
    let headers = response.headers_mut();
    let live = host.map(|h| format!(" ws://{h}")).unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'{live}; \
         font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    if api {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_room_s_own_address_is_its_host() {
        let room: SocketAddr = "192.168.1.20:8470".parse().unwrap();
        assert!(is_own_host("192.168.1.20:8470", room));
        for other in ["192.168.1.20", "192.168.1.21:8470", "192.168.1.20:80", "evil.example:8470", "localhost:8470", ""]
        {
            assert!(!is_own_host(other, room), "{other}");
        }
        let everywhere: SocketAddr = "0.0.0.0:8470".parse().unwrap();
        assert!(is_own_host("10.0.0.5:8470", everywhere), "any address of this computer, as an IP");
        assert!(!is_own_host("rebound.example:8470", everywhere), "never a name");
        let v6: SocketAddr = "[::1]:8470".parse().unwrap();
        assert!(is_own_host("[::1]:8470", v6));
    }
}
