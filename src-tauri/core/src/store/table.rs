//! The stored tables as history sees them: each table says once which columns are its key
//! and which it leaves out of history; its columns and the tables that refer to it are read
//! from the schema itself (`pragma_table_info`, `pragma_foreign_key_list`), so a column added
//! by a migration, or a new table that refers to an old one, needs no code here.
//!
//! Rows travel as [`Image`]s, column → value maps, so a row recorded before a migration can
//! still be written after it: columns the table no longer has are dropped, columns it has
//! gained keep their defaults.

use std::collections::BTreeMap;

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::Transaction;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::i18n::Said;

/// A stored table: its name, its key, and the columns history leaves alone.
#[derive(Debug)]
pub(crate) struct StoredTable {
    pub name: &'static str,
    /// The primary key's columns.
    pub key: &'static [&'static str],
    /// Columns that belong to the moment, not to the row's history (the session's revision
    /// and time of last change): never recorded, never written back.
    pub untracked: &'static [&'static str],
}

/// Every table whose rows history records, parents before the tables that refer to them.
pub(crate) const TABLES: &[&StoredTable] = &[
    &super::session::TABLE,
    &super::organization::TABLE,
    &super::grid::TABLE,
    &super::placement::TABLE,
    &super::commitment::TABLE,
    &super::participant::TABLE,
    &super::review::TABLE,
    &super::relationship::TABLE,
    &super::round::TABLE,
    &super::round::ANSWER_TABLE,
];

/// The table named `name`.
///
/// Errors: [`Error::Internal`] for a name no table has (a history step written by a newer
/// version, or edited by hand).
pub(crate) fn table(name: &str) -> Result<&'static StoredTable> {
    TABLES
        .iter()
        .copied()
        .find(|t| t.name == name)
        .ok_or_else(|| Error::internal(Said::new("error.internal.unknown-table").text("table", name)))
}

/// A row's columns and values (the key's columns alone, for a key).
pub type Image = BTreeMap<String, Value>;

/// Which row: a table and the values of its key columns.
#[derive(Debug, Clone)]
pub(crate) struct RowRef {
    pub table: &'static StoredTable,
    pub key: Image,
}

impl PartialEq for RowRef {
    fn eq(&self, other: &RowRef) -> bool {
        self.table.name == other.table.name && self.key == other.key
    }
}

impl RowRef {
    /// The row of `table` whose key columns hold `values`, in the order of [`StoredTable::key`].
    pub fn new(table: &'static StoredTable, values: &[&str]) -> RowRef {
        let key = table.key.iter().zip(values).map(|(c, v)| (c.to_string(), Value::from(*v))).collect();
        RowRef { table, key }
    }

    /// The key column `column` as text ("" if it is missing or not text).
    pub fn text(&self, column: &str) -> &str {
        self.key.get(column).and_then(Value::as_str).unwrap_or("")
    }

    fn where_clause(&self) -> (String, Vec<SqlValue>) {
        let clause = self.table.key.iter().map(|c| format!("\"{c}\" IS ?")).collect::<Vec<_>>().join(" AND ");
        let values = self.table.key.iter().map(|c| to_sql(self.key.get(*c).unwrap_or(&Value::Null))).collect();
        (clause, values)
    }
}

/// The columns the table has now, in schema order.
pub(crate) fn columns(tx: &Transaction<'_>, table: &StoredTable) -> Result<Vec<String>> {
    let mut statement = tx.prepare_cached("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
    let names = statement.query_map([table.name], |row| row.get::<_, String>(0))?;
    Ok(names.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The row as it is now (without its untracked columns), or `None` if there is none.
pub(crate) fn read(tx: &Transaction<'_>, row: &RowRef) -> Result<Option<Image>> {
    read_without(tx, row, row.table.untracked)
}

/// The row as it is now without the columns `left_out`, or `None` if there is none.
pub(crate) fn read_without(tx: &Transaction<'_>, row: &RowRef, left_out: &[&str]) -> Result<Option<Image>> {
    let (clause, values) = row.where_clause();
    let mut statement = tx.prepare_cached(&format!("SELECT * FROM \"{}\" WHERE {clause}", row.table.name))?;
    let mut rows = statement.query(rusqlite::params_from_iter(values))?;
    let Some(found) = rows.next()? else {
        return Ok(None);
    };
    // The columns as of this step: SQLite prepares the statement again after a migration.
    let statement = found.as_ref();
    let mut image = Image::new();
    for index in 0..statement.column_count() {
        let name = statement.column_name(index)?;
        if left_out.contains(&name) {
            continue;
        }
        image.insert(name.to_string(), from_sql(found.get_ref(index)?));
    }
    Ok(Some(image))
}

/// Makes the row be `image`: deleted if `None`; otherwise inserted, or updated in place (so
/// rows that refer to it are not cascaded away). Columns of the image the table no longer
/// has are left out; columns it has gained since keep their values (or defaults).
pub(crate) fn write(tx: &Transaction<'_>, row: &RowRef, image: Option<&Image>) -> Result<()> {
    write_without(tx, row, image, row.table.untracked)
}

/// [`write`], leaving the columns `left_out` as they are (or their defaults, for a row
/// inserted).
pub(crate) fn write_without(
    tx: &Transaction<'_>,
    row: &RowRef,
    image: Option<&Image>,
    left_out: &[&str],
) -> Result<()> {
    if row.table.name == "session" {
        // Undoing a rename changes the list of sessions as the rename did.
        super::publisher::stage_sessions();
    }
    let Some(image) = image else {
        let (clause, values) = row.where_clause();
        tx.prepare_cached(&format!("DELETE FROM \"{}\" WHERE {clause}", row.table.name))?
            .execute(rusqlite::params_from_iter(values))?;
        return Ok(());
    };
    let now = columns(tx, row.table)?;
    let written: Vec<&String> = image.keys().filter(|c| now.contains(c) && !left_out.contains(&c.as_str())).collect();
    if written.is_empty() {
        return Err(Error::internal(Said::new("error.internal.no-column").text("table", row.table.name)));
    }
    // An update in place where the row is there (so rows that refer to it stay, and columns
    // history leaves alone keep their values); an insert where it is not.
    let updates: Vec<&String> = written.iter().copied().filter(|c| !row.table.key.contains(&c.as_str())).collect();
    if !updates.is_empty() {
        let (clause, keys) = row.where_clause();
        let set =
            updates.iter().enumerate().map(|(i, c)| format!("\"{c}\" = ?{}", i + 1)).collect::<Vec<_>>().join(", ");
        let clause = renumber(&clause, updates.len());
        let sql = format!("UPDATE \"{}\" SET {set} WHERE {clause}", row.table.name);
        let values = updates.iter().map(|c| to_sql(&image[*c])).chain(keys);
        if tx.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values))? > 0 {
            return Ok(());
        }
    }
    let names = written.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
    let slots = (1..=written.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    // A row of key columns alone that is there already is as it should be.
    let verb = if updates.is_empty() { "INSERT OR IGNORE" } else { "INSERT" };
    let sql = format!("{verb} INTO \"{}\" ({names}) VALUES ({slots})", row.table.name);
    let values = written.iter().map(|c| to_sql(&image[*c]));
    tx.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

/// `clause` with its anonymous parameters (`?`) numbered from `after + 1`.
fn renumber(clause: &str, after: usize) -> String {
    let mut out = String::with_capacity(clause.len() + 8);
    let mut n = after;
    for c in clause.chars() {
        out.push(c);
        if c == '?' {
            n += 1;
            out.push_str(&n.to_string());
        }
    }
    out
}

/// What removing `row` removes or changes with it, through the schema's foreign keys: rows
/// that cascade (and theirs, depth first) and rows whose reference is set to null, then the
/// row itself, last. Undo writes a step's rows back in reverse, so the row comes back
/// before the rows that refer to it.
pub(crate) fn removal(tx: &Transaction<'_>, row: &RowRef) -> Result<Vec<RowRef>> {
    let mut rows = Vec::new();
    collect_removal(tx, row, &mut rows, 0)?;
    Ok(rows)
}

fn collect_removal(tx: &Transaction<'_>, row: &RowRef, into: &mut Vec<RowRef>, depth: usize) -> Result<()> {
    if depth > TABLES.len() {
        return Err(Error::internal("error.internal.table-loop"));
    }
    for child in TABLES.iter().copied() {
        for reference in references(tx, child, row.table)? {
            let cascades = reference.on_delete.eq_ignore_ascii_case("CASCADE");
            let nulls = reference.on_delete.eq_ignore_ascii_case("SET NULL");
            if !cascades && !nulls {
                continue;
            }
            for found in referring_rows(tx, child, &reference, row)? {
                if into.contains(&found) {
                    continue;
                }
                if cascades {
                    collect_removal(tx, &found, into, depth + 1)?;
                } else {
                    into.push(found);
                }
            }
        }
    }
    if !into.contains(row) {
        into.push(row.clone());
    }
    Ok(())
}

/// A foreign key of a stored table: the parent it points at, the columns, and what removing
/// the parent does to the row (`CASCADE`, `SET NULL`).
pub(crate) struct ForeignKey {
    pub parent: &'static StoredTable,
    /// The row's columns, paired with the parent's.
    pub columns: Vec<(String, String)>,
    pub on_delete: String,
}

/// The foreign keys of `child` that point at stored tables, read from the schema.
pub(crate) fn foreign_keys(tx: &Transaction<'_>, child: &StoredTable) -> Result<Vec<ForeignKey>> {
    let mut found = Vec::new();
    for parent in TABLES.iter().copied() {
        for Reference { columns, on_delete } in references(tx, child, parent)? {
            found.push(ForeignKey { parent, columns, on_delete });
        }
    }
    Ok(found)
}

/// A foreign key of `child` that points at a parent table.
struct Reference {
    /// `child`'s columns, paired with the parent's.
    columns: Vec<(String, String)>,
    on_delete: String,
}

/// The foreign keys of `child` that point at `parent`.
fn references(tx: &Transaction<'_>, child: &StoredTable, parent: &StoredTable) -> Result<Vec<Reference>> {
    let mut statement = tx.prepare_cached(
        "SELECT id, \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?1) WHERE \"table\" = ?2 ORDER BY id, seq",
    )?;
    let mut found: Vec<(i64, Reference)> = Vec::new();
    let rows = statement.query_map([child.name, parent.name], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, Option<String>>(2)?,
            row.get::<_, String>(3)?,
        ))
    })?;
    for row in rows {
        let (id, from, to, on_delete) = row?;
        // A reference without named parent columns points at the parent's primary key.
        let to = to.unwrap_or_else(|| parent.key.first().copied().unwrap_or("id").to_string());
        match found.last_mut() {
            Some((last, reference)) if *last == id => reference.columns.push((from, to)),
            _ => found.push((id, Reference { columns: vec![(from, to)], on_delete })),
        }
    }
    Ok(found.into_iter().map(|(_, reference)| reference).collect())
}

/// The rows of `child` that refer to `parent` through `reference`.
fn referring_rows(
    tx: &Transaction<'_>,
    child: &'static StoredTable,
    reference: &Reference,
    parent: &RowRef,
) -> Result<Vec<RowRef>> {
    let Some(values) = read(tx, parent)? else {
        return Ok(Vec::new());
    };
    let keys = child.key.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
    let clause = reference.columns.iter().map(|(from, _)| format!("\"{from}\" IS ?")).collect::<Vec<_>>().join(" AND ");
    let params: Vec<SqlValue> =
        reference.columns.iter().map(|(_, to)| to_sql(values.get(to).unwrap_or(&Value::Null))).collect();
    let mut statement = tx.prepare_cached(&format!("SELECT {keys} FROM \"{}\" WHERE {clause}", child.name))?;
    let mut rows = statement.query(rusqlite::params_from_iter(params))?;
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        let mut key = Image::new();
        for (index, column) in child.key.iter().enumerate() {
            key.insert(column.to_string(), from_sql(row.get_ref(index)?));
        }
        found.push(RowRef { table: child, key });
    }
    Ok(found)
}

pub(crate) fn from_sql(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        // SQLite stores no NaN (it reads back as NULL), and infinities have no JSON form.
        ValueRef::Real(f) => serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null),
        ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::from(b.to_vec()),
    }
}

pub(crate) fn to_sql(value: &Value) -> SqlValue {
    match value {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) if !n.is_f64() => SqlValue::Integer(i),
            _ => SqlValue::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        Value::Array(items) if items.iter().all(|i| i.as_u64().is_some_and(|b| b <= 255)) => {
            SqlValue::Blob(items.iter().filter_map(|i| i.as_u64()).map(|b| b as u8).collect())
        }
        other => SqlValue::Text(other.to_string()),
    }
}
