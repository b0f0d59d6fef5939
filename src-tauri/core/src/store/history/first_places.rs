//! Where each card was first seen in a session: the summary's question to history (what
//! moved during the meeting).

use std::collections::HashMap;

use serde_json::Value;

use super::super::table::Image;
use super::super::Store;
use super::parse;
use crate::error::Result;

impl Store {
    /// Where each card of the session was first seen on its grid in the session's history:
    /// its place before the first recorded change to it, or where that change put it. By
    /// (grid id, organization id); undone steps do not count.
    pub(crate) fn first_places(&self, session_id: &str) -> Result<HashMap<(String, String), (f64, f64)>> {
        self.read(|tx| {
            let mut first = HashMap::new();
            let mut statement = tx.prepare_cached(
                "SELECT r.row_key, coalesce(r.before, r.after) FROM history_step s
                 JOIN history_row r ON r.step_id = s.id
                 WHERE s.session_id = ?1 AND s.undone = 0 AND r.table_name = 'placement'
                 ORDER BY s.id, r.seq",
            )?;
            let rows =
                statement.query_map([session_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))?;
            for row in rows {
                let (key, image) = row?;
                let Some(image) = image else { continue };
                let key: Image = parse(&key, "word.history-row-key")?;
                let image: Image = parse(&image, "word.history-row")?;
                let text = |column: &str| key.get(column).and_then(Value::as_str).unwrap_or("").to_string();
                let (Some(x), Some(y)) =
                    (image.get("x").and_then(Value::as_f64), image.get("y").and_then(Value::as_f64))
                else {
                    continue;
                };
                first.entry((text("grid_id"), text("organization_id"))).or_insert((x, y));
            }
            Ok(first)
        })
    }
}
